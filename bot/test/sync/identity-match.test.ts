import { describe, expect, it } from 'vitest';
import { matchPeople, planResources } from '../../src/sync/mapping/identity-match.js';
import { identityForResource } from '../../src/sync/mapping/identity.js';
import { fieldLabel, fieldNote, needsPeopleMatch } from '../../src/sync/mapping/labels.js';
import type { Item } from '../../src/sync/model.js';

const USERS = [
  { displayName: 'Chen Wu', uniqueName: 'chen.wu@contoso.com' },
  { displayName: 'Bob Lee', uniqueName: 'bob.lee@contoso.com' },
  { displayName: 'Alex Kim', uniqueName: 'alex.kim@contoso.com' },
  { displayName: 'Alex Kim', uniqueName: 'alex.kim2@fabrikam.com' },
];

const item = (key: string, resources: string): Item => ({ key, system: 'plan', type: 'Task', parentKey: null, fields: { ResourceNames: resources }, version: 1 });

describe('matching plan resources to Azure DevOps users', () => {
  it('matches by display name, ignoring case and spacing', () => {
    const { map, matches } = matchPeople(['chen wu', '  Bob\u00a0  LEE '], USERS);
    expect(map).toEqual({ 'chen wu': 'chen.wu@contoso.com', '  Bob\u00a0  LEE ': 'bob.lee@contoso.com' });
    expect(matches.map((m) => m.how)).toEqual(['name', 'name']);
  });

  it('never guesses between two users with the same display name', () => {
    const { map, matches } = matchPeople(['Alex Kim'], USERS);
    expect(map).toEqual({});
    expect(matches[0]).toEqual({ resource: 'Alex Kim', how: 'ambiguous', user: null, candidates: 2 });
  });

  it('matches a resource written as an e-mail address (bare or bracketed) by uniqueName', () => {
    const { map, matches } = matchPeople(['ALEX.KIM2@fabrikam.com', 'Alex <alex.kim@contoso.com>', 'x@nowhere.example'], USERS);
    expect(map).toEqual({ 'ALEX.KIM2@fabrikam.com': 'alex.kim2@fabrikam.com', 'Alex <alex.kim@contoso.com>': 'alex.kim@contoso.com' });
    expect(matches.map((m) => m.how)).toEqual(['email', 'email', 'none']);
  });

  it('lets stored overrides win, including "leave unassigned", and keeps overrides for resources not in this plan', () => {
    const { map, matches } = matchPeople(['Chen Wu', 'Alex Kim', 'Dana Ruiz'], USERS, { 'chen  wu': 'bob.lee@contoso.com', 'Alex Kim': 'alex.kim2@fabrikam.com', 'Dana Ruiz': '', 'Eve Later': 'eve@contoso.com' });
    expect(map).toEqual({ 'Chen Wu': 'bob.lee@contoso.com', 'Alex Kim': 'alex.kim2@fabrikam.com', 'Dana Ruiz': '', 'Eve Later': 'eve@contoso.com' });
    expect(matches.map((m) => [m.how, m.user?.displayName ?? null])).toEqual([['manual', 'Bob Lee'], ['manual', 'Alex Kim'], ['unassigned', null]]);
  });

  it('says plainly when nobody matches', () => {
    expect(matchPeople(['Dana Ruiz'], USERS)).toEqual({ map: {}, matches: [{ resource: 'Dana Ruiz', how: 'none', user: null }] });
    expect(matchPeople(['Dana Ruiz'], [])).toEqual({ map: {}, matches: [{ resource: 'Dana Ruiz', how: 'none', user: null }] });
  });

  it('collects every resource of the plan once, first spelling wins', () => {
    expect(planResources([item('1', 'Chen Wu, Bob Lee'), item('2', 'chen  wu;Dana Ruiz'), item('3', '')], ['ResourceNames'])).toEqual(['Chen Wu', 'Bob Lee', 'Dana Ruiz']);
  });

  it('looks identities up with the same normalisation', () => {
    expect(identityForResource({ 'Chen Wu': 'chen.wu@contoso.com' }, ' CHEN   wu')).toBe('chen.wu@contoso.com');
    expect(identityForResource({ 'Chen Wu': 'chen.wu@contoso.com' }, 'Chen')).toBeNull();
  });
});

describe('field words', () => {
  it('uses display names for fields', () => {
    expect(fieldLabel('System.AssignedTo')).toBe('Assigned To');
    expect(fieldLabel('ResourceNames')).toBe('Resource Names');
    expect(fieldLabel('Custom.RiskLevel')).toBe('RiskLevel');
  });

  it('writes the unmatched-resource note in plain words', () => {
    expect(fieldNote('Dashboard screens', { problem: 'no Azure DevOps user matches "Dana Ruiz"', hint: 'Use "Match people" to pick one.' }, 'System.AssignedTo', 'stays empty'))
      .toBe('"Dashboard screens": no Azure DevOps user matches "Dana Ruiz", so Assigned To stays empty. Use "Match people" to pick one.');
  });

  it('recognises warnings that the People card can fix, in either wording', () => {
    expect(needsPeopleMatch('"API": no Azure DevOps user matches "Dana Ruiz"; System.AssignedTo left as is.')).toBe(true);
    expect(needsPeopleMatch('"API": no value rule turns PercentComplete 5 into a System.State, so State stays empty.')).toBe(false);
  });
});
