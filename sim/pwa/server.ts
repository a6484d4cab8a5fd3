import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrustedIssuer } from '../entra/jwt.js';
import { DigestIssuer, NTLM_SIM_SERVER, demoDirectory, identify, ntlmAccounts, ntlmCaller, type Caller, type Directory } from './auth.js';
import { ntlmGate, ntlmIdentity } from './ntlm.js';
import { processQuery } from './csom.js';
import { PsError, psErrors } from './errors.js';
import { FilterSyntaxError, compileFilter } from './filter.js';
import { ENTITY_TYPE_NAMES, emptyState, type SimProject, type SimState } from './model.js';
import {
  contentTypeFor, formatFromAccept, parseQuery, renderCollection, renderError, renderSingle, renderVoid,
  type EntityView, type ODataFormat, type QueryOptions,
} from './odata.js';
import { navigate, type Target } from './navigate.js';
import { SCHEMA } from './schema.js';
import { addBigProject, demoState, type BigProjectOptions } from './seed.js';
import { addOrionProject } from './seed-orion.js';
import { PwaService, type JobFailure } from './service.js';
import { Views } from './views.js';
import { readBody, sendProxySignInPage } from '../shared/http.js';

export { PWA_DEMO_CREDENTIALS } from './auth.js';

export type SeedName = 'demo' | 'orion' | 'empty';

export interface PwaSimulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `/sites/pwa`. */
  sitePath?: string;
  /** Delay added to every request, to make latency visible in benchmarks. */
  latencyMs?: number;
  /** How long queue jobs stay in Processing (default 150 ms; 0 completes them at once). */
  queueJobMs?: number;
  /** Form digest lifetime (default 1800 s, as the real server). */
  digestTtlSeconds?: number;
  /**
   * Starting data: the demo seed (default), the demo seed plus the in-flight "Orion Network Upgrade"
   * plan (seed-orion.ts: actuals, dependencies, milestones, deadlines, an inactive and a fixed-work
   * task), or an empty server.
   */
  seed?: SeedName;
  /** Also generate a big project (for benchmarks). */
  bigProject?: BigProjectOptions;
  /** IANA time zone of the site's regional settings (default UTC). */
  timeZone?: string;
  /** Token issuers whose JWTs are accepted as bearer tokens (the Entra simulator's `trust`). */
  trustedIssuers?: TrustedIssuer[];
}

/**
 * Scripted faults: the next `count` requests (matching `pathIncludes`, if given) get `status`, or
 * with 'proxy-page' a 200 sign-in page in HTML from something in front of the site (the request
 * never reaches PWA).
 */
