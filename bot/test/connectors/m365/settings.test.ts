import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { M365SignInService, scopesFor, settingsFromConfig } from '../../../src/connectors/m365/index.js';
import { startEntraSimulator, type EntraSimulator } from '../../../../sim/entra/server.js';
import { openTestStore, tenant, type TestStore } from '../../store/support.js';

/** Local mode out of the box: config defaults + the CA file the simulator writes = a working sign-in link. */
describe('PWA OAuth settings from config', () => {
  let dir: string;
  let entra: EntraSimulator;
  let db: TestStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'planbridge-oauth-'));
    entra = await startEntraSimulator({ port: 0, caFile: join(dir, 'entra-sim', 'ca.pem') });
    db = await openTestStore();
  });
  afterAll(async () => {
    await Promise.all([entra.close(), db.dispose()]);
    await rm(dir, { recursive: true, force: true });
  });

  const service = (env: Record<string, string>) => {
    const config = loadConfig({ PLANBRIDGE_DATA_DIR: dir, ...env });
    return new M365SignInService({ settings: settingsFromConfig(config.pwaOAuth!), signIns: db.store.signIns, connections: db.store.connections, logger: db.logger });
  };
  const begin = (s: M365SignInService) => s.beginSignIn({
    tenantId: tenant(), requestedBy: { id: 'u' }, conversation: {}, draft: { system: 'pwa', name: 'PWA', url: 'https://contoso.sharepoint.com/sites/pwa/' },
  });

  it('trusts the simulator CA read from the data dir and asks for the site-origin scopes', async () => {
    const started = await begin(service({ PWA_OAUTH_AUTHORITY: entra.authority }));
    const url = new URL(started.authorizeUrl);
    expect(url.origin).toBe(entra.url);
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:3978/auth/pwa/callback');
    expect(url.searchParams.get('scope')).toContain(scopesFor('pwa', 'https://contoso.sharepoint.com/sites/pwa')[0]);
    expect(started.startUrl).toMatch(/^http:\/\/localhost:3978\/auth\/pwa\/start\?state=/);
  });

  it('says to start the simulators when the CA file is missing', async () => {
    await expect(begin(service({ PWA_OAUTH_AUTHORITY: entra.authority, PWA_OAUTH_CA_FILE: join(dir, 'nope.pem') })))
      .rejects.toThrow(/certificate is not at .*nope\.pem/);
    await expect(begin(service({ PWA_OAUTH_AUTHORITY: entra.authority, PLANBRIDGE_DATA_DIR: join(dir, 'empty') })))
      .rejects.toThrow(/npm run sim/);
  });
});
