import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_DEMO } from '../../entra/directory.js';
import { startEntraSimulator, type EntraSimulator } from '../../entra/server.js';
import { GRAPH_DEMO_CREDENTIALS, GRAPH_RESOURCE, startGraphSimulator, type GraphSimulator } from '../server.js';
import { TestClient, taskEvent } from './client.js';
import { TestIssuer } from './tokens.js';

/** Tokens, permissions, the application access policy, mailboxes without Exchange Online, and Outlook's limits. */
const APP = GRAPH_DEMO_CREDENTIALS.appId;
const PM = ENTRA_DEMO.user.username;
const ALICE = 'alice.kim@contoso.onmicrosoft.com';

describe('Graph simulator: auth, policy and limits', () => {
  const issuer = new TestIssuer();
  let sim: GraphSimulator;
  let graph: TestClient;
  beforeAll(async () => { sim = await startGraphSimulator({ seed: 'empty', trustedIssuers: [issuer.trust] }); graph = new TestClient(sim); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.setLatency(0); sim.setLimits({}); });

  const appClient = (roles = ['Calendars.ReadWrite']) => graph.as(issuer.app(APP, roles));

  it('answers 401 with a challenge to no token, a forged one, one for another resource and an expired one', async () => {
    const none = await fetch(`${sim.apiUrl}/me/events`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('authorization_uri=');
    expect(((await none.json()) as any).error.code).toBe('InvalidAuthenticationToken');
    const stranger = new TestIssuer();
    for (const token of ['not-a-jwt', stranger.app(APP, ['Calendars.ReadWrite']), issuer.app(APP, ['Calendars.ReadWrite'], { aud: 'https://contoso.sharepoint.com' }), issuer.app(APP, ['Calendars.ReadWrite'], { exp: Math.floor(Date.now() / 1000) - 3600 })]) {
      const r = await graph.as(token).get(`/users/${PM}/events`);
      expect([r.status, r.body.error.code]).toEqual([401, 'InvalidAuthenticationToken']);
    }
    // Graph's app id is an accepted audience too.
    expect((await graph.as(issuer.app(APP, ['Calendars.ReadWrite'], { aud: '00000003-0000-0000-c000-000000000000' })).get(`/users/${PM}/events`)).status).toBe(200);
  });

  it('refuses a call whose token lacks the permission, with ErrorAccessDenied or Authorization_RequestDenied', async () => {
    const read = graph.as(GRAPH_DEMO_CREDENTIALS.readOnlyBearerToken);
    expect((await read.get('/me/events')).status).toBe(200);
    const write = await read.post('/me/events', taskEvent());
    expect([write.status, write.body.error.code, write.body.error.message]).toEqual([403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.']);
    expect((await appClient([]).get(`/users/${PM}/events`)).status).toBe(403);
    expect((await graph.as(issuer.delegated(PM, ['User.Read'], APP)).get('/me/events')).status).toBe(403);
    const users = await read.get('/users');
    expect([users.status, users.body.error.code]).toEqual([403, 'Authorization_RequestDenied']);
    // Delegated tokens reach the signed-in user's own calendar only.
    expect((await graph.get(`/users/${ALICE}/events`)).status).toBe(403);
    // /me needs a user.
    expect((await graph.as(GRAPH_DEMO_CREDENTIALS.appBearerToken).get('/me/events')).status).toBe(400);
  });

  it('applies the application access policy to app-only calls only', async () => {
    const app = appClient();
    expect((await app.post(`/users/${ALICE}/events`, taskEvent())).status).toBe(201);
    const outside = await app.post(`/users/${ENTRA_DEMO.viewer.username}/events`, taskEvent());
    expect([outside.status, outside.body.error.code, outside.body.error.message]).toEqual([403, 'ErrorAccessDenied', 'Access to OData is disabled.']);
    // The viewer's own delegated token is not subject to the app policy.
    expect((await graph.as(GRAPH_DEMO_CREDENTIALS.readOnlyBearerToken).get('/me/events')).status).toBe(200);
    // Another app is not scoped by PlanBridge's policy; DenyAccess blocks what it names.
    expect((await graph.as(issuer.app('11111111-2222-4333-8444-555555555555', ['Calendars.ReadWrite'])).get(`/users/${ENTRA_DEMO.viewer.username}/events`)).status).toBe(200);
    sim.setAccessPolicies([{ appId: APP, accessRight: 'DenyAccess', members: [ALICE] }]);
    expect((await app.get(`/users/${ALICE}/events`)).status).toBe(403);
    expect((await app.get(`/users/${ENTRA_DEMO.viewer.username}/events`)).status).toBe(200);
  });

  it('answers MailboxNotEnabledForRESTAPI for a user without an Exchange Online mailbox, ErrorInvalidUser for an unknown one', async () => {
    const app = appClient();
    const dana = await app.get('/users/dana.ruiz@contoso.onmicrosoft.com/events');
    expect([dana.status, dana.body.error.code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
    const self = await graph.as(issuer.delegated('dana.ruiz@contoso.onmicrosoft.com', ['Calendars.ReadWrite'], APP)).post('/me/events', taskEvent());
    expect(self.body.error.code).toBe('MailboxNotEnabledForRESTAPI');
    // The directory still knows her.
    expect((await graph.as(GRAPH_DEMO_CREDENTIALS.appBearerToken).get('/users/dana.ruiz@contoso.onmicrosoft.com')).status).toBe(200);
    const nobody = await app.get('/users/nobody@contoso.onmicrosoft.com/events');
    expect([nobody.status, nobody.body.error.code]).toEqual([404, 'ErrorInvalidUser']);
  });

  it('answers 429 ApplicationThrottled with Retry-After past 4 concurrent requests per app, across mailboxes', async () => {
    sim.setLatency(150);
    const app = appClient(['Calendars.Read']);
    const mailboxes = [PM, ALICE, 'bob.lee@contoso.onmicrosoft.com', 'chen.wu@contoso.onmicrosoft.com', 'erin.park@contoso.onmicrosoft.com', 'farid.haddad@contoso.onmicrosoft.com'];
    const answers = await Promise.all(mailboxes.map((m) => app.get(`/users/${m}/events`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).toHaveLength(2);
    expect(throttled[0]!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(throttled[0]!.body.error).toMatchObject({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    expect(sim.peakInFlight()).toBe(4);
    // The reverted reading (4 per app and mailbox) as a knob.
    sim.setLimits({ concurrencyScope: 'app-and-mailbox' });
    const spread = await Promise.all(mailboxes.map((m) => app.get(`/users/${m}/events`)));
    expect(spread.every((a) => a.status === 200)).toBe(true);
  });

  it('counts requests per app and mailbox over the window', async () => {
    sim.setLimits({ requestsPerWindow: 3, windowMs: 60_000 });
    const app = appClient(['Calendars.Read']);
    for (let i = 0; i < 3; i++) expect((await app.get(`/users/${ALICE}/events`)).status).toBe(200);
    const over = await app.get(`/users/${ALICE}/events`);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(50);
    expect((await app.get(`/users/${PM}/events`)).status).toBe(200);
  });

  it('injects faults: a 429 with a chosen Retry-After, a 503, a dropped connection', async () => {
    sim.injectFault({ kind: 429, retryAfter: 7, method: 'POST' });
    sim.injectFault({ kind: 503, pathIncludes: '/users' });
    const throttled = await graph.post('/me/events', taskEvent());
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await graph.get('/me/events')).status).toBe(200);
    expect((await graph.as(GRAPH_DEMO_CREDENTIALS.appBearerToken).get('/users')).status).toBe(503);
    sim.injectFault({ kind: 'reset' });
    await expect(graph.get('/me/events')).rejects.toThrow();
    expect(sim.calendars.all()).toHaveLength(0);
  });
});

describe('Graph simulator with Entra simulator tokens', () => {
  let entra: EntraSimulator;
  let sim: GraphSimulator;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    sim = await startGraphSimulator({ seed: 'empty', trustedIssuers: [entra.trust], acceptDemoTokens: false });
  });
  afterAll(async () => { await Promise.all([entra.close(), sim.close()]); });

  it('accepts a delegated Graph token with Calendars.ReadWrite for the demo PM', async () => {
    const token = entra.mintAccessToken({ audience: GRAPH_RESOURCE, permissions: ['Calendars.ReadWrite', 'User.Read'] });
    const graph = new TestClient(sim, token);
    expect((await graph.post('/me/events', taskEvent())).status).toBe(201);
    expect((await graph.get('/me')).body.userPrincipalName).toBe(PM);
    // A token for SharePoint is not a Graph token; the demo token is off here.
    expect((await graph.as(entra.mintAccessToken({ audience: 'https://contoso.sharepoint.com' })).get('/me/events')).status).toBe(401);
    expect((await graph.as(GRAPH_DEMO_CREDENTIALS.bearerToken).get('/me/events')).status).toBe(401);
  });

  it('accepts PlanBridge\'s app-only token (roles from the Entra simulator) and refuses an app with no Graph roles', async () => {
    const token = entra.mintAppToken({ clientId: ENTRA_DEMO.clientId, audience: GRAPH_RESOURCE });
    expect((await new TestClient(sim, token).get(`/users/${PM}/events`)).status).toBe(200);
    const none = entra.mintAppToken({ clientId: ENTRA_DEMO.adoServicePrincipal.clientId, audience: GRAPH_RESOURCE });
    const r = await new TestClient(sim, none).get(`/users/${PM}/events`);
    expect([r.status, r.body.error.code]).toEqual([403, 'ErrorAccessDenied']);
  });
});
