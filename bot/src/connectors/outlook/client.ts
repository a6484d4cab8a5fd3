import type { Logger } from '../../log.js';
import { UserFacingError } from '../../errors.js';
import type { Connector } from '../../net/guarded-agent.js';
import { createGuardedFetch, siteGuard, type FetchLike } from '../../net/guarded-fetch.js';
import { decideRetry, type RetryLimits } from '../../net/retry-policy.js';
import { UnsafeUrlError, type Resolver, type UrlPolicy } from '../../net/url-safety.js';
import { RequestGate } from '../ado/gate.js';
import { GraphHttpError, OutlookError, toOutlookError, type CallContext } from './errors.js';
import { GRAPH_RETRY, GRAPH_V1, MAILBOX_CONCURRENCY } from './limits.js';

/**
 * The Microsoft Graph transport: plain fetch through the guarded agents (Graph's origin only, no
 * redirects), a bearer token from `getAccessToken()` per request, requests in flight capped at
 * Outlook's 4 per app by a gate that every Retry-After pauses (the limit is per app, so one 429
 * speaks for all of this app's requests), and retries by the shared policy with Graph's limits
 * (../shared/notes/graph-outlook-events.md "Throttling").
 */
export interface GraphClientOptions {
  /** Default https://graph.microsoft.com/v1.0; the simulator's `apiUrl` in tests and local mode. */
  baseUrl?: string;
  /** A Graph access token: delegated (`Calendars.ReadWrite`) or app-only (`roles`). */
  getAccessToken: () => Promise<string>;
  auth: 'delegated' | 'app';
  /** Names the signed-in account or the app in messages (never a secret). */
  account?: string;
  logger?: Logger;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  /** Default 4, Outlook's concurrency per app. */
  maxInFlight?: number;
  sleep?: (ms: number) => Promise<void>;
  urlPolicy?: UrlPolicy;
  /** Tests: DNS resolution and socket opening. */
  resolve?: Resolver;
  connect?: Connector;
}

export interface GraphCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below the base URL (`/users/x/events`), or a full `@odata.nextLink`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether a request that may have landed can be sent again (GET, a create with transactionId). */
  idempotent?: boolean;
  /** Mailbox or directory, for messages. */
  context?: Pick<CallContext, 'mailbox' | 'directory'>;
}

export interface GraphAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

type Outcome = { kind: 'ok'; answer: GraphAnswer } | { kind: 'http'; error: GraphHttpError; retryAfter: string | null } | { kind: 'network'; message: string };

