import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { COMMANDS } from '../../src/commands/catalog.js';

describe('command grammar', () => {
  it.each([
    ['help', { kind: 'help' }],
    ['HELP!', { kind: 'help' }],
    ['<at>PlanBridge</at> help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['connect ado', { kind: 'connect', system: 'ado' }],
    ['Connect Azure DevOps.', { kind: 'connect', system: 'ado' }],
    ['connect project online', { kind: 'connect', system: 'pwa' }],
    ['connect pwa', { kind: 'connect', system: 'pwa' }],
    ['connect', { kind: 'connect', system: undefined }],
    ['connect planner', { kind: 'connect', system: 'planner' }],
    ['connect planner premium', { kind: 'connect', system: 'planner' }],
    ['Connect Planner Premium.', { kind: 'connect', system: 'planner' }],
    ['connect project for the web', { kind: 'connect', system: 'planner' }],
    ['connect dataverse', { kind: 'connect', system: 'planner' }],
    ['connect jira', { kind: 'incomplete', command: 'connect', problem: 'I can connect "ado" (Azure DevOps), "pwa" (Project Web App) or "planner" (Planner premium), not "jira".' }],
    ['connections', { kind: 'connections' }],
    ['show my connections', { kind: 'unknown' }],
    ['list connections', { kind: 'connections' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toMatchObject(expected);
  });

  it('reads quoted multi-word names and the direction', () => {
    expect(parseCommand('sync project "Apollo Rollout" to ADO')).toEqual({
      kind: 'sync', project: 'Apollo Rollout', direction: 'to-ado', previewOnly: false,
    });
    expect(parseCommand('sync \u201CApollo Rollout\u201D both ways')).toEqual({
      kind: 'sync', project: 'Apollo Rollout', direction: 'both', previewOnly: false,
    });
  });

  it('reads bare multi-word names up to the direction phrase', () => {
    expect(parseCommand('Sync project Apollo Rollout to plan')).toMatchObject({ project: 'Apollo Rollout', direction: 'to-plan' });
    expect(parseCommand('sync Apollo')).toEqual({ kind: 'sync', project: 'Apollo', direction: undefined, previewOnly: false });
  });

  it('keeps direction words that are inside a quoted name', () => {
    expect(parseCommand('sync "Road to ADO"')).toMatchObject({ project: 'Road to ADO', direction: undefined });
  });

  it('understands preview in front or behind', () => {
    expect(parseCommand('preview sync Apollo')).toEqual({ kind: 'sync', project: 'Apollo', direction: undefined, previewOnly: true });
    expect(parseCommand('sync Apollo to ADO preview')).toMatchObject({ previewOnly: true, direction: 'to-ado' });
  });

  it('strips mentions and HTML that Teams adds in channels', () => {
    expect(parseCommand('<p><at>PlanBridge</at>&nbsp;sync project &quot;Apollo Rollout&quot; to ADO</p>')).toMatchObject({
      kind: 'sync', project: 'Apollo Rollout', direction: 'to-ado',
    });
  });

  it('parses link with both project names', () => {
    expect(parseCommand('link project Apollo to ADO project Phoenix')).toEqual({ kind: 'link', planProject: 'Apollo', adoProject: 'Phoenix' });
    expect(parseCommand('link "Apollo Rollout" to Phoenix Web')).toEqual({ kind: 'link', planProject: 'Apollo Rollout', adoProject: 'Phoenix Web' });
    expect(parseCommand('link')).toMatchObject({ kind: 'incomplete', command: 'link' });
  });

  it('parses status with and without a project', () => {
    expect(parseCommand('status Apollo')).toEqual({ kind: 'status', project: 'Apollo' });
    expect(parseCommand('status')).toEqual({ kind: 'status', project: undefined });
    expect(parseCommand('history Apollo')).toEqual({ kind: 'history', project: 'Apollo' });
    expect(parseCommand('history of "Apollo Rollout"')).toEqual({ kind: 'history', project: 'Apollo Rollout' });
  });

  it('parses schedules with time and IANA time zone', () => {
    expect(parseCommand('schedule Apollo daily at 09:00 Europe/Berlin')).toEqual({
      kind: 'schedule', project: 'Apollo', schedule: { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' },
    });
    expect(parseCommand('schedule "Apollo Rollout" weekly on mon, thu at 7pm america/new_york')).toEqual({
      kind: 'schedule', project: 'Apollo Rollout',
      schedule: { kind: 'weekly', days: ['mon', 'thu'], time: '19:00', timeZone: 'America/New_York' },
    });
    expect(parseCommand('schedule Apollo off')).toEqual({ kind: 'schedule', project: 'Apollo', schedule: { kind: 'off' } });
    expect(parseCommand('schedule Apollo hourly')).toMatchObject({ schedule: { kind: 'hourly' } });
    expect(parseCommand('schedule Apollo monthly on the 15th at 06:30 UTC')).toMatchObject({
      schedule: { kind: 'monthly', dayOfMonth: 15, time: '06:30', timeZone: 'UTC' },
    });
  });

  it('parses the schedule forms the chat offers, with an optional synchronization start date', () => {
    expect(parseCommand('schedule Apollo weekly on Mon,Thu at 07:30 America/New_York')).toEqual({
      kind: 'schedule', project: 'Apollo', schedule: { kind: 'weekly', days: ['mon', 'thu'], time: '07:30', timeZone: 'America/New_York' },
    });
    expect(parseCommand('schedule Apollo monthly on day 1 at 06:00 UTC')).toEqual({
      kind: 'schedule', project: 'Apollo', schedule: { kind: 'monthly', dayOfMonth: 1, time: '06:00', timeZone: 'UTC' },
    });
    expect(parseCommand('schedule Apollo daily at 09:00 Europe/Berlin starting 2026-01-05')).toEqual({
      kind: 'schedule', project: 'Apollo', startDate: '2026-01-05', schedule: { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' },
    });
    expect(parseCommand('schedule Apollo daily at 09:00 Europe/Berlin starting 2026-02-30')).toMatchObject({ kind: 'incomplete', problem: expect.stringContaining('YYYY-MM-DD') });
    expect(parseCommand('schedule Apollo daily at 09:00 from tomorrow')).toMatchObject({ kind: 'incomplete', problem: expect.stringContaining('YYYY-MM-DD') });
  });

  it('explains what is wrong with a schedule instead of guessing', () => {
    expect(parseCommand('schedule Apollo daily at 25:00')).toMatchObject({ kind: 'incomplete', command: 'schedule', problem: expect.stringContaining('25:00') });
    expect(parseCommand('schedule Apollo daily at 09:00 Mars/Olympus')).toMatchObject({ kind: 'incomplete', problem: expect.stringContaining('Mars/Olympus') });
    expect(parseCommand('schedule Apollo')).toMatchObject({ kind: 'incomplete', problem: expect.stringContaining('how often') });
  });

  it('suggests the closest command for a typo, keeping the arguments', () => {
    expect(parseCommand('synk Apollo')).toMatchObject({ kind: 'unknown', suggestion: { command: 'sync', example: 'sync Apollo' } });
    expect(parseCommand('hlep')).toMatchObject({ kind: 'unknown', suggestion: { command: 'help' } });
    expect(parseCommand('conect ado')).toMatchObject({ suggestion: { command: 'connect', example: 'connect ado' } });
  });

  it('gives no suggestion for unrelated text', () => {
    const intent = parseCommand('what is the weather in Paris');
    expect(intent).toMatchObject({ kind: 'unknown' });
    expect(intent.kind === 'unknown' && intent.suggestion).toBeFalsy();
  });

  it('every catalog example parses to its own command', () => {
    for (const command of COMMANDS) {
      for (const example of command.examples) {
        const intent = parseCommand(example);
        const kind = intent.kind === 'incomplete' ? intent.command : intent.kind;
        expect(kind, example).toBe(command.id);
      }
    }
  });
});
