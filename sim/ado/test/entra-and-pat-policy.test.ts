import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AZURE_DEVOPS_RESOURCE, ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../entra/server.js';
import { call as https } from '../../entra/test/https-client.js';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator } from '../server.js';

/**
 * ../shared/notes/ado-auth-and-hooks.md: Entra tokens for resource 499b84ac-… from a service
 * principal added to the organization; PATs refused by policy (Conditional Access, VS403463) and
 * global PATs retired on 2026-12-01 (refused like a revoked token).
 */
const SP = ENTRA_DEMO.adoServicePrincipal;
const OUTSIDER = ENTRA_DEMO.outsiderServicePrincipal;
const ACCEPT = 'application/json;api-version=7.1';
const PATCH = 'application/json-patch+json';

describe('ADO simulator: Microsoft Entra tokens and PAT policies', () => {
  let entra: EntraSimulator;
  let ado: AdoSimulator;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    ado = await startAdoSimulator({ trustedIssuers: [entra.trust] });
  });
  afterAll(async () => { await Promise.all([ado.close(), entra.close()]); });
  beforeEach(() => ado.reset());

  async function clientCredentials(clientId: string, secret: string): Promise<string> {
    const res = await https(`${entra.url}/${ENTRA_DEMO.tenantId}/oauth2/v2.0/token`, entra.caPem, {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: `${AZURE_DEVOPS_RESOURCE}/.default` },
    });
    expect(res.status, res.text).toBe(200);
    return res.json<{ access_token: string }>().access_token;
  }
  const get = async (path: string, authorization: string) => {
    const res = await fetch(`${ado.url}/${path}`, { headers: { authorization, accept: ACCEPT, 'x-tfs-fedauthredirect': 'Suppress' } });
    return { status: res.status, body: await res.json() as any, challenge: res.headers.get('www-authenticate') };
  };
  const basic = (pat: string) => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;

  it('accepts a token of a service principal added to the organization, as that principal', async () => {
    const bearer = `Bearer ${await clientCredentials(SP.clientId, SP.clientSecret)}`;
    const who = await get('_apis/connectionData', bearer);
    expect(who.status).toBe(200);
    expect(who.body.authenticatedUser).toMatchObject({ id: SP.objectId, providerDisplayName: SP.displayName });
    expect(who.body.authenticatedUser.subjectDescriptor).toMatch(/^aadsp\./);
    expect((await get('_apis/projects', bearer)).body.count).toBeGreaterThan(0);
    // A write is recorded as the service principal.
    const created = await fetch(`${ado.url}/Phoenix/_apis/wit/workitems/$Task`, {
      method: 'POST', headers: { authorization: bearer, accept: ACCEPT, 'content-type': PATCH, 'x-tfs-fedauthredirect': 'Suppress' },
      body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'by the SP' }]),
    });
    expect(created.status).toBe(200);
    expect(((await created.json()) as any).fields['System.CreatedBy'].displayName).toBe(SP.displayName);
  });

  it('refuses a service principal that was never added to the organization, naming it', async () => {
    const bearer = `Bearer ${await clientCredentials(OUTSIDER.clientId, OUTSIDER.clientSecret)}`;
    const res = await get('_apis/connectionData', bearer);
    expect(res.status).toBe(401);
    expect(res.body.message).toBe(`TF400813: The user '${OUTSIDER.objectId}' is not authorized to access this resource.`);
    expect(res.challenge).toBe('Bearer');
    // Added: now it works. Removed again: refused.
    ado.addServicePrincipal({ objectId: OUTSIDER.objectId, clientId: OUTSIDER.clientId, displayName: OUTSIDER.displayName });
    expect((await get('_apis/connectionData', bearer)).status).toBe(200);
    ado.removeServicePrincipal(OUTSIDER.objectId);
    expect((await get('_apis/connectionData', bearer)).status).toBe(401);
  });

  it('refuses tokens for another resource, expired ones, and ones from an untrusted issuer', async () => {
    const graph = entra.mintAppToken({ clientId: SP.clientId, audience: 'https://graph.microsoft.com' });
    const expired = entra.mintAppToken({ clientId: SP.clientId, audience: AZURE_DEVOPS_RESOURCE, issuedAt: Date.now() - 2 * 3600_000 });
    for (const token of [graph, expired]) {
      const res = await get('_apis/projects', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.body.message).toBe("TF400813: The user '' is not authorized to access this resource.");
    }
    const untrusting = await startAdoSimulator();
    try {
      const res = await fetch(`${untrusting.url}/_apis/projects`, { headers: { authorization: `Bearer ${await clientCredentials(SP.clientId, SP.clientSecret)}`, accept: ACCEPT, 'x-tfs-fedauthredirect': 'Suppress' } });
      expect(res.status).toBe(401);
    } finally {
      await untrusting.close();
    }
  });

  it('applies the principal\'s access like PAT scopes: read-only gets 401 on writes', async () => {
    ado.addServicePrincipal({ objectId: SP.objectId, clientId: SP.clientId, displayName: SP.displayName, scopes: ['vso.work', 'vso.project'] });
    const bearer = `Bearer ${await clientCredentials(SP.clientId, SP.clientSecret)}`;
    expect((await get('_apis/projects', bearer)).status).toBe(200);
    const write = await fetch(`${ado.url}/Phoenix/_apis/wit/workitems/$Task`, {
      method: 'POST', headers: { authorization: bearer, accept: ACCEPT, 'content-type': PATCH, 'x-tfs-fedauthredirect': 'Suppress' },
      body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'x' }]),
    });
    expect(write.status).toBe(401);
  });

  it('refuses a retired global PAT like a revoked one', async () => {
    const res = await get('_apis/projects', basic(ADO_DEMO_PATS.global));
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('TF400813: The user is not authorized to access this resource.');
    // Before the decommissioning it worked.
    ado.setPatPolicy({ globalPatsRetired: false });
    expect((await get('_apis/projects', basic(ADO_DEMO_PATS.global))).status).toBe(200);
  });

  it('refuses every PAT under a Conditional Access policy, while Entra tokens still work', async () => {
    ado.setPatPolicy({ conditionalAccess: true });
    const res = await get('_apis/projects', basic(ADO_DEMO_PATS.fullAccess));
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/^VS403463: The conditional access policy defined by your .* administrator has failed\.$/);
    expect((await get('_apis/projects', basic(randomUUID()))).body.message).toMatch(/^TF400813/);
    expect((await get('_apis/projects', `Bearer ${await clientCredentials(SP.clientId, SP.clientSecret)}`)).status).toBe(200);
    const admin = await fetch(`${ado.url.replace(/\/contoso$/, '')}/_sim/state`);
    expect(((await admin.json()) as any).patPolicy).toEqual({ globalPatsRetired: true, conditionalAccess: true });
  });
});
