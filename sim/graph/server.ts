import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrustedIssuer } from '../entra/jwt.js';
import { demoAccessPolicies, type ApplicationAccessPolicy } from './access-policy.js';
import { CHALLENGE, identify } from './auth.js';
import { runBatch } from './batch.js';
import type { Calendars, Invitation } from './calendars.js';
import type { Directory, GraphUser } from './directory.js';
import { GraphError } from './errors.js';
import { ConnectionReset, dispatch, errorResponse, type GraphService } from './router.js';
import { seededState, type GraphSeed } from './seed.js';
import { Throttling, type ChaosOptions, type Fault, type MailboxLimitOptions } from './throttling.js';
import type { GraphRequest, GraphResponse } from './wire.js';
import { readBody, header } from '../shared/http.js';

export { GRAPH_DEMO_CREDENTIALS, GRAPH_APP_ID, GRAPH_RESOURCE } from './auth.js';
export { OUTLOOK_LIMITS } from './throttling.js';
export { BATCH_LIMIT } from './batch.js';
export type { ApplicationAccessPolicy } from './access-policy.js';
export type { Invitation } from './calendars.js';
export type { GraphUser } from './directory.js';

/**
 * A local Microsoft Graph for Outlook calendar events and the directory, at `/v1.0/`, as
 * ../shared/notes/graph-outlook-events.md describes it. `npm run sim` serves it on
 * http://127.0.0.1:8085/v1.0 (GRAPH_SIM_PORT).
 */
export interface GraphSimulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Delay added to every request, while it is in flight (it holds its concurrency slot). */
  latencyMs?: number;
  /** Token issuers whose JWTs are accepted (the Entra simulator's `trust`). */
  trustedIssuers?: TrustedIssuer[];
  /** Accept `demo-graph-token` and friends (local mode). Default true. */
  acceptDemoTokens?: boolean;
  /** Exchange application access policies (default: the demo policy for PlanBridge's app). */
  accessPolicies?: ApplicationAccessPolicy[];
  /** Outlook limits (defaults: the real ones). */
  limits?: MailboxLimitOptions;
  chaos?: ChaosOptions;
  seed?: GraphSeed;
  /** Clock for createdDateTime and friends. */
  now?: () => number;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  /** The app id of the caller, when known. */
  appId: string | null;
}

export interface GraphSimulator {
  /** e.g. http://127.0.0.1:8085 */
  url: string;
  /** `${url}/v1.0`, what a client takes as its base URL. */
  apiUrl: string;
  readonly directory: Directory;
  readonly calendars: Calendars;
  /** Meeting mail the service would have sent: request, update, cancel, per attendee. */
  readonly invitations: Invitation[];
  readonly requests: RequestRecord[];
  clearRequests(): void;
  /** Highest number of mailbox requests seen in flight at once, per concurrency key. */
  peakInFlight(): number;
  reset(seed?: GraphSeed): void;
  addUser(user: GraphUser): void;
  setAccessPolicies(policies: ApplicationAccessPolicy[]): void;
  injectFault(fault: Fault): void;
  setChaos(options: ChaosOptions): void;
  setLimits(options: MailboxLimitOptions): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export function graphSimulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GraphSimulatorOptions {
  const n = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
  const options: GraphSimulatorOptions = {};
  if (n('GRAPH_SIM_LATENCY_MS') !== undefined) options.latencyMs = n('GRAPH_SIM_LATENCY_MS');
  if (n('GRAPH_SIM_CONCURRENCY') !== undefined) options.limits = { concurrent: n('GRAPH_SIM_CONCURRENCY') };
  if (n('GRAPH_SIM_ERROR_RATE') !== undefined || n('GRAPH_SIM_THROTTLE_RATE') !== undefined) {
    options.chaos = { errorRate: n('GRAPH_SIM_ERROR_RATE') ?? 0, throttleRate: n('GRAPH_SIM_THROTTLE_RATE') ?? 0 };
  }
  return options;
}

const API_PREFIX = '/v1.0';
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  let latencyMs = options.latencyMs ?? 0;
  let state = seededState(options.seed ?? 'demo', now);
  let policies = options.accessPolicies ?? demoAccessPolicies();
  const throttling = new Throttling(options.limits, now);
  if (options.chaos) throttling.setChaos(options.chaos);
  const auth = { issuers: options.trustedIssuers ?? [], acceptDemoTokens: options.acceptDemoTokens ?? true };
  const requests: RequestRecord[] = [];
  let origin = '';
  const service = (): GraphService => ({
    directory: state.directory, calendars: state.calendars, policies: () => policies, throttling, latencyMs: () => latencyMs, base: `${origin}${API_PREFIX}`,
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const body = await readBody(req);
    if (url.pathname.startsWith('/_sim/')) return admin(req.method ?? 'GET', url.pathname, body, res);
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0, appId: null };
    requests.push(record);
    const requestId = randomUUID();
    const clientRequestId = header(req, 'client-request-id') ?? requestId;
    const send = (r: GraphResponse): void => {
      record.status = r.status;
      const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId, ...r.headers };
      if (r.body === null) {
        res.writeHead(r.status, headers);
        res.end();
        return;
      }
      res.writeHead(r.status, { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...headers });
      res.end(JSON.stringify(r.body));
    };
    const fail = (err: GraphError): void => send(errorResponse(err, requestId, clientRequestId));

