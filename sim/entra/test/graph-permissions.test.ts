import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntraDirectory, GRAPH_RESOURCE } from '../directory.js';
import { verifyJwt } from '../jwt.js';
import { resolveScopes } from '../scopes.js';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../server.js';
import { call } from './https-client.js';

const app = () => demoEntraDirectory().apps.find((a) => a.clientId === ENTRA_DEMO.clientId)!;

describe('Entra ID simulator: Microsoft Graph permissions', () => {
  let entra: EntraSimulator;
  let tokenUrl: string;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    tokenUrl = `${entra.url}/${ENTRA_DEMO.tenantId}/oauth2/v2.0/token`;
  });
  afterAll(async () => { await entra.close(); });

  const appToken = async (clientId: string, secret: string): Promise<Record<string, unknown>> => {
    const res = await call(tokenUrl, entra.caPem, { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${GRAPH_RESOURCE}/.default` } });
    expect(res.status, res.text).toBe(200);
    const check = verifyJwt(res.json<{ access_token: string }>().access_token, [entra.trust], GRAPH_RESOURCE);
    if (!check.ok) throw new Error(check.reason);
    return check.claims;
  };

  it('puts the application permissions granted on Graph into an app-only token\'s roles', async () => {
    const claims = await appToken(ENTRA_DEMO.clientId, ENTRA_DEMO.clientSecret);
    expect(claims).toMatchObject({ aud: GRAPH_RESOURCE, idtyp: 'app', appid: ENTRA_DEMO.clientId });
    expect(claims.roles).toEqual(['Calendars.ReadWrite', 'User.Read.All']);
    expect(claims.scp).toBeUndefined();
  });

  it('gives no roles where none were granted: another app, or PlanBridge\'s app on another resource', async () => {
    const sp = ENTRA_DEMO.adoServicePrincipal;
    expect((await appToken(sp.clientId, sp.clientSecret)).roles).toEqual([]);
    const other = verifyJwt(entra.mintAppToken({ clientId: ENTRA_DEMO.clientId, audience: 'https://contoso.sharepoint.com' }), [entra.trust], 'https://contoso.sharepoint.com');
    expect(other.ok && other.claims.roles).toEqual([]);
    const graph = verifyJwt(entra.mintAppToken({ clientId: ENTRA_DEMO.clientId, audience: GRAPH_RESOURCE }), [entra.trust], GRAPH_RESOURCE);
    expect(graph.ok && graph.claims.roles).toEqual(['Calendars.ReadWrite', 'User.Read.All']);
  });

  it('expands a delegated https://graph.microsoft.com/.default to the Graph permissions registered, not SharePoint\'s', () => {
    const graph = resolveScopes('openid offline_access https://graph.microsoft.com/.default', app());
    expect(graph.resource).toBe(GRAPH_RESOURCE);
    expect(graph.permissions).toEqual(['User.Read', 'Calendars.ReadWrite', 'User.ReadBasic.All']);
    const sharepoint = resolveScopes('https://contoso.sharepoint.com/.default', app());
    expect(sharepoint.permissions).toEqual(['Project.Write', 'ProjectWebApp.FullControl']);
    // Named Graph permissions pass as asked.
    expect(resolveScopes('Calendars.ReadWrite', app()).permissions).toEqual(['Calendars.ReadWrite']);
  });

  it('mints delegated Graph tokens with the Graph permissions by default', () => {
    const check = verifyJwt(entra.mintAccessToken({ audience: GRAPH_RESOURCE }), [entra.trust], GRAPH_RESOURCE);
    expect(check.ok && check.claims.scp).toBe('User.Read Calendars.ReadWrite User.ReadBasic.All');
  });
});