/** OData query text: values percent-encoded (spaces as %20, as the notes ask), `$` names kept. */
export function queryString(query: Record<string, string>): string {
  return Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export class GraphClient {
  readonly baseUrl: string;
  readonly account: string;
  readonly auth: 'delegated' | 'app';
  readonly gate: RequestGate;
  /** HTTP requests sent, retries included (tests and benchmarks). */
  requestCount = 0;
  private readonly fetch: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphClientOptions) {
    this.baseUrl = (options.baseUrl ?? GRAPH_V1).replace(/\/+$/, '');
    this.auth = options.auth;
    this.account = options.account ?? (options.auth === 'app' ? "PlanBridge's app" : 'the signed-in account');
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.gate = new RequestGate({ maxInFlight: options.maxInFlight ?? MAILBOX_CONCURRENCY, sleep: this.sleep });
    // Graph's origin only, never following a redirect (net/guarded-fetch.ts).
    this.fetch = createGuardedFetch(siteGuard(this.baseUrl, 'Microsoft Graph', options));
  }

  close(): void {
    this.fetch.close();
  }

  context(extra: GraphCall['context'] = {}): CallContext {
    return { auth: this.auth, account: this.account, ...extra };
  }

  /** One call, retried as the policy says; a failure comes back as an OutlookError. */
  async call(call: GraphCall): Promise<GraphAnswer> {
    const limits = this.retryLimits;
    const url = call.path.startsWith('http') ? call.path : `${this.baseUrl}${call.path}${call.query && Object.keys(call.query).length ? `?${queryString(call.query)}` : ''}`;
    const idempotent = call.idempotent ?? (call.method === 'GET' || call.method === 'DELETE');
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.gate.run(() => this.once(call, url));
      if (outcome.kind === 'ok') return outcome.answer;
      const decision = outcome.kind === 'network'
        ? decideRetry({ network: true, idempotent }, attempt, limits)
        : decideRetry({ status: outcome.error.status, retryAfter: outcome.retryAfter, network: false }, attempt, limits);
      if (!decision.retry) {
        if (outcome.kind === 'network') {
          throw new OutlookError('unreachable', `Cannot reach Microsoft Graph at ${new URL(this.baseUrl).host} (${outcome.message}).${idempotent ? '' : ' The request may have landed; PlanBridge looks for it before trying again.'}`);
        }
        throw toOutlookError(outcome.error, this.context(call.context));
      }
      // Outlook's concurrency limit is per app: every request of this connector waits out a Retry-After.
      if (decision.fromServer) this.gate.pause(decision.delayMs);
      this.options.logger?.info({ status: outcome.kind === 'http' ? outcome.error.status : undefined, waitMs: decision.delayMs, attempt: attempt + 1, reason: decision.reason }, 'graph throttled or unavailable; waiting');
      if (!decision.fromServer) await this.sleep(decision.delayMs);
    }
  }

  /** Every page of a collection, following `@odata.nextLink` unchanged. */
  async all(call: Omit<GraphCall, 'method'>): Promise<unknown[]> {
    const out: unknown[] = [];
    let next: GraphCall | null = { ...call, method: 'GET' };
    while (next) {
      const { body } = await this.call(next);
      for (const row of (body?.value as unknown[] | undefined) ?? []) out.push(row);
      next = typeof body?.['@odata.nextLink'] === 'string' ? { ...call, method: 'GET', path: body['@odata.nextLink'] as string, query: {} } : null;
    }
    return out;
  }

  private get retryLimits(): RetryLimits {
    return {
      ...GRAPH_RETRY,
      ...(this.options.maxRetries !== undefined ? { maxRetries: this.options.maxRetries } : {}),
      ...(this.options.maxRetryWaitMs !== undefined ? { maxRetryAfterMs: this.options.maxRetryWaitMs } : {}),
    };
  }

  /** The token; one that cannot be had is the connection's to fix, never a crash. */
  private async accessToken(): Promise<string> {
    try {
      return await this.options.getAccessToken();
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      throw new OutlookError('auth-failed', `PlanBridge could not get a Microsoft Graph token for ${this.account} (the sign-in expired or was revoked). ${this.auth === 'delegated' ? 'Sign in again with "connect outlook".' : 'Check the app registration\'s credentials.'}`, { needsAttention: true });
    }
  }

  private async once(call: GraphCall, url: string): Promise<Outcome> {
    const token = await this.accessToken();
    this.requestCount += 1;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`, Accept: 'application/json',
      ...(call.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...call.headers,
    };
    let response: Response;
    try {
      response = await this.fetch(url, { method: call.method, headers, ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}) });
    } catch (err) {
      // A refused address, redirect or origin is the person's to fix, not the network's.
      if (err instanceof UnsafeUrlError) throw new OutlookError('unreachable', err.message, { needsAttention: true });
      return { kind: 'network', message: (err as Error).message };
    }
    if (!response.ok) return { kind: 'http', error: await GraphHttpError.from(response), retryAfter: response.headers.get('retry-after') };
    const text = response.status === 204 || response.status === 202 ? '' : await response.text();
    return { kind: 'ok', answer: { status: response.status, body: text.trim() ? JSON.parse(text) : {}, headers: response.headers } };
  }
}
