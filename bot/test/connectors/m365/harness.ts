import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'restify';
import type { AddressInfo } from 'node:net';
import { M365SignInService, M365Tokens, type M365SignInSettings, type M365SignInError, type SignInResult } from '../../../src/connectors/m365/index.js';
import { registerSignInRoutes, type SignInNotifier } from '../../../src/http/sign-in-routes.js';
import { createRestifyServer } from '../../../src/http/server.js';
import type { PendingSignIn } from '../../../src/store/index.js';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator, type EntraSimulatorOptions } from '../../../../sim/entra/server.js';
import { call } from '../../../../sim/entra/test/https-client.js';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { openTestStore, type TestStore } from '../../store/support.js';

/**
 * Everything a sign-in touches, for real and on loopback: the Entra simulator (HTTPS), the PWA
 * simulator trusting its tokens, the embedded Cosmos store, and the bot's OAuth routes on a
 * restify server. A "browser" follows the redirects and fills in the sign-in form.
 */
export interface OAuthWorld {
  entra: EntraSimulator;
  pwa: PwaSimulator;
  db: TestStore;
  server: Server;
  botUrl: string;
  settings: M365SignInSettings;
  signIn: M365SignInService;
  tokens: M365Tokens;
  signedIn: Array<{ pending: PendingSignIn; result: SignInResult }>;
  failed: Array<{ pending: PendingSignIn; problem: M365SignInError }>;
  close(): Promise<void>;
}

export async function startWorld(entraOptions: EntraSimulatorOptions = {}): Promise<OAuthWorld> {
  const entra = await startEntraSimulator({ port: 0, ...entraOptions });
  const pwa = await startPwaSimulator({ port: 0, queueJobMs: 0, trustedIssuers: [entra.trust] });
  const db = await openTestStore();
  // The bot's own restify setup (body parser, error handler), as bot.ts builds it.
  const server = createRestifyServer(db.logger, { version: 'test', startedAt: Date.now(), authMode: 'local', store: async () => ({ reachable: true, mode: 'embedded' }) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings: M365SignInSettings = {
    clientId: ENTRA_DEMO.clientId,
    clientSecret: ENTRA_DEMO.clientSecret,
    authority: entra.authority,
    redirectUri: `${botUrl}/auth/pwa/callback`,
    authorityCa: async () => entra.caPem,
  };
  const signIn = new M365SignInService({ settings, signIns: db.store.signIns, connections: db.store.connections, logger: db.logger });
  const tokens = new M365Tokens({ settings, connections: db.store.connections, logger: db.logger });
  const signedIn: OAuthWorld['signedIn'] = [];
  const failed: OAuthWorld['failed'] = [];
  const notifier: SignInNotifier = {
    onSignedIn: async (pending, result) => { signedIn.push({ pending, result }); },
    onSignInFailed: async (pending, problem) => { failed.push({ pending, problem }); },
  };
  registerSignInRoutes(server, { signIn, notifier, logger: db.logger });
  return {
    entra, pwa, db, server, botUrl, settings, signIn, tokens, signedIn, failed,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([entra.close(), pwa.close()]);
      await db.dispose();
    },
  };
}

export interface BrowserVisit {
  /** Where Entra sent the browser back to (the callback URL with code and state). */
  callbackUrl: string;
  /** The bot's callback page. */
  status: number;
  html: string;
}

/** Opens the card's link, signs in at the Entra simulator's page, and lands on the bot's callback. */
export async function signInWithBrowser(world: OAuthWorld, startUrl: string, account: { username: string; password: string } = ENTRA_DEMO.user, action = 'accept'): Promise<BrowserVisit> {
  const start = await fetch(startUrl, { redirect: 'manual' });
  const authorizeUrl = start.headers.get('location');
  if (start.status !== 302 || !authorizeUrl) throw new Error(`start link answered ${start.status}: ${await start.text()}`);
  const form = await call(authorizeUrl, world.entra.caPem);
  if (form.status !== 200 || !form.text.includes('<form')) throw new Error(`expected the sign-in page, got ${form.status}`);
  const submitted = await call(authorizeUrl, world.entra.caPem, {
    form: { ...Object.fromEntries(new URL(authorizeUrl).searchParams), username: account.username, password: account.password, action },
  });
  const callbackUrl = String(submitted.headers.location ?? '');
  if (submitted.status !== 302) throw new Error(`sign-in did not redirect (${submitted.status})`);
  return { callbackUrl, ...(await visit(callbackUrl)) };
}

export async function visit(url: string): Promise<{ status: number; html: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

/** Every file the embedded database wrote, as text: what lies at rest on disk. */
export async function filesAtRest(dir: string): Promise<string> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name), 'latin1'));
  }
  return out.join('\n');
}
