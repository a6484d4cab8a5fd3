import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi, requiredScope } from './api.js';
import { authenticate, grants, SIGN_IN_PAGE } from './auth.js';
import { adoErrors, AdoSimError } from './errors.js';
import { FaultPlan, RateLimiter, THROTTLED_MESSAGE, type ChaosOptions, type Fault, type RateLimitOptions } from './faults.js';
import { jsonPieces } from './json-body.js';
import { areaLocations, parseApiVersion, RESOURCE_AREAS, versionsFor, type SimMode } from './locations.js';
import type { TrustedIssuer } from '../entra/jwt.js';
import type { SimPat, SimPatPolicy, SimProject, SimState } from './model.js';
import { servicePrincipal } from './service-principals.js';
import { addBigProject, bareState, demoState, type BigProjectOptions } from './seed.js';
import { addContosoAgile, addVega } from './seed-processes.js';

export { ADO_DEMO_PATS } from './auth.js';
export type { BigProjectOptions } from './seed.js';
export type { ChaosOptions, Fault, RateLimitOptions } from './faults.js';
export type { SimMode } from './locations.js';

export interface AdoSimulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Organization (cloud) or `tfs/{collection}` path (server). Default `contoso` / `tfs/DefaultCollection`. */
  org?: string;
  /** `demo` (default): Phoenix, Atlas, Hermes, Orion, and the inherited process Contoso Agile. `empty`: users and PATs only. */
  seed?: 'demo' | 'empty';
  /**
   * The demo seed also gets Vega, a project on Contoso Agile. Off by default so tests that know
   * the four demo projects by heart keep them; `npm run sim` turns it on (ADO_SIM_VEGA=0: off).
   */
  inheritedProject?: boolean;
  /** `cloud` (default): Azure DevOps Services, api 7.1. `server2019`: advertises 5.0, no resource areas. */
  mode?: SimMode;
  /** Delay before every answer. */
  latencyMs?: number;
  bigProject?: BigProjectOptions;
  rateLimit?: RateLimitOptions;
  chaos?: ChaosOptions;
  /** Answer bad credentials with the 203 sign-in page even when X-TFS-FedAuthRedirect: Suppress is sent. */
  signInPage?: boolean;
  /** Entra issuers whose tokens for the Azure DevOps resource are accepted (the Entra simulator's `trust`). */
  trustedIssuers?: TrustedIssuer[];
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  /** The api-version the client asked for (Accept header), or null. */
  apiVersion: string | null;
}

