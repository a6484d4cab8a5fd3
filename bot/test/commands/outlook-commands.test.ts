import { describe, expect, it } from 'vitest';
import { parseOutlookCommand } from '../../src/commands/outlook-commands.js';
import { parseCommand } from '../../src/commands/parse.js';

describe('Outlook and usage commands', () => {
  it.each([
    ['connect outlook', { kind: 'connect-outlook' }],
    ['please connect Outlook calendar', { kind: 'connect-outlook' }],
    ['link project Apollo to Outlook', { kind: 'link-outlook', project: 'Apollo' }],
    ['link "Apollo Rollout" to outlook calendar', { kind: 'link-outlook', project: 'Apollo Rollout' }],
    ['sync project Apollo to Outlook', { kind: 'sync-outlook', project: 'Apollo' }],
    ['preview sync Apollo Rollout to Outlook', { kind: 'sync-outlook', project: 'Apollo Rollout' }],
    ['usage', { kind: 'usage' }],
    ['show my usage', { kind: 'usage' }],
  ])('%s', (text, intent) => {
    expect(parseOutlookCommand(text)).toEqual(intent);
  });

  it.each(['sync project Apollo to ADO', 'link project Apollo to ADO project Phoenix', 'connect pwa', 'sync "to Outlook"', 'link to outlook', 'help'])(
    '"%s" is left to the main grammar', (text) => {
      expect(parseOutlookCommand(text)).toBeUndefined();
      expect(parseCommand(text).kind).not.toBe('usage');
    },
  );

  it('a plan named "Outlook" in quotes is a plan name, not the target', () => {
    expect(parseOutlookCommand('sync project "Outlook" to Outlook')).toEqual({ kind: 'sync-outlook', project: 'Outlook' });
  });
});
