import * as azdev from 'azure-devops-node-api';
import http from 'node:http';
import https from 'node:https';
import type { IRequestHandler } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js';
import type { CoreApi } from 'azure-devops-node-api/CoreApi.js';
import type { WorkApi } from 'azure-devops-node-api/WorkApi.js';
import type { WorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi.js';
import type { IWorkItemTrackingProcessApi } from 'azure-devops-node-api/WorkItemTrackingProcessApi.js';
import type { Logger } from '../../log.js';
import { DEFAULT_MAX_IN_FLIGHT } from './limits.js';
import { createGuardedAgents, type GuardedAgents, type NetworkGuard } from '../../net/guarded-agent.js';
import { UnsafeUrlError } from '../../net/url-safety.js';
import { AdoAuthHandler, type AdoCredentialKind, type AdoCredentials } from './auth.js';
import { AdoConnectorError, isConflict, statusOf, toAdoError, type Operation } from './errors.js';
import { RequestGate, type RateLimitInfo } from '../../net/request-gate.js';
import { decideRetry, DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { locatedWitClient } from './wit-client.js';

/**
 * One connection to one organization: one WebApi and one client of each kind (their discovery
 * answers are cached per instance), a request gate, the retry policy, and the connection's health.
 */
export interface SessionOptions {
  orgUrl: string;
  credentials: AdoCredentials;
  logger?: Logger;
  maxInFlight?: number;
  retry?: Partial<RetryOptions>;
  sleep?: (ms: number) => Promise<void>;
  /** Socket timeout per request (default 60 s). */
  timeoutMs?: number;
  /** The URL policy every socket of this session is opened under (and, in tests, the resolver and connector). */
  network: NetworkGuard;
}

export interface CallOptions {
  /** Safe to resend as is (reads, and updates guarded by `test /rev`). Default true. */
  idempotent?: boolean;
  /** For non-idempotent calls: before a retry, find out whether the first attempt landed. */
  recover?: () => Promise<unknown | undefined>;
  /** Wait ahead of other queued calls (see RequestGate.run). */
  first?: boolean;
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
  private readonly agents: GuardedAgents;
  private readonly auth: AdoAuthHandler;
  private coreApi?: Promise<CoreApi>;
  private witApi?: Promise<WorkItemTrackingApi>;
  private workApi?: Promise<WorkApi>;
  private processApi?: Promise<IWorkItemTrackingProcessApi>;
  private firstClient?: Promise<void>;

  constructor(options: SessionOptions) {
    this.orgUrl = options.orgUrl;
    this.logger = options.logger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.gate = new RequestGate({ maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, sleep: this.sleep });
    // Kept-alive sockets: against dev.azure.com each new one costs a TLS handshake.
    this.agents = createGuardedAgents(options.network, { keepAlive: true });
    this.auth = new AdoAuthHandler(options.credentials);
    // Retries are ours (the library never retries 429 and ignores Retry-After).
    this.webApi = new azdev.WebApi(options.orgUrl, guardedHandler(this.auth, this.agents, options.orgUrl.startsWith('https:')), {
      allowRetries: false,
      // A redirect would carry the PAT to wherever the server points; a 3xx is reported instead.
      allowRedirects: false,
      keepAlive: true,
      socketTimeout: options.timeoutMs ?? 60_000,
    }, { productName: 'PlanBridge', productVersion: '0.1.0' });
  }

  get connectionHealth(): ConnectionHealth {
    return this.health;
  }

  /** PAT or Microsoft Entra: errors and advice are worded for the credential in use. */
  get credentialKind(): AdoCredentialKind {
    return this.auth.kind;
  }

  core(): Promise<CoreApi> {
    this.coreApi ??= this.client(() => this.webApi.getCoreApi()).catch((e: unknown) => { this.coreApi = undefined; throw e; });
    return this.coreApi;
  }

  /**
   * The wit client with its resource locations (OPTIONS wit) in hand (wit-client.ts). The library
   * keeps them only once an answer is in, so calls made at the same moment (reads of several
   * scopes at once) would each ask; here they are asked for once, before any call.
   */
  wit(): Promise<WorkItemTrackingApi> {
    this.witApi ??= locatedWitClient({
      webApi: this.webApi, orgUrl: this.orgUrl, gate: this.gate, refreshAuth: () => this.auth.refresh(),
      makeClient: () => this.client(() => this.webApi.getWorkItemTrackingApi()),
    }).catch((e: unknown) => { this.witApi = undefined; throw e; });
    return this.witApi;
  }

  work(): Promise<WorkApi> {
    this.workApi ??= this.client(() => this.webApi.getWorkApi()).catch((e: unknown) => { this.workApi = undefined; throw e; });
    return this.workApi;
  }

  /** The work item tracking process API (`_apis/work/processes`): inherited and XML processes. */
  processes(): Promise<IWorkItemTrackingProcessApi> {
    this.processApi ??= this.client(() => this.webApi.getWorkItemTrackingProcessApi()).catch((e: unknown) => { this.processApi = undefined; throw e; });
    return this.processApi;
  }

  /**
   * Makes a client once the first one exists. The WebApi keeps the resource areas' answer but not
   * the request for it, so clients made at the same moment (reads of several scopes at once) would
   * each send OPTIONS Location and GET ResourceAreas; the first one asks and the others reuse it.
   */
  private client<T>(make: () => Promise<T>): Promise<T> {
    const made = this.firstClient ? this.firstClient.then(make) : make();
    this.firstClient ??= made.then(() => undefined, () => { this.firstClient = undefined; });
    return made;
  }

  /**
   * Runs one ADO call through the gate with the retry policy, and maps failures to
   * `AdoConnectorError`. Conflicts (409/412/TF26071) are rethrown as is for the caller to judge.
   */
  async call<T>(op: Operation, work: () => Promise<T>, options: CallOptions = {}): Promise<T> {
    const idempotent = options.idempotent ?? true;
    let renewed = false;
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.stats.calls += 1;
        // The token is fetched after the gate's wait, so a long Retry-After never sends a stale one.
        const result = await this.gate.run(async () => { await this.auth.refresh(); return work(); }, { first: options.first });
        this.gate.observe((result as { rateLimit?: RateLimitInfo } | null)?.rateLimit);
        this.markHealthy();
        return result;
      } catch (err) {
        this.gate.observe((err as { rateLimit?: RateLimitInfo } | null)?.rateLimit);
        if (isConflict(err)) throw err;
        // A bearer token refused once (revoked, or expired early): drop it and try once with a new one.
        if (statusOf(err) === 401 && !renewed && this.auth.invalidate()) {
          renewed = true;
          continue;
        }
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
    this.agents.destroy();
  }

  /** A null result from the library means 404 or a 203 sign-in page; tell them apart. */
  async explainNull(op: Operation): Promise<AdoConnectorError> {
    try {
      const res = await this.gate.run(async () => { await this.auth.refresh(); return this.webApi.rest.get(this.webApi.vsoClient.resolveUrl('/_apis/connectionData')); });
      if (res.statusCode === 203) return this.fail({ statusCode: 203 }, op);
      if (res.statusCode === 404 || !res.result) return this.fail({ message: 'Failed to find api location' }, op);
    } catch (err) {
      return this.fail(err, op);
    }
    return this.fail({ statusCode: 404, result: null }, op);
  }

  /** An answer of a shape Azure DevOps never sends (a look-alike server, a proxy page), said plainly. */
  unexpectedAnswer(op: Operation): AdoConnectorError {
    return this.fail(new TypeError('unexpected answer'), op);
  }

  private markHealthy(): void {
    this.health = 'ok';
    this.everWorked = true;
  }

  /** Failures of the URL guard and of an answer that is not Azure DevOps's, said plainly. */
  private guardFailure(err: unknown, op: Operation): AdoConnectorError | undefined {
    // The agent refused the address at connect (e.g. the name now resolves to a private one).
    if (err instanceof UnsafeUrlError) return new AdoConnectorError(err.reason === 'unresolvable' ? 'unreachable' : 'invalid-url', err.message, { needsAttention: err.reason !== 'unresolvable' });
    const status = statusOf(err);
    if (status !== undefined && status >= 300 && status < 400) {
      return new AdoConnectorError('invalid-url', `The server at ${this.orgUrl} answered with a redirect (${status}) while PlanBridge tried to ${op.what}. PlanBridge does not follow redirects, so the token never goes to another address. Use the organization's final URL (open it in a browser to see where it leads).`, { status });
    }
    // The library trips over answers of a shape Azure DevOps never sends (a look-alike server, a proxy page).
    if (err instanceof TypeError) {
      return new AdoConnectorError('server-error', `The server at ${this.orgUrl} answered in a form Azure DevOps does not use while PlanBridge tried to ${op.what}. Check that the URL points to Azure DevOps and not to another site or a proxy.`);
    }
    return undefined;
  }

  private fail(err: unknown, op: Operation): AdoConnectorError {
    const mapped = this.guardFailure(err, op) ?? toAdoError(err, op, this.orgUrl, this.auth.kind);
    // A 401 on a connection that used to work: the PAT expired or was revoked, or the principal lost access.
    if (mapped.needsAttention && (this.everWorked || mapped.code !== 'missing-scope')) this.health = 'needs-attention';
    this.logger?.warn({ event: 'ado.error', what: op.what, code: mapped.code, status: mapped.details.status ?? null }, mapped.message);
    return mapped;
  }
}

export { AdoConnectorError };

/**
 * Wraps the credential handler so every request of every client (they all share it) goes through the
 * guarded agents: the library picks its own Agent, and this swaps it for the one that checks and
 * pins the address. HTTP(S)_PROXY tunnelling is therefore not used for Azure DevOps.
 */
function guardedHandler(inner: IRequestHandler, agents: GuardedAgents, orgIsHttps: boolean): IRequestHandler {
  return {
    prepareRequest(options: http.RequestOptions): void {
      inner.prepareRequest(options);
      // The library's agent tells the protocol; a proxy tunnel agent does not, so the org URL's is used.
      const tls = options.agent instanceof http.Agent ? options.agent instanceof https.Agent : orgIsHttps;
      options.agent = tls ? agents.https : agents.http;
    },
    canHandleAuthentication: (response) => inner.canHandleAuthentication(response),
    handleAuthentication: (client, requestInfo, data) => inner.handleAuthentication(client, requestInfo, data),
  };
}
