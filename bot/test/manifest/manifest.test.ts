import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { ACCENT } from '../../../scripts/make-icons.js';
import {
  fillPlaceholders,
  LOCAL_DEFAULTS,
  parseDotEnv,
  placeholdersIn,
  resolveEnv,
  UnfilledPlaceholderError,
} from '../../../scripts/manifest-env.js';
import { loadManifestCheck, MANIFEST_SCHEMA_FILE } from '../../../scripts/manifest-schema.js';
import { REPO_ROOT, removeScratchRoots, scratchRoot, sharedSchemaPath } from './support.js';

interface Command {
  title: string;
  description: string;
}
interface Manifest {
  id: string;
  accentColor: string;
  validDomains: string[];
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: Command[] }[] }[];
  [key: string]: unknown;
}

const template = (): Manifest => JSON.parse(readFileSync(path.join(REPO_ROOT, 'manifest', 'manifest.json'), 'utf8')) as Manifest;
afterAll(removeScratchRoots);

const check = loadManifestCheck(sharedSchemaPath(MANIFEST_SCHEMA_FILE));
/** Filled the way `npm run package` does for a fresh checkout: local template + local defaults. */
const localManifest = (): Manifest => fillPlaceholders(template(), resolveEnv(scratchRoot(), 'local', {}));

describe('Teams app manifest', () => {
  it('fills every placeholder from the local env template and passes the v1.24 schema', () => {
    expect(placeholdersIn(template())).toEqual(['TEAMS_APP_ID', 'BOT_ID', 'BOT_DOMAIN']);
    const manifest = localManifest();
    expect(placeholdersIn(manifest)).toEqual([]);
    expect(manifest.id).toBe(LOCAL_DEFAULTS['TEAMS_APP_ID']);
    expect(manifest.bots[0]!.botId).toBe(LOCAL_DEFAULTS['BOT_ID']);
    expect(manifest.validDomains).toEqual(['localhost:3978']);
    expect(check(manifest)).toEqual([]);
  });

  it('is rejected by the schema check when a field has the wrong type', () => {
    const manifest = localManifest();
    const bot = manifest.bots[0] as unknown as Record<string, unknown>;
    bot['supportsFiles'] = 'no';
    expect(check(manifest)).toContain('/bots/0/supportsFiles: must be boolean');
  });

  it('is rejected by the schema check when the app id is not a GUID', () => {
    const manifest = fillPlaceholders(template(), resolveEnv(scratchRoot(), 'local', { TEAMS_APP_ID: 'planbridge' }));
    expect(check(manifest).some((p) => p.startsWith('/id:'))).toBe(true);
  });

  it('offers the same commands in personal, team and group chats, within the Teams client limits', () => {
    const bot = template().bots[0]!;
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.commandLists.map((l) => l.scopes).flat().sort()).toEqual(['groupChat', 'personal', 'team']);
    const expected = ['help', 'connect ado', 'connect pwa', 'connections', 'link project', 'sync project', 'preview sync', 'status', 'schedule'];
    for (const list of bot.commandLists) {
      expect(list.commands.map((c) => c.title)).toEqual(expected);
      for (const c of list.commands) {
        expect(c.title.length, c.title).toBeLessThanOrEqual(32);
        expect(c.description.length, c.title).toBeLessThanOrEqual(128);
      }
    }
  });

  it('only lists commands the bot understands when picked from the command menu', () => {
    const expectedCommand: Record<string, string> = {
      help: 'help',
      'connect ado': 'connect',
      'connect pwa': 'connect',
      connections: 'connections',
      'link project': 'link',
      'sync project': 'sync',
      'preview sync': 'sync',
      status: 'status',
      schedule: 'schedule',
    };
    for (const { title } of template().bots[0]!.commandLists[0]!.commands) {
      const intent = parseCommand(title);
      // Picking a command inserts its title; arguments may still be missing ("incomplete").
      const command = intent.kind === 'incomplete' ? intent.command : intent.kind;
      expect(command, title).toBe(expectedCommand[title]);
    }
    expect(parseCommand('connect ado')).toMatchObject({ kind: 'connect', system: 'ado' });
    expect(parseCommand('connect pwa')).toMatchObject({ kind: 'connect', system: 'pwa' });
  });

  it('uses the accent colour the icons are drawn with', () => {
    expect(template().accentColor.toUpperCase()).toBe(ACCENT.toUpperCase());
  });
});

describe('manifest placeholders', () => {
  it('takes process.env first, then env/.env.<env>, then the local defaults', () => {
    const root = scratchRoot();
    writeFileSync(path.join(root, 'env', '.env.local'), 'TEAMS_APP_ID=11111111-1111-1111-1111-111111111111\nBOT_ID=\n');
    const env = resolveEnv(root, 'local', { BOT_DOMAIN: 'abc.devtunnels.ms' });
    expect(env.lookup('TEAMS_APP_ID')).toBe('11111111-1111-1111-1111-111111111111');
    expect(env.lookup('BOT_ID')).toBe(LOCAL_DEFAULTS['BOT_ID']);
    expect(env.lookup('BOT_DOMAIN')).toBe('abc.devtunnels.ms');
    expect(env.sources).toEqual(['process.env', path.join('env', '.env.local'), 'local defaults']);
  });

  it('names every unfilled placeholder and where it looked, with no local defaults outside "local"', () => {
    const fill = () => fillPlaceholders(template(), resolveEnv(scratchRoot(), 'dev', {}));
    expect(fill).toThrow(UnfilledPlaceholderError);
    expect(fill).toThrow(/\$\{\{TEAMS_APP_ID\}\}, \$\{\{BOT_ID\}\}, \$\{\{BOT_DOMAIN\}\}.*env[/\\]\.env\.dev\.template/);
    expect(fill).toThrow(/copy env[/\\]\.env\.dev\.template to it and run `teamsapp provision --env dev`/);
  });

  it('reports a missing env file rather than silently using nothing', () => {
    const fill = () => fillPlaceholders(template(), resolveEnv(scratchRoot(), 'staging', {}));
    expect(fill).toThrow(/env[/\\]\.env\.staging\.template \(missing\)/);
  });

  it('fills placeholders inside longer strings and leaves other text alone', () => {
    const env = resolveEnv(scratchRoot(), 'dev', { BOT_DOMAIN: 'pb.azurewebsites.net' });
    expect(fillPlaceholders({ a: ['https://${{BOT_DOMAIN}}/x', 'plain $ {{text}}'] }, env)).toEqual({
      a: ['https://pb.azurewebsites.net/x', 'plain $ {{text}}'],
    });
  });

  it('parses the dotenv lines Teams Toolkit writes', () => {
    expect(parseDotEnv('# c\nA=1\nB="two # not a comment"\nC=three # comment\n\nD=\nnot a line\n')).toEqual({
      A: '1',
      B: 'two # not a comment',
      C: 'three',
      D: '',
    });
  });
});
