import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRA_DEMO } from '../../sim/entra/directory.js';
import { ConfigError, LOCAL_ENTRA_SIMULATOR, loadConfig, SETTINGS } from '../src/config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('runs on embedded defaults with nothing set: local mode on loopback', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3978, host: '127.0.0.1', auth: { mode: 'local' }, cosmos: { database: 'planbridge' }, dataDir: '.data', logLevel: 'info',
    });
    expect(config.cosmos.endpoint).toBeUndefined();
  });

  it('picks the auth mode from CLIENT_ID and CLIENT_SECRET', () => {
    const id = '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    expect(loadConfig({ CLIENT_ID: id, CLIENT_SECRET: 's' }).auth.mode).toBe('client-secret');
    expect(loadConfig({ CLIENT_ID: id }).auth.mode).toBe('managed-identity');
    expect(loadConfig({ CLIENT_ID: id }).host).toBe('0.0.0.0');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ CLIENT_ID: 'not-a-guid' }, 'CLIENT_ID'],
    [{ CLIENT_SECRET: 'x' }, 'CLIENT_SECRET'],
    [{ HOST: '0.0.0.0' }, 'HOST'],
    [{ COSMOS_ENDPOINT: 'not a url' }, 'COSMOS_ENDPOINT'],
    [{ COSMOS_KEY: 'abc' }, 'COSMOS_KEY'],
    [{ PLANBRIDGE_SECRET_KEY: 'dG9vIHNob3J0' }, 'PLANBRIDGE_SECRET_KEY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ KEY_VAULT_URI: '::' }, 'KEY_VAULT_URI'],
    [{ PWA_OAUTH_CLIENT_ID: 'nope', PWA_OAUTH_CLIENT_SECRET: 's' }, 'PWA_OAUTH_CLIENT_ID'],
    [{ PWA_OAUTH_CLIENT_ID: '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b' }, 'PWA_OAUTH_CLIENT_SECRET'],
    [{ PWA_OAUTH_CLIENT_SECRET: 's' }, 'PWA_OAUTH_CLIENT_ID'],
    [{ PWA_OAUTH_CLIENT_ID: '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b', PWA_OAUTH_CLIENT_SECRET: 's', PWA_OAUTH_AUTHORITY: 'http://login.example/x' }, 'PWA_OAUTH_AUTHORITY'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL'],
    [{ PWA_OAUTH_CLIENTID: 'x' }, 'PWA_OAUTH_CLIENT_ID'],
  ])('fails fast naming the variable for %j', (env, name) => {
    const problems = problemsOf(env);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(name);
  });

  it('rejects an unknown PlanBridge setting and suggests the intended one', () => {
    expect(problemsOf({ PLANBRIDGE_DATA_DRI: '/tmp/x' })).toEqual([
      'PLANBRIDGE_DATA_DRI is not a PlanBridge setting (did you mean PLANBRIDGE_DATA_DIR?)',
    ]);
  });

  it('keeps ADO connections off private networks unless PLANBRIDGE_ALLOW_PRIVATE_NETWORK=true', () => {
    expect(loadConfig({}).allowPrivateNetwork).toBe(false);
    expect(loadConfig({ PLANBRIDGE_ALLOW_PRIVATE_NETWORK: 'TRUE' }).allowPrivateNetwork).toBe(true);
    expect(problemsOf({ PLANBRIDGE_ALLOW_PRIVATE_NETWORK: 'yes' })).toEqual(['PLANBRIDGE_ALLOW_PRIVATE_NETWORK must be true or false']);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', COSMOS_DATABSE: 'y' })).toHaveLength(3);
  });

  it('never echoes a secret value in its errors', () => {
    const secret = 'c2VjcmV0LXZhbHVlLXRoYXQtaXMtd3JvbmctbGVuZ3Ro';
    expect(problemsOf({ PLANBRIDGE_SECRET_KEY: secret }).join('\n')).not.toContain(secret);
  });

  it('in local mode offers PWA sign-in against the Entra simulator, with its demo app', () => {
    const config = loadConfig({ PORT: '4000', PLANBRIDGE_DATA_DIR: '/tmp/pb' });
    expect(config.publicBaseUrl).toBe('http://localhost:4000');
    expect(config.pwaOAuth).toEqual({
      clientId: ENTRA_DEMO.clientId, clientSecret: ENTRA_DEMO.clientSecret, authority: 'https://127.0.0.1:8083/organizations',
      redirectUri: 'http://localhost:4000/auth/pwa/callback', caFile: '/tmp/pb/entra-sim/ca.pem', source: 'local-simulator',
    });
    expect(LOCAL_ENTRA_SIMULATOR.clientId).toBe(ENTRA_DEMO.clientId);
    expect(LOCAL_ENTRA_SIMULATOR.tenantId).toBe(ENTRA_DEMO.tenantId);
  });

  it('outside local mode offers PWA sign-in only when configured, and then needs an https PUBLIC_BASE_URL', () => {
    const bot = { CLIENT_ID: '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b', CLIENT_SECRET: 's' };
    expect(loadConfig(bot).pwaOAuth).toBeUndefined();
    const pwa = { ...bot, PWA_OAUTH_CLIENT_ID: '11111111-2222-4333-8444-555555555555', PWA_OAUTH_CLIENT_SECRET: 'pwa-secret-value' };
    expect(problemsOf(pwa).join('\n')).toContain('PUBLIC_BASE_URL is required');
    expect(problemsOf({ ...pwa, PUBLIC_BASE_URL: 'http://bot.example' }).join('\n')).toContain('must be https');
    const config = loadConfig({ ...pwa, PUBLIC_BASE_URL: 'https://bot.example/' });
    expect(config.pwaOAuth).toMatchObject({
      clientId: pwa.PWA_OAUTH_CLIENT_ID, authority: 'https://login.microsoftonline.com/organizations', redirectUri: 'https://bot.example/auth/pwa/callback', source: 'env',
    });
    expect(problemsOf({ ...pwa, PWA_OAUTH_CLIENT_ID: 'x' }).join('\n')).not.toContain('pwa-secret-value');
  });

  it('README documents every setting', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(SETTINGS)) expect(readme, `README is missing ${name}`).toContain(`\`${name}\``);
  });
});
