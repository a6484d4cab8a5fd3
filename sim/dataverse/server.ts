import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrustedIssuer } from '../entra/jwt.js';
import { isAction, ScheduleApi } from './actions.js';
import { challenge, identify } from './auth.js';
import { DataverseError, dvErrors } from './errors.js';
import { OperationSets, type ExecutionFailure } from './operation-sets.js';
import { parsePrefer } from './paging.js';
import { ServiceProtection, type ChaosOptions, type Fault, type ServiceProtectionOptions } from './protection.js';
import { checkKey, readCollection, readRow, type ReadResult } from './reads.js';
import { addBigProject, demoStore } from './seed.js';
import { Store } from './store.js';
import { tableBySet, TABLES, type FailedStatusVariant, type Table } from './tables.js';
import { ALL_USERS, ENVIRONMENT, hasProjectLicense, type DataverseUser } from './users.js';
import { readBody, header, sendProxySignInPage } from '../shared/http.js';

export { DATAVERSE_DEMO_CREDENTIALS } from './users.js';
export { SEED_IDS } from './seed.js';

/**
 * A local Planner premium environment: the Dataverse Web API at `/api/data/v9.2/` with the
 * Project Schedule APIs, as ../shared/notes/planner-premium.md describes them. Reads go through
 * OData; writes to scheduling tables only through operation sets, executed asynchronously.
 */
export type DataverseSeed = 'demo' | 'empty';

export interface DataverseSimulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Delay added to every admitted request, while it is in flight. */
  latencyMs?: number;
  /** Time an executed operation set stays Pending before it completes or fails (default 1,000 ms; 0 in tests). */
  executionDelayMs?: number;
  /** Which msdyn_status value means Failed (the other is Abandoned); sources disagree [notes ?]. Default 192350002. */
  failedStatus?: FailedStatusVariant;
  /** Token issuers whose JWTs are accepted (the Entra simulator's `trust`). */
  trustedIssuers?: TrustedIssuer[];
  /** The authority named in 401 challenges (default the Entra simulator's public equivalent). */
  authority?: string;
  /** Accept `demo-dataverse-token` and friends (local mode). Default true. */
  acceptDemoTokens?: boolean;
  /** Require `user_impersonation` in delegated tokens' `scp`. Default false. */
  requireUserImpersonation?: boolean;
  /** Service protection limits (defaults: the real ones). */
  serviceProtection?: ServiceProtectionOptions;
  chaos?: ChaosOptions;
  seed?: DataverseSeed;
  /** Also generate a big project (benchmarks). */
  bigProject?: { tasks?: number; fanout?: number; name?: string };
  /** Clock for modifiedon and friends. */
  now?: () => Date;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  user: string | null;
}

