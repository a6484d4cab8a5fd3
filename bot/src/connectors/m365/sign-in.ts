import { AuthError, CryptoProvider } from '@azure/msal-node';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../log.js';
import type {
  ConnectionDocument, ConnectionRepository, PendingSignIn, SignInDraft, SignInRepository, SignInSystem, Stored,
} from '../../store/index.js';
import { M365SignInError } from './errors.js';
import { createMsalApp } from './msal-app.js';
import { CONNECT_COMMAND, scopesFor, SYSTEM_NAME } from './resources.js';
import { SIGN_IN_WINDOW_MS, type M365SignInSettings } from './settings.js';

/**
 * Delegated Microsoft 365 sign-in for a PWA, Planner premium or Outlook connection, started from
 * Teams: `beginSignIn` makes the Entra authorize URL (auth code + PKCE S256 + nonce) for the
 * resource of the draft's system and remembers who asked and where to answer; the browser comes
 * back to /auth/pwa/callback (the path every system shares, as app registrations list it), where
 * `completeSignIn` redeems the code through MSAL and stores MSAL's token cache, sealed, on the
 * connection.
 *
 * The `state` is `<tenant, base64url>.<32 random bytes>`: the tenant part finds the partition,
 * the random part (stored only as a hash) is the capability. Tampering, replay or a late click
 * finds no usable pending sign-in.
 */
export interface BeginSignInInput {
  /** Tenant of the Teams conversation (PlanBridge's partition). */
  tenantId: string;
  requestedBy: { id: string; aadObjectId?: string; name?: string };
  /** Teams ConversationReference to report back to. */
  conversation: Record<string, unknown>;
  draft: SignInDraft;
  /** Pre-fills the account at the sign-in page (e.g. the Teams user's UPN). */
  loginHint?: string;
}

export interface BeginSignInResult {
  /** Short link for the card's "Sign in" button; redirects to `authorizeUrl` while the sign-in is pending. */
  startUrl: string;
  authorizeUrl: string;
  expiresAt: string;
}

export interface SignedInAccount {
  /** UPN of the Microsoft 365 account that signed in. */
  username: string;
  name?: string;
  /** Entra tenant of that account. */
  tenantId: string;
}

export interface SignInResult {
  connection: Stored<ConnectionDocument>;
  account: SignedInAccount;
}

export interface M365SignInDeps {
  settings: M365SignInSettings;
  signIns: SignInRepository;
  connections: ConnectionRepository;
  logger: Logger;
  now?: () => Date;
}

export class M365SignInService {
  private readonly crypto = new CryptoProvider();
  private readonly now: () => Date;

