import { DefaultInit, SPQueryable, spGet, spPost, spPostMerge, type ISPQueryable } from '@pnp/sp';
import { decideRetry, withOverrides } from '../../net/retry-policy.js';
import { InjectHeaders, type Queryable } from '@pnp/queryable';
import { PlanConnectorError } from '../ppm.js';
import { authorizationHeader, describeAuth, needsFormDigest, type PwaAuth } from './auth.js';
import { createNtlmFetch, parseNtlmUser } from './ntlm/index.js';
import { notJsonAnswer, pagingStopped, toPlanError, PwaHttpError } from './errors.js';
import { DEFAULT_DIGEST_SECONDS, DIGEST_EARLY_REFRESH_SECONDS, PWA_MAX_IN_FLIGHT, PWA_RETRY } from './limits.js';
import { readPages, type Page } from './page-pool.js';
// --- URL safety (issue 16): imports ---
import { createGuardedFetch, siteGuard, type FetchLike } from '../../net/guarded-fetch.js';
import { createGuardedAgents, type NetworkGuard } from '../../net/guarded-agent.js';
import { checkUrlText, UnsafeUrlError } from '../../net/url-safety.js';
import type { ClientTuning } from '../../net/client-tuning.js';
import { NextLinks } from '../../net/next-links.js';
// --- end URL safety ---

/**
 * The PWA transport on PnPjs: auth header, form digest for on-premises writes (refreshed once when
 * the server says it expired), retries by the shared policy (net/retry-policy.ts with PWA's
 * limits.ts: Retry-After honoured, backoff with jitter, reads retried after network errors), raw JSON parsing so
 * paging links survive, and both JSON formats folded into one plain shape.
 */

export type PwaJsonFormat = 'verbose' | 'minimalmetadata' | 'nometadata';

export interface PwaClientOptions extends ClientTuning {
  siteUrl: string;
  auth: PwaAuth;
  format?: PwaJsonFormat;
}

const DIGEST_INVALID = '-2130575251';
const NO_DIGEST = 'X-PlanBridge-NoDigest';

export type Row = Record<string, unknown>;

export interface ConcurrentReadOptions {
  /** Pages in flight at once (default limits.ts). */
  maxInFlight?: number;
  /** Each page as it arrives, by index. */
  onPage?: (index: number, rows: Row[]) => void;
}

/**
 * Removes OData wrappers: `d`, `results`, `__metadata`, `__deferred`, `odata.*` annotations. What
 * has none (every row in nometadata) is returned as it is, not copied: a 5,000-task read no longer
 * makes a second copy of each row, and of each row's parent and assignments, for the collector.
 */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return plainItems(value);
  if (!value || typeof value !== 'object') return value;
  const obj = value as Row;
  if (Array.isArray(obj.results)) return plainItems(obj.results);
  if ('__deferred' in obj) return undefined;
  let out: Row | null = null;
  // for...in: parsed JSON has own properties only, and no array of pairs is made per object.
  for (const k in obj) {
    const v = obj[k];
    const p = k === '__metadata' || k.startsWith('odata.') || k.includes('@odata.') ? undefined : plain(v);
    if (out === null && p !== v) out = copyBefore(obj, k);
    if (out !== null && p !== undefined) out[k] = p;
  }
  return out ?? obj;
}

function plainItems(items: unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < items.length; i++) {
    const p = plain(items[i]);
    if (out === null && p !== items[i]) out = items.slice(0, i);
    if (out !== null) out.push(p);
  }
  return out ?? items;
}

/** The properties of `obj` before `key`, which `plain` kept as they were. */
function copyBefore(obj: Row, key: string): Row {
  const out: Row = {};
  for (const k in obj) {
    if (k === key) break;
    out[k] = obj[k];
  }
  return out;
}

export class PwaClient {
  readonly siteUrl: string;
  readonly format: PwaJsonFormat;
  /** HTTP requests sent, retries included (for benchmarks and tests). */
  requestCount = 0;
  private readonly root: ISPQueryable;
  private digest: { value: string; expires: number } | null = null;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: FetchLike;
  /** The method each answer was asked with, for the parse step (which sees only the answer). */
  private readonly methods = new WeakMap<Response, string>();