export interface DataverseSimulator {
  /** The environment URL (token audience), e.g. http://127.0.0.1:8084 */
  url: string;
  /** The Web API base, ending in a slash: `${url}/api/data/v9.2/` */
  apiUrl: string;
  readonly state: Store;
  readonly requests: RequestRecord[];
  clearRequests(): void;
  reset(seed?: DataverseSeed): void;
  addBigProject(options?: { tasks?: number; fanout?: number; name?: string }): string;
  injectFault(fault: Fault): void;
  setChaos(options: ChaosOptions): void;
  setServiceProtection(options: ServiceProtectionOptions): void;
  setLatency(ms: number): void;
  setExecutionDelay(ms: number): void;
  failNextExecution(failure?: ExecutionFailure): void;
  /** Resolves when every operation set executed so far has completed or failed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function dataverseSimulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DataverseSimulatorOptions {
  const n = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
  const options: DataverseSimulatorOptions = {};
  if (n('DATAVERSE_SIM_LATENCY_MS') !== undefined) options.latencyMs = n('DATAVERSE_SIM_LATENCY_MS');
  if (n('DATAVERSE_SIM_EXECUTION_MS') !== undefined) options.executionDelayMs = n('DATAVERSE_SIM_EXECUTION_MS');
  if (n('DATAVERSE_SIM_REQUEST_LIMIT') !== undefined) options.serviceProtection = { requests: n('DATAVERSE_SIM_REQUEST_LIMIT') };
  if (n('DATAVERSE_SIM_ERROR_RATE') !== undefined || n('DATAVERSE_SIM_THROTTLE_RATE') !== undefined) {
    options.chaos = { errorRate: n('DATAVERSE_SIM_ERROR_RATE') ?? 0, throttleRate: n('DATAVERSE_SIM_THROTTLE_RATE') ?? 0 };
  }
  if (n('DATAVERSE_SIM_BIG_PROJECT_TASKS') !== undefined) options.bigProject = { tasks: n('DATAVERSE_SIM_BIG_PROJECT_TASKS') };
  return options;
}

const API_PREFIX = '/api/data/v9.2/';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startDataverseSimulator(options: DataverseSimulatorOptions = {}): Promise<DataverseSimulator> {
  const host = options.host ?? '127.0.0.1';
  let latencyMs = options.latencyMs ?? 0;
  const now = options.now ?? (() => new Date());
  const fresh = (seed: DataverseSeed | undefined): Store => (seed === 'empty' ? new Store(now) : demoStore(now));
  let store = fresh(options.seed);
  const sets = new OperationSets(() => store, { executionDelayMs: options.executionDelayMs ?? 1000, failedStatus: options.failedStatus ?? 192350002 });
  const labelStatus = (): void => { store.labels.set('msdyn_operationset.msdyn_status', sets.statusLabels()); };
  labelStatus();
  if (options.bigProject) addBigProject(store, options.bigProject);
  const api = new ScheduleApi(() => store, sets);
  const protection = new ServiceProtection(options.serviceProtection);
  if (options.chaos) protection.setChaos(options.chaos);
  const auth = { issuers: options.trustedIssuers ?? [], acceptDemoTokens: options.acceptDemoTokens ?? true, requireUserImpersonation: options.requireUserImpersonation ?? false };
  const requests: RequestRecord[] = [];
  let origin = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${(err as Error).message}`);
    });
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const base = { 'odata-version': '4.0', ...headers };
    if (body === null) {
      res.writeHead(status, base);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8', ...base });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const record: RequestRecord = { method, path: url.pathname + url.search, status: 0, user: null };
    if (!url.pathname.startsWith('/_sim/')) requests.push(record);
    const finish = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => { record.status = res.statusCode; return finish(...args); }) as typeof res.end;
    if (url.pathname.startsWith('/_sim/')) return admin(req, res, url);
    if (!url.pathname.startsWith(API_PREFIX) && url.pathname !== API_PREFIX.slice(0, -1)) {
      return send(res, 404, dvErrors.segmentNotFound(url.pathname.split('/').filter(Boolean).at(-1) ?? '/').body());
    }

    const who = identify(req.headers.authorization, origin, auth);
    if (who.kind === 'unauthenticated') {
      res.writeHead(401, { 'www-authenticate': challenge(options.authority ?? `https://login.microsoftonline.com/${'organizations'}`, origin), 'content-length': '0' });
      res.end();
      return;
    }
    if (who.kind === 'not-a-member') return send(res, 403, dvErrors.notAMember().body());
    const user = who.user;
    record.user = user.domainname;

    const decision = protection.admit(user.systemuserid, method, url.pathname);
    if (decision.kind === 'reset') { req.socket.destroy(); return; }
    if (decision.kind === 'proxy-page') return sendProxySignInPage(res);
    if (decision.kind === 'error') return send(res, decision.error.status, decision.error.body(), decision.error.headers);

    const started = Date.now();
    protection.begin(user.systemuserid);
    try {
      // Latency is spent in flight, so it counts toward the concurrency and execution-time limits.
      if (latencyMs > 0) await sleep(latencyMs);
      const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
      const result = route(req, url, method, body, user);
      send(res, result.status, result.body, { ...protection.remaining(user.systemuserid), ...result.headers });
    } catch (err) {
      if (!(err instanceof DataverseError)) throw err;
      send(res, err.status, err.body(), { ...protection.remaining(user.systemuserid), ...err.headers });
    } finally {
      protection.end(user.systemuserid, Date.now() - started);
    }
  }

  function json(body: string): unknown {
    if (!body.trim()) return {};
    try {
      return JSON.parse(body) as unknown;
    } catch (err) {
      throw dvErrors.badJson((err as Error).message);
    }
  }

  function route(req: IncomingMessage, url: URL, method: string, body: string, user: DataverseUser): ReadResult {
    const base = `${origin}${API_PREFIX}`;
    const path = decodeURIComponent(url.pathname.slice(API_PREFIX.length));
    const prefs = parsePrefer(req.headers.prefer);
    if (path === '') {
      if (method !== 'GET') throw dvErrors.methodNotAllowed(method, '/');
      return { status: 200, headers: {}, body: { '@odata.context': `${base}$metadata`, value: TABLES.map((t) => ({ name: t.entitySet, kind: 'EntitySet', url: t.entitySet })) } };
    }
    if (path === '$metadata') throw dvErrors.notServed('$metadata');
    if (path === 'WhoAmI' || path === 'WhoAmI()') {
      if (method !== 'GET') throw dvErrors.methodNotAllowed(method, path);
      // GET WhoAmI: {BusinessUnitId, UserId, OrganizationId}; UserId is the systemuserid [notes, MS].
      return { status: 200, headers: {}, body: { '@odata.context': `${base}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`, BusinessUnitId: ENVIRONMENT.businessUnitId, UserId: user.systemuserid, OrganizationId: ENVIRONMENT.organizationId } };
    }
    const licence = /^systemusers\(([^)]*)\)\/Microsoft\.Dynamics\.CRM\.RetrieveUserLicenseInfo(\(\))?$/.exec(path);
    if (licence) {
      if (method !== 'GET') throw dvErrors.methodNotAllowed(method, path);
      return licenceInfo(base, licence[1]!);
    }
    const m = /^([A-Za-z_]\w*)(?:\(([^)]*)\))?$/.exec(path);
    if (!m) throw dvErrors.segmentNotFound(path.split('/').at(-1) ?? path);
    const [, name, key] = m as unknown as [string, string, string | undefined];
    if (key === undefined && isAction(name)) {
      if (method !== 'POST') throw dvErrors.methodNotAllowed(method, name);
      return { status: 200, headers: {}, body: api.call(name, user, json(body), base) };
    }
    const table = tableBySet(name);
    if (!table) throw dvErrors.segmentNotFound(name);
    if (key === undefined) {
      if (method === 'GET') return readCollection(store, table, url, prefs, base);
      if (method === 'POST') return plainCreate(table, user, json(body), base);
      throw dvErrors.methodNotAllowed(method, name);
    }
    if (method === 'GET') return readRow(store, table, key, url, prefs, header(req, 'if-none-match'), base);
    if (method === 'PATCH' || method === 'DELETE') return plainWrite(table, key, method, header(req, 'if-match'));
    throw dvErrors.methodNotAllowed(method, path);
  }

  /** Only projects and team members may be created plainly [notes "Writing", MS]; other tables refuse. */
  function plainCreate(table: Table, user: DataverseUser, body: unknown, base: string): ReadResult {
    if (!table.scheduling) throw dvErrors.missingPrivilege(`prvCreate${table.logicalName}`);
    if (!table.plainCreate) throw dvErrors.directWrite('Create', table.logicalName);
    if (!hasProjectLicense(user)) throw dvErrors.noLicense(user.domainname);
    const id = api.plainCreate(user, table.logicalName as 'msdyn_project' | 'msdyn_projectteam', body);
    return { status: 204, body: null, headers: { 'odata-entityid': `${base}${table.entitySet}(${id})` } };
  }

