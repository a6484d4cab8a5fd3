import { adoErrors, AdoSimError, witError } from './errors.js';
import { identityRef } from './identities.js';
import { allPaths, findProject, findTeam, type SimPat, type SimProject, type SimTeam, type SimWorkItem } from './model.js';
import { FIELD_BY_REF, PROCESSES, projectTypeDef, projectTypes, typeFields } from './processes.js';
import {
  backlogViews, connectionDataView, ownProcessView, processView, projectView, relationTypeViews, stateViews,
  teamFieldValuesView, teamIterationLinks, teamIterationViews, teamSettingsView, teamView, typeFieldView, typeView,
} from './views.js';
import { classificationNodes } from './classification-nodes.js';
import { fields as fieldsApi } from './fields.js';
import { typeCategoryViews, workItemTemplate } from './type-categories.js';
import { compileWiql } from './wiql.js';
import { workProcesses } from './work-processes.js';
import { addComment, applyPatch, commentView, deleteItem, itemUrl, parseExpand, shapeWorkItem, updatesOf, type WitContext } from './workitems.js';

/**
 * REST resources under `{org}/[{project}/[{team}/]]_apis/...`. The server has already
 * authenticated the caller and negotiated the api-version; this maps a route to its handler.
 */
export const MAX_BATCH_IDS = 200;
export const MAX_WIQL_RESULTS = 20_000;

export interface ApiRequest {
  method: string;
  /** Decoded path segments before `_apis` (project, team). */
  prefix: string[];
  /** Decoded path segments after `_apis`. */
  rest: string[];
  query: URLSearchParams;
  body: unknown;
  contentType: string;
  /** The api-version the caller sent (Accept header or query), as the server parsed it. */
  apiVersion?: { text: string; version: number; preview: boolean } | null;
}

export interface ApiContext extends WitContext {
  pat: SimPat;
}

export type ApiResult = { status: number; body: unknown };

/** The PAT scope a request needs; null when any valid PAT will do. */
export function requiredScope(method: string, rest: string[]): string | null {
  const [a = '', b = ''] = rest.map((s) => s.toLowerCase());
  if (a === 'connectiondata') return null;
  if (a === 'projects' || a === 'teams' || a === 'process') return 'vso.project';
  if (a === 'identities') return 'vso.identity';
  if (a === 'graph') return 'vso.graph';
  if (a === 'profile') return 'vso.profile';
  // Writes need vso.work_write (wit and work 7.1 specs); WIQL and the batch read are POSTs that only read.
  if ((a === 'wit' || a === 'work') && method !== 'GET' && b !== 'wiql' && b !== 'workitemsbatch') return 'vso.work_write';
  return 'vso.work';
}

const ok = (body: unknown): ApiResult => ({ status: 200, body });
const list = (value: unknown[]): ApiResult => ok({ count: value.length, value });
const num = (v: string | null, fallback: number): number => (v === null || v === '' || Number.isNaN(Number(v)) ? fallback : Number(v));

export function handleApi(ctx: ApiContext, req: ApiRequest): ApiResult {
  const rest = req.rest.map((s) => s.toLowerCase());
  const [area = ''] = rest;
  if (area === 'connectiondata' && req.method === 'GET') return ok(connectionDataView(ctx.state, ctx.pat, ctx.mode));
  if (area === 'projects' || area === 'teams' || area === 'process') return core(ctx, req, rest);
  if (area === 'wit') return wit(ctx, req, rest);
  // Organization-level, unlike the rest of `work`: no project or team in the URL.
  if (area === 'work' && rest[1] === 'processes' && req.prefix.length === 0) return workProcesses(ctx, req, rest);
  if (area === 'work') return work(ctx, req, rest);
  if (area === 'identities' && req.method === 'GET') {
    const filter = (req.query.get('filterValue') ?? '').toLowerCase();
    return list(ctx.state.users.filter((u) => !filter || u.uniqueName.toLowerCase().includes(filter) || u.displayName.toLowerCase().includes(filter)).map((u) => ({
      id: u.id, descriptor: `Microsoft.IdentityModel.Claims.ClaimsIdentity;${u.uniqueName}`, subjectDescriptor: u.descriptor,
      providerDisplayName: u.displayName, isActive: true, isContainer: false, members: [], memberOf: [], memberIds: [], resourceVersion: 2, metaTypeId: 0,
      properties: { Account: { $type: 'System.String', $value: u.uniqueName } },
    })));
  }
  if (area === 'graph' && rest[1] === 'users' && req.method === 'GET') {
    return list(ctx.state.users.map((u) => ({
      subjectKind: 'user', domain: 'AgentPool', principalName: u.uniqueName, mailAddress: u.uniqueName, origin: 'aad', originId: u.id,
      displayName: u.displayName, descriptor: u.descriptor, url: `${ctx.base}/_apis/Graph/Users/${u.descriptor}`,
      _links: { self: { href: `${ctx.base}/_apis/Graph/Users/${u.descriptor}` } },
    })));
  }
  if (area === 'profile' && rest[1] === 'profiles' && req.method === 'GET') {
    const u = ctx.pat.user;
    return ok({ displayName: u.displayName, publicAlias: u.id, emailAddress: u.uniqueName, coreRevision: 1, timeStamp: new Date().toISOString(), id: u.id, revision: 1 });
  }
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}