  constructor(private readonly options: PwaClientOptions) {
    this.siteUrl = options.siteUrl.replace(/\/+$/, '');
    this.fetch = guardedFetchFor(this.siteUrl, options);
    this.format = options.format ?? 'nometadata';
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const accept = `application/json;odata=${this.format}`;
    const client = this;
    this.root = SPQueryable(this.siteUrl).using(
      DefaultInit(),
      InjectHeaders({ Accept: accept, 'Content-Type': accept }),
      (instance: Queryable) => {
        instance.on.auth.replace(async function (url: URL, init: RequestInit): Promise<[URL, RequestInit]> {
          const headers = init.headers as Record<string, string>;
          const authorization = await authorizationHeader(client.options.auth);
          if (authorization) headers.Authorization = authorization;
          const method = (init.method ?? 'GET').toUpperCase();
          if (needsFormDigest(client.options.auth) && method !== 'GET' && !headers[NO_DIGEST]) {
            headers['X-RequestDigest'] = await client.formDigest();
          }
          delete headers[NO_DIGEST];
          return [url, init];
        });
        instance.on.send.replace(async function (url: URL, init: RequestInit): Promise<Response> {
          return client.send(url, init);
        });
        instance.on.parse.replace(async function (url: URL, response: Response): Promise<[URL, Response, unknown]> {
          if (!response.ok) throw await PwaHttpError.from(response);
          if (response.status === 204) return [url, response, {}];
          const text = await response.text();
          if (!text.trim()) return [url, response, {}];
          try {
            return [url, response, JSON.parse(text)];
          } catch {
            throw notJsonAnswer(client.siteUrl, response.status, response.headers.get('content-type'), client.methods.get(response) ?? 'GET');
          }
        });
        return instance;
      },
    );
  }

  get authDescription(): string {
    return describeAuth(this.options.auth);
  }

  private async send(url: URL, init: RequestInit): Promise<Response> {
    const limits = withOverrides(PWA_RETRY, this.options);
    const method = (init.method ?? 'GET').toUpperCase();
    let digestRefreshed = false;
    for (let attempt = 0; ; attempt += 1) {
      // A page found to be past the end of a collection is called off (page-pool.ts), retries included.
      init.signal?.throwIfAborted();
      this.requestCount += 1;
      let response: Response;
      try {
        response = await this.fetch(url, init);
      } catch (err) {
        if (init.signal?.aborted) throw err;
        // --- URL safety (issue 16): a refused address, redirect or origin is the person's to fix ---
        if (err instanceof UnsafeUrlError) throw new PlanConnectorError('unreachable', err.message, { needsAttention: true });
        // --- end URL safety ---
        // Reads are safe to send again; a write may have landed, so the caller's journal decides.
        const decision = decideRetry({ network: true, idempotent: method === 'GET' }, attempt, limits);
        if (decision.retry) {
          this.options.logger?.info({ waitMs: decision.delayMs, attempt: attempt + 1 }, 'pwa unreachable; trying again');
          await this.sleep(decision.delayMs);
          continue;
        }
        throw new PlanConnectorError('unreachable', `Cannot reach Project Web App at ${this.siteUrl} (${(err as Error).message}). Check the URL and that the server is up.`);
      }
      // A gateway's 502/504 on a write is not sent again either (retry-policy.ts).
      const decision = response.ok ? null : decideRetry({ status: response.status, retryAfter: response.headers.get('retry-after'), network: false, idempotent: method === 'GET' }, attempt, limits);
      if (decision?.retry) {
        this.options.logger?.info({ status: response.status, waitMs: decision.delayMs, attempt: attempt + 1, reason: decision.reason }, 'pwa throttled or unavailable; waiting');
        await response.body?.cancel();
        await this.sleep(decision.delayMs);
        continue;
      }
      const headers = init.headers as Record<string, string>;
      if (response.status === 403 && headers['X-RequestDigest'] && !digestRefreshed) {
        const body = await response.clone().text();
        if (body.includes(DIGEST_INVALID)) {
          this.options.logger?.info('pwa form digest expired; fetching a new one');
          this.digest = null;
          headers['X-RequestDigest'] = await this.formDigest();
          digestRefreshed = true;
          continue;
        }
      }
      this.methods.set(response, method);
      return response;
    }
  }