export interface AdoSimulator {
  /** Organization URL, e.g. http://127.0.0.1:8081/contoso */
  url: string;
  mode: SimMode;
  close(): Promise<void>;
  readonly state: SimState;
  readonly requests: RequestRecord[];
  /** Requests being served now, and the most at once since start or `clearRequests()`. */
  readonly load: { inFlight: number; peakInFlight: number };
  clearRequests(): void;
  reset(seed?: 'demo' | 'empty'): void;
  addBigProject(options?: BigProjectOptions): SimProject;
  injectFault(fault: Fault): void;
  setChaos(options: ChaosOptions): void;
  setRateLimit(options: RateLimitOptions | null): void;
  setLatency(ms: number): void;
  setSignInPage(on: boolean): void;
  /** Adds (or replaces) a PAT with the given scopes for the demo user. */
  addPat(token: string, scopes: string[], validTo?: string): void;
  /** Removes a PAT, as when a user revokes it. */
  revokePat(token: string): void;
  /** Adds a service principal to the organization as a user (by its Entra object id), with scopes for its access. */
  addServicePrincipal(sp: { objectId: string; clientId: string; displayName: string; scopes?: string[] }): void;
  /** Removes a service principal from the organization. */
  removeServicePrincipal(objectId: string): void;
  /** Sets the PAT policies (retired global PATs, a Conditional Access policy refusing PATs). */
  setPatPolicy(policy: Partial<SimPatPolicy>): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Knobs from the environment, for `npm run sim` (tests pass options instead). */
export function adoSimulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AdoSimulatorOptions {
  const n = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
  const options: AdoSimulatorOptions = {};
  if (env.ADO_SIM_MODE === 'server2019' || env.ADO_SIM_MODE === 'cloud') options.mode = env.ADO_SIM_MODE;
  if (n('ADO_SIM_LATENCY_MS') !== undefined) options.latencyMs = n('ADO_SIM_LATENCY_MS');
  if (n('ADO_SIM_RATE_LIMIT') !== undefined) options.rateLimit = { limit: n('ADO_SIM_RATE_LIMIT')! };
  if (n('ADO_SIM_ERROR_RATE') !== undefined || n('ADO_SIM_RESET_RATE') !== undefined) {
    options.chaos = { errorRate: n('ADO_SIM_ERROR_RATE') ?? 0, resetRate: n('ADO_SIM_RESET_RATE') ?? 0 };
  }
  options.inheritedProject = env.ADO_SIM_VEGA !== '0';
  if (n('ADO_SIM_BIG_PROJECT_ITEMS') !== undefined) options.bigProject = { items: n('ADO_SIM_BIG_PROJECT_ITEMS') };
  return options;
}

export async function startAdoSimulator(options: AdoSimulatorOptions = {}): Promise<AdoSimulator> {
  const host = options.host ?? '127.0.0.1';
  const mode: SimMode = options.mode ?? 'cloud';
  const orgPath = (options.org ?? (mode === 'cloud' ? 'contoso' : 'tfs/DefaultCollection')).replace(/^\/+|\/+$/g, '');
  let latencyMs = options.latencyMs ?? 0;
  let signInPage = options.signInPage ?? false;
  const faults = new FaultPlan();
  if (options.chaos) faults.setChaos(options.chaos);
  const limiter = new RateLimiter(options.rateLimit ?? null);
  const requests: RequestRecord[] = [];
  const load = { inFlight: 0, peakInFlight: 0 };
  const dropAnswer = new WeakSet<ServerResponse>();
  let base = '';
  let state: SimState;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(new AdoSimError(500, 'SimulatorException', `Simulator error: ${(err as Error).message}`).body()));
    });
  });

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, apiVersion?: string | null): void {
    if (dropAnswer.has(res)) {
      res.socket?.destroy();
      return;
    }
    const pieces = jsonPieces(body);
    res.writeHead(status, {
      'content-type': `application/json; charset=utf-8${apiVersion ? `; api-version=${apiVersion}` : ''}`,
      'x-tfs-processid': '6b3f4c2a-0000-4000-8000-000000000001',
      'activityid': crypto.randomUUID(),
      'x-vss-e2eid': crypto.randomUUID(),
      ...headers,
    });
    for (const piece of pieces.slice(0, -1)) res.write(piece);
    res.end(pieces.at(-1));
  }

  function sendError(res: ServerResponse, err: AdoSimError, headers: Record<string, string> = {}): void {
    sendJson(res, err.status, err.body(), headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/_sim/')) return admin(req, res, url);
    const accept = typeof req.headers.accept === 'string' ? req.headers.accept : '';
    const record: RequestRecord = { method, path: url.pathname + url.search, status: 0, apiVersion: parseApiVersion(accept)?.text ?? null };
    requests.push(record);
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => { record.status = res.statusCode; return end(...args); }) as typeof res.end;
    load.inFlight += 1;
    load.peakInFlight = Math.max(load.peakInFlight, load.inFlight);
    res.once('close', () => { load.inFlight -= 1; });
    if (latencyMs > 0) await sleep(latencyMs);

    const fault = method === 'OPTIONS' ? { kind: 'none' as const } : faults.next(method, url.pathname);
    if (fault.kind === 'reset') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'reset-after') dropAnswer.add(res);
    if (fault.kind === 429 || fault.kind === 503) {
      const err = fault.kind === 429
        ? new AdoSimError(429, 'RequestBlockedException', THROTTLED_MESSAGE)
        : new AdoSimError(503, 'ServiceUnavailableException', 'TF400893: The service is temporarily unavailable. Try again later.');
      return sendError(res, err, { 'retry-after': fault.retryAfter, ...(fault.kind === 429 ? { 'x-ratelimit-resource': 'Core', 'x-ratelimit-remaining': '0' } : {}) });
    }

    // Which organization / collection?
    const rawSegments = url.pathname.split('/').filter(Boolean);
    const orgSegments = orgPath.split('/');
    const orgMatches = orgSegments.every((s, i) => rawSegments[i]?.toLowerCase() === s.toLowerCase());
    if (!orgMatches) {
      return sendError(res, new AdoSimError(404, 'HostNotFoundException', `VS800075: No organization or collection exists at '/${rawSegments.slice(0, orgSegments.length).join('/')}'. This server hosts '/${orgPath}'.`));
    }
    const segments = rawSegments.slice(orgSegments.length).map((s) => decodeURIComponent(s));
    const apis = segments.findIndex((s) => s.toLowerCase() === '_apis');
    if (apis < 0 || apis > 2) return sendError(res, adoErrors.notFound(url.pathname));
    const prefix = segments.slice(0, apis);
    const rest = segments.slice(apis + 1);
    const first = rest[0]?.toLowerCase() ?? '';

    // Discovery: anonymous, as on the real service.
    if (method === 'OPTIONS') {
      const locations = prefix.length === 0 && rest.length === 1 ? areaLocations(rest[0]!, mode) : null;
      if (!locations) return sendError(res, adoErrors.notFound(`OPTIONS ${url.pathname}`));
      return sendJson(res, 200, locations);
    }
    if (method === 'GET' && first === 'resourceareas' && prefix.length === 0) {
      if (mode !== 'cloud') return sendJson(res, 200, { count: 0, value: null });
      const value = RESOURCE_AREAS.map((a) => ({ id: a.id, name: a.name, locationUrl: `${base}/` }));
      const one = rest[1] ? value.filter((a) => a.id === rest[1]!.toLowerCase()) : value;
      return sendJson(res, 200, rest[1] ? one[0] ?? null : { count: one.length, value: one });
    }

    const auth = authenticate(state, req.headers.authorization, options.trustedIssuers ?? []);
    if (!auth.ok) {
      if (signInPage || String(req.headers['x-tfs-fedauthredirect'] ?? '').toLowerCase() !== 'suppress') {
        res.writeHead(203, { 'content-type': 'text/html; charset=utf-8' });
        res.end(SIGN_IN_PAGE);
        return;
      }
      const message = auth.reason === 'expired'
        ? 'Access Denied: The Personal Access Token used has expired.'
        : auth.reason === 'missing'
          ? 'TF400813: Resource not available for anonymous access. Client authentication required.'
          // [3P] in the notes: a Conditional Access policy that covers non-interactive flows refuses PATs.
          : auth.reason === 'conditional-access'
            ? 'VS403463: The conditional access policy defined by your Azure Active Directory administrator has failed.'
            : auth.reason === 'bearer'
              ? `TF400813: The user '${auth.who}' is not authorized to access this resource.`
              : 'TF400813: The user is not authorized to access this resource.';
      const challenge = auth.reason === 'bearer' ? 'Bearer' : `Basic realm="${base}"`;
      return sendError(res, new AdoSimError(401, 'UnauthorizedRequestException', message), { 'www-authenticate': challenge });
    }
    const pat: SimPat = auth.pat;

    // api-version: in the Accept header (or the query string); connectionData is sent without one.
    const version = parseApiVersion(accept) ?? parseApiVersion(url.searchParams.get('api-version'));
    const { maxVersion, releasedVersion } = versionsFor(mode);
    if (first !== 'connectiondata') {
      if (!version) {
        return sendError(res, adoErrors.badRequest(`No api-version was supplied for the "${method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`));
      }
      if (version.version > Number(maxVersion)) return sendError(res, adoErrors.versionOutOfRange(version.text, maxVersion));
      if (version.version > Number(releasedVersion) && !version.preview) {
        return sendError(res, adoErrors.badRequest(`The requested version "${version.text}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${version.text}-preview".`));
      }
    }

    const rate = limiter.take(pat.token);
    if (rate.refuse) return sendError(res, new AdoSimError(429, 'RequestBlockedException', THROTTLED_MESSAGE), rate.headers);

    const scope = requiredScope(method, rest);
    if (scope && !grants(pat, scope)) {
      return sendError(res, new AdoSimError(401, 'UnauthorizedRequestException', `TF400813: The user '${pat.user.uniqueName}' is not authorized to access this resource.`), rate.headers);
    }

    try {
      const text = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
      let body: unknown = null;
      if (text.trim()) {
        try { body = JSON.parse(text); } catch (e) { throw adoErrors.badRequest(`The request body is not valid JSON: ${(e as Error).message}`); }
      }
      const result = handleApi({ state, base, mode, user: pat.user, pat }, {
        method, prefix, rest, query: url.searchParams, body, contentType: String(req.headers['content-type'] ?? ''), apiVersion: version,
      });
      sendJson(res, result.status, result.body, rate.headers, version?.text ?? null);
    } catch (err) {
      if (err instanceof AdoSimError) return sendError(res, err, rate.headers);
      throw err;
    }
  }

  /** Admin routes for demos and tests (no auth; the simulator listens on loopback by default). */
  async function admin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const text = req.method === 'POST' ? await readBody(req) : '';
    const json = (text.trim() ? JSON.parse(text) : {}) as Record<string, unknown>;
    const reply = (status: number, data: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /_sim/state':
        return reply(200, {
          mode, url: sim.url,
          projects: state.projects.map((p) => ({ id: p.id, name: p.name, process: p.customProcess?.name ?? p.process, teams: p.teams.map((t) => t.name), workItems: [...state.items.values()].filter((i) => i.projectId === p.id && !i.deleted).length })),
          pats: state.pats.map((p) => ({ scopes: p.scopes, validTo: p.validTo ?? null, global: p.global ?? false })),
          servicePrincipals: state.servicePrincipals.map((p) => ({ objectId: p.originId, clientId: p.appId, displayName: p.identity.displayName, scopes: p.scopes })),
          patPolicy: state.patPolicy,
          requests: requests.length,
        });
      case 'GET /_sim/requests':
        return reply(200, requests);
      case 'POST /_sim/reset':
        sim.reset(json.seed === 'empty' ? 'empty' : 'demo');
        return reply(200, { ok: true });
      case 'POST /_sim/big-project':
        return reply(200, { id: sim.addBigProject(json as BigProjectOptions).id });
      case 'POST /_sim/faults':
        sim.injectFault(json as unknown as Fault);
        return reply(200, { ok: true });
      case 'POST /_sim/chaos':
        sim.setChaos(json as ChaosOptions);
        return reply(200, { ok: true });
      case 'POST /_sim/rate-limit':
        sim.setRateLimit(json.limit ? (json as unknown as RateLimitOptions) : null);
        return reply(200, { ok: true });
      case 'POST /_sim/latency':
        sim.setLatency(Number(json.ms ?? 0));
        return reply(200, { ok: true });
      case 'POST /_sim/pat-policy':
        sim.setPatPolicy({
          ...(typeof json.globalPatsRetired === 'boolean' ? { globalPatsRetired: json.globalPatsRetired } : {}),
          ...(typeof json.conditionalAccess === 'boolean' ? { conditionalAccess: json.conditionalAccess } : {}),
        });
        return reply(200, state.patPolicy);
      default:
        return reply(404, { error: `Unknown admin route ${req.method} ${url.pathname}. Try GET /_sim/state, /_sim/requests; POST /_sim/reset, /_sim/big-project, /_sim/faults, /_sim/chaos, /_sim/rate-limit, /_sim/latency, /_sim/pat-policy.` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host.includes(':') ? `[${host}]` : host}:${port}/${orgPath}`;
  const fresh = (seed: 'demo' | 'empty' | undefined): SimState => {
    if (seed === 'empty') return bareState();
    const demo = demoState({ base, mode });
    addContosoAgile(demo);
    if (options.inheritedProject) addVega(demo, { base, mode });
    return demo;
  };
  state = fresh(options.seed);
  if (options.bigProject) addBigProject(state, { base, mode }, options.bigProject);

  const sim: AdoSimulator = {
    url: base,
    mode,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
    get state() { return state; },
    requests,
    load,
    clearRequests: () => { requests.length = 0; load.peakInFlight = load.inFlight; },
    reset: (seed) => {
      state = fresh(seed);
      faults.clear();
      limiter.configure(null);
    },
    addBigProject: (o) => addBigProject(state, { base, mode }, o),
    injectFault: (f) => faults.inject(f),
    setChaos: (c) => faults.setChaos(c),
    setRateLimit: (r) => limiter.configure(r),
    setLatency: (ms) => { latencyMs = ms; },
    setSignInPage: (on) => { signInPage = on; },
    addPat: (token, scopes, validTo) => {
      state.pats = state.pats.filter((p) => p.token !== token);
      state.pats.push({ token, scopes, user: state.users[0]!, ...(validTo ? { validTo } : {}) });
    },
    revokePat: (token) => { state.pats = state.pats.filter((p) => p.token !== token); },
    addServicePrincipal: ({ objectId, clientId, displayName, scopes = ['app_token'] }) => {
      state.servicePrincipals = state.servicePrincipals.filter((p) => p.originId !== objectId);
      state.servicePrincipals.push(servicePrincipal(objectId, clientId, displayName, scopes));
    },
    removeServicePrincipal: (objectId) => { state.servicePrincipals = state.servicePrincipals.filter((p) => p.originId !== objectId); },
    setPatPolicy: (policy) => { state.patPolicy = { ...state.patPolicy, ...policy }; },
  };
  return sim;
}