function projectOf(ctx: ApiContext, req: ApiRequest, required: true): SimProject;
function projectOf(ctx: ApiContext, req: ApiRequest, required: false): SimProject | null;
function projectOf(ctx: ApiContext, req: ApiRequest, required: boolean): SimProject | null {
  const name = req.prefix[0];
  if (!name) {
    if (required) throw adoErrors.badRequest('This resource needs a project in the URL: {organization}/{project}/_apis/...');
    return null;
  }
  const p = findProject(ctx.state, name);
  if (!p) throw adoErrors.projectNotFound(name);
  return p;
}

function teamOf(project: SimProject, req: ApiRequest): SimTeam {
  const name = req.prefix[1];
  if (!name) return project.teams.find((t) => t.id === project.defaultTeamId)!;
  const t = findTeam(project, name);
  if (!t) throw adoErrors.teamNotFound(name);
  return t;
}

function core(ctx: ApiContext, req: ApiRequest, rest: string[]): ApiResult {
  if (req.method !== 'GET') throw new AdoSimError(405, 'MethodNotAllowedException', `The ${req.method} method is not supported by the simulator for ${rest.join('/')}.`);
  if (rest[0] === 'projects') {
    if (rest.length === 1) {
      const skip = num(req.query.get('$skip'), 0);
      const top = num(req.query.get('$top'), 100);
      return list(ctx.state.projects.slice(skip, skip + top).map((p) => projectView(ctx.base, p)));
    }
    const p = findProject(ctx.state, req.rest[1]!);
    if (!p) throw adoErrors.projectNotFound(req.rest[1]!);
    if (rest.length === 2) return ok(projectView(ctx.base, p, req.query.get('includeCapabilities') === 'true'));
    if (rest[2] === 'teams' && rest.length === 3) return list(p.teams.map((t) => teamView(ctx.base, p, t)));
    if (rest[2] === 'teams' && rest.length === 4) {
      const t = findTeam(p, req.rest[3]!);
      if (!t) throw adoErrors.teamNotFound(req.rest[3]!);
      return ok(teamView(ctx.base, p, t));
    }
    if (rest[2] === 'teams' && rest.length === 5 && rest[4] === 'members') {
      const t = findTeam(p, req.rest[3]!);
      if (!t) throw adoErrors.teamNotFound(req.rest[3]!);
      return list(teamMemberViews(ctx, t, num(req.query.get('$top'), 100), num(req.query.get('$skip'), 0)));
    }
  }
  if (rest[0] === 'teams' && rest.length === 1) {
    // $mine=true: only the teams the caller is a member of (Teams - Get All Teams).
    const mine = req.query.get('$mine') === 'true';
    const all = ctx.state.projects.flatMap((p) => p.teams.filter((t) => !mine || (t.members ?? []).some((m) => m.userId === ctx.pat.user.id)).map((t) => teamView(ctx.base, p, t)));
    const skip = num(req.query.get('$skip'), 0);
    return list(all.slice(skip, skip + num(req.query.get('$top'), 100)));
  }
  if (rest[0] === 'process' && rest[1] === 'processes') {
    const names = Object.keys(PROCESSES) as Array<keyof typeof PROCESSES>;
    if (rest.length === 2) return list([...names.map((n) => processView(ctx.base, n)), ...ctx.state.processes.map((p) => ownProcessView(ctx.base, p))]);
    const n = names.find((x) => PROCESSES[x].typeId === rest[2]);
    const own = ctx.state.processes.find((p) => p.typeId === rest[2]);
    if (n) return ok(processView(ctx.base, n));
    if (own) return ok(ownProcessView(ctx.base, own));
    throw adoErrors.notFound(`process ${rest[2]}`);
  }
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}

