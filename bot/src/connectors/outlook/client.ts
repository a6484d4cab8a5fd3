import { ODataTransport, type ODataAnswer, type ODataConnectionOptions, type ODataRequest } from '../../net/odata-transport.js';
import { RequestGate } from '../../net/request-gate.js';
import { explainGraphFailure, GraphHttpError, type CallContext } from './errors.js';
import { GRAPH_RETRY, GRAPH_V1, MAILBOX_CONCURRENCY } from './limits.js';

export { queryString } from '../../net/odata-transport.js';

/**
 * Microsoft Graph on the shared transport (net/odata-transport.ts): Graph's origin only, a bearer
 * token from `getAccessToken()` per request, requests in flight capped at Outlook's 4 per app by a
 * gate that every Retry-After pauses (the limit is per app, so one 429 speaks for all of this app's
 * requests), Graph's retry limits, and failures as OutlookErrors
 * (../shared/notes/graph-outlook-events.md "Throttling").
 */
export interface GraphClientOptions extends ODataConnectionOptions {
  /** Default https://graph.microsoft.com/v1.0; the simulator's `apiUrl` in tests and local mode. */
  baseUrl?: string;
  /** A Graph access token: delegated (`Calendars.ReadWrite`) or app-only (`roles`). */
  getAccessToken: () => Promise<string>;
  auth: 'delegated' | 'app';
  /** Names the signed-in account or the app in messages (never a secret). */
  account?: string;
  /** Default 4, Outlook's concurrency per app. */
  maxInFlight?: number;
}

export interface GraphCall extends ODataRequest {
  /** Mailbox or directory, for messages. */
  context?: Pick<CallContext, 'mailbox' | 'directory'>;
}

export type GraphAnswer = ODataAnswer;

export class GraphClient {
  readonly baseUrl: string;
  readonly account: string;
  readonly auth: 'delegated' | 'app';
  readonly gate: RequestGate;
  private readonly transport: ODataTransport<GraphHttpError, GraphCall>;

  constructor(options: GraphClientOptions) {
    this.baseUrl = (options.baseUrl ?? GRAPH_V1).replace(/\/+$/, '');
    this.auth = options.auth;
    this.account = options.account ?? (options.auth === 'app' ? "PlanBridge's app" : 'the signed-in account');
    this.gate = new RequestGate({ maxInFlight: options.maxInFlight ?? MAILBOX_CONCURRENCY, sleep: options.sleep });
    this.transport = new ODataTransport({
      what: 'Microsoft Graph', tag: 'graph', baseUrl: this.baseUrl, limits: GRAPH_RETRY, gate: this.gate,
      readError: GraphHttpError.from, explain: (failure, call) => explainGraphFailure(failure, this.context(call.context), this.baseUrl),
    }, options);
  }

  /** HTTP requests sent, retries included (tests and benchmarks). */
  get requestCount(): number {
    return this.transport.requestCount;
  }

  close(): void {
    this.transport.close();
  }

  context(extra: GraphCall['context'] = {}): CallContext {
    return { auth: this.auth, account: this.account, ...extra };
  }

  /** One call, retried as the policy says; a failure comes back as an OutlookError. */
  call(call: GraphCall): Promise<GraphAnswer> {
    return this.transport.send(call);
  }

  /** Every page of a collection, following `@odata.nextLink` unchanged. */
  all(call: Omit<GraphCall, 'method'>): Promise<unknown[]> {
    return this.transport.all({ ...call, method: 'GET' });
  }
}
