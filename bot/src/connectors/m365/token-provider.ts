import {
  AuthError, ClientAuthError, InteractionRequiredAuthError, ServerError, type ConfidentialClientApplication,
} from '@azure/msal-node';
import type { Logger } from '../../log.js';
import type { ConnectionDocument, ConnectionRepository, SignInSystem } from '../../store/index.js';
import { PlanConnectorError } from '../ppm.js';
import type { PwaAuth } from '../pwa/auth.js';
import { M365SignInRequiredError } from './errors.js';
import { createMsalApp } from './msal-app.js';
import { SealedConnectionCache } from './sealed-cache.js';
import { CONNECT_COMMAND, scopesFor, signInSystemOf, SYSTEM_NAME } from './resources.js';
import type { M365SignInSettings } from './settings.js';
import { describeAuthError } from './sign-in.js';

/**
 * Access tokens for connections made by Microsoft 365 sign-in (PWA, Planner premium, Outlook),
 * from the sealed MSAL cache, for the resource of the connection's kind (resources.ts): `acquireTokenSilent`
 * returns the cached token or refreshes it (MSAL does the refresh, and the rotated refresh token
 * is sealed back). A dead sign-in marks the connection as needing attention and throws
 * M365SignInRequiredError. Calls for one connection are serialised in this process, so two
 * concurrent refreshes never race on one (single-use) refresh token.
 */
export interface M365TokenDeps {
  settings: M365SignInSettings;
  connections: ConnectionRepository;
  logger: Logger;
  now?: () => Date;
}

type ConnectionRef = Pick<ConnectionDocument, 'tenantId' | 'id' | 'url' | 'kind'>;

/** Same as MSAL's own renewal offset: a token with less left than this is refreshed, not reused. */
const REUSE_MARGIN_MS = 5 * 60 * 1000;

export class M365Tokens {
  private readonly apps = new Map<string, Promise<ConfidentialClientApplication>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Last token per connection: PWA reads call for a token per request, and each MSAL lookup reads Cosmos. */
  private readonly recent = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly deps: M365TokenDeps) {}

  /** The PwaConnector auth for a connection: a Bearer token fetched (or refreshed) per call. */
  authFor(connection: ConnectionRef): PwaAuth {
    return { kind: 'oauth', getAccessToken: () => this.accessToken(connection) };
  }

  /** Drops the remembered token (call after PWA answered 401 to it), so the next call asks MSAL again. */
  forget(connection: Pick<ConnectionDocument, 'tenantId' | 'id'>): void {
    this.recent.delete(`${connection.tenantId}\u0000${connection.id}`);
  }

  accessToken(connection: ConnectionRef): Promise<string> {
    const key = `${connection.tenantId}\u0000${connection.id}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.acquire(key, connection));
    this.queues.set(key, next);
    void next.finally(() => {
      if (this.queues.get(key) === next) this.queues.delete(key);
    }).catch(() => undefined);
    return next;
  }

  private async acquire(key: string, connection: ConnectionRef): Promise<string> {
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const memo = this.recent.get(key);
    if (memo && memo.expiresAt - REUSE_MARGIN_MS > now) return memo.token;
    this.recent.delete(key);
    const app = await this.appFor(key, connection);
    try {
      const [account] = await app.getTokenCache().getAllAccounts();
      if (!account) throw new M365SignInRequiredError(connection.id, 'no stored sign-in', systemOf(connection));
      const result = await app.acquireTokenSilent({ account, scopes: scopesFor(systemOf(connection), connection.url) });
      if (!result?.accessToken) throw new M365SignInRequiredError(connection.id, 'no token returned', systemOf(connection));
      if (result.expiresOn) this.recent.set(key, { token: result.accessToken, expiresAt: result.expiresOn.getTime() });
      return result.accessToken;
    } catch (err) {
      if (err instanceof M365SignInRequiredError || isDeadSignIn(err)) {
        const reason = err instanceof M365SignInRequiredError ? err.reason : describeAuthError(err);
        await this.markNeedsAttention(connection, reason);
        throw err instanceof M365SignInRequiredError ? err : new M365SignInRequiredError(connection.id, reason, systemOf(connection));
      }
      // Drop the client so the next call starts clean (e.g. re-reads a simulator CA that changed).
      this.apps.delete(key);
      if (err instanceof PlanConnectorError) throw err;
      this.deps.logger.warn({ tenantId: connection.tenantId, connectionId: connection.id, error: describeAuthError(err) }, 'microsoft 365 token request failed');
      throw new PlanConnectorError('unreachable', `Could not get a Microsoft 365 token for ${SYSTEM_NAME[systemOf(connection)]} (${describeAuthError(err)}). Try again in a few minutes; if it persists, check the sign-in authority (PWA_OAUTH_AUTHORITY) is reachable.`);
    }
  }

  private appFor(key: string, connection: ConnectionRef): Promise<ConfidentialClientApplication> {
    let app = this.apps.get(key);
    if (!app) {
      app = createMsalApp(this.deps.settings, this.deps.logger, new SealedConnectionCache(this.deps.connections, connection.tenantId, connection.id));
      app.catch(() => this.apps.delete(key));
      this.apps.set(key, app);
    }
    return app;
  }

  private async markNeedsAttention(connection: ConnectionRef, reason: string): Promise<void> {
    const checkedAt = (this.deps.now?.() ?? new Date()).toISOString();
    try {
      await this.deps.connections.update(connection.tenantId, connection.id, () => ({
        check: { ok: false, checkedAt, problem: `Microsoft 365 sign-in expired or revoked (${reason}); sign in again with "${CONNECT_COMMAND[systemOf(connection)]}"` },
      }));
    } catch (err) {
      this.deps.logger.warn({ tenantId: connection.tenantId, connectionId: connection.id, error: err instanceof Error ? err.name : 'unknown' }, 'could not mark the connection as needing attention');
    }
    this.deps.logger.warn({ tenantId: connection.tenantId, connectionId: connection.id, reason }, 'microsoft 365 sign-in needs renewing');
  }
}

/** Errors that only a new interactive sign-in fixes (as opposed to a network blip). */
function isDeadSignIn(err: unknown): boolean {
  if (err instanceof InteractionRequiredAuthError) return true;
  if (err instanceof ServerError) return err.errorCode === 'invalid_grant' || err.errorCode === 'interaction_required';
  if (err instanceof ClientAuthError) return err.errorCode === 'no_account_found';
  return err instanceof AuthError && err.errorCode === 'no_tokens_found';
}

function systemOf(connection: Pick<ConnectionDocument, 'kind'>): SignInSystem {
  const system = signInSystemOf(connection.kind);
  if (!system) throw new PlanConnectorError('auth-failed', 'Azure DevOps connections do not use Microsoft 365 sign-in.');
  return system;
}