  /** Plain PATCH/DELETE: the row must exist, If-Match must hold, and then the service refuses [notes]. */
  function plainWrite(table: Table, key: string, method: string, ifMatch: string | undefined): ReadResult {
    const row = store.get(table.logicalName, checkKey(table, key));
    if (!row) throw dvErrors.rowNotFound(table.logicalName, key);
    if (ifMatch && ifMatch !== '*' && !ifMatch.split(',').map((s) => s.trim()).includes(`W/"${row.versionnumber}"`)) throw dvErrors.preconditionFailed();
    const operation = method === 'PATCH' ? 'Update' : 'Delete';
    if (!table.scheduling) throw dvErrors.missingPrivilege(`prv${operation === 'Update' ? 'Write' : 'Delete'}${table.logicalName}`);
    throw dvErrors.directWrite(operation, table.logicalName);
  }

  /** systemusers({id})/Microsoft.Dynamics.CRM.RetrieveUserLicenseInfo(): the user's service plans. */
  function licenceInfo(base: string, key: string): ReadResult {
    const table = tableBySet('systemusers')!;
    const id = checkKey(table, key);
    const row = store.get('systemuser', id);
    if (!row) throw dvErrors.rowNotFound('systemuser', id);
    const plans = ALL_USERS.find((u) => u.systemuserid === id)?.servicePlans ?? [];
    return {
      status: 200, headers: {},
      body: { '@odata.context': `${base}$metadata#Microsoft.Dynamics.CRM.RetrieveUserLicenseInfoResponse`, AccessMode: row.accessmode, licenseInfo: { ServicePlans: plans } },
    };
  }