  /** Form digest for on-premises writes, cached until shortly before it expires. */
  private async formDigest(): Promise<string> {
    if (this.digest && this.digest.expires > Date.now()) return this.digest.value;
    const raw = (await this.call(() => spPost(SPQueryable([this.root, `${this.siteUrl}/_api/contextinfo`]), { headers: { [NO_DIGEST]: '1' } }))) as Row;
    const info = plain(raw.d ?? raw) as Row;
    const ctx = (info.GetContextWebInformation ?? info) as Row;
    const value = String(ctx.FormDigestValue ?? '');
    const seconds = Number(ctx.FormDigestTimeoutSeconds ?? DEFAULT_DIGEST_SECONDS);
    this.digest = { value, expires: Date.now() + Math.max(0, seconds - DIGEST_EARLY_REFRESH_SECONDS) * 1000 };
    return value;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toPlanError(err, this.authDescription);
    }
  }

  private query(path: string, params: Record<string, string> = {}): ISPQueryable {
    const q = path.startsWith('http') ? SPQueryable([this.root, path]) : SPQueryable(this.root, `_api/${path}`);
    for (const [k, v] of Object.entries(params)) q.query.set(k, v);
    return q;
  }

  /** GET one entity, unwrapped. */
  async get(path: string, params: Record<string, string> = {}): Promise<Row> {
    const body = (await this.call(() => spGet(this.query(path, params)))) as Row;
    return plain((body.d as Row | undefined) ?? body) as Row;
  }

  /** GET a collection, following `__next` / `odata.nextLink` to the end. */
  async getAll(path: string, params: Record<string, string> = {}): Promise<Row[]> {
    const rows: Row[] = [];
    let next: string | null = null;
    let first = true;
    const links = new NextLinks();
    while (first || next) {
      const page = await this.page(first ? this.query(path, params) : this.query(next!));
      first = false;
      rows.push(...page.rows);
      next = page.next;
      const stopped = next ? links.follow(next) : undefined;
      if (stopped) throw pagingStopped(this.siteUrl, stopped);
    }
    return rows;
  }

  /**
   * GET a collection of entities with an `Id`, its later pages fetched up to `maxInFlight` at a
   * time by `$skip` (page-pool.ts). Should the pages not fit together (a row twice, as when the plan
   * is published mid-read), it reads again one page after another, so the result is never worse
   * than `getAll`. `onPage` sees each page read concurrently as it arrives (not the pages of that
   * second read): the result may still be another read's rows.
   */
  async getAllConcurrently(path: string, params: Record<string, string> = {}, options: ConcurrentReadOptions = {}): Promise<Row[]> {
    const first = await this.page(this.query(path, params));
    options.onPage?.(0, first.rows);
    if (!first.next || first.rows.length === 0) return first.rows;
    const size = first.rows.length;
    const readPage = (index: number, signal: AbortSignal) => this.page(this.query(path, { ...params, $skip: String(index * size) }), signal);
    const rows = await readPages(first, readPage, options.maxInFlight ?? PWA_MAX_IN_FLIGHT, options.onPage);
    if (rows === null) {
      this.options.logger?.info({ path }, 'pwa pages did not fit together; reading them in order');
      return this.getAll(path, params);
    }
    return rows;
  }

  private async page(query: ISPQueryable, signal?: AbortSignal): Promise<Page> {
    const body = (await this.call(() => spGet(query, signal ? { signal } : undefined))) as Row;
    const d = body.d as Row | undefined;
    const page = (d ? d.results : body.value) as unknown[] | undefined;
    return {
      rows: (page ?? []).map((row) => plain(row) as Row),
      next: (d ? (d.__next as string | undefined) : (body['odata.nextLink'] as string | undefined)) ?? null,
    };
  }

  /** POST to a service operation; `parameters` become `{ parameters: {...} }` with the verbose type when needed. */
  async post(path: string, parameters?: Row, parameterType?: string): Promise<Row> {
    let body: string | undefined;
    if (parameters) {
      const p = this.format === 'verbose' && parameterType ? { __metadata: { type: parameterType }, ...parameters } : parameters;
      body = JSON.stringify({ parameters: p });
    }
    const result = (await this.call(() => spPost(this.query(path), body === undefined ? {} : { body }))) as Row;
    return plain((result.d as Row | undefined) ?? result) as Row;
  }

  /** MERGE (POST + X-HTTP-Method) of changed properties only. */
  async merge(path: string, changes: Row, entityType: string): Promise<void> {
    const body = this.format === 'verbose' ? { __metadata: { type: entityType }, ...changes } : changes;
    await this.call(() => spPostMerge(this.query(path), { body: JSON.stringify(body), headers: { 'IF-MATCH': '*' } }));
  }

  /** CSOM ProcessQuery (XML in, JSON array out). Throws when the response carries ErrorInfo. */
  async processQuery(xml: string): Promise<unknown[]> {
    const result = (await this.call(() => spPost(this.query(`${this.siteUrl}/_vti_bin/client.svc/ProcessQuery`), {
      body: xml, headers: { 'Content-Type': 'text/xml', Accept: 'application/json' },
    }))) as unknown[];
    const head = (Array.isArray(result) ? result[0] : null) as { ErrorInfo?: { ErrorMessage?: string; ErrorCode?: number; ErrorTypeName?: string } | null } | null;
    if (head?.ErrorInfo) {
      throw toPlanError(new PwaHttpError(500, `${head.ErrorInfo.ErrorCode ?? -1}, ${head.ErrorInfo.ErrorTypeName ?? ''}`, head.ErrorInfo.ErrorMessage ?? 'CSOM request failed'), this.authDescription);
    }
    return result;
  }
}

