import { UserFacingError } from '../errors.js';
import { createGuardedFetch, siteGuard, type FetchLike } from './guarded-fetch.js';
import { NextLinks, type PagingStopped } from './next-links.js';
import { decideRetry, withOverrides, type RetryLimits } from './retry-policy.js';
import { UnsafeUrlError } from './url-safety.js';
import type { ClientTuning } from './client-tuning.js';

/**
 * The one transport for Microsoft's OData JSON services called with a bearer token (Graph,
 * Dataverse): the guarded fetch (the service's origin only, no redirects), a token asked before
 * every attempt so a retry carries a renewed one, requests held by the connection's gate, retries
 * by the one policy (retry-policy.ts), and collections read by following `@odata.nextLink`
 * unchanged. Each client passes what differs: its headers, limits, error body and error messages.
 */

/** What a connection's owner tunes or injects (each client documents its defaults). */
export interface ODataConnectionOptions extends ClientTuning {
  getAccessToken: () => Promise<string>;
  /** How long one attempt may take, answer body included (default REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * As ADO's socket timeout (connectors/ado/session.ts): a server that never answers must not hold a
 * gate slot, a run and its lease for ever. A timed-out attempt is a network failure, so a write
 * that may have landed is not sent again.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

export interface ODataRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below the base URL, or a full URL (an `@odata.nextLink`, sent unchanged). */
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether a request that may have landed can be sent again. Default: GET and DELETE only. */
  idempotent?: boolean;
}

export interface ODataAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/** Why a request failed for good; the client says what it means to its users. */
export type TransportFailure<E> =
  | { kind: 'token'; cause: unknown }
  | { kind: 'unsafe-url'; error: UnsafeUrlError }
  | { kind: 'network'; message: string; idempotent: boolean }
  | { kind: 'http'; error: E }
  /** A success status whose body is not JSON: a proxy's or sign-in page, or a truncated answer. Never retried; a write may have landed. */
  | { kind: 'not-json'; status: number; contentType: string | null; idempotent: boolean }
  /** A collection whose `@odata.nextLink` repeated, or ran past MAX_PAGES (next-links.ts): reading stopped. */
  | ({ kind: 'paging' } & PagingStopped);

/** Caps requests in flight; a pause holds every request of the connection (request-gate.ts). */
export interface InFlightGate {
  run<T>(work: () => Promise<T>): Promise<T>;
  pause(ms: number): void;
}

/** What differs between the services. */
export interface ODataService<E extends { status: number }, R extends ODataRequest> {
  /** Names the service in guard messages ("Microsoft Graph"). */
  what: string;
  /** Names it in logs ("graph"). */
  tag: string;
  /** Paths are appended to it, and its origin is the only one called. */
  baseUrl: string;
  /** Sent with every request besides Accept (e.g. OData-Version). */
  headers?: Record<string, string>;
  limits: RetryLimits;
  gate: InFlightGate;
  /** Reads a failed answer's body. */
  readError(response: Response): Promise<E>;
  explain(failure: TransportFailure<E>, request: R): Error;
}

type Attempt<E> =
  | { kind: 'ok'; answer: ODataAnswer }
  | { kind: 'http'; error: E; retryAfter: string | null }
  | { kind: 'network'; message: string }
  | { kind: 'not-json'; status: number; contentType: string | null };

