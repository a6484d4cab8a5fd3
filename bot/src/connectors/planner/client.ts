import type { Logger } from '../../log.js';
import { createGuardedFetch, siteGuard, type FetchLike } from '../../net/guarded-fetch.js';
import type { Connector } from '../../net/guarded-agent.js';
import { decideRetry, type RetryLimits } from '../../net/retry-policy.js';
import { UnsafeUrlError, type Resolver, type UrlPolicy } from '../../net/url-safety.js';
import { RequestGate } from '../ado/gate.js';
import { UserFacingError } from '../../errors.js';
import { PlanConnectorError } from '../ppm.js';
import { DataverseHttpError, toPlanError } from './errors.js';
import { DATAVERSE_RETRY, DEFAULT_MAX_IN_FLIGHT, MAX_PAGE_SIZE } from './limits.js';

/**
 * The Dataverse Web API transport: plain fetch through the guarded agents (the environment's
 * origin only, no redirects), a delegated bearer token per request, the OData headers the notes
 * prescribe, requests in flight capped by a gate that every Retry-After pauses (the limits are per
 * user, so one 429 speaks for all requests), retries by the shared policy, and paging by
 * `Prefer: odata.maxpagesize` and `@odata.nextLink` followed unchanged ("Reading" in the notes).
 */
export type Row = Record<string, unknown>;

export interface DataverseClientOptions {
  /** Environment URL, e.g. https://contoso.crm4.dynamics.com */
  environmentUrl: string;
  /** A delegated access token for the environment (scope `{environment}/user_impersonation`). */
  getAccessToken: () => Promise<string>;
  /** Names the signed-in account in messages (never a secret), e.g. "pm@contoso.com". */
  account?: string;
  logger?: Logger;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  maxInFlight?: number;
  /** Rows per page asked with `Prefer: odata.maxpagesize` (default and most: 5,000). */
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
  urlPolicy?: UrlPolicy;
  /** Tests: DNS resolution and socket opening. */
  resolve?: Resolver;
  connect?: Connector;
}

const API_PATH = '/api/data/v9.2/';
export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

/** The environment URL without a trailing slash or a pasted Web API path. */
export function environmentOrigin(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/api\/data(\/v[\d.]+)?$/i, '');
}

export class DataverseClient {
  readonly environmentUrl: string;
  readonly apiUrl: string;
  readonly account: string;
  /** HTTP requests sent, retries included (benchmarks and tests). */
  requestCount = 0;
  readonly gate: RequestGate;
  private readonly fetch: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pageSize: number;

  constructor(private readonly options: DataverseClientOptions) {
    this.environmentUrl = environmentOrigin(options.environmentUrl);
    this.apiUrl = `${this.environmentUrl}${API_PATH}`;
    this.account = options.account ?? 'the signed-in account';
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
    this.gate = new RequestGate({ maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, sleep: this.sleep });
    // The environment's origin only, never following a redirect (net/guarded-fetch.ts).
    this.fetch = createGuardedFetch(siteGuard(this.environmentUrl, 'Dataverse', options));
  }

  close(): void {
    this.fetch.close();
  }

  /** GET one row or function result. */
  async get(path: string, params: Record<string, string> = {}, prefer?: string): Promise<Row> {
    return (await this.send('GET', this.url(path, params), undefined, prefer)) as Row;
  }

  /** GET a collection, following every `@odata.nextLink` with the same page size. */
  async getAll(path: string, params: Record<string, string> = {}, prefer?: string): Promise<Row[]> {
    const rows: Row[] = [];
    const paging = [`odata.maxpagesize=${this.pageSize}`, ...(prefer ? [prefer] : [])].join(',');
    let next: string | null = this.url(path, params);
    while (next) {
      const body = (await this.send('GET', next, undefined, paging)) as Row;
      for (const row of (body.value as Row[] | undefined) ?? []) rows.push(row);
      next = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : null;
    }
    return rows;
  }

  /** POST to an unbound action (`{base}/{name}`), e.g. msdyn_PssCreateV1. Never resent after a network error. */
  async action(name: string, parameters: Row): Promise<Row> {
    return (await this.send('POST', this.url(name), JSON.stringify(parameters))) as Row;
  }

  private url(path: string, params: Record<string, string> = {}): string {
    const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    return `${this.apiUrl}${path}${query ? `?${query}` : ''}`;
  }

  private get retryLimits(): RetryLimits {
    return {
      ...DATAVERSE_RETRY,
      ...(this.options.maxRetries !== undefined ? { maxRetries: this.options.maxRetries } : {}),
      ...(this.options.maxRetryWaitMs !== undefined ? { maxRetryAfterMs: this.options.maxRetryWaitMs } : {}),
    };
  }

  private async send(method: 'GET' | 'POST', url: string, body?: string, prefer?: string): Promise<unknown> {
    const limits = this.retryLimits;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.gate.run(() => this.once(method, url, body, prefer));
      if (outcome.kind === 'ok') return outcome.body;
      const decision = outcome.kind === 'network'
        ? decideRetry({ network: true, idempotent: method === 'GET' }, attempt, limits)
        : decideRetry({ status: outcome.error.status, retryAfter: outcome.retryAfter, network: false }, attempt, limits);
      if (!decision.retry) {
        if (outcome.kind === 'network') {
          throw new PlanConnectorError('unreachable', `Cannot reach the Dataverse environment at ${this.environmentUrl} (${outcome.message}). Check the environment URL and try again.`);
        }
        throw toPlanError(outcome.error, this.account);
      }
      // The limits are per user: every request of this connection waits out a Retry-After.
      if (decision.fromServer) this.gate.pause(decision.delayMs);
      this.options.logger?.info({ status: outcome.kind === 'http' ? outcome.error.status : undefined, waitMs: decision.delayMs, attempt: attempt + 1, reason: decision.reason }, 'dataverse throttled or unavailable; waiting');
      await this.sleep(decision.delayMs);
    }
  }

  /** The delegated token; a sign-in that cannot be renewed is the connection's to fix, never a crash. */
  private async accessToken(): Promise<string> {
    try {
      return await this.options.getAccessToken();
    } catch (err) {
      if (err instanceof UserFacingError) throw err;
      throw new PlanConnectorError('auth-failed', `PlanBridge could not get a Microsoft 365 sign-in of ${this.account} for Dataverse (it expired or was revoked). Sign in again with "connect planner".`, { needsAttention: true });
    }
  }

  private async once(method: string, url: string, body: string | undefined, prefer: string | undefined): Promise<
    { kind: 'ok'; body: unknown } | { kind: 'http'; error: DataverseHttpError; retryAfter: string | null } | { kind: 'network'; message: string }
  > {
    const token = await this.accessToken();
    this.requestCount += 1;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json', 'OData-MaxVersion': '4.0', 'OData-Version': '4.0',
      ...(body !== undefined ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
      ...(prefer ? { Prefer: prefer } : {}),
    };
    let response: Response;
    try {
      response = await this.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      // A refused address, redirect or origin is the person's to fix, not the network's.
      if (err instanceof UnsafeUrlError) throw new PlanConnectorError('unreachable', err.message, { needsAttention: true });
      return { kind: 'network', message: (err as Error).message };
    }
    if (!response.ok) return { kind: 'http', error: await DataverseHttpError.from(response), retryAfter: response.headers.get('retry-after') };
    const text = response.status === 204 ? '' : await response.text();
    return { kind: 'ok', body: text.trim() ? JSON.parse(text) : {} };
  }
}
