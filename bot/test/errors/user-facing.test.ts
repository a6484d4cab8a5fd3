import { ErrorResponse } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../src/connectors/ado/index.js';
import { PlanConnectorError } from '../../src/connectors/ppm.js';
import { M365SignInError } from '../../src/connectors/m365/errors.js';
import { GENERIC_PROBLEM, UserFacingError, userMessage } from '../../src/errors.js';
import { ActionRefused } from '../../src/flows/actions.js';
import { errorMessage, FlowProblem } from '../../src/flows/card-kit.js';
import { classifyFailure } from '../../src/jobs/failure-causes.js';
import { ConcurrencyError, StoreError } from '../../src/store/errors.js';
import { JournalUnavailable } from '../../src/sync/journaled.js';

describe('errors users see', () => {
  it('shows only messages written for users; parser, database and programming errors stay generic', () => {
    let parseError: unknown;
    try {
      JSON.parse('{"pat": "secret-value"');
    } catch (err) {
      parseError = err;
    }
    const cosmos = Object.assign(new ErrorResponse('Message: {"Errors":["Resource Not Found"]} ActivityId: 1, Request URI: /apps/x/services/y/partitions/z'), { code: 404 });
    const renamed = Object.assign(new Error('/home/app/bot/src/secret.ts:12 leaked'), { name: 'LookalikeError' });
    for (const hidden of [parseError, cosmos, renamed, new TypeError('x is undefined'), new RangeError('bad'), 'a string', undefined, { message: 'plain object' }]) {
      expect(errorMessage(hidden)).toBe(GENERIC_PROBLEM);
    }
  });

  it('every user-facing error class carries a code, its message and whether the connection needs attention', () => {
    const shown: UserFacingError[] = [
      new AdoConnectorError('pat-expired', 'The token expired.', { needsAttention: true }),
      new PlanConnectorError('checked-out', 'Apollo is checked out by Ada.', { checkedOutBy: 'Ada' }),
      new M365SignInError('expired', 'The sign-in link expired.'),
      new ActionRefused('not-approver', 'Only the approvers can do this.'),
      new FlowProblem('A connection was removed.'),
      new ConcurrencyError('integration', 'i1'),
      new StoreError('store failed'),
      new JournalUnavailable('The run journal could not be written.'),
    ];
    for (const err of shown) {
      expect(err).toBeInstanceOf(UserFacingError);
      expect(userMessage(err)).toBe(err.message);
      expect(err.code).toMatch(/^[a-z:-]+$/);
      expect(err.name).toBe(err.constructor.name);
    }
    expect(shown.map((e) => e.needsAttention)).toEqual([true, false, false, false, false, false, false, false]);
    expect(shown[0]!.code).toBe('pat-expired');
    expect(shown[3]!.code).toBe('refused:not-approver');
  });

  it('classifies failures by class, not by a name a lookalike could copy', () => {
    expect(classifyFailure(new AdoConnectorError('pat-expired', 'expired', { needsAttention: true })).cause).toBe('pat-expired');
    expect(classifyFailure(new PlanConnectorError('checked-out', 'checked out', { checkedOutBy: 'Ada' })).cause).toBe('plan-checked-out');
    const lookalike = Object.assign(new Error('internal detail'), { name: 'AdoConnectorError', code: 'pat-expired' });
    const classified = classifyFailure(lookalike);
    expect(classified).not.toHaveProperty('detail');
  });
});

describe('failures that need a person', () => {
  it('a PAT refused by policy, or a service principal ADO refuses, asks for the connection to be fixed', () => {
    for (const code of ['pat-policy', 'entra-rejected', 'principal-rejected'] as const) {
      const classified = classifyFailure(new AdoConnectorError(code, 'Azure DevOps refused the sign-in.', { needsAttention: true }));
      expect(classified).toMatchObject({ cause: 'ado-sign-in', needsAttention: true, detail: 'Azure DevOps refused the sign-in.' });
    }
    expect(classifyFailure(new PlanConnectorError('not-licensed', 'No Project licence.', { needsAttention: true }))).toMatchObject({ cause: 'plan-sign-in', needsAttention: true });
  });
});
