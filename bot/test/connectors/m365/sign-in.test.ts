import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PwaConnector } from '../../../src/connectors/pwa/index.js';
import { M365SignInRequiredError } from '../../../src/connectors/m365/index.js';
import { ENTRA_DEMO } from '../../../../sim/entra/server.js';
import { call } from '../../../../sim/entra/test/https-client.js';
import { tenant } from '../../store/support.js';
import type { ConnectionDocument } from '../../../src/store/index.js';
import { filesAtRest, signInWithBrowser, startWorld, visit, type OAuthWorld } from './harness.js';

const HOUR = 3600_000;

describe('PWA OAuth sign-in (auth code + PKCE through MSAL against the Entra simulator)', () => {
  let world: OAuthWorld;
  /** Every token, code and secret seen in a test; none may appear in logs or at rest. */
  const secrets = new Set<string>([ENTRA_DEMO.clientSecret]);

  beforeAll(async () => {
    world = await startWorld();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await world.close();
  });

  const begin = (tenantId: string, extra: { connectionId?: string } = {}) =>
    world.signIn.beginSignIn({
      tenantId,
      requestedBy: { id: '29:teams-user', aadObjectId: 'aad-user-1', name: 'Ada' },
      conversation: { conversation: { id: `conv-${tenantId}` }, serviceUrl: 'https://smba.example/' },
      draft: { system: 'pwa', name: 'Contoso PWA', url: world.pwa.url, ...extra },
    });

  /** Signs in through the browser and returns the saved connection. */
  async function connect(tenantId: string) {
    const started = await begin(tenantId);
    const visit = await signInWithBrowser(world, started.startUrl);
    const callback = new URL(visit.callbackUrl);
    secrets.add(callback.searchParams.get('code')!).add(callback.searchParams.get('state')!.split('.')[1]!);
    expect(visit.status).toBe(200);
    const done = world.signedIn.find((s) => s.pending.tenantId === tenantId)!;
    return { visit, connection: done.result.connection, done };
  }

  const connectorFor = (connection: Pick<ConnectionDocument, 'tenantId' | 'id' | 'url' | 'kind'>) =>
    new PwaConnector({ siteUrl: world.pwa.url, auth: world.tokens.authFor(connection) });

  it('signs in from a Teams link, tells the chat who signed in, and reads PWA projects with the token', async () => {
    const t = tenant('roundtrip');
    const started = await begin(t);
    expect(new URL(started.authorizeUrl).searchParams.get('code_challenge_method')).toBe('S256');
    expect(started.authorizeUrl.startsWith(world.entra.authority)).toBe(true);

    const { visit: page, connection, done } = await connect(t);
    expect(page.html).toContain('You are signed in as pm@contoso.onmicrosoft.com');
    expect(page.html).toContain('return to Microsoft Teams');
    expect(done.pending).toMatchObject({ tenantId: t, requestedBy: { aadObjectId: 'aad-user-1' }, conversation: { conversation: { id: `conv-${t}` } } });
    expect(done.result.account).toMatchObject({ username: ENTRA_DEMO.user.username, tenantId: ENTRA_DEMO.tenantId });
    expect(connection).toMatchObject({ kind: 'pwa', url: world.pwa.url, auth: { type: 'oauth', clientId: ENTRA_DEMO.clientId }, check: { ok: true } });

    const token = await world.tokens.accessToken(connection);
    secrets.add(token);
    expect(token.split('.')).toHaveLength(3); // a JWT from Entra, not a static demo token
    const projects = await connectorFor(connection).listProjects();
    expect(projects.map((p) => p.name)).toContain('Apollo');
  });

  it('keeps the token cache sealed at rest: neither the document nor the database files hold token text', async () => {
    const t = tenant('sealed');
    const { connection } = await connect(t);
    const accessToken = await world.tokens.accessToken(connection);
    const cache = JSON.parse((await world.db.store.connections.revealSecret((await world.db.store.connections.get(t, connection.id))!))!) as {
      RefreshToken: Record<string, { secret: string }>;
    };
    const refreshToken = Object.values(cache.RefreshToken)[0]!.secret;
    secrets.add(accessToken).add(refreshToken);

    const stored = JSON.stringify(await world.db.store.connections.get(t, connection.id));
    expect(stored).toContain('"alg":"A256GCM"');
    for (const text of [accessToken, refreshToken, accessToken.split('.')[1]!, 'RefreshToken']) {
      expect(stored.includes(text)).toBe(false);
    }
    // Whose sign-in it is stays readable on purpose ("connections" names it); nothing else of the cache does.
    expect((JSON.parse(stored) as { auth: { account?: string } }).auth.account).toBe(ENTRA_DEMO.user.username);
    expect(stored.split(ENTRA_DEMO.user.username).length).toBe(2);
    const disk = await filesAtRest(world.db.dataDir);
    expect(disk.length).toBeGreaterThan(0);
    expect(disk.includes(refreshToken)).toBe(false);
    expect(disk.includes(accessToken)).toBe(false);
  });

  it('refreshes an expired access token without the user; PWA refuses the expired one with 401', async () => {
    const t = tenant('refresh');
    const { connection } = await connect(t);
    const first = await world.tokens.accessToken(connection);
    expect(await world.tokens.accessToken(connection)).toBe(first); // cached, no refresh yet

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * HOUR);
    const stale = await fetch(`${world.pwa.url}/_api/ProjectServer/Projects`, { headers: { authorization: `Bearer ${first}`, accept: 'application/json' } });
    expect(stale.status).toBe(401);

    const projects = await connectorFor(connection).listProjects();
    expect(projects.length).toBeGreaterThan(0);
    const second = await world.tokens.accessToken(connection);
    secrets.add(first).add(second);
    expect(second).not.toBe(first);
    expect((await world.db.store.connections.get(t, connection.id))!.check).toMatchObject({ ok: true });
  });

  it('turns a revoked refresh token into M365SignInRequiredError and marks the connection', async () => {
    const t = tenant('revoked');
    const { connection } = await connect(t);
    secrets.add(await world.tokens.accessToken(connection));
    world.entra.revokeSessions(ENTRA_DEMO.user.username);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * HOUR);
    const failure = await connectorFor(connection).listProjects().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(M365SignInRequiredError);
    expect(failure).toMatchObject({ code: 'auth-failed', details: { needsAttention: true } });
    expect((failure as Error).message).toContain('sign in again');
    const marked = await world.db.store.connections.get(t, connection.id);
    expect(marked!.check).toMatchObject({ ok: false });
    expect(marked!.check!.problem).toContain('AADSTS50173');
  });

  it('treats an expired refresh token the same way, and a new sign-in for the connection clears the mark', async () => {
    const t = tenant('expired-rt');
    const { connection } = await connect(t);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 91 * 24 * HOUR);
    await expect(world.tokens.accessToken(connection)).rejects.toBeInstanceOf(M365SignInRequiredError);
    expect((await world.db.store.connections.get(t, connection.id))!.check!.problem).toContain('AADSTS700082');
    vi.useRealTimers();

    const again = await begin(t, { connectionId: connection.id });
    expect((await signInWithBrowser(world, again.startUrl)).status).toBe(200);
    const renewed = await world.db.store.connections.get(t, connection.id);
    expect(renewed!.check).toMatchObject({ ok: true });
    expect(await world.db.store.connections.list(t)).toHaveLength(1);
    secrets.add(await world.tokens.accessToken(connection));
  });

  it('refuses tampered, replayed and expired states, and says so in plain words', async () => {
    const t = tenant('state');
    const started = await begin(t);
    const good = await signInWithBrowser(world, started.startUrl, ENTRA_DEMO.user);
    expect(good.status).toBe(200);
    const url = new URL(good.callbackUrl);
    const state = url.searchParams.get('state')!;
    secrets.add(url.searchParams.get('code')!).add(state.split('.')[1]!);

    const replay = await visit(good.callbackUrl);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('not valid or was already used');

    const tampered = new URL(good.callbackUrl);
    const secret = state.split('.')[1]!;
    tampered.searchParams.set('state', `${state.split('.')[0]}.${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`);
    expect((await visit(tampered.href)).status).toBe(400);
    const otherTenant = new URL(good.callbackUrl);
    otherTenant.searchParams.set('state', `${Buffer.from('someone-else').toString('base64url')}.${secret}`);
    expect((await visit(otherTenant.href)).html).toContain('not valid');
    expect(await world.db.store.connections.list(t)).toHaveLength(1);

    const late = await begin(t);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const lateStart = await visit(late.startUrl);
    expect(lateStart.status).toBe(400);
    expect(lateStart.html).toContain('expired');
    const lateState = new URL(late.authorizeUrl).searchParams.get('state')!;
    const lateCallback = await visit(`${world.botUrl}/auth/pwa/callback?code=whatever&state=${encodeURIComponent(lateState)}`);
    expect(lateCallback.status).toBe(400);
    expect(lateCallback.html).toContain('has expired');
    expect(world.failed.find((f) => f.pending.tenantId === t)?.problem.problem).toBe('expired');
  });

  it('binds each code to its own PKCE verifier: a code from another sign-in is refused by Entra', async () => {
    const t = tenant('pkce');
    const a = await begin(t);
    const b = await begin(t);
    // The browser signs in for B, but the code is delivered with A's state (a mix-up or an injected code).
    const authorizeB = new URL(b.authorizeUrl);
    const posted = await call(authorizeB.href, world.entra.caPem, {
      form: { ...Object.fromEntries(authorizeB.searchParams), username: ENTRA_DEMO.user.username, password: ENTRA_DEMO.user.password, action: 'accept' },
    });
    const codeB = new URL(String(posted.headers.location)).searchParams.get('code')!;
    const stateA = new URL(a.authorizeUrl).searchParams.get('state')!;
    secrets.add(codeB).add(stateA.split('.')[1]!);

    const swapped = await visit(`${world.botUrl}/auth/pwa/callback?code=${encodeURIComponent(codeB)}&state=${encodeURIComponent(stateA)}`);
    expect(swapped.status).toBe(400);
    expect(swapped.html).toContain('did not complete');
    expect(world.failed.find((f) => f.pending.tenantId === t)?.problem.message).toContain('AADSTS501481');
    expect(await world.db.store.connections.list(t)).toHaveLength(0);
  });

  it('reports a cancelled sign-in to the page and the chat, and connects nothing', async () => {
    const t = tenant('cancel');
    const started = await begin(t);
    const cancelled = await signInWithBrowser(world, started.startUrl, ENTRA_DEMO.user, 'cancel');
    expect(new URL(cancelled.callbackUrl).searchParams.get('error')).toBe('access_denied');
    expect(cancelled.status).toBe(400);
    expect(cancelled.html).toContain('cancelled');
    expect(world.failed.find((f) => f.pending.tenantId === t)?.problem.problem).toBe('declined');
    expect(await world.db.store.connections.list(t)).toHaveLength(0);
  });

  it('logs the sign-in steps but no token, code, state secret or client secret', () => {
    const logs = world.db.logText();
    expect(logs).toContain('microsoft 365 sign-in completed');
    expect(logs).toContain('microsoft 365 sign-in needs renewing');
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs.includes(secret), 'a secret reached the logs').toBe(false);
  });
});