// --- URL safety (issue 16): the one place PWA requests leave the process ---
/** Every request goes through the guarded agents, to the site's origin only, never following a redirect. */
function guardedFetchFor(siteUrl: string, options: PwaClientOptions): FetchLike {
  const guard = siteGuard(siteUrl, 'Project Web App', options);
  if (options.auth.kind === 'ntlm') return ntlmFetchFor(siteUrl, options.auth, guard);
  return createGuardedFetch(guard);
}

/**
 * Windows authentication signs in a connection, not a request: one keep-alive socket through the
 * guarded agents (so the address checks still hold), requests one at a time, the site's origin only.
 */
function ntlmFetchFor(siteUrl: string, auth: Extract<PwaAuth, { kind: 'ntlm' }>, guard: NetworkGuard & { origin?: string; what: string }): FetchLike {
  const agents = createGuardedAgents(guard, { keepAlive: true, maxSockets: 1 });
  const credentials = { ...parseNtlmUser(auth.username), password: auth.password };
  let protocol = 'https:';
  try { protocol = new URL(siteUrl).protocol; } catch { /* refused by checkUrlText below */ }
  const ntlm = createNtlmFetch({ credentials, agent: agents.forProtocol(protocol), ...(guard.origin ? { origin: guard.origin } : {}) });
  const send = async (url: URL | string, init?: RequestInit): Promise<Response> => {
    checkUrlText(url, guard.policy, guard.what);
    const response = await ntlm(url, init);
    // Never followed, as for the other methods: the credentials answer the connected server only.
    if (response.status >= 300 && response.status < 400) {
      throw new UnsafeUrlError('redirect', `${guard.what} answered with a redirect to ${response.headers.get('location') ?? 'another address'}; PlanBridge does not follow redirects with credentials. Connect with the final address of the site.`);
    }
    return response;
  };
  return Object.assign(send, { close: () => { ntlm.close(); agents.destroy(); } });
}
// --- end URL safety ---