/** OData query text: values percent-encoded (spaces as %20, as the notes ask), `$` names kept. */
export function queryString(query: Record<string, string>): string {
  return Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

function urlOf(baseUrl: string, { path, query }: ODataRequest): string {
  if (/^https?:\/\//i.test(path)) return path;
  const text = query ? queryString(query) : '';
  return `${baseUrl}${path}${text ? `?${text}` : ''}`;
}

export class ODataTransport<E extends { status: number }, R extends ODataRequest = ODataRequest> {
  /** HTTP requests sent, retries included (tests and benchmarks). */
  requestCount = 0;
  private readonly fetch: FetchLike;
  private readonly limits: RetryLimits;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly service: ODataService<E, R>, private readonly connection: ODataConnectionOptions) {
    this.limits = withOverrides(service.limits, connection);
    this.sleep = connection.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.fetch = createGuardedFetch(siteGuard(service.baseUrl, service.what, connection));
  }

  close(): void {
    this.fetch.close();
  }

  /** One request, retried as the policy says; a failure is thrown as the client explains it. */
  async send(request: R): Promise<ODataAnswer> {
    const url = urlOf(this.service.baseUrl, request);
    const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'DELETE');
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.service.gate.run(() => this.once(request, url));
      if (outcome.kind === 'ok') return outcome.answer;
      if (outcome.kind === 'not-json') throw this.service.explain({ ...outcome, idempotent }, request);
      const decision = outcome.kind === 'network'
        ? decideRetry({ network: true, idempotent }, attempt, this.limits)
        : decideRetry({ status: outcome.error.status, retryAfter: outcome.retryAfter, network: false, idempotent }, attempt, this.limits);
      if (!decision.retry) {
        throw this.service.explain(outcome.kind === 'network' ? { kind: 'network', message: outcome.message, idempotent } : { kind: 'http', error: outcome.error }, request);
      }
      this.connection.logger?.info({ status: outcome.kind === 'http' ? outcome.error.status : undefined, waitMs: decision.delayMs, attempt: attempt + 1, reason: decision.reason }, `${this.service.tag} throttled or unavailable; waiting`);
      // The services' limits are per app or user, so a Retry-After holds every request of the
      // connection, and the gate waits it out; a backoff is this request's alone.
      if (decision.fromServer) this.service.gate.pause(decision.delayMs);
      else await this.sleep(decision.delayMs);
    }
  }

  /** Every row of a collection: each page's `value`, following `@odata.nextLink` with the same headers. */
  async all(request: R): Promise<unknown[]> {
    const rows: unknown[] = [];
    const links = new NextLinks();
    let next: R | null = request;
    while (next) {
      const { body } = await this.send(next);
      for (const row of (body?.value as unknown[] | undefined) ?? []) rows.push(row);
      const link: unknown = body?.['@odata.nextLink'];
      if (typeof link !== 'string') break;
      const stopped = links.follow(link);
      if (stopped) throw this.service.explain({ kind: 'paging', ...stopped }, request);
      next = { ...request, path: link, query: {} };
    }
    return rows;
  }

  /** The token; one that cannot be had is the connection's to fix, never a crash. */
  private async accessToken(request: R): Promise<string> {
    try {
      return await this.connection.getAccessToken();
    } catch (cause) {
      if (cause instanceof UserFacingError) throw cause;
      throw this.service.explain({ kind: 'token', cause }, request);
    }
  }

  private async once(request: R, url: string): Promise<Attempt<E>> {
    const token = await this.accessToken(request);
    this.requestCount += 1;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = {
      Accept: 'application/json', ...this.service.headers,
      ...(body !== undefined ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
      ...request.headers,
      Authorization: `Bearer ${token}`,
    };
    let response: Response;
    try {
      response = await this.fetch(url, { method: request.method, headers, signal: AbortSignal.timeout(this.connection.timeoutMs ?? REQUEST_TIMEOUT_MS), ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      // A refused address, redirect or origin is the person's to fix, not the network's.
      if (err instanceof UnsafeUrlError) throw this.service.explain({ kind: 'unsafe-url', error: err }, request);
      return { kind: 'network', message: (err as Error).message };
    }
    if (!response.ok) return { kind: 'http', error: await this.service.readError(response), retryAfter: response.headers.get('retry-after') };
    // Read even when empty (202, 204), so the socket goes back to the pool. A body cut off
    // (reset, timeout) is a network failure like one before the headers.
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      return { kind: 'network', message: (err as Error).message };
    }
    let parsed: unknown = {};
    if (text.trim()) {
      try {
        parsed = JSON.parse(text);
      } catch {
        return { kind: 'not-json', status: response.status, contentType: response.headers.get('content-type') };
      }
    }
    return { kind: 'ok', answer: { status: response.status, body: parsed, headers: response.headers } };
  }
}