/** TeamMember objects (core 7.1 spec): an IdentityRef per member, paged by $top/$skip. */
function teamMemberViews(ctx: ApiContext, team: SimTeam, top: number, skip: number): unknown[] {
  const members = (team.members ?? []).flatMap((m) => {
    const user = ctx.state.users.find((u) => u.id === m.userId);
    return user ? [{ isTeamAdmin: m.isTeamAdmin, identity: identityRef(user, ctx.base) }] : [];
  });
  return members.slice(skip, skip + top);
}

function idsParam(raw: unknown): number[] {
  const ids = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((x) => String(x).trim()).filter(Boolean).map(Number);
  if (ids.length === 0 || ids.some((n) => !Number.isInteger(n))) throw adoErrors.badRequest('The ids parameter must be a comma-separated list of work item ids.');
  if (ids.length > MAX_BATCH_IDS) throw adoErrors.tooManyIds(ids.length, MAX_BATCH_IDS);
  return ids;
}

function readMany(ctx: ApiContext, ids: number[], fields: string[] | null, expandRaw: unknown, errorPolicyRaw: unknown, asOf: string | null): ApiResult {
  const expand = parseExpand(expandRaw);
  if (fields && fields.length > 0 && expand !== 'none') throw adoErrors.expandWithFields();
  const omit = String(errorPolicyRaw ?? '').toLowerCase() === '2' || String(errorPolicyRaw ?? '').toLowerCase() === 'omit';
  for (const ref of fields ?? []) if (!FIELD_BY_REF.has(ref.toLowerCase())) throw adoErrors.fieldNotFound(ref);
  const value = ids.map((id) => {
    const item = ctx.state.items.get(id);
    const shaped = item && !item.deleted ? shapeWorkItem(ctx.base, item, { fields, expand, asOf }) : null;
    if (!shaped && !omit) throw adoErrors.workItemNotFound(id);
    return shaped;
  });
  return list(value);
}

function runWiql(ctx: ApiContext, req: ApiRequest, project: SimProject | null, wiql: string): ApiResult {
  const compiled = compileWiql(wiql);
  const topRaw = req.query.get('$top');
  const top = topRaw === null ? null : Math.min(num(topRaw, MAX_WIQL_RESULTS), MAX_WIQL_RESULTS);
  const wctx = { project: project?.name ?? null, me: ctx.pat.user.uniqueName };
  const rows: SimWorkItem[] = [];
  for (const item of ctx.state.items.values()) {
    if (item.deleted) continue;
    const get = (ref: string): unknown => (ref === 'System.Id' ? item.id : ref === 'System.Rev' ? item.rev : item.fields[ref]);
    if (compiled.matches(get, wctx)) rows.push(item);
  }
  const order = compiled.orderBy.length > 0 ? compiled.orderBy : [{ field: 'System.Id', descending: false }];
  const value = (item: SimWorkItem, ref: string) => (ref === 'System.Id' ? item.id : ref === 'System.Rev' ? item.rev : item.fields[ref]) as string | number | undefined;
  const byOrder = (x: SimWorkItem, y: SimWorkItem): number => {
    for (const o of order) {
      const a = value(x, o.field);
      const b = value(y, o.field);
      if (a === b) continue;
      const c = a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1;
      return o.descending ? -c : c;
    }
    return x.id - y.id;
  };
  // Items are kept in id order, which is what paging queries ask for: check before sorting.
  if (rows.some((r, i) => i > 0 && byOrder(rows[i - 1]!, r) > 0)) rows.sort(byOrder);
  if (top === null && rows.length > MAX_WIQL_RESULTS) throw adoErrors.wiqlTooLarge(MAX_WIQL_RESULTS);
  const ref = (r: string) => ({ referenceName: r, name: FIELD_BY_REF.get(r.toLowerCase())?.name ?? r, url: `${ctx.base}/_apis/wit/fields/${r}` });
  return ok({
    queryType: 'flat',
    queryResultType: 'workItem',
    asOf: new Date().toISOString(),
    columns: compiled.columns.map(ref),
    sortColumns: order.map((o) => ({ field: ref(o.field), descending: o.descending })),
    workItems: rows.slice(0, top ?? MAX_WIQL_RESULTS).map((r) => ({ id: r.id, url: `${ctx.base}/_apis/wit/workItems/${r.id}` })),
  });
}

