import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../../sim/entra/server.js';
import { startPwaSimulator, type PwaSimulator } from '../../../sim/pwa/server.js';
import { Journey, TENANT, cardText, type Card } from '../support/journey.js';
import { freePort, nextPosted, postedCount, signInLinkOf, signInThroughBrowser } from './sign-in-support.js';

/**
 * "connect pwa" with Microsoft 365 sign-in, through the real bot: the card's link, the Entra
 * simulator's sign-in page, the bot's callback, and the result posted back into the chat as a
 * proactive message, with access checked using the token the sign-in produced.
 */
describe('connect pwa with Microsoft 365 sign-in', () => {
  const j = new Journey();
  let entra: EntraSimulator;
  let pwa: PwaSimulator;
  let caDir: string;

  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    pwa = await startPwaSimulator({ port: 0, queueJobMs: 0, trustedIssuers: [entra.trust] });
    caDir = await mkdtemp(join(tmpdir(), 'planbridge-entra-ca-'));
    await writeFile(join(caDir, 'ca.pem'), entra.caPem);
    const port = await freePort();
    // Local mode defaults to the Entra simulator's demo app; only where it runs differs here.
    await j.start({ env: { PORT: String(port), PWA_OAUTH_AUTHORITY: entra.authority, PWA_OAUTH_CA_FILE: join(caDir, 'ca.pem') } });
  });
  afterAll(async () => {
    await j.stop();
    await Promise.all([entra?.close(), pwa?.close()]);
    await rm(caDir, { recursive: true, force: true });
  });

  async function startSignIn(): Promise<{ link: string; card: Card }> {
    const { card } = await j.say('connect pwa');
    expect(cardText(card)).toMatch(/Microsoft 365 sign-in \(Project Online\)/);
    const reply = await j.click(card, 'Connect', { url: pwa.url, method: 'oauth', name: 'PWA (signed in)', timeZone: 'Europe/Berlin' });
    expect(reply.card, reply.message).toBeDefined();
    return { link: signInLinkOf(reply.card!), card: reply.card! };
  }

  async function signIn(link: string, account: { username: string; password: string } = ENTRA_DEMO.user, action = 'accept') {
    const { status, html } = await signInThroughBrowser(entra, link, account, action);
    return { status, html };
  }

  it('signs in from the card, posts the access checklist to the chat, and stores an OAuth connection', async () => {
    const { link, card } = await startSignIn();
    expect(cardText(card)).toMatch(/Sign in to Project Web App/);
    const before = postedCount(j);
    const page = await signIn(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain('pm@contoso.onmicrosoft.com');

    const posted = cardText(await nextPosted(j, before));
    expect(posted).toMatch(/Connected to Project Web App: PWA \(signed in\)/);
    expect(posted).toMatch(/Microsoft 365 sign-in as pm@contoso\.onmicrosoft\.com/);
    expect(posted).toMatch(/✓\nRead projects and tasks\nallowed/);

    const list = await j.say('connections');
    expect(cardText(list.card)).toMatch(/PWA \(signed in\)/);
    // The account that signed in is kept with the connection, and the list says whose access it is.
    expect(cardText(list.card)).toMatch(/Signed in as pm@contoso\.onmicrosoft\.com\./);
    const stored = (await j.bot.bot.store.connections.list(TENANT, { kind: 'pwa' })).find((c) => c.name === 'PWA (signed in)')!;
    expect(stored.auth).toMatchObject({ type: 'oauth', account: 'pm@contoso.onmicrosoft.com' });
    // Tokens and codes never reach the chat.
    expect(j.everything()).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('a read-only account is connected but the checklist says it cannot edit', async () => {
    const { link } = await startSignIn();
    const before = postedCount(j);
    expect((await signIn(link, ENTRA_DEMO.viewer)).status).toBe(200);
    const posted = cardText(await nextPosted(j, before));
    expect(posted).toMatch(/cannot do everything PlanBridge needs/);
  });

  it('a cancelled sign-in tells the chat nothing was connected, and the link cannot be used again', async () => {
    const { link } = await startSignIn();
    const before = postedCount(j);
    const page = await signIn(link, ENTRA_DEMO.user, 'cancel');
    expect(page.status).toBe(400);
    expect(cardText(await nextPosted(j, before))).toMatch(/Not connected to Project Web App/);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(400);
  });
});