export interface Fault {
  status: 429 | 503 | 'proxy-page';
  count: number;
  /** Seconds, or an HTTP date. */
  retryAfter?: string;
  pathIncludes?: string;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export interface PwaSimulator {
  /** The PWA site URL, e.g. http://127.0.0.1:8082/sites/pwa */
  url: string;
  close(): Promise<void>;
  readonly state: SimState;
  readonly service: PwaService;
  /** Every request served since start or the last `clearRequests()`. */
  readonly requests: RequestRecord[];
  clearRequests(): void;
  /** Back to a seed: the one given, else the one the simulator started with. */
  reset(seed?: SeedName): void;
  addBigProject(options?: BigProjectOptions): SimProject;
  injectFault(fault: Fault): void;
  failNextJob(failure: JobFailure): void;
  /** Holds a project checked out to another user (`demo\other` by default). */
  checkOutAs(projectName: string, login?: string): void;
  expireDigests(): void;
  setLatency(ms: number): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Splits `Projects('x')/Draft/publish(true)` into [name, argument] pairs. */
function segments(path: string): Array<{ name: string; arg: string | null }> {
  const out: Array<{ name: string; arg: string | null }> = [];
  for (const raw of path.split(/\/(?![^(]*\))/).filter(Boolean)) {
    const m = /^([\w$.]+)(?:\((.*)\))?$/.exec(decodeURIComponent(raw));
    if (!m) throw psErrors.badRequest(`The segment '${raw}' is not valid.`);
    out.push({ name: m[1]!, arg: m[2] === undefined ? null : m[2] });
  }
  return out;
}

/** `'guid'`, `guid'...'`, `true`, `force=true` and the like into a plain string. */
function argValue(arg: string | null): string {
  return (arg ?? '').replace(/^\w+=/, '').replace(/^guid'|^'|'$/g, '').trim().toLowerCase();
}

export async function startPwaSimulator(options: PwaSimulatorOptions = {}): Promise<PwaSimulator> {
  const host = options.host ?? '127.0.0.1';
  const sitePath = (options.sitePath ?? '/sites/pwa').replace(/\/$/, '');
  let latencyMs = options.latencyMs ?? 0;
  const timeZone = options.timeZone ?? 'UTC';
  const directory: Directory = demoDirectory(options.trustedIssuers);
  const digests = new DigestIssuer(options.digestTtlSeconds ?? 1800);
  const fresh = (seed: SeedName | undefined): SimState => {
    if (seed === 'empty') return emptyState();
    const state = demoState();
    if (seed === 'orion') addOrionProject(state);
    return state;
  };
  const service = new PwaService(fresh(options.seed), { queueJobMs: options.queueJobMs ?? 150, timeZone });
  if (options.bigProject) addBigProject(service.state, options.bigProject);
  const faults: Fault[] = [];
  const requests: RequestRecord[] = [];
  let origin = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${(err as Error).message}`);
    });
  });

  function send(res: ServerResponse, status: number, body: unknown, format: ODataFormat, headers: Record<string, string> = {}): void {
    if (status === 204) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': contentTypeFor(format), ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0 };
    requests.push(record);
    const finish = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => { record.status = res.statusCode; return finish(...args); }) as typeof res.end;
    if (latencyMs > 0) await sleep(latencyMs);
    const format = formatFromAccept(req.headers.accept);

    if (url.pathname.startsWith('/_sim/')) return admin(req, res, url);

    const fault = faults.find((f) => f.count > 0 && (!f.pathIncludes || url.pathname.includes(f.pathIncludes)));
    if (fault) {
      fault.count -= 1;
      if (fault.status === 'proxy-page') return sendProxySignInPage(res);
      const code = fault.status === 429 ? '-2147024860, Microsoft.SharePoint.SPQueryThrottledException' : '-1, Microsoft.SharePoint.SPException';
      send(res, fault.status, renderError(format, code, fault.status === 429 ? 'The request has been throttled.' : 'The service is temporarily unavailable.'), format, { 'retry-after': fault.retryAfter ?? '1' });
      return;
    }

    if (!url.pathname.toLowerCase().startsWith(`${sitePath.toLowerCase()}/`)) {
      send(res, 404, renderError(format, '-1, System.IO.FileNotFoundException', `No site at ${url.pathname}.`), format);
      return;
    }
    let caller = identify(directory, req.headers.authorization, origin);
    // Windows authentication (Project Server SE): an NTLM handshake, or a connection it signed in.
    const authorization = req.headers.authorization;
    if (!caller && (/^(ntlm|negotiate)\s/i.test(authorization ?? '') || (!authorization && ntlmIdentity(req)))) {
      if (await ntlmGate(req, res, { accounts: ntlmAccounts, names: NTLM_SIM_SERVER, alsoOffer: [`Basic realm="${host}"`] }) === 'handled') {
        record.status = res.statusCode;
        return;
      }
      caller = ntlmCaller(directory, ntlmIdentity(req));
    }
    if (!caller) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': [`Bearer realm="planbridge-sim", client_id="00000003-0000-0ff1-ce00-000000000000", Basic realm="${host}"`, 'Negotiate', 'NTLM'],
      });
      res.end(JSON.stringify({ error_description: 'Invalid or missing credentials. Send a Bearer token or Basic credentials.' }));
      record.status = 401;
      return;
    }
    const rest = url.pathname.slice(sitePath.length);
    let method = (req.method ?? 'GET').toUpperCase();
    const override = req.headers['x-http-method'];
    if (method === 'POST' && typeof override === 'string') method = override.toUpperCase();
    try {
      service.advanceJobs();
      const body = method === 'GET' ? '' : await readBody(req);
      const isContextInfo = /^\/_api\/contextinfo$/i.test(rest);
      if (method !== 'GET' && !isContextInfo && caller.scheme !== 'bearer' && !digests.isValid(req.headers['x-requestdigest'] as string | undefined, caller.user.login)) {
        throw psErrors.invalidDigest();
      }
      if (isContextInfo && method === 'POST') return contextInfo(res, format, caller);
      if (/^\/_vti_bin\/client\.svc\/ProcessQuery$/i.test(rest) && method === 'POST') {
        const result = processQuery(service, caller.user, body);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(result));
        return;
      }
      if (/^\/_api\/web\/RegionalSettings\/TimeZone$/i.test(rest) && method === 'GET') return regionalTimeZone(res, format);
      const api = /^\/_api\/ProjectServer(\/.*)?$/i.exec(rest);
      if (!api) throw psErrors.notFound(rest);
      const json = body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {};
      route(res, format, caller, method, segments(api[1] ?? ''), parseQuery(url.searchParams), url, json);
    } catch (err) {
      if (err instanceof PsError) return send(res, err.status, renderError(format, err.code, err.message), format);
      if (err instanceof FilterSyntaxError) return send(res, 400, renderError(format, '-1, Microsoft.SharePoint.Client.InvalidClientQueryException', `The $filter expression is not valid: ${err.message}`), format);
      if (err instanceof SyntaxError) return send(res, 400, renderError(format, '-1, Microsoft.Data.OData.ODataException', `Invalid JSON in the request body: ${err.message}`), format);
      throw err;
    }
  }

  function contextInfo(res: ServerResponse, format: ODataFormat, caller: Caller): void {
    const info = {
      FormDigestTimeoutSeconds: digests.ttlSeconds,
      FormDigestValue: digests.issue(caller.user.login),
      LibraryVersion: '16.0.10337.12109',
      SiteFullUrl: `${origin}${sitePath}`,
      WebFullUrl: `${origin}${sitePath}`,
    };
    const body = format === 'verbose'
      ? { d: { GetContextWebInformation: { __metadata: { type: 'SP.ContextWebInformation' }, ...info, SupportedSchemaVersions: { results: ['14.0.0.0', '15.0.0.0'] } } } }
      : { ...(format === 'minimalmetadata' ? { 'odata.metadata': `${origin}${sitePath}/_api/$metadata#SP.ContextWebInformation` } : {}), ...info, SupportedSchemaVersions: ['14.0.0.0', '15.0.0.0'] };
    send(res, 200, body, format);
  }

  /** SharePoint's regional time zone: Bias is minutes to add to local time to get UTC. */
  function regionalTimeZone(res: ServerResponse, format: ODataFormat): void {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date());
    const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.find((p) => p.type === 'timeZoneName')?.value ?? '');
    const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
    const props = { Description: `(UTC) ${timeZone}`, Id: 0, Information: { Bias: -minutes, DaylightBias: 0, StandardBias: 0 } };
    send(res, 200, format === 'verbose' ? { d: { __metadata: { type: 'SP.TimeZone' }, ...props } } : props, format);
  }