  /** Admin routes for demos and tests (no auth; loopback only by default). */
  async function admin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : '';
    const input = (body.trim() ? JSON.parse(body) : {}) as Record<string, unknown>;
    const reply = (status: number, data: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /_sim/state':
        return reply(200, {
          projects: store.list('msdyn_project').map((p) => ({ id: p.msdyn_projectid, name: p.msdyn_subject, tasks: store.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === p.msdyn_projectid).length })),
          operationSets: store.list('msdyn_operationset').map((s) => ({ id: s.msdyn_operationsetid, status: s.msdyn_status, description: s.msdyn_description })),
        });
      case 'POST /_sim/reset': sim.reset(input.seed === 'empty' ? 'empty' : input.seed === 'demo' ? 'demo' : undefined); return reply(200, { ok: true });
      case 'POST /_sim/big-project': return reply(200, { id: sim.addBigProject(input) });
      case 'POST /_sim/faults': sim.injectFault(input as unknown as Fault); return reply(200, { ok: true });
      case 'POST /_sim/chaos': sim.setChaos(input); return reply(200, { ok: true });
      case 'POST /_sim/limits': sim.setServiceProtection(input); return reply(200, { ok: true });
      case 'POST /_sim/latency': sim.setLatency(Number(input.ms ?? 0)); return reply(200, { ok: true });
      case 'POST /_sim/execution-delay': sim.setExecutionDelay(Number(input.ms ?? 0)); return reply(200, { ok: true });
      case 'POST /_sim/fail-next-execution': sim.failNextExecution(input); return reply(200, { ok: true });
      default:
        return reply(404, { error: `Unknown admin route ${req.method} ${url.pathname}. Try GET /_sim/state, POST /_sim/reset, /_sim/big-project, /_sim/faults, /_sim/chaos, /_sim/limits, /_sim/latency, /_sim/execution-delay, /_sim/fail-next-execution.` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const sim: DataverseSimulator = {
    url: origin,
    apiUrl: `${origin}${API_PREFIX}`,
    get state() { return store; },
    requests,
    clearRequests: () => { requests.length = 0; },
    reset: (seed) => {
      sets.stop();
      store = fresh(seed ?? options.seed);
      labelStatus();
      protection.clear();
    },
    addBigProject: (o) => addBigProject(store, o ?? {}),
    injectFault: (f) => protection.inject(f),
    setChaos: (o) => protection.setChaos(o),
    setServiceProtection: (o) => protection.configure(o),
    setLatency: (ms) => { latencyMs = ms; },
    setExecutionDelay: (ms) => { sets.executionDelayMs = ms; },
    failNextExecution: (f = {}) => sets.failNextExecution(f),
    settle: () => sets.settle(),
    close: () => new Promise<void>((resolve) => {
      sets.stop();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return sim;
}
