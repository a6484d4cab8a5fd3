import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDotEnv } from '../../../scripts/manifest-env.js';
import { readSharedSchema, REPO_ROOT } from './support.js';

const Ajv = AjvModule.default;
const validate = new Ajv({ strict: false, allErrors: true }).compile(readSharedSchema('teamsapp.yaml.v1.8.schema.json'));

interface Action {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
type Project = Record<'provision' | 'deploy' | 'publish', Action[] | undefined> & Record<string, unknown>;

const load = (file: string): Project => parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Project;
const errorsOf = (doc: unknown): string[] =>
  validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
const actions = (stage: Action[] | undefined) => (stage ?? []).map((a) => a.uses);

/** Every ${{VAR}} a project file uses, and the env vars its actions write. */
function variables(doc: Project): { used: Set<string>; written: Set<string> } {
  const used = new Set([...JSON.stringify(doc).matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]!));
  const written = new Set(
    [...(doc.provision ?? []), ...(doc.deploy ?? []), ...(doc.publish ?? [])].flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {})),
  );
  return { used, written };
}

const templateVars = (env: string) =>
  new Set(Object.keys(parseDotEnv(readFileSync(path.join(REPO_ROOT, 'env', `.env.${env}.template`), 'utf8'))));

describe('Teams Toolkit project files', () => {
  for (const file of ['teamsapp.yml', 'teamsapp.local.yml']) {
    it(`${file} validates against the v1.8 schema`, () => {
      const doc = load(file);
      expect(doc['version']).toBe('v1.8');
      expect(errorsOf(doc)).toEqual([]);
    });
  }

  it('the schema check rejects an action missing a required output mapping', () => {
    const doc = load('teamsapp.yml');
    delete doc.provision![0]!.writeToEnvironmentFile;
    expect(errorsOf(doc)).toContain("/provision/0 must have required property 'writeToEnvironmentFile'");
  });

  it('teamsapp.yml provisions, deploys and publishes in the documented order', () => {
    const doc = load('teamsapp.yml');
    expect(actions(doc.provision)).toEqual([
      'teamsApp/create',
      'botAadApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(actions(doc.deploy)).toEqual(['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
    expect(actions(doc.publish)).toEqual(['teamsApp/validateManifest', 'teamsApp/zipAppPackage', 'teamsApp/publishAppPackage']);

    const zipDeploy = doc.deploy!.find((a) => a.uses === 'azureAppService/zipDeploy')!;
    expect(zipDeploy.with!['resourceId']).toBe('${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    const ignored = readFileSync(path.join(REPO_ROOT, String(zipDeploy.with!['ignoreFile'])), 'utf8').split('\n');
    expect(ignored).toContain('node_modules/');
  });

  it('teamsapp.yml deploys the Bicep whose outputs it relies on', () => {
    const doc = load('teamsapp.yml');
    const arm = doc.provision!.find((a) => a.uses === 'arm/deploy')!;
    const template = (arm.with!['templates'] as { path: string; parameters: string }[])[0]!;
    expect(template).toMatchObject({ path: './infra/azure.bicep', parameters: './infra/azure.parameters.json' });
    const bicep = readFileSync(path.join(REPO_ROOT, template.path), 'utf8');
    const outputs = new Set([...bicep.matchAll(/^output\s+([A-Za-z0-9_]+)/gm)].map((m) => m[1]));
    for (const name of ['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN', 'BOT_ENDPOINT']) expect(outputs, name).toContain(name);
  });

  it('teamsapp.local.yml registers the bot at ${{BOT_ENDPOINT}}/api/messages and writes its runtime settings', () => {
    const doc = load('teamsapp.local.yml');
    expect(actions(doc.provision)).toEqual([
      'teamsApp/create',
      'botAadApp/create',
      'botFramework/create',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/update',
    ]);
    const registration = doc.provision!.find((a) => a.uses === 'botFramework/create')!;
    expect(registration.with!['messagingEndpoint']).toBe('${{BOT_ENDPOINT}}/api/messages');
    const envFile = doc.deploy!.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')!;
    expect(envFile.with!['target']).toBe('./.localConfigs');
    // The names bot/src/config.ts reads.
    expect(Object.keys(envFile.with!['envs'] as object).sort()).toEqual(['CLIENT_ID', 'CLIENT_SECRET', 'PORT', 'TENANT_ID']);
  });

  for (const [file, env] of [
    ['teamsapp.yml', 'dev'],
    ['teamsapp.local.yml', 'local'],
  ] as const) {
    it(`every variable ${file} reads is declared in env/.env.${env}.template or written by an action`, () => {
      const { used, written } = variables(load(file));
      const declared = templateVars(env);
      const undeclared = [...used].filter((v) => !declared.has(v) && !written.has(v));
      expect(undeclared).toEqual([]);
    });
  }

  it('every variable infra/azure.parameters.json reads is provided to arm/deploy', () => {
    const parameters = readFileSync(path.join(REPO_ROOT, 'infra', 'azure.parameters.json'), 'utf8');
    const used = [...parameters.matchAll(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g)].map((m) => m[1]!);
    const doc = load('teamsapp.yml');
    const armAt = actions(doc.provision).indexOf('arm/deploy');
    const writtenBefore = new Set(doc.provision!.slice(0, armAt).flatMap((a) => Object.values(a.writeToEnvironmentFile ?? {})));
    const declared = templateVars('dev');
    expect(used.filter((v) => !declared.has(v) && !writtenBefore.has(v))).toEqual([]);
  });

  it('the env templates hold no secrets', () => {
    for (const env of ['local', 'dev']) {
      const vars = parseDotEnv(readFileSync(path.join(REPO_ROOT, 'env', `.env.${env}.template`), 'utf8'));
      const secrets = Object.entries(vars).filter(([k, v]) => /SECRET|PASSWORD|KEY$/.test(k) && v !== '');
      expect(secrets).toEqual([]);
    }
  });
});