  function route(
    res: ServerResponse, format: ODataFormat, caller: Caller, method: string,
    segs: Array<{ name: string; arg: string | null }>, q: QueryOptions, url: URL, body: Record<string, unknown>,
  ): void {
    const api = `${origin}${sitePath}/_api`;
    const views = new Views(() => service.state, api, format);
    const meta = `${api}/$metadata`;
    const names = segs.map((s) => s.name.toLowerCase());
    // Collection routes only match when the first segment has no key: `Projects` but not `Projects('x')`.
    const key = segs[0]?.arg === null || segs.length === 0 ? names.join('/') : `#${names.join('/')}`;
    const one = (view: EntityView, set: string): void => send(res, 200, renderSingle(view, format, q, meta, set), format);
    const many = (rows: EntityView[], set: string): void => {
      let filtered = rows;
      if (q.filter) {
        const type = rows[0]?.type;
        const schema = type ? SCHEMA[type] : undefined;
        const test = compileFilter(q.filter, type && schema ? { name: type, schema } : undefined);
        filtered = rows.filter((v) => test(v.props));
      }
      send(res, 200, renderCollection(filtered, format, q, url, meta, set), format);
    };
    const answer = (target: Target): void => {
      if (target.kind === 'one') return one(target.view, target.set);
      if (target.kind === 'many') return many(target.rows, target.set);
      // A single-valued navigation property with no entity behind it (a top-level task's Parent).
      return send(res, 200, format === 'verbose' ? { d: null } : { 'odata.null': true }, format);
    };
    const missing = (set: string, id: string): PsError => (set === 'Tasks' ? psErrors.taskNotFound(id) : psErrors.itemDoesNotExist(`${set} ${id}`));
    const params = (body.parameters ?? body) as Record<string, unknown>;
    const need = (m: string): void => {
      if (method !== m) throw new PsError(405, '-1, Microsoft.SharePoint.Client.ClientServiceException', `The HTTP method '${method}' cannot be used to access the resource ${segs.map((s) => s.name).join('/')}.`);
    };

    // Server-level collections.
    if (key === 'projects') { need('GET'); return many(service.state.projects.map((p) => views.project(p)), 'Projects'); }
    if (key === 'customfields') { need('GET'); return many(service.state.customFields.map((f) => views.customField(f)), 'CustomFields'); }
    if (key === 'customfields/add') {
      need('POST');
      return one(views.customField(service.addCustomField(caller.user, params)), 'CustomFields');
    }
    if (names[0] === 'customfields' && segs[0]!.arg !== null) {
      const field = service.state.customFields.find((f) => f.Id === argValue(segs[0]!.arg));
      if (!field) throw psErrors.itemDoesNotExist(`CustomField ${argValue(segs[0]!.arg)}`);
      if (segs.length === 1) { need('GET'); return one(views.customField(field), 'CustomFields'); }
      if (names[1] === 'lookupentries') { need('GET'); return many((views.customField(field).navs!.LookupEntries!() as EntityView[]), 'LookupEntries'); }
    }
    if (key === 'lookuptables') { need('GET'); return many(service.state.lookupTables.map((t) => views.lookupTable(t)), 'LookupTables'); }
    if (names[0] === 'lookuptables' && segs[0]!.arg !== null) {
      const table = service.state.lookupTables.find((t) => t.Id === argValue(segs[0]!.arg));
      if (!table) throw psErrors.itemDoesNotExist(`LookupTable ${argValue(segs[0]!.arg)}`);
      if (segs.length === 1) { need('GET'); return one(views.lookupTable(table), 'LookupTables'); }
      if (names[1] === 'entries') { need('GET'); return many(table.entries.map((e) => views.lookupEntry(e)), 'LookupEntries'); }
    }
    if (key === 'entitytypes') {
      need('GET');
      const navs = Object.fromEntries(ENTITY_TYPE_NAMES.map((n) => [n, () => views.entityType(n, service.state.entityTypes[n])]));
      return one({ type: 'PS.EntityTypes', uri: `${api}/ProjectServer/EntityTypes`, props: {}, navs }, 'EntityTypes');
    }
    if (names[0] === 'entitytypes' && segs.length === 2) {
      need('GET');
      const name = ENTITY_TYPE_NAMES.find((n) => n.toLowerCase() === names[1]);
      if (!name) throw psErrors.notFound(segs.map((s) => s.name).join('/'));
      return one(views.entityType(name, service.state.entityTypes[name]), 'EntityTypes');
    }
    if (key === 'userpermissions') {
      need('GET');
      return many([
        views.permission('LogOn', true),
        views.permission('NewProject', caller.user.canEdit),
        views.permission('ManageEnterpriseCustomFields', caller.user.canManageFields),
      ], 'UserPermissions');
    }

    // Enterprise resources and calendars: the sets, then navigation from one of them.
    if (names[0] === 'enterpriseresources' || names[0] === 'calendars') {
      need('GET');
      const set = names[0] === 'calendars' ? 'Calendars' : 'EnterpriseResources';
      const all = set === 'Calendars' ? views.calendars() : views.enterpriseResources();
      if (segs[0]!.arg === null && segs.length === 1) return many(all, set);
      const start = all.find((v) => String(v.props.Id).toLowerCase() === argValue(segs[0]!.arg));
      if (!start) throw psErrors.itemDoesNotExist(`${set} ${argValue(segs[0]!.arg)}`);
      return answer(navigate(start, set, segs.slice(1), missing));
    }

    // Everything under Projects('{id}'): the edit flow's operations, then navigation (GET).
    if (names[0] === 'projects' && segs[0]!.arg !== null) {
      const p = service.project(argValue(segs[0]!.arg));
      const sub = names.slice(1).join('/');
      const subArg = segs[1]?.arg ?? null;
      if (sub === 'userpermissions') {
        need('GET');
        return many([
          views.permission('OpenProject', true),
          views.permission('SaveProject', caller.user.canEdit),
          views.permission('PublishProject', caller.user.canEdit),
        ], 'UserPermissions');
      }
      if (sub === 'checkout') { need('POST'); return one(views.draftProject(service.checkOut(p, caller.user)), 'Projects'); }
      if (sub === 'queuejobs' && subArg !== null) { need('GET'); return one(views.queueJob(p, service.job(p, argValue(subArg))), 'QueueJobs'); }
      if (sub === 'draft/tasks/add') { need('POST'); return one(views.task(p, service.addDraftTask(p, caller.user, params), true), 'Tasks'); }
      if (sub === 'draft/tasks/deleteobject' && segs[2]!.arg !== null) {
        need('POST');
        service.deleteDraftTask(p, caller.user, argValue(segs[2]!.arg));
        return send(res, 200, renderVoid(format, 'DeleteObject'), format);
      }
      if (sub === 'draft/tasks' && segs[2]!.arg !== null && method !== 'GET') {
        if (method !== 'PATCH' && method !== 'MERGE') need('PATCH');
        service.updateDraftTask(p, caller.user, argValue(segs[2]!.arg), body);
        return send(res, 204, null, format);
      }
      if (sub === 'draft/update') { need('POST'); return one(views.queueJob(p, service.update(p, caller.user)), 'QueueJobs'); }
      if (sub === 'draft/publish') {
        need('POST');
        const arg = argValue(segs[2]!.arg ?? (typeof params.checkIn === 'boolean' ? String(params.checkIn) : 'false'));
        return one(views.queueJob(p, service.publish(p, caller.user, arg === 'true')), 'QueueJobs');
      }
      if (sub === 'draft/checkin' || sub === 'checkin') {
        need('POST');
        const arg = argValue(segs.at(-1)!.arg ?? (typeof params.force === 'boolean' ? String(params.force) : 'false'));
        return one(views.queueJob(p, service.checkIn(p, caller.user, arg === 'true')), 'QueueJobs');
      }
      need('GET');
      return answer(navigate(views.project(p), 'Projects', segs.slice(1), missing));
    }
    throw psErrors.notFound(`/_api/ProjectServer/${segs.map((s) => s.name + (s.arg === null ? '' : `(${s.arg})`)).join('/')}`);
  }