  constructor(private readonly deps: M365SignInDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async beginSignIn(input: BeginSignInInput): Promise<BeginSignInResult> {
    const { system } = input.draft;
    const url = parseUrl(input.draft.url, system);
    const secret = randomBytes(32).toString('base64url');
    const state = `${Buffer.from(input.tenantId, 'utf8').toString('base64url')}.${secret}`;
    const { verifier, challenge } = await this.crypto.generatePkceCodes();
    const nonce = randomBytes(16).toString('base64url');
    const app = await createMsalApp(this.deps.settings, this.deps.logger);
    const authorizeUrl = await app.getAuthCodeUrl({
      scopes: scopesFor(system, url),
      redirectUri: this.deps.settings.redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      nonce,
      prompt: 'select_account',
      ...(input.loginHint ? { loginHint: input.loginHint } : {}),
    });
    const doc = await this.deps.signIns.create(input.tenantId, secret, {
      requestedBy: input.requestedBy, conversation: input.conversation, draft: { ...input.draft, url },
      verifier, nonce, authorizeUrl, ttlMs: SIGN_IN_WINDOW_MS,
    });
    this.deps.logger.info({ tenantId: input.tenantId, signIn: doc.id, system, url }, 'microsoft 365 sign-in started');
    const startUrl = new URL(this.deps.settings.redirectUri.replace(/\/callback$/, '/start'));
    startUrl.searchParams.set('state', state);
    return { startUrl: startUrl.href, authorizeUrl, expiresAt: doc.expiresAt };
  }

  /** Where /auth/pwa/start sends the browser, without using the sign-in up. */
  async authorizeUrlFor(state: string): Promise<string> {
    const { tenantId, secret } = parseState(state);
    const doc = await this.deps.signIns.peek(tenantId, secret);
    if (!doc) throw unknownState();
    if (Date.parse(doc.expiresAt) <= this.now().getTime()) throw expired();
    return doc.authorizeUrl;
  }

  /** The browser came back with an error (cancelled, consent refused): use the sign-in up and say why. */
  async abandonSignIn(state: string, error: string): Promise<{ pending: PendingSignIn; problem: M365SignInError }> {
    const { pending } = await this.take(state);
    const name = SYSTEM_NAME[pending.draft.system];
    const problem = error === 'access_denied' || error === 'consent_required'
      ? new M365SignInError('declined', `The sign-in was cancelled or permission was not granted, so PlanBridge is not connected to ${name}.`)
      : new M365SignInError('exchange-failed', `Microsoft sign-in reported "${error.replace(/[^\w.-]/g, '').slice(0, 60)}", so PlanBridge is not connected to ${name}.`);
    return { pending, problem };
  }

  async completeSignIn(code: string, state: string): Promise<{ pending: PendingSignIn; result: SignInResult }> {
    const { pending, verifier } = await this.take(state);
    const { settings } = this.deps;
    const scopes = scopesFor(pending.draft.system, pending.draft.url);
    const again = CONNECT_COMMAND[pending.draft.system];
    // A cache of its own, in memory: the connection (and its sealed cache) is written only on success.
    const app = await createMsalApp(settings, this.deps.logger);
    let response;
    try {
      response = await app.acquireTokenByCode(
        { code, scopes, redirectUri: settings.redirectUri, codeVerifier: verifier, nonce: pending.nonce },
        { code, nonce: pending.nonce },
      );
    } catch (err) {
      this.deps.logger.warn({ tenantId: pending.tenantId, signIn: pending.id, error: describeAuthError(err) }, 'microsoft 365 sign-in code exchange failed');
      throw new M365SignInError('exchange-failed', `Microsoft sign-in did not complete (${describeAuthError(err)}). Start again from Teams with "${again}".`, pending);
    }
    const account = response.account;
    if (!account) throw new M365SignInError('exchange-failed', `Microsoft sign-in returned no account. Start again from Teams with "${again}".`, pending);
    const cache = app.getTokenCache().serialize();
    const connection = await this.saveConnection(pending, cache, response.scopes, account.username);
    this.deps.logger.info({ tenantId: pending.tenantId, connectionId: connection.id, signIn: pending.id }, 'microsoft 365 sign-in completed');
    return { pending, result: { connection, account: { username: account.username, name: account.name, tenantId: account.tenantId } } };
  }

  private async saveConnection(pending: PendingSignIn, cache: string, scopes: string[], username: string): Promise<Stored<ConnectionDocument>> {
    const { connections, settings } = this.deps;
    const { draft, tenantId } = pending;
    const auth = { type: 'oauth' as const, clientId: settings.clientId, authority: settings.authority, scopes, account: username };
    const check = { ok: true, checkedAt: this.now().toISOString(), scopes };
    const existing = draft.connectionId ? await connections.get(tenantId, draft.connectionId) : undefined;
    if (existing && existing.kind !== draft.system) throw new M365SignInError('exchange-failed', `That connection is not a ${SYSTEM_NAME[draft.system]} connection. Start again from Teams with "${CONNECT_COMMAND[draft.system]}".`, pending);
    if (existing) {
      // Signing in again: new sealed cache, and the needs-attention mark cleared.
      await connections.setSecret(tenantId, existing.id, cache);
      return connections.update(tenantId, existing.id, () => ({ auth, check }));
    }
    const created = await connections.create(tenantId, {
      ...(draft.connectionId ? { id: draft.connectionId } : {}),
      kind: draft.system, name: draft.name, url: draft.url, auth, secret: cache,
      // Delegated: events go into the signed-in user's own calendar.
      ...(draft.system === 'outlook' ? { outlook: { access: 'delegated' as const, address: username } } : {}),
      ...(draft.timeZone ? { timeZone: draft.timeZone } : {}),
      createdBy: pending.requestedBy.aadObjectId ?? pending.requestedBy.id,
    });
    return connections.update(tenantId, created.id, () => ({ check }));
  }

  private async take(state: string): Promise<{ pending: PendingSignIn; verifier: string }> {
    const { tenantId, secret } = parseState(state);
    const taken = await this.deps.signIns.take(tenantId, secret);
    if (taken.ok) return taken;
    throw taken.reason === 'expired' ? expired(taken.pending) : unknownState();
  }
}

function parseState(state: string): { tenantId: string; secret: string } {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(state);
  const tenantId = m ? Buffer.from(m[1]!, 'base64url').toString('utf8') : '';
  if (!m || !tenantId) throw unknownState();
  return { tenantId, secret: m[2]! };
}

const unknownState = (): M365SignInError =>
  new M365SignInError('unknown-state', 'This sign-in link is not valid or was already used. Start again from Teams with the same "connect" command (for example "connect planner").');
const expired = (pending?: PendingSignIn): M365SignInError =>
  new M365SignInError('expired', `This sign-in link has expired (links work for 10 minutes). Start again from Teams with ${pending ? `"${CONNECT_COMMAND[pending.draft.system]}"` : 'the same "connect" command'}.`, pending);

const URL_EXAMPLE: Record<SignInSystem, string> = {
  pwa: 'the full site address, e.g. https://contoso.sharepoint.com/sites/pwa',
  planner: 'the environment address, e.g. https://contoso.crm4.dynamics.com',
  outlook: 'https://graph.microsoft.com/v1.0',
};

function parseUrl(raw: string, system: SignInSystem): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new M365SignInError('exchange-failed', `"${raw}" is not a ${SYSTEM_NAME[system]} URL. Use ${URL_EXAMPLE[system]}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new M365SignInError('exchange-failed', `"${raw}" is not an http(s) ${SYSTEM_NAME[system]} URL.`);
  return url.href.replace(/\/+$/, '');
}

/** An MSAL or Entra failure in safe words: the error code and AADSTS number, never request data. */
export function describeAuthError(err: unknown): string {
  if (err instanceof AuthError) {
    const aadsts = /AADSTS\d+/.exec(err.errorMessage ?? '')?.[0];
    return [err.errorCode, aadsts].filter(Boolean).join(' ');
  }
  return err instanceof Error ? err.name : 'unknown error';
}