    const inPrefix = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    if (!inPrefix) return fail(new GraphError(400, 'BadRequest', `Invalid version: the simulator serves ${API_PREFIX} only.`));
    const request: GraphRequest = {
      method: (req.method ?? 'GET').toUpperCase(), path: url.pathname.slice(API_PREFIX.length), query: url.searchParams,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])), body,
    };
    try {
      const caller = identify(request.headers.authorization, state.directory, auth);
      record.appId = caller.appId;
      const svc = service();
      const run = async (inner: GraphRequest): Promise<GraphResponse> => {
        try {
          return await dispatch(svc, inner, caller);
        } catch (err) {
          if (err instanceof GraphError) return errorResponse(err, randomUUID(), clientRequestId);
          if (err instanceof ConnectionReset) return errorResponse(new GraphError(503, 'serviceNotAvailable', 'The connection was reset.'), randomUUID(), clientRequestId);
          throw err;
        }
      };
      if (request.path.toLowerCase() === '/$batch') {
        if (request.method !== 'POST') throw new GraphError(405, 'BadRequest', 'Batch requests must be POST.');
        return send(await runBatch(request, run));
      }
      send(await dispatch(svc, request, caller));
    } catch (err) {
      if (err instanceof ConnectionReset) { req.socket.destroy(); return; }
      if (!(err instanceof GraphError)) throw err;
      if (err.status === 401) err.headers['www-authenticate'] = CHALLENGE;
      fail(err);
    }
  }

  /** Admin routes for demos and tests (no auth; loopback only by default). */
  function admin(method: string, path: string, body: string, res: ServerResponse): void {
    const input = (body.trim() ? JSON.parse(body) : {}) as Record<string, unknown>;
    const reply = (status: number, data: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    switch (`${method} ${path}`) {
      case 'GET /_sim/state':
        return reply(200, {
          mailboxes: state.directory.users.map((u) => ({ user: u.userPrincipalName, mail: u.mail, exchangeOnline: u.exchangeOnline, events: state.calendars.inCalendar(u.id).length })),
          accessPolicies: policies,
        });
      case 'GET /_sim/invitations': return reply(200, state.calendars.invitations);
      case 'POST /_sim/reset': sim.reset(input.seed === 'empty' ? 'empty' : input.seed === 'demo' ? 'demo' : undefined); return reply(200, { ok: true });
      case 'POST /_sim/faults': sim.injectFault(input as unknown as Fault); return reply(200, { ok: true });
      case 'POST /_sim/chaos': sim.setChaos(input); return reply(200, { ok: true });
      case 'POST /_sim/limits': sim.setLimits(input); return reply(200, { ok: true });
      case 'POST /_sim/latency': sim.setLatency(Number(input.ms ?? 0)); return reply(200, { ok: true });
      case 'POST /_sim/access-policies': sim.setAccessPolicies((input.policies ?? []) as ApplicationAccessPolicy[]); return reply(200, { ok: true });
      default:
        return reply(404, { error: `Unknown admin route ${method} ${path}. Try GET /_sim/state, GET /_sim/invitations, POST /_sim/reset, /_sim/faults, /_sim/chaos, /_sim/limits, /_sim/latency, /_sim/access-policies.` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const sim: GraphSimulator = {
    url: origin,
    apiUrl: `${origin}${API_PREFIX}`,
    get directory() { return state.directory; },
    get calendars() { return state.calendars; },
    get invitations() { return state.calendars.invitations; },
    requests,
    clearRequests: () => { requests.length = 0; },
    peakInFlight: () => Math.max(0, ...throttling.peakInFlight.values()),
    reset: (seed) => {
      state = seededState(seed ?? options.seed ?? 'demo', now);
      policies = options.accessPolicies ?? demoAccessPolicies();
      throttling.clear();
    },
    addUser: (u) => state.directory.add(u),
    setAccessPolicies: (p) => { policies = p; },
    injectFault: (f) => throttling.inject(f),
    setChaos: (o) => throttling.setChaos(o),
    setLimits: (o) => throttling.configure(o),
    setLatency: (ms) => { latencyMs = ms; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return sim;
}

