import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdoConnector } from '../../../src/connectors/ado/connector.js';
import { entraCredential, entraCredentials, type EntraAuthority, type EntraPrincipal } from '../../../src/connectors/ado/entra-credential.js';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { AZURE_DEVOPS_SCOPE, EntraTokenSource } from '../../../src/connectors/ado/token-source.js';
import { AZURE_DEVOPS_RESOURCE, ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../../../sim/entra/server.js';
import { createClientCertificate } from '../../../../sim/entra/certificate.js';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator } from '../../../../sim/ado/server.js';

/**
 * The ADO connector with Microsoft Entra credentials, against the Entra and ADO simulators:
 * service principals with a secret or a certificate, refusals by Entra and by Azure DevOps, PATs
 * refused by policy, and a long-lived connector that renews its token before expiry.
 */
const SP = ENTRA_DEMO.adoServicePrincipal;
const OUTSIDER = ENTRA_DEMO.outsiderServicePrincipal;

async function failure(p: Promise<unknown>): Promise<AdoConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdoConnectorError);
  return err as AdoConnectorError;
}

describe('ADO connector with Microsoft Entra service principals', () => {
  let entra: EntraSimulator;
  let ado: AdoSimulator;
  let authority: EntraAuthority;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    ado = await startAdoSimulator({ trustedIssuers: [entra.trust] });
    authority = { authorityHost: entra.url, ca: async () => entra.caPem };
  });
  afterAll(async () => { await Promise.all([ado.close(), entra.close()]); });
  beforeEach(() => ado.reset());

  const secret = (over: Partial<{ clientId: string; secret: string; tenantId: string }> = {}): EntraPrincipal =>
    ({ credential: 'secret', tenantId: ENTRA_DEMO.tenantId, clientId: SP.clientId, secret: SP.clientSecret, ...over });
  const connector = (principal: EntraPrincipal, extra: { now?: () => number } = {}) =>
    new AdoConnector({ url: ado.url, credentials: entraCredentials(principal, authority, extra), localMode: true, retry: { random: () => 0.5 }, sleep: async () => undefined });

  it('a client secret: connects as the service principal, every access present, and writes as it', async () => {
    const c = connector(secret());
    const report = await c.checkConnection();
    expect(report.user.displayName).toBe(SP.displayName);
    expect(report.missing).toEqual([]);
    expect(report.advice).toBeNull();
    const created = await c.create({ project: 'Phoenix', type: 'Task', marker: 'pb-sp-1', fields: { 'System.Title': 'From the SP' } });
    expect(ado.state.items.get(created.id)!.fields['System.CreatedBy']).toMatchObject({ displayName: SP.displayName });
    await c.dispose();
  });

  it('a certificate (PEM with its private key): connects the same way', async () => {
    const cert = entra.adoServicePrincipalCertificate;
    const c = connector({ credential: 'certificate', tenantId: ENTRA_DEMO.tenantId, clientId: SP.clientId, certificatePem: cert.certPem + cert.keyPem });
    expect((await c.checkConnection()).user.displayName).toBe(SP.displayName);
    expect((await c.listProjects()).map((p) => p.name)).toContain('Phoenix');
    await c.dispose();
  });

  it('Entra refusals say what to fix, without the secret', async () => {
    const wrong = await failure(connector(secret({ secret: 'not-the-secret-42' })).checkConnection());
    expect(wrong.code).toBe('entra-rejected');
    expect(wrong.message).toMatch(/AADSTS7000215/);
    expect(wrong.message).not.toContain('not-the-secret-42');
    expect((await failure(connector(secret({ clientId: '00000000-0000-4000-8000-000000000123' })).checkConnection())).message).toMatch(/AADSTS700016\). .*client id/);
    const stranger = await createClientCertificate('never uploaded');
    const cert = await failure(connector({ credential: 'certificate', tenantId: ENTRA_DEMO.tenantId, clientId: SP.clientId, certificatePem: stranger.certPem + stranger.keyPem }).checkConnection());
    expect(cert.message).toMatch(/AADSTS700027\). .*upload it to the app registration/);
    const garbled = await failure(connector({ credential: 'certificate', tenantId: ENTRA_DEMO.tenantId, clientId: SP.clientId, certificatePem: 'not a pem' }).checkConnection());
    expect(['invalid-request', 'entra-rejected']).toContain(garbled.code);
  });

  it('a service principal not added to the organization is refused by Azure DevOps, with the fix', async () => {
    const err = await failure(connector(secret({ clientId: OUTSIDER.clientId, secret: OUTSIDER.clientSecret })).checkConnection());
    expect(err.code).toBe('principal-rejected');
    expect(err.message).toMatch(/Add the service principal to the organization first/);
  });

  it('missing access is reported as group membership to add, not as PAT scopes', async () => {
    ado.addServicePrincipal({ objectId: SP.objectId, clientId: SP.clientId, displayName: SP.displayName, scopes: ['vso.work', 'vso.project', 'vso.identity', 'vso.graph', 'vso.profile'] });
    const c = connector(secret());
    const report = await c.checkConnection();
    expect(report.missing).toEqual(['Work Items: Read & write']);
    expect(report.advice).toMatch(/Give the service principal this access .*Contributors/);
    const write = await failure(c.create({ project: 'Phoenix', type: 'Task', marker: 'pb-sp-2', fields: { 'System.Title': 'x' } }));
    expect(write.code).toBe('missing-scope');
    expect(write.message).toMatch(/refused the service principal .*Contributors group/);
    expect(write.message).not.toMatch(/_usersSettings\/tokens/);
  });

  it('a working connection whose principal is removed needs attention', async () => {
    const c = connector(secret());
    await c.listProjects();
    expect(c.health).toBe('ok');
    ado.removeServicePrincipal(SP.objectId);
    const err = await failure(c.listProjects());
    expect(err.message).toMatch(/If it was removed, add it again under Organization settings > Users/);
    expect(c.health).toBe('needs-attention');
    expect((await failure(c.checkConnection())).code).toBe('principal-rejected');
  });

  it('a long-lived connector gets a new token before the old one expires, never sending a stale one', async () => {
    // Tokens really issued by the simulator; the connector's clock says when they expire.
    const clock = { now: Date.now() };
    const issued: string[] = [];
    const credential: TokenCredential = {
      async getToken(): Promise<AccessToken> {
        const token = entra.mintAppToken({ clientId: SP.clientId, audience: AZURE_DEVOPS_RESOURCE });
        issued.push(token);
        return { token, expiresOnTimestamp: clock.now + 3600_000, tokenType: 'Bearer' };
      },
    };
    const c = new AdoConnector({ url: ado.url, credentials: { kind: 'entra', tokens: new EntraTokenSource(async () => credential, { now: () => clock.now }) }, localMode: true });
    await c.listProjects();
    await c.listTeams('Phoenix');
    expect(issued).toHaveLength(1);
    clock.now += 56 * 60_000; // past the 5-minute margin before expiry
    await c.listProjects();
    expect(issued).toHaveLength(2);
    clock.now += 2 * 3600_000;
    await c.readScope([{ project: 'Phoenix' }]);
    expect(issued).toHaveLength(3);
    await c.dispose();
  });

  it('renews once when Azure DevOps refuses a token it was given (revoked or expired early)', async () => {
    let n = 0;
    const credential: TokenCredential = {
      async getToken(): Promise<AccessToken> {
        n += 1;
        // The first token is already dead at Azure DevOps (issued two hours ago).
        const token = entra.mintAppToken({ clientId: SP.clientId, audience: AZURE_DEVOPS_RESOURCE, ...(n === 1 ? { issuedAt: Date.now() - 2 * 3600_000 } : {}) });
        return { token, expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const c = new AdoConnector({ url: ado.url, credentials: { kind: 'entra', tokens: new EntraTokenSource(async () => credential) }, localMode: true });
    expect((await c.listProjects()).length).toBeGreaterThan(0);
    expect(n).toBe(2);
    await c.dispose();
  });

  it('with real short-lived tokens, @azure/identity fetches a new one once the cached one is near expiry', async () => {
    const shortLived = await startEntraSimulator({ port: 0, accessTokenLifetimeSeconds: 120 });
    try {
      const source = new EntraTokenSource(() => entraCredential(secret(), { authorityHost: shortLived.url, ca: async () => shortLived.caPem }));
      const first = await source.token();
      const second = await source.token();
      expect(second).not.toBe(first); // 120 s is inside the 5-minute margin: never reused
      const longLived = new EntraTokenSource(() => entraCredential(secret(), authority));
      expect(await longLived.token()).toBe(await longLived.token());
    } finally {
      await shortLived.close();
    }
  });

  it('asks for the Azure DevOps resource', () => {
    expect(AZURE_DEVOPS_SCOPE).toBe(`${AZURE_DEVOPS_RESOURCE}/.default`);
  });
});

describe('ADO connector: PATs refused by policy', () => {
  let ado: AdoSimulator;
  beforeAll(async () => { ado = await startAdoSimulator(); });
  afterAll(async () => { await ado.close(); });
  beforeEach(() => ado.reset());
  const pat = (token: string) => new AdoConnector({ url: ado.url, pat: token, localMode: true, retry: { random: () => 0.5 }, sleep: async () => undefined });

  it('a Conditional Access policy refusing PATs: says a new PAT will not help, and what to do', async () => {
    ado.setPatPolicy({ conditionalAccess: true });
    const err = await failure(pat(ADO_DEMO_PATS.fullAccess).checkConnection());
    expect(err.code).toBe('pat-policy');
    expect(err.needsAttention).toBe(true);
    expect(err.message).toMatch(/no longer accepts personal access tokens.*VS403463.*Microsoft Entra service principal.*README/);
  });

  it('a retired global PAT: the refusal says global PATs stopped on 2026-12-01 and what to use', async () => {
    const err = await failure(pat(ADO_DEMO_PATS.global).checkConnection());
    expect(err.code).toBe('pat-rejected');
    expect((await failure(pat(ADO_DEMO_PATS.global).listProjects())).message).toMatch(/global PAT/);
    expect(err.message).toMatch(/global PAT .*stopped accepting those on 2026-12-01: create one for this organization only, or connect with a Microsoft Entra service principal/);
  });
});
