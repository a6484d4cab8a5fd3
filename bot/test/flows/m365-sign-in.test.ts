import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../../sim/entra/server.js';
import { startDataverseSimulator, type DataverseSimulator } from '../../../sim/dataverse/server.js';
import { startGraphSimulator, type GraphSimulator } from '../../../sim/graph/server.js';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { presets } from './support.js';
import { Journey, TENANT, cardText, inputsOf } from '../support/journey.js';
import { freePort, nextPosted, postedCount, signInLinkOf, signInThroughBrowser } from './sign-in-support.js';

/**
 * "connect planner" and "connect outlook" with Microsoft 365 sign-in, through the real bot: the
 * card's link, the Entra simulator's sign-in page, the bot's callback, the checklist posted back
 * into the chat, and then the stored sign-in used (and renewed) for the system's own API: the
 * Dataverse simulator wants `user_impersonation` for the environment, the Graph simulator a
 * Graph token. Neither simulator accepts anything else from these connections.
 */
describe('Microsoft 365 sign-in for Planner premium and Outlook', () => {
  const j = new Journey();
  let entra: EntraSimulator;
  let dataverse: DataverseSimulator;
  let graph: GraphSimulator;
  let caDir: string;

  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    // No demo tokens: only what the sign-in produced can work.
    dataverse = await startDataverseSimulator({ port: 0, trustedIssuers: [entra.trust], requireUserImpersonation: true, acceptDemoTokens: false });
    graph = await startGraphSimulator({ port: 0, trustedIssuers: [entra.trust], acceptDemoTokens: false });
    caDir = await mkdtemp(join(tmpdir(), 'planbridge-entra-ca-'));
    await writeFile(join(caDir, 'ca.pem'), entra.caPem);
    const port = await freePort();
    await j.start({ env: { PORT: String(port), PWA_OAUTH_AUTHORITY: entra.authority, PWA_OAUTH_CA_FILE: join(caDir, 'ca.pem') } });
  });
  afterAll(async () => {
    await j.stop();
    await Promise.all([entra?.close(), dataverse?.close(), graph?.close()]);
    await rm(caDir, { recursive: true, force: true });
  });

  const signIn = (link: string, account: { username: string; password: string } = ENTRA_DEMO.user) => signInThroughBrowser(entra, link, account);
  const posts = (): number => postedCount(j);

  async function startPlannerSignIn(name: string): Promise<string> {
    const { card } = await j.say('connect planner');
    expect(inputsOf(card).find((i) => i.id === 'method')?.value).toBe('signin');
    const reply = await j.click(card, 'Connect', { url: dataverse.url, method: 'signin', name, timeZone: 'Europe/Berlin' });
    expect(cardText(reply.card)).toMatch(/Sign in to Planner premium/);
    return signInLinkOf(reply.card!);
  }

  it('connects Planner premium by sign-in for the environment only, checks the licence, and reads plans with the stored sign-in', async () => {
    const link = await startPlannerSignIn('Planner (signed in)');
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' })).toEqual([]);
    const before = posts();
    const page = await signIn(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('PlanBridge is connected to Planner premium (Planner (signed in))');
    // One resource per token: the environment's user_impersonation, nothing of SharePoint or Graph.
    expect(page.scope.split(' ')).toContain(`${new URL(dataverse.url).origin}/user_impersonation`);
    expect(page.scope).not.toMatch(/graph\.microsoft\.com|Project\.Write/);

    const posted = cardText(await nextPosted(j, before));
    expect(posted).toMatch(/Connected to Planner premium: Planner \(signed in\)/);
    expect(posted).toMatch(/signed in with Microsoft 365 as pm@contoso\.onmicrosoft\.com/);
    expect(posted).toMatch(/✓\nMicrosoft Project licence/);

    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' });
    expect(stored!.auth).toMatchObject({ type: 'oauth', clientId: ENTRA_DEMO.clientId, account: ENTRA_DEMO.user.username });
    // The stored sign-in reads the plans through the production connector (and no demo token exists here).
    const projects = await (await j.bot.bot.flows.systems.planner(stored!)).listProjects();
    expect(projects.map((p) => p.name)).toContain('Apollo Cloud');

    const list = cardText((await j.say('connections')).card);
    expect(list).toMatch(/Signed in as pm@contoso\.onmicrosoft\.com\./);
    expect(list).toMatch(/Sign in again/);
    expect(list).not.toMatch(/expires within about an hour/);
    expect(j.everything()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('refuses an unlicensed account after its sign-in and keeps nothing', async () => {
    const link = await startPlannerSignIn('Unlicensed Planner');
    const before = posts();
    const page = await signIn(link, ENTRA_DEMO.viewer);
    expect(page.status).toBe(200);
    // The browser does not claim a connection the check refused.
    expect(page.html).toContain('Signed in, but not connected');
    expect(page.html).not.toContain('PlanBridge is connected');
    const posted = cardText(await nextPosted(j, before));
    expect(posted).toMatch(/Not connected to Planner premium/);
    expect(posted).toMatch(/licen[cs]e/i);
    expect((await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' })).map((c) => c.name)).not.toContain('Unlicensed Planner');
  });

  it('lets a plan connected by sign-in be scheduled (a pasted token cannot be)', async () => {
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
    const { card } = await j.say('link project "Apollo Cloud" to ADO project Phoenix');
    expect(cardText((await j.click(card, 'Create integration', presets(card))).card)).toMatch(/Linked: Apollo Cloud ↔ Phoenix/);
    const scheduled = cardText((await j.say('schedule "Apollo Cloud" daily at 09:00 Europe/Berlin')).card);
    expect(scheduled).toMatch(/Scheduled: Apollo Cloud ↔ Phoenix/);
    expect(scheduled).not.toMatch(/bare access token/);
  });

  it('connects Outlook by sign-in for Microsoft Graph, with events going into the signed-in calendar', async () => {
    const { card } = await j.say('connect outlook');
    expect(inputsOf(card).find((i) => i.id === 'access')?.value).toBe('signin');
    const reply = await j.click(card, 'Connect', { access: 'signin', graphUrl: graph.apiUrl, name: '' });
    expect(cardText(reply.card)).toMatch(/Sign in to Outlook/);
    const before = posts();
    const page = await signIn(signInLinkOf(reply.card!));
    expect(page.status).toBe(200);
    expect(page.html).toContain('PlanBridge is connected to Outlook');
    expect(page.scope.split(' ')).toEqual(expect.arrayContaining(['https://graph.microsoft.com/Calendars.ReadWrite', 'https://graph.microsoft.com/User.ReadBasic.All']));

    const posted = cardText(await nextPosted(j, before));
    expect(posted).toMatch(/Connected to Outlook: Outlook: Demo PM/);
    expect(posted).toMatch(/Events are created in the calendar of\s*Demo PM \(pm@contoso.onmicrosoft.com\)/);
    expect(posted).toMatch(/signed in with Microsoft 365/);

    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' });
    expect(stored).toMatchObject({ url: graph.apiUrl, auth: { type: 'oauth', clientId: ENTRA_DEMO.clientId }, outlook: { access: 'delegated', address: ENTRA_DEMO.user.username } });
    // "Check again" uses the stored sign-in (the sealed secret is MSAL's cache, never sent as a token).
    const list = await j.say('connections');
    const rechecked = await j.click(list.card, 'Check again', {}, { where: { connectionId: stored!.id } });
    expect(cardText(rechecked.card)).toMatch(/Connected to Outlook/);
  });

  it('answers "Sign in again" on a signed-in connection with a new sign-in link instead of a token field', async () => {
    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' });
    const list = await j.say('connections');
    const again = await j.click(list.card, 'Sign in again', {}, { where: { connectionId: stored!.id } });
    expect(cardText(again.card)).toMatch(/Sign in to Outlook/);
    const before = posts();
    expect((await signIn(signInLinkOf(again.card!))).status).toBe(200);
    expect(cardText(await nextPosted(j, before))).toMatch(/Connected to Outlook/);
    // Same connection, signed in again; no second one.
    expect((await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' })).map((c) => c.id)).toEqual([stored!.id]);
  });

  it('a revoked sign-in marks the Planner premium connection as needing attention, naming the command that fixes it', async () => {
    const [planner] = await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' });
    entra.revokeSessions(ENTRA_DEMO.user.username);
    // Past the access token's life, so the next call needs the (revoked) refresh token.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3_600_000);
      j.bot.bot.flows.systems.forget(planner!.id);
      const failure = await (await j.bot.bot.flows.systems.planner(planner!)).listProjects().catch((e: unknown) => e);
      expect(failure).toMatchObject({ code: 'auth-failed', details: { needsAttention: true } });
      expect((failure as Error).message).toMatch(/Planner premium connection has expired or was revoked.*"connect planner"/);
      const marked = await j.bot.bot.store.connections.get(TENANT, planner!.id);
      expect(marked!.check).toMatchObject({ ok: false, problem: expect.stringMatching(/AADSTS50173.*"connect planner"/) });
    } finally {
      vi.useRealTimers();
    }
    const list = cardText((await j.say('connections')).card);
    expect(list).toMatch(/Needs attention/);
  });
});
