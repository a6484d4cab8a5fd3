import { describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../src/connectors/ado/errors.js';
import { OutlookError } from '../../src/connectors/outlook/errors.js';
import { PwaHttpError, toPlanError } from '../../src/connectors/pwa/errors.js';
import { PlanConnectorError } from '../../src/connectors/ppm.js';
import { classifyFailure, HEADLINES } from '../../src/jobs/failure-causes.js';

/** A PWA CSOM failure as the server sends it when someone else holds the project. */
function checkedOutError(): PlanConnectorError {
  const body = JSON.stringify({ error: { code: '-2147024891', message: { value: 'PJClientCallableException: CICOCheckedOutToOtherUser\r\nuserName = Dana Whitfield\r\nprojectName = Apollo' } } });
  return toPlanError(new PwaHttpError(500, '', JSON.parse(body).error.message.value), 'the PWA account');
}

describe('classifyFailure', () => {
  it.each([
    ['an expired ADO token', new AdoConnectorError('pat-expired', 'The Azure DevOps personal access token has expired.', { needsAttention: true }), 'pat-expired', true],
    ['a revoked ADO token', new AdoConnectorError('pat-rejected', 'Azure DevOps did not accept the token.', { needsAttention: true }), 'pat-expired', true],
    ['a missing scope', new AdoConnectorError('missing-scope', 'It lacks "Work Items: Read & write".', { needsAttention: true }), 'missing-scope', true],
    ['ADO throttling', new AdoConnectorError('throttled', 'Azure DevOps is rate-limiting this account.'), 'ado-throttled', false],
    ['ADO unreachable', new AdoConnectorError('unreachable', 'Could not reach Azure DevOps.'), 'network', false],
    ['PWA sign-in refused', new PlanConnectorError('auth-failed', 'Project Web App refused the account (401).', { needsAttention: true }), 'plan-sign-in', true],
    ['PWA unreachable', new PlanConnectorError('unreachable', 'Could not reach Project Web App.'), 'network', false],
    ['Graph refusing the Outlook sign-in', new OutlookError('auth-failed', 'Microsoft Graph refused the sign-in (401).', { needsAttention: true }), 'outlook-access', true],
    ['a calendar permission missing', new OutlookError('missing-permission', 'The sign-in may not write the calendar (403).', { needsAttention: true }), 'outlook-access', true],
    ['Graph throttling', new OutlookError('throttled', 'Microsoft Graph is throttling PlanBridge (429).'), 'outlook-throttled', false],
    ['Graph unreachable', new OutlookError('unreachable', 'Could not reach Microsoft Graph.'), 'network', false],
  ] as const)('%s', (_label, error, cause, needsAttention) => {
    const c = classifyFailure(error);
    expect(c.cause).toBe(cause);
    expect(c.headline).toBe(HEADLINES[cause]);
    expect(c.detail).toBe(error.message);
    expect(c.needsAttention).toBe(needsAttention);
  });

  it('names who holds a checked-out plan project', () => {
    const c = classifyFailure(checkedOutError());
    expect(c).toMatchObject({ cause: 'plan-checked-out', checkedOutBy: 'Dana Whitfield', needsAttention: false });
    expect(c.detail).toContain('Apollo is checked out by Dana Whitfield');
  });

  it('reads plain ADO-style code values from any error object', () => {
    expect(classifyFailure(Object.assign(new Error('x'), { code: 'unauthorized' })).cause).toBe('pat-expired');
    expect(classifyFailure({ code: 'missing-scope' }).cause).toBe('missing-scope');
    expect(classifyFailure({ code: 'throttled' }).cause).toBe('ado-throttled');
    expect(classifyFailure({ code: 'network' }).cause).toBe('network');
  });

  it('recognizes socket failures, also wrapped by fetch', () => {
    expect(classifyFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })).cause).toBe('network');
    expect(classifyFailure(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) })).cause).toBe('network');
  });

  it('never shows the text of an unknown error (it may hold anything)', () => {
    const c = classifyFailure(new Error('Bearer eyJhbGciOi... leaked at /srv/app.js:12'));
    expect(c).toEqual({ cause: 'other', headline: HEADLINES.other, needsAttention: false });
    expect(classifyFailure('a string')).toEqual({ cause: 'other', headline: HEADLINES.other, needsAttention: false });
    expect(classifyFailure(undefined).cause).toBe('other');
  });

  it('a PWA error code that means something else on ADO is not mistaken for it', () => {
    expect(classifyFailure(new PlanConnectorError('throttled', 'Project Web App is throttling requests.')).cause).toBe('other');
  });
});