  /** Admin routes for demos and tests (no auth; loopback only by default). */
  async function admin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : '';
    const json = body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {};
    const reply = (status: number, data: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /_sim/state':
        service.advanceJobs();
        return reply(200, {
          projects: service.state.projects.map((p) => ({ id: p.Id, name: p.Name, tasks: p.tasks.length, checkedOutBy: p.checkout?.user ?? null })),
          customFields: service.state.customFields.map((f) => ({ id: f.Id, name: f.Name, fieldType: f.FieldType })),
          queueJobs: [...service.state.jobs.values()].map((j) => ({ id: j.Id, projectId: j.ProjectId, messageType: j.MessageType, jobState: j.JobState })),
        });
      case 'POST /_sim/reset':
        sim.reset(json.seed === 'empty' || json.seed === 'orion' || json.seed === 'demo' ? json.seed : undefined);
        return reply(200, { ok: true });
      case 'POST /_sim/big-project':
        return reply(200, { id: sim.addBigProject(json as BigProjectOptions).Id });
      case 'POST /_sim/faults':
        sim.injectFault(json as unknown as Fault);
        return reply(200, { ok: true });
      case 'POST /_sim/latency':
        sim.setLatency(Number(json.ms ?? 0));
        return reply(200, { ok: true });
      default:
        return reply(404, { error: `Unknown admin route ${req.method} ${url.pathname}. Try GET /_sim/state, POST /_sim/reset, /_sim/big-project, /_sim/faults, /_sim/latency.` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const sim: PwaSimulator = {
    url: `${origin}${sitePath}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
    get state() { return service.state; },
    service,
    requests,
    clearRequests: () => { requests.length = 0; },
    reset: (seed) => {
      service.state = fresh(seed ?? options.seed);
      service.jobFailures = [];
      faults.length = 0;
    },
    addBigProject: (o) => addBigProject(service.state, o),
    injectFault: (f) => { faults.push({ ...f }); },
    failNextJob: (f) => { service.jobFailures.push(f); },
    checkOutAs: (projectName, login = 'demo\\other') => {
      const p = service.state.projects.find((x) => x.Name === projectName);
      if (!p) throw new Error(`No project named ${projectName}.`);
      const user = directory.users.find((u) => u.login === login);
      if (!user) throw new Error(`No user ${login}.`);
      service.checkOut(p, user);
    },
    expireDigests: () => digests.expireAll(),
    setLatency: (ms) => { latencyMs = ms; },
  };
  return sim;
}
