import * as azdev from 'azure-devops-node-api';
import type { CoreApi } from 'azure-devops-node-api/CoreApi.js';
import type { WorkApi } from 'azure-devops-node-api/WorkApi.js';
import type { WorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi.js';
import type { IWorkItemTrackingProcessApi } from 'azure-devops-node-api/WorkItemTrackingProcessApi.js';
import type { Logger } from '../../log.js';
import { AdoConnectorError, isConflict, statusOf, toAdoError, type Operation } from './errors.js';
import { RequestGate, type RateLimitInfo } from './gate.js';
import { decideRetry, DEFAULT_RETRY, type RetryOptions } from './retry.js';

/**
 * One connection to one organization: one WebApi and one client of each kind (their discovery
 * answers are cached per instance), a request gate, the retry policy, and the connection's health.
 */
export interface SessionOptions {
  orgUrl: string;
  pat: string;
  logger?: Logger;
  maxInFlight?: number;
  retry?: Partial<RetryOptions>;
  sleep?: (ms: number) => Promise<void>;
  /** Socket timeout per request (default 60 s). */
  timeoutMs?: number;
}

export interface CallOptions {
  /** Safe to resend as is (reads, and updates guarded by `test /rev`). Default true. */
  idempotent?: boolean;
  /** For non-idempotent calls: before a retry, find out whether the first attempt landed. */
  recover?: () => Promise<unknown | undefined>;
}

export type ConnectionHealth = 'unknown' | 'ok' | 'needs-attention';

export interface SessionStats {
  calls: number;
  retries: number;
  waitedMs: number;
}

export class AdoSession {
  readonly orgUrl: string;
  readonly webApi: azdev.WebApi;
  readonly gate: RequestGate;
  readonly stats: SessionStats = { calls: 0, retries: 0, waitedMs: 0 };
  private health: ConnectionHealth = 'unknown';
  private everWorked = false;
  private readonly retry: RetryOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly logger?: Logger;
  private coreApi?: Promise<CoreApi>;
  private witApi?: Promise<WorkItemTrackingApi>;
  private workApi?: Promise<WorkApi>;
  private processApi?: Promise<IWorkItemTrackingProcessApi>;

  constructor(options: SessionOptions) {
    this.orgUrl = options.orgUrl;
    this.logger = options.logger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.gate = new RequestGate({ maxInFlight: options.maxInFlight, sleep: this.sleep });
    // Retries are ours (the library never retries 429 and ignores Retry-After).
    this.webApi = new azdev.WebApi(options.orgUrl, azdev.getPersonalAccessTokenHandler(options.pat), {
      allowRetries: false,
      // Reuse connections: against dev.azure.com each new one costs a TLS handshake.
      keepAlive: true,
      socketTimeout: options.timeoutMs ?? 60_000,
    }, { productName: 'PlanBridge', productVersion: '0.1.0' });
  }

  get connectionHealth(): ConnectionHealth {
    return this.health;
  }

  core(): Promise<CoreApi> {
    this.coreApi ??= this.webApi.getCoreApi().catch((e: unknown) => { this.coreApi = undefined; throw e; });
    return this.coreApi;
  }

  wit(): Promise<WorkItemTrackingApi> {
    this.witApi ??= this.webApi.getWorkItemTrackingApi().catch((e: unknown) => { this.witApi = undefined; throw e; });
    return this.witApi;
  }

  work(): Promise<WorkApi> {
    this.workApi ??= this.webApi.getWorkApi().catch((e: unknown) => { this.workApi = undefined; throw e; });
    return this.workApi;
  }

  /** The work item tracking process API (`_apis/work/processes`): inherited and XML processes. */
  processes(): Promise<IWorkItemTrackingProcessApi> {
    this.processApi ??= this.webApi.getWorkItemTrackingProcessApi().catch((e: unknown) => { this.processApi = undefined; throw e; });
    return this.processApi;
  }

  /**
   * Runs one ADO call through the gate with the retry policy, and maps failures to
   * `AdoConnectorError`. Conflicts (409/412/TF26071) are rethrown as is for the caller to judge.
   */
  async call<T>(op: Operation, work: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    const idempotent = options.idempotent ?? true;
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.stats.calls += 1;
        const result = await this.gate.run(work);
        this.gate.observe((result as { rateLimit?: RateLimitInfo } | null)?.rateLimit);
        this.markHealthy();
        return result;
      } catch (err) {
        this.gate.observe((err as { rateLimit?: RateLimitInfo } | null)?.rateLimit);
        if (isConflict(err)) throw err;
        const decision = decideRetry(err, attempt, this.retry);
        if (!decision.retry) throw this.fail(err, op);
        if (decision.fromServer) this.gate.pause(decision.delayMs);
        this.stats.retries += 1;
        this.stats.waitedMs += decision.delayMs;
        this.logger?.warn({ event: 'ado.retry', what: op.what, status: statusOf(err) ?? null, reason: decision.reason, delayMs: decision.delayMs, attempt: attempt + 1 }, 'retrying Azure DevOps call');
        await this.sleep(decision.delayMs);
        if (!idempotent && options.recover) {
          const landed = await options.recover();
          if (landed !== undefined) return landed as T;
        }
      }
    }
  }

  /** Closes the kept-alive sockets of every client this session made. The session is unusable after. */
  async dispose(): Promise<void> {
    type Disposable = { dispose(): void };
    const clients = await Promise.allSettled([this.coreApi, this.witApi, this.workApi, this.processApi].filter(Boolean) as Array<Promise<{ http: Disposable; rest: { client: Disposable } }>>);
    const all: Disposable[] = [(this.webApi.rest as unknown as { client: Disposable }).client];
    for (const c of clients) if (c.status === 'fulfilled') all.push(c.value.http, c.value.rest.client);
    for (const d of all) {
      try { d.dispose(); } catch { /* already disposed */ }
    }
  }

  /** A null result from the library means 404 or a 203 sign-in page; tell them apart. */
  async explainNull(op: Operation): Promise<AdoConnectorError> {
    try {
      const res = await this.gate.run(() => this.webApi.rest.get(this.webApi.vsoClient.resolveUrl('/_apis/connectionData')));
      if (res.statusCode === 203) return this.fail({ statusCode: 203 }, op);
      if (res.statusCode === 404 || !res.result) return this.fail({ message: 'Failed to find api location' }, op);
    } catch (err) {
      return this.fail(err, op);
    }
    return this.fail({ statusCode: 404, result: null }, op);
  }

  private markHealthy(): void {
    this.health = 'ok';
    this.everWorked = true;
  }

  private fail(err: unknown, op: Operation): AdoConnectorError {
    const mapped = toAdoError(err, op, this.orgUrl);
    // A 401 on a connection that used to work: the PAT expired or was revoked.
    if (mapped.needsAttention && (this.everWorked || mapped.code !== 'missing-scope')) this.health = 'needs-attention';
    this.logger?.warn({ event: 'ado.error', what: op.what, code: mapped.code, status: mapped.details.status ?? null }, mapped.message);
    return mapped;
  }
}

export { AdoConnectorError };