function wit(ctx: ApiContext, req: ApiRequest, rest: string[]): ApiResult {
  const [, resource = '', a, b, c] = rest;
  const m = req.method;
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (resource === 'wiql' && rest.length === 2 && m === 'POST') {
    if (typeof body.query !== 'string' || !body.query.trim()) throw adoErrors.badRequest('The request body must be {"query": "<WIQL>"}.');
    return runWiql(ctx, req, projectOf(ctx, req, false), body.query);
  }
  if (resource === 'wiql' && rest.length === 3 && m === 'GET') {
    const q = ctx.state.queries.find((x) => x.id === a);
    if (!q) throw adoErrors.queryNotFound(req.rest[2]!);
    const project = projectOf(ctx, req, false) ?? ctx.state.projects.find((p) => p.id === q.projectId) ?? null;
    return runWiql(ctx, req, project, q.wiql);
  }
  if (resource === 'workitemsbatch' && m === 'POST') {
    projectOf(ctx, req, false);
    const fields = Array.isArray(body.fields) ? body.fields.map(String) : null;
    return readMany(ctx, idsParam(body.ids), fields, body.$expand, body.errorPolicy, typeof body.asOf === 'string' ? body.asOf : null);
  }
  if (resource === 'workitems' && rest.length === 2 && m === 'GET') {
    projectOf(ctx, req, false);
    const fields = req.query.get('fields')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
    return readMany(ctx, idsParam(req.query.get('ids')), fields, req.query.get('$expand'), req.query.get('errorPolicy'), req.query.get('asOf'));
  }
  if (resource === 'workitems' && rest.length === 3 && req.rest[2]!.startsWith('$') && m === 'GET') {
    const project = projectOf(ctx, req, true);
    const template = workItemTemplate(ctx.base, project, req.rest[2]!.slice(1), ctx.user);
    if (!template) throw adoErrors.typeNotFound(req.rest[2]!.slice(1));
    return ok(template);
  }
  if (resource === 'workitems' && rest.length === 3 && req.rest[2]!.startsWith('$') && m === 'POST') {
    const project = projectOf(ctx, req, true);
    requirePatchContentType(req);
    const type = req.rest[2]!.slice(1);
    if (!projectTypeDef(project, type)) throw adoErrors.typeNotFound(type);
    const created = applyPatch(ctx, project, null, type, req.body, flags(req));
    return ok(shapeWorkItem(ctx.base, created, { expand: 'relations', links: true }));
  }
  if (resource === 'workitems' && rest.length >= 3) {
    const id = Number(a);
    const project = projectOf(ctx, req, false);
    const item = Number.isInteger(id) ? ctx.state.items.get(id) : undefined;
    if (!item || item.deleted || (project && item.projectId !== project.id && m !== 'GET')) throw adoErrors.workItemNotFound(req.rest[2]!);
    const owner = ctx.state.projects.find((p) => p.id === item.projectId)!;
    if (rest.length === 3 && m === 'GET') {
      const fields = req.query.get('fields')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
      const expand = parseExpand(req.query.get('$expand'));
      if (fields && fields.length > 0 && expand !== 'none') throw adoErrors.expandWithFields();
      const shaped = shapeWorkItem(ctx.base, item, { fields, expand, links: true, asOf: req.query.get('asOf') });
      if (!shaped) throw adoErrors.workItemNotFound(id);
      return ok(shaped);
    }
    if (rest.length === 3 && m === 'PATCH') {
      requirePatchContentType(req);
      const updated = applyPatch(ctx, owner, item, null, req.body, flags(req));
      return ok(shapeWorkItem(ctx.base, updated, { expand: 'relations', links: true }));
    }
    if (rest.length === 3 && m === 'DELETE') return ok(deleteItem(ctx, item, owner));
    if (b === 'revisions' && m === 'GET') {
      const expand = parseExpand(req.query.get('$expand'));
      const revs = item.revisions.map((r) => ({
        id: item.id, rev: r.rev, fields: { 'System.Id': item.id, 'System.Rev': r.rev, ...r.fields },
        ...((expand === 'relations' || expand === 'all') && r.relations.length ? { relations: r.relations } : {}),
        url: `${ctx.base}/_apis/wit/workItems/${item.id}/revisions/${r.rev}`,
      }));
      if (c !== undefined) {
        const one = revs.find((r) => r.rev === Number(c));
        if (!one) throw adoErrors.notFound(`revision ${c} of work item ${id}`);
        // One revision (not a list) links to its siblings and its item, as the official example shows.
        const self = itemUrl(ctx.base, item.id);
        return ok({ ...one, _links: { self: { href: one.url }, workItemRevisions: { href: `${self}/revisions` }, parent: { href: self } } });
      }
      const skip = num(req.query.get('$skip'), 0);
      return list(revs.slice(skip, skip + num(req.query.get('$top'), 200)));
    }
    if (b === 'comments') return comments(ctx, req, project, owner, item, c);
    if (b === 'updates' && m === 'GET') {
      const updates = updatesOf(ctx.base, item, ctx.state.users);
      if (c !== undefined) {
        const one = updates.find((u) => u.id === Number(c));
        if (!one) throw adoErrors.notFound(`update ${c} of work item ${id}`);
        const self = itemUrl(ctx.base, item.id);
        return ok({ ...one, _links: { self: { href: one.url }, workItemUpdates: { href: `${self}/updates` }, parent: { href: self } } });
      }
      const skip = num(req.query.get('$skip'), 0);
      return list(updates.slice(skip, skip + num(req.query.get('$top'), 200)));
    }
  }
  if (resource === 'workitemtypes' && m === 'GET') {
    const project = projectOf(ctx, req, true);
    if (rest.length === 2) return list(projectTypes(project).map((t) => typeView(ctx.base, project, t)));
    const t = projectTypeDef(project, req.rest[2]!);
    if (!t) throw adoErrors.typeNotFound(req.rest[2]!);
    if (rest.length === 3) return ok(typeView(ctx.base, project, t));
    if (b === 'states') return list(stateViews(t));
    if (b === 'fields') {
      const fields = [...typeFields(t).values()];
      const all = (req.query.get('$expand') ?? '').toLowerCase() === 'all';
      if (c === undefined) return list(fields.map((f) => typeFieldView(ctx.base, f, all ? t : undefined)));
      const f = fields.find((x) => x.referenceName.toLowerCase() === c);
      if (!f) throw adoErrors.fieldNotFound(req.rest[4]!);
      return ok(typeFieldView(ctx.base, f, all ? t : undefined));
    }
  }
  if (resource === 'fields' && rest.length <= 3) {
    projectOf(ctx, req, false);
    return fieldsApi(ctx, req);
  }
  if (resource === 'classificationnodes') return classificationNodes(ctx, req, projectOf(ctx, req, true));
  if (resource === 'workitemtypecategories' && m === 'GET' && rest.length <= 3) {
    const all = typeCategoryViews(ctx.base, projectOf(ctx, req, true));
    if (rest.length === 2) return list(all);
    const one = all.find((x) => String(x.referenceName).toLowerCase() === a);
    if (!one) throw witError(404, 'WorkItemTypeCategoryNotFoundException', `The work item type category ${req.rest[2]} does not exist.`);
    return ok(one);
  }
  if (resource === 'workitemrelationtypes' && m === 'GET') {
    const all = relationTypeViews(ctx.base);
    if (rest.length === 2) return list(all);
    const one = all.find((r) => String(r.referenceName).toLowerCase() === a);
    if (!one) throw adoErrors.notFound(`relation type ${req.rest[2]}`);
    return ok(one);
  }
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}

