import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../entra/server.js';
import { SEED_IDS, startDataverseSimulator, type DataverseSimulator } from '../server.js';
import { TestClient } from './client.js';

/** Delegated Entra tokens, the licensed/unlicensed split, service protection 429s and the knobs. */
describe('Dataverse simulator auth and limits', () => {
  let entra: EntraSimulator;
  let sim: DataverseSimulator;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    sim = await startDataverseSimulator({ executionDelayMs: 0, trustedIssuers: [entra.trust], authority: entra.authority });
  });
  afterAll(async () => { await Promise.all([entra.close(), sim.close()]); });
  beforeEach(() => { sim.reset(); sim.setLatency(0); sim.setServiceProtection({}); });

  const token = (username: string, audience = sim.url, issuedAt?: number) =>
    entra.mintAccessToken({ audience, username, permissions: ['user_impersonation'], ...(issuedAt ? { issuedAt } : {}) });

  it('maps a licensed Entra user to its systemuser and lets it write', async () => {
    const dv = new TestClient(sim, token(ENTRA_DEMO.user.username));
    const me = await dv.get('WhoAmI');
    expect(me.status).toBe(200);
    expect((await dv.get(`systemusers(${me.body.UserId})?$select=azureactivedirectoryobjectid`)).body.azureactivedirectoryobjectid).toBe(ENTRA_DEMO.user.objectId);
    const s = await dv.openSet(SEED_IDS.apollo);
    expect((await dv.get(`msdyn_operationsets(${s})?$select=msdyn_useraadid`)).body.msdyn_useraadid).toBe(ENTRA_DEMO.user.objectId);
  });

  it('lets the unlicensed Entra user read but refuses its schedule API calls', async () => {
    const dv = new TestClient(sim, token(ENTRA_DEMO.viewer.username));
    expect((await dv.get('msdyn_projects?$select=msdyn_subject')).status).toBe(200);
    const r = await dv.action('msdyn_CreateOperationSetV1', { ProjectId: SEED_IDS.apollo, Description: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('E_OPERATION_BLOCKED_BY_LICENSE');
  });

  it('challenges missing, foreign and expired tokens with 401, and refuses strangers with 403', async () => {
    const call = (t?: string) => fetch(`${sim.apiUrl}WhoAmI`, { headers: t ? { authorization: `Bearer ${t}` } : {} });
    const none = await call();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain(`authorization_uri=${entra.authority}`);
    expect((await call(token(ENTRA_DEMO.user.username, 'https://contoso.crm.dynamics.com'))).status).toBe(401);
    expect((await call(token(ENTRA_DEMO.user.username, sim.url, Date.now() - 3 * 3600_000))).status).toBe(401);
    expect((await call('not-a-token')).status).toBe(401);
    const stranger = await new TestClient(sim, token('stranger@contoso.onmicrosoft.com')).get('WhoAmI');
    expect(stranger).toMatchObject({ status: 403, body: { error: { code: '0x80072560' } } });
  });

  it('can require the user_impersonation scope', async () => {
    const strict = await startDataverseSimulator({ trustedIssuers: [entra.trust], requireUserImpersonation: true, acceptDemoTokens: false });
    try {
      const call = (t: string) => fetch(`${strict.apiUrl}WhoAmI`, { headers: { authorization: `Bearer ${t}` } });
      expect((await call(entra.mintAccessToken({ audience: strict.url, permissions: ['user_impersonation'] }))).status).toBe(200);
      expect((await call(entra.mintAccessToken({ audience: strict.url, permissions: ['Project.Write'] }))).status).toBe(401);
      expect((await call('demo-dataverse-token')).status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('answers 429 with Retry-After once a user spends the request limit, per user', async () => {
    sim.setServiceProtection({ requests: 3, windowMs: 60_000 });
    const dv = new TestClient(sim);
    for (let i = 0; i < 3; i += 1) expect((await dv.get('WhoAmI')).status).toBe(200);
    const r = await dv.get('WhoAmI');
    expect(r.status).toBe(429);
    expect(r.body.error).toEqual({ code: '0x80072322', message: 'Number of requests exceeded the limit of 3 over time window of 60 seconds.' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await dv.as('demo-dataverse-unlicensed-token').get('WhoAmI')).status).toBe(200);
  });

  it('answers 429 at once past the concurrency limit', async () => {
    sim.setServiceProtection({ concurrent: 2 });
    sim.setLatency(80);
    const dv = new TestClient(sim);
    const answers = await Promise.all(Array.from({ length: 3 }, () => dv.get('WhoAmI')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body.error.code).toBe('0x80072326');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await dv.get('WhoAmI')).status).toBe(200);
  });

  it('answers 429 once the combined execution time is spent', async () => {
    sim.setServiceProtection({ executionMs: 50 });
    sim.setLatency(60);
    const dv = new TestClient(sim);
    expect((await dv.get('WhoAmI')).status).toBe(200);
    const r = await dv.get('WhoAmI');
    expect(r).toMatchObject({ status: 429, body: { error: { code: '0x80072321' } } });
  });

  it('sends the remaining-budget headers, scripted 503s, resets and seeded chaos', async () => {
    const dv = new TestClient(sim);
    const ok = await dv.get('WhoAmI');
    expect(Number(ok.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests'))).toBeGreaterThan(5000);
    sim.injectFault({ kind: 503, pathIncludes: 'msdyn_projects' });
    expect((await dv.get('WhoAmI')).status).toBe(200);
    expect((await dv.get('msdyn_projects')).status).toBe(503);
    sim.injectFault({ kind: 'reset' });
    await expect(dv.get('WhoAmI')).rejects.toThrow();
    sim.setChaos({ throttleRate: 1, seed: 7 });
    expect((await dv.get('WhoAmI')).status).toBe(429);
    sim.setChaos({});
    expect((await dv.get('WhoAmI')).status).toBe(200);
  });

  it('adds latency to every request', async () => {
    sim.setLatency(40);
    const started = Date.now();
    await new TestClient(sim).get('WhoAmI');
    expect(Date.now() - started).toBeGreaterThanOrEqual(38);
  });
});