/** The comments resource's revision at 7.1 (`7.1-preview.4`; the client library sends `.3`). */
export const COMMENTS_RESOURCE_VERSION = 4;
/** Comments per page when `$top` is not given, and the most one page holds. */
export const COMMENTS_PAGE = 200;

/**
 * `{project}/_apis/wit/workItems/{id}/comments[/{commentId}]` (Comments_*, wit 7.1). A preview
 * resource: ADO refuses an api-version without `-preview`, and a resource revision above its own.
 * The project is part of the route, as in the spec. Paging is by an opaque `continuationToken`.
 */
function comments(ctx: ApiContext, req: ApiRequest, project: SimProject | null, owner: SimProject, item: SimWorkItem, commentId: string | undefined): ApiResult {
  if (ctx.mode !== 'cloud' || !project) throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
  const v = req.apiVersion;
  if (v && !v.preview) {
    throw adoErrors.badRequest(`The requested version "${v.text}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "${v.text}-preview".`);
  }
  const revision = Number(/-preview\.(\d+)$/.exec(v?.text ?? '')?.[1] ?? COMMENTS_RESOURCE_VERSION);
  if (v && v.version >= 7.1 && revision > COMMENTS_RESOURCE_VERSION) throw adoErrors.versionOutOfRange(v.text, `7.1-preview.${COMMENTS_RESOURCE_VERSION}`);
  const m = req.method;
  const all = item.comments ?? [];
  const view = (x: (typeof all)[number]) => commentView(ctx.base, owner, item.id, x);
  const text = (): string => {
    const t = (req.body as { text?: unknown } | null)?.text;
    if (typeof t !== 'string' || !t.trim()) throw adoErrors.badRequest('The comment text cannot be empty. Send {"text": "..."}.');
    return t;
  };
  if (commentId === undefined && m === 'POST') return ok(view(addComment(ctx, owner, item, text())));
  if (commentId === undefined && m === 'GET') {
    const includeDeleted = req.query.get('includeDeleted') === 'true';
    const idsRaw = req.query.get('ids');
    const ids = idsRaw ? new Set(idsRaw.split(',').map((x) => Number(x.trim()))) : null;
    const order = (req.query.get('order') ?? '').toLowerCase();
    let rows = all.filter((x) => (includeDeleted || !x.isDeleted) && (!ids || ids.has(x.id)));
    rows = order === 'asc' || order === '1' ? rows : [...rows].reverse();
    const top = Math.min(Math.max(num(req.query.get('$top'), COMMENTS_PAGE), 1), COMMENTS_PAGE);
    const token = req.query.get('continuationToken');
    const skip = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
    if (!Number.isInteger(skip) || skip < 0) throw adoErrors.badRequest(`The continuation token '${token}' is not valid.`);
    const page = rows.slice(skip, skip + top);
    const more = skip + top < rows.length;
    const nextToken = Buffer.from(String(skip + top), 'utf8').toString('base64url');
    const query = new URLSearchParams(req.query);
    query.set('continuationToken', nextToken);
    return ok({
      totalCount: rows.length,
      count: page.length,
      comments: page.map(view),
      ...(more ? { nextPage: `${ctx.base}/${owner.id}/_apis/wit/workItems/${item.id}/comments?${query.toString()}`, continuationToken: nextToken } : {}),
    });
  }
  const comment = all.find((x) => x.id === Number(commentId));
  if (!comment || (comment.isDeleted && !(m === 'GET' && req.query.get('includeDeleted') === 'true'))) {
    throw new AdoSimError(404, 'WorkItemCommentNotFoundException', `VS403649: The comment ${commentId} of work item ${item.id} does not exist.`);
  }
  if (m === 'GET') return ok(view(comment));
  if (m === 'PATCH') {
    const now = new Date().toISOString();
    Object.assign(comment, { text: text(), version: comment.version + 1, modifiedDate: now, modifiedBy: identityRef(ctx.user, ctx.base) });
    return ok(view(comment));
  }
  if (m === 'DELETE') {
    Object.assign(comment, { isDeleted: true, modifiedDate: new Date().toISOString(), modifiedBy: identityRef(ctx.user, ctx.base) });
    return ok(view(comment));
  }
  throw new AdoSimError(405, 'MethodNotAllowedException', `The ${m} method is not supported for work item comments.`);
}

function requirePatchContentType(req: ApiRequest): void {
  if (!/application\/json-patch\+json/i.test(req.contentType)) {
    throw new AdoSimError(415, 'VssRequestContentTypeNotSupportedException', `VS402371: The content type '${req.contentType || 'none'}' is not supported. Send application/json-patch+json.`);
  }
}

function flags(req: ApiRequest): { validateOnly: boolean; bypassRules: boolean } {
  return { validateOnly: req.query.get('validateOnly') === 'true', bypassRules: req.query.get('bypassRules') === 'true' };
}

function work(ctx: ApiContext, req: ApiRequest, rest: string[]): ApiResult {
  const project = projectOf(ctx, req, true);
  const team = teamOf(project, req);
  const key = rest.slice(1).join('/');
  if (rest[1] === 'teamsettings' && rest[2] === 'iterations' && (req.method !== 'GET' || rest.length === 4)) return teamIteration(ctx, req, project, team, rest[3]);
  // Team settings and area writes are not simulated: refuse loudly (the client library throws on 405), never a silent 404.
  if (req.method !== 'GET') throw new AdoSimError(405, 'MethodNotAllowedException', `The ${req.method} method is not supported by the simulator for ${rest.join('/')}.`);
  if (rest[1] === 'backlogs' && rest.length === 3) {
    const one = backlogViews(ctx.base, project, team).find((b) => String(b.id).toLowerCase() === rest[2]);
    if (!one) throw new AdoSimError(404, 'BacklogLevelNotFoundException', `The backlog level ${req.rest[2]} does not exist in project ${project.name}.`);
    return ok(one);
  }
  if (key === 'teamsettings') return ok(teamSettingsView(ctx.base, project, team));
  if (key === 'teamsettings/iterations') {
    const frame = req.query.get('$timeframe')?.toLowerCase();
    const all = teamIterationViews(ctx.base, project, team);
    const wanted = frame === '0' ? 'past' : frame === '1' ? 'current' : frame === '2' ? 'future' : frame;
    return list(wanted ? all.filter((i) => (i.attributes as { timeFrame: string }).timeFrame === wanted) : all);
  }
  if (key === 'teamsettings/teamfieldvalues') return ok(teamFieldValuesView(ctx.base, project, team));
  if (key === 'backlogs') return list(backlogViews(ctx.base, project, team));
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}

export { identityRef };

/**
 * A team's iteration by id (Iterations - Get), and the team's choice of iterations (Post Team
 * Iteration adds a project iteration by its identifier, Delete removes it from the team; the
 * iteration itself stays).
 */
function teamIteration(ctx: ApiContext, req: ApiRequest, project: SimProject, team: SimTeam, id: string | undefined): ApiResult {
  const nodes = allPaths(project.iterations);
  const find = (identifier: string) => nodes.find((n) => n.node.identifier === identifier.toLowerCase());
  const notFound = (x: string) => new AdoSimError(404, 'NotFoundException', `The iteration ${x} does not exist in team ${team.name}.`);
  if (req.method === 'GET' && id) {
    const one = teamIterationViews(ctx.base, project, team).find((i) => i.id === id);
    if (!one) throw notFound(id);
    return ok({ ...one, _links: teamIterationLinks(ctx.base, project, team, id) });
  }
  if (req.method === 'POST' && !id) {
    const wanted = String((req.body as { id?: unknown } | null)?.id ?? '');
    const at = find(wanted);
    if (!at) throw notFound(wanted);
    if (!team.iterations.some((p) => p.toLowerCase() === at.path.toLowerCase())) team.iterations.push(at.path);
    const one = teamIterationViews(ctx.base, project, team).find((i) => i.id === at.node.identifier);
    return { status: 201, body: { ...one, _links: teamIterationLinks(ctx.base, project, team, at.node.identifier) } };
  }
  if (req.method === 'DELETE' && id) {
    const at = find(id);
    if (!at || !team.iterations.some((p) => p.toLowerCase() === at.path.toLowerCase())) throw notFound(id);
    team.iterations = team.iterations.filter((p) => p.toLowerCase() !== at.path.toLowerCase());
    return { status: 204, body: undefined };
  }
  throw new AdoSimError(405, 'MethodNotAllowedException', `The ${req.method} method is not supported for team iterations.`);
}
