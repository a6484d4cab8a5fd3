import { adoErrors, AdoSimError } from './errors.js';
import { findUser, identityRef } from './identities.js';
import type { SimMode } from './locations.js';
import { findProject, nextChangeDate, nodeByPath, type SimComment, type SimIdentity, type SimProject, type SimRelation, type SimState, type SimWorkItem } from './model.js';
import { projectTypeDef, typeFields, type TypeDef } from './processes.js';

/**
 * Work item behaviour: JSON-patch create/update with the rules ADO enforces (required title,
 * allowed states, valid area/iteration, one parent, `test /rev`), reciprocal hierarchy links,
 * revisions, and the shapes the REST API returns.
 */
export const MAX_LINKS = 1000;
export const MAX_TAGS = 100;

export const RELATION_TYPES: Array<{ referenceName: string; name: string; topology?: string; reverse?: string }> = [
  { referenceName: 'System.LinkTypes.Hierarchy-Forward', name: 'Child', topology: 'tree', reverse: 'System.LinkTypes.Hierarchy-Reverse' },
  { referenceName: 'System.LinkTypes.Hierarchy-Reverse', name: 'Parent', topology: 'tree', reverse: 'System.LinkTypes.Hierarchy-Forward' },
  { referenceName: 'System.LinkTypes.Related', name: 'Related', topology: 'network', reverse: 'System.LinkTypes.Related' },
  { referenceName: 'System.LinkTypes.Duplicate-Forward', name: 'Duplicate', topology: 'tree', reverse: 'System.LinkTypes.Duplicate-Reverse' },
  { referenceName: 'System.LinkTypes.Duplicate-Reverse', name: 'Duplicate Of', topology: 'tree', reverse: 'System.LinkTypes.Duplicate-Forward' },
  { referenceName: 'System.LinkTypes.Dependency-Forward', name: 'Successor', topology: 'dependency', reverse: 'System.LinkTypes.Dependency-Reverse' },
  { referenceName: 'System.LinkTypes.Dependency-Reverse', name: 'Predecessor', topology: 'dependency', reverse: 'System.LinkTypes.Dependency-Forward' },
  { referenceName: 'Hyperlink', name: 'Hyperlink' },
  { referenceName: 'ArtifactLink', name: 'Artifact Link' },
  { referenceName: 'AttachedFile', name: 'Attached File' },
];
const RELATION_BY_REF = new Map(RELATION_TYPES.map((r) => [r.referenceName.toLowerCase(), r]));
const PARENT = 'System.LinkTypes.Hierarchy-Reverse';
const CHILD = 'System.LinkTypes.Hierarchy-Forward';

export interface WitContext {
  state: SimState;
  /** Organization / collection URL, no trailing slash. */
  base: string;
  mode: SimMode;
  user: SimIdentity;
}

export interface PatchOp {
  op: string | number;
  path: string;
  value?: unknown;
  from?: string | null;
}

export const itemUrl = (base: string, id: number): string => `${base}/_apis/wit/workItems/${id}`;
export const idFromUrl = (url: string): number | null => {
  const m = /\/_apis\/wit\/workitems\/(\d+)$/i.exec(url);
  return m ? Number(m[1]) : null;
};

function normalizeTags(value: unknown): string {
  const seen = new Map<string, string>();
  for (const raw of String(value ?? '').split(/[;,]/)) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b)).join('; ');
}

function coerce(ctx: WitContext, type: TypeDef, ref: string, kind: string, name: string, value: unknown, bypassRules = false): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  switch (kind) {
    case 'integer':
    case 'double': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) throw adoErrors.ruleError(name, 'InvalidType', ref);
      return n;
    }
    case 'dateTime': {
      const t = Date.parse(String(value));
      if (Number.isNaN(t)) throw adoErrors.ruleError(name, 'InvalidType', ref);
      return new Date(t).toISOString();
    }
    case 'identity': {
      const text = typeof value === 'object' ? String((value as { uniqueName?: string }).uniqueName ?? '') : String(value);
      const user = findUser(ctx.state.users, text);
      // bypassRules stores what was sent, as the official example shows ("Invalid Value").
      if (!user && bypassRules) return text;
      if (!user) throw new AdoSimError(400, 'WorkItemFieldInvalidException', `The identity value '${text}' for field '${name}' is an unknown identity.`);
      return identityRef(user, ctx.base);
    }
    case 'boolean': return value === true || String(value).toLowerCase() === 'true';
    default:
      return ref === 'System.Tags' ? (normalizeTags(value) || undefined) : String(value);
  }
}

/** Applies a JSON patch document to a new (item = null) or existing work item. */
export function applyPatch(
  ctx: WitContext, project: SimProject, item: SimWorkItem | null, typeName: string | null, body: unknown,
  options: { validateOnly?: boolean; bypassRules?: boolean } = {},
): SimWorkItem {
  if (!Array.isArray(body) || body.some((o) => !o || typeof o !== 'object' || typeof (o as PatchOp).path !== 'string')) {
    throw adoErrors.badRequest('You must pass a valid patch document in the body of the request.');
  }
  const ops = body as PatchOp[];
  const shownId = item?.id ?? -1;
  // An update may move the item to another project or change its type (official examples
  // bug1Id and bug1Id_2); both decide which fields and states the rest of the document meets.
  const target = item ? movedTo(ctx, project, ops) : project;
  const newType = item ? ops.find((o) => o.path === '/fields/System.WorkItemType' && o.value !== undefined)?.value : undefined;
  const typeWanted = typeName ?? String(newType ?? item?.fields['System.WorkItemType'] ?? '');
  const type = projectTypeDef(target, typeWanted);
  if (!type) throw adoErrors.typeNotFound(typeWanted);
  const allowed = typeFields(type);
  const fields: Record<string, unknown> = { ...(item?.fields ?? {}) };
  let relations: SimRelation[] = [...(item?.relations ?? [])];
  let comment: string | null = null;
  let changedDate: string | null = null;

  // Operation enum as the .NET server reads it: names or numbers (Add=0 ... Test=5).
  const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
  for (const op of ops) {
    const kind = typeof op.op === 'number' ? OPS[op.op] : String(op.op ?? '').toLowerCase();
    if (op.path === '/rev' || op.path === '/id') {
      if (kind !== 'test') throw adoErrors.badRequest(`The operation '${op.op}' is not valid for ${op.path}.`);
      const actual = op.path === '/rev' ? (item?.rev ?? 0) : shownId;
      if (Number(op.value) !== actual) throw adoErrors.staleRev();
      continue;
    }
    const fieldPath = /^\/fields\/(.+)$/.exec(op.path);
    if (fieldPath) {
      const def = allowed.get(decodeURIComponent(fieldPath[1]!).toLowerCase());
      if (!def) throw adoErrors.fieldNotFound(decodeURIComponent(fieldPath[1]!));
      const ref = def.referenceName;
      if (kind === 'test') {
        if (JSON.stringify(fields[ref] ?? null) !== JSON.stringify(op.value ?? null)) {
          throw new AdoSimError(412, 'WorkItemFieldTestFailedException', `The test operation on field ${ref} of work item ${shownId} failed: the value has changed.`);
        }
        continue;
      }
      if (ref === 'System.TeamProject' || (ref === 'System.WorkItemType' && item)) continue; // see movedTo / newType above
      if (ref === 'System.History') {
        // History belongs to the revision being written (see SimWorkItem.fields); an empty one writes nothing.
        if (kind === 'add' || kind === 'replace') comment = String(op.value ?? '') || null;
        continue;
      }
      if (def.readOnly && !options.bypassRules) throw adoErrors.readOnlyField(ref);
      if (kind === 'remove') { delete fields[ref]; continue; }
      if (kind !== 'add' && kind !== 'replace') throw adoErrors.badRequest(`The JSON patch operation '${op.op}' is not supported on ${op.path}.`);
      const value = coerce(ctx, type, ref, def.type, def.name, op.value, options.bypassRules);
      if (ref === 'System.ChangedDate') { changedDate = typeof value === 'string' ? value : null; continue; }
      if (value === undefined) delete fields[ref];
      else fields[ref] = value;
      continue;
    }
    const attribute = /^\/relations\/(\d+)\/attributes\/([^/]+)$/.exec(op.path);
    if (attribute && (kind === 'add' || kind === 'replace' || kind === 'remove')) {
      // e.g. `replace /relations/2/attributes/comment` (official example taskId_4).
      const index = Number(attribute[1]);
      if (index >= relations.length) throw adoErrors.badRequest(`Invalid path '${op.path}': work item ${shownId} has ${relations.length} relations.`);
      relations = relations.map((r, i) => {
        if (i !== index) return r;
        const attributes = { ...r.attributes };
        if (kind === 'remove') delete attributes[attribute[2]!];
        else attributes[attribute[2]!] = op.value;
        return { ...r, attributes };
      });
      continue;
    }
    if (op.path === '/relations/-' && kind === 'add') {
      const v = (op.value ?? {}) as Partial<SimRelation>;
      const relType = RELATION_BY_REF.get(String(v.rel ?? '').toLowerCase());
      if (!relType) throw adoErrors.linkError(`TF201065: The link type '${String(v.rel)}' is not valid.`);
      const url = String(v.url ?? '');
      if (relType.topology) {
        const target = idFromUrl(url);
        const other = target === null ? undefined : ctx.state.items.get(target);
        if (!other || other.deleted) throw adoErrors.linkError(`TF201063: The work item link target ${url} does not exist or you do not have permission to access it.`);
        if (target === item?.id) throw adoErrors.linkError(`TF201035: Work item ${shownId} cannot be linked to itself.`);
      } else if (relType.referenceName === 'Hyperlink' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(url)) {
        throw adoErrors.linkError(`TF237067: The hyperlink '${url}' is not a valid URL.`);
      }
      if (relations.some((r) => r.rel === relType.referenceName && r.url.toLowerCase() === url.toLowerCase())) {
        throw adoErrors.linkError(`TF201035: The link ${relType.name} to ${url} already exists on work item ${shownId}.`);
      }
      const attributes = { ...(v.attributes ?? {}) } as Record<string, unknown>;
      if (relType.topology) Object.assign(attributes, { isLocked: false, name: relType.name });
      relations.push({ rel: relType.referenceName, url: relType.topology ? itemUrl(ctx.base, idFromUrl(url)!) : url, attributes });
      continue;
    }
    const relIndex = /^\/relations\/(\d+)$/.exec(op.path);
    if (relIndex && kind === 'remove') {
      const index = Number(relIndex[1]);
      if (index >= relations.length) throw adoErrors.badRequest(`Invalid path '${op.path}': work item ${shownId} has ${relations.length} relations.`);
      relations = relations.filter((_, i) => i !== index);
      continue;
    }
    throw adoErrors.badRequest(`The JSON patch operation '${op.op}' on path '${op.path}' is not supported.`);
  }

  const touched = [item, ...[...(item?.relations ?? []), ...relations].map((r) => ctx.state.items.get(idFromUrl(r.url) ?? -1))];
  const now = changedDate ? checkChangedDate(item, shownId, changedDate) : nextChangeDate(ctx.state, touched.map((x) => x?.fields['System.ChangedDate']));
  const changer = identityRef(ctx.user, ctx.base);
  if (item && target !== project) {
    // A moved item keeps its paths only if the new project has them; otherwise it lands at the root.
    fields['System.TeamProject'] = target.name;
    if (!nodeByPath(target.areas, String(fields['System.AreaPath']))) fields['System.AreaPath'] = target.name;
    if (!nodeByPath(target.iterations, String(fields['System.IterationPath']))) fields['System.IterationPath'] = target.name;
  }
  if (item) fields['System.WorkItemType'] = type.name;
  if (!item) {
    fields['System.TeamProject'] = project.name;
    fields['System.WorkItemType'] = type.name;
    fields['System.AreaPath'] ??= project.name;
    fields['System.IterationPath'] ??= project.name;
    fields['System.State'] ??= type.states[0]!.name;
    fields['System.CreatedDate'] = now;
    fields['System.CreatedBy'] = changer;
    fields['System.CommentCount'] = 0;
    if (allowed.has('microsoft.vsts.common.priority')) fields['Microsoft.VSTS.Common.Priority'] ??= 2;
  }
  validate(target, type, fields, relations, shownId, options.bypassRules ?? false);
  const stateChanged = fields['System.State'] !== item?.fields['System.State'];
  if (stateChanged) {
    fields['System.Reason'] = item ? `Moved to state ${String(fields['System.State'])}` : 'New';
    fields['Microsoft.VSTS.Common.StateChangeDate'] = now;
  }
  if (comment) fields['System.CommentCount'] = Number(fields['System.CommentCount'] ?? 0) + 1;

  const parentRel = relations.find((r) => r.rel === PARENT);
  const parentId = parentRel ? idFromUrl(parentRel.url) : null;
  if (item && parentId !== null) assertNoCycle(ctx.state, item.id, parentId);
  if (ctx.mode === 'cloud') {
    if (parentId !== null) fields['System.Parent'] = parentId;
    else delete fields['System.Parent'];
  }

  const changed = !item || comment !== null
    || JSON.stringify(stripVolatile(fields)) !== JSON.stringify(stripVolatile(item.fields))
    || JSON.stringify(relations) !== JSON.stringify(item.relations);
  if (!changed) return item!;

  fields['System.ChangedDate'] = now;
  fields['System.ChangedBy'] = changer;
  fields['System.AuthorizedDate'] = now;
  const draft: SimWorkItem = {
    id: item?.id ?? (options.validateOnly ? 0 : ctx.state.nextId),
    projectId: target.id,
    rev: (item?.rev ?? 0) + 1,
    fields,
    relations,
    revisions: item?.revisions ?? [],
    deleted: false,
    comments: item?.comments ?? [],
  };
  const revisionFields = comment ? { ...fields, 'System.History': comment } : fields;
  if (options.validateOnly) return { ...draft, rev: item?.rev ?? 0, revisions: [] };
  if (!item) ctx.state.nextId += 1;
  draft.revisions = [...draft.revisions, { rev: draft.rev, fields: revisionFields, relations }];
  // A History entry is also a discussion comment (the comments API lists it).
  if (comment) draft.comments = [...draft.comments!, newComment(ctx, comment, now)];
  ctx.state.items.set(draft.id, draft);
  syncReciprocalLinks(ctx, draft, item?.relations ?? [], now);
  return draft;
}

function newComment(ctx: WitContext, text: string, now: string): SimComment {
  const by = identityRef(ctx.user, ctx.base);
  return { id: ctx.state.nextCommentId++, text, version: 1, createdBy: by, createdDate: now, modifiedBy: by, modifiedDate: now, isDeleted: false };
}

/**
 * POST workItems/{id}/comments: as on ADO, the comment is also a work item change, a new
 * revision with `System.History` set to its text and `System.CommentCount` one higher.
 */
export function addComment(ctx: WitContext, project: SimProject, item: SimWorkItem, text: string): SimComment {
  const updated = applyPatch(ctx, project, item, null, [{ op: 'add', path: '/fields/System.History', value: text }]);
  return updated.comments!.at(-1)!;
}

function stripVolatile(fields: Record<string, unknown>): Record<string, unknown> {
  const { 'System.ChangedDate': _a, 'System.ChangedBy': _b, 'System.AuthorizedDate': _c, ...rest } = fields;
  return rest;
}

/**
 * The work item type's rules (required, allowed values) and the structural checks (tree paths,
 * links). `bypassRules` skips only the former, as on ADO.
 */
function validate(project: SimProject, type: TypeDef, fields: Record<string, unknown>, relations: SimRelation[], id: number, bypassRules: boolean): void {
  if (!bypassRules) {
    if (!String(fields['System.Title'] ?? '').trim()) throw adoErrors.ruleError('Title', 'Required, InvalidEmpty', 'System.Title');
    if (String(fields['System.Title']).length > 255) throw adoErrors.ruleError('Title', 'InvalidTooLong', 'System.Title');
    if (!type.states.some((s) => s.name === fields['System.State'])) throw adoErrors.ruleError('State', 'LimitedToValues, AllowsOldValue', 'System.State');
  }
  if (!nodeByPath(project.areas, String(fields['System.AreaPath']))) throw adoErrors.invalidTree(id, 'System.AreaPath');
  if (!nodeByPath(project.iterations, String(fields['System.IterationPath']))) throw adoErrors.invalidTree(id, 'System.IterationPath');
  const tags = String(fields['System.Tags'] ?? '').split(';').filter((t) => t.trim());
  if (tags.length > MAX_TAGS) throw adoErrors.ruleError('Tags', `InvalidTooManyTags (at most ${MAX_TAGS})`);
  if (relations.length > MAX_LINKS) throw adoErrors.linkError(`TF201089: Work item ${id} would have more than ${MAX_LINKS} links.`);
  if (relations.filter((r) => r.rel === PARENT).length > 1) {
    throw adoErrors.linkError(`TF201036: You cannot add a Child link between work items because work item ${id} can have only one Parent link.`);
  }
}

/** The project a `System.TeamProject` operation moves the item to (the same one when there is none). */
function movedTo(ctx: WitContext, project: SimProject, ops: PatchOp[]): SimProject {
  const op = ops.find((o) => /^\/fields\/System\.TeamProject$/i.test(o.path) && o.value !== undefined);
  if (!op) return project;
  const target = findProject(ctx.state, String(op.value));
  if (!target) throw adoErrors.ruleError('Team Project', 'InvalidListValue', 'System.TeamProject');
  return target;
}

/**
 * A ChangedDate the caller sets (bypassRules): ADO keys revisions by date, so it must be after the
 * item's last change and not after the server's clock.
 */
function checkChangedDate(item: SimWorkItem | null, id: number, date: string): string {
  const t = Date.parse(date);
  if (t > Date.now()) throw adoErrors.changedDateOutOfOrder(id, `System.ChangedDate ${date} is later than the server's time.`);
  const last = Date.parse(String(item?.fields['System.ChangedDate'] ?? ''));
  if (Number.isFinite(last) && t <= last) throw adoErrors.changedDateOutOfOrder(id, `System.ChangedDate ${date} is not after the previous revision's ${String(item!.fields['System.ChangedDate'])}.`);
  return new Date(t).toISOString();
}

function assertNoCycle(state: SimState, id: number, parentId: number): void {
  const seen = new Set<number>();
  for (let cur: number | null = parentId; cur !== null; cur = parentOf(state.items.get(cur))) {
    if (cur === id) throw adoErrors.linkError(`TF201040: Adding the Parent link from ${id} to ${parentId} would create a circular relationship.`);
    if (seen.has(cur)) break;
    seen.add(cur);
  }
}

export function parentOf(item: SimWorkItem | undefined): number | null {
  const rel = item?.relations.find((r) => r.rel === PARENT);
  return rel ? idFromUrl(rel.url) : null;
}

/** Hierarchy and other typed links exist on both ends; the far end gets a new revision too. */
function syncReciprocalLinks(ctx: WitContext, item: SimWorkItem, before: SimRelation[], now: string): void {
  const key = (r: SimRelation) => `${r.rel}|${r.url.toLowerCase()}`;
  const beforeKeys = new Set(before.map(key));
  const afterKeys = new Set(item.relations.map(key));
  const touch = (targetId: number, change: (rels: SimRelation[]) => SimRelation[]): void => {
    const other = ctx.state.items.get(targetId);
    if (!other || other.deleted) return;
    const relations = change(other.relations);
    const fields: Record<string, unknown> = { ...other.fields, 'System.ChangedDate': now, 'System.ChangedBy': identityRef(ctx.user, ctx.base) };
    if (ctx.mode === 'cloud') {
      const p = relations.find((r) => r.rel === PARENT);
      if (p) fields['System.Parent'] = idFromUrl(p.url);
      else delete fields['System.Parent'];
    }
    const next: SimWorkItem = { ...other, rev: other.rev + 1, fields, relations };
    next.revisions = [...other.revisions, { rev: next.rev, fields, relations }];
    ctx.state.items.set(other.id, next);
  };
  const myUrl = itemUrl(ctx.base, item.id);
  for (const rel of item.relations) {
    const type = RELATION_BY_REF.get(rel.rel.toLowerCase());
    if (!type?.reverse || beforeKeys.has(key(rel))) continue;
    const reverse = RELATION_TYPES.find((r) => r.referenceName === type.reverse)!;
    touch(idFromUrl(rel.url)!, (rels) => [...rels, { rel: reverse.referenceName, url: myUrl, attributes: { isLocked: false, name: reverse.name } }]);
  }
  for (const rel of before) {
    const type = RELATION_BY_REF.get(rel.rel.toLowerCase());
    if (!type?.reverse || afterKeys.has(key(rel))) continue;
    touch(idFromUrl(rel.url)!, (rels) => rels.filter((r) => !(r.rel === type.reverse && r.url.toLowerCase() === myUrl.toLowerCase())));
  }
}

/** WorkItemExpand: None=0, Relations=1, Fields=2, Links=3, All=4 (numbers or names). */
export function parseExpand(raw: unknown): 'none' | 'relations' | 'fields' | 'links' | 'all' {
  const names = ['none', 'relations', 'fields', 'links', 'all'] as const;
  const v = String(raw ?? '').toLowerCase();
  return names[Number(v)] ?? names.find((n) => n === v) ?? 'none';
}

/** The item as it was at `asOf` (ISO), or undefined if it did not exist yet. */
export function asOfRevision(item: SimWorkItem, asOf: string | null): { rev: number; fields: Record<string, unknown>; relations: SimRelation[] } | undefined {
  if (!asOf) {
    // The current item is its latest revision: History shows when that revision wrote one.
    const latest = item.revisions.at(-1);
    const history = latest?.rev === item.rev ? latest.fields['System.History'] : undefined;
    return history === undefined ? item : { ...item, fields: { ...item.fields, 'System.History': history } };
  }
  const t = Date.parse(asOf);
  if (Number.isNaN(t)) throw adoErrors.badRequest(`The asOf value '${asOf}' is not a valid date.`);
  return [...item.revisions].reverse().find((r) => Date.parse(String(r.fields['System.ChangedDate'])) <= t);
}

export function shapeWorkItem(
  base: string, item: SimWorkItem, options: { fields?: string[] | null; expand?: ReturnType<typeof parseExpand>; links?: boolean; asOf?: string | null } = {},
): Record<string, unknown> | null {
  const snapshot = asOfRevision(item, options.asOf ?? null);
  if (!snapshot) return null;
  const expand = options.expand ?? 'none';
  let fields: Record<string, unknown>;
  if (options.fields && options.fields.length > 0) {
    const all: Record<string, unknown> = { ...snapshot.fields, 'System.Id': item.id, 'System.Rev': snapshot.rev };
    fields = {};
    for (const ref of options.fields) {
      const key = Object.keys(all).find((k) => k.toLowerCase() === ref.toLowerCase());
      if (key !== undefined && all[key] !== undefined) fields[key] = all[key];
    }
  } else {
    fields = expand === 'all' || expand === 'fields' ? { 'System.Id': item.id, ...snapshot.fields, 'System.Rev': snapshot.rev } : snapshot.fields;
  }
  const out: Record<string, unknown> = { id: item.id, rev: snapshot.rev, fields };
  if ((expand === 'relations' || expand === 'all') && snapshot.relations.length > 0) out.relations = snapshot.relations;
  if (expand === 'links' || expand === 'all' || options.links) {
    const self = itemUrl(base, item.id);
    out._links = {
      self: { href: self },
      workItemUpdates: { href: `${self}/updates` },
      workItemRevisions: { href: `${self}/revisions` },
      workItemComments: { href: `${self}/comments` },
      html: { href: `${base}/web/wi.aspx?id=${item.id}` },
      workItemType: { href: `${base}/_apis/wit/workItemTypes/${encodeURIComponent(String(snapshot.fields['System.WorkItemType']))}` },
      fields: { href: `${base}/_apis/wit/fields` },
    };
  }
  out.url = itemUrl(base, item.id);
  return out;
}

/** The end of a revision's life: the next revision's ChangedDate, or ADO's "still current" 9999-01-01. */
const STILL_CURRENT = '9999-01-01T00:00:00Z';
/** Fields an update lists only for the revision that wrote them, never as removed by the next one. */
const PER_REVISION = new Set(['System.History']);

/**
 * GET workItems/{id}/updates: the differences between consecutive revisions. As in the official
 * examples each update also carries `System.Rev` and `System.RevisedDate` (old and new value: a
 * revision's RevisedDate is the next one's ChangedDate), and `System.History` only on the update
 * that wrote it.
 */
export function updatesOf(base: string, item: SimWorkItem, users: SimIdentity[]): Array<Record<string, unknown>> {
  const revisedDate = (i: number): string => String(item.revisions[i + 1]?.fields['System.ChangedDate'] ?? STILL_CURRENT);
  return item.revisions.map((rev, i) => {
    const prev = i > 0 ? item.revisions[i - 1]! : { rev: undefined, fields: {} as Record<string, unknown>, relations: [] as SimRelation[] };
    const fields: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
    const change = (k: string, oldValue: unknown, newValue: unknown): void => {
      fields[k] = { ...(oldValue === undefined ? {} : { oldValue }), ...(newValue === undefined ? {} : { newValue }) };
    };
    change('System.Rev', prev.rev, rev.rev);
    change('System.RevisedDate', i > 0 ? revisedDate(i - 1) : undefined, revisedDate(i));
    for (const k of new Set([...Object.keys(prev.fields), ...Object.keys(rev.fields)])) {
      if (PER_REVISION.has(k)) {
        if (rev.fields[k] !== undefined) change(k, undefined, rev.fields[k]);
        continue;
      }
      if (JSON.stringify(prev.fields[k]) === JSON.stringify(rev.fields[k])) continue;
      change(k, prev.fields[k], rev.fields[k]);
    }
    const key = (r: SimRelation) => `${r.rel}|${r.url}`;
    const added = rev.relations.filter((r) => !prev.relations.some((p) => key(p) === key(r)));
    const removed = prev.relations.filter((r) => !rev.relations.some((p) => key(p) === key(r)));
    const by = rev.fields['System.ChangedBy'] as { uniqueName?: string } | undefined;
    const user = users.find((u) => u.uniqueName === by?.uniqueName) ?? users[0];
    return {
      id: rev.rev,
      workItemId: item.id,
      rev: rev.rev,
      revisedBy: user ? identityRef(user, base) : undefined,
      revisedDate: revisedDate(i),
      fields,
      ...(added.length || removed.length ? { relations: { ...(added.length ? { added } : {}), ...(removed.length ? { removed } : {}) } } : {}),
      url: `${itemUrl(base, item.id)}/updates/${rev.rev}`,
    };
  });
}

/** GET workItems/{id}/comments: a page of comments, newest first unless `order` is asc. */
export function commentView(base: string, project: SimProject, workItemId: number, c: SimComment): Record<string, unknown> {
  return {
    workItemId, id: c.id, version: c.version, text: c.text,
    createdBy: c.createdBy, createdDate: c.createdDate, modifiedBy: c.modifiedBy, modifiedDate: c.modifiedDate,
    isDeleted: c.isDeleted,
    url: `${base}/${project.id}/_apis/wit/workItems/${workItemId}/comments/${c.id}`,
  };
}

export function deleteItem(ctx: WitContext, item: SimWorkItem, project: SimProject): Record<string, unknown> {
  item.deleted = true;
  return {
    id: item.id,
    code: 200,
    deletedBy: identityRef(ctx.user, ctx.base).displayName,
    deletedDate: nextChangeDate(ctx.state),
    name: item.fields['System.Title'],
    project: project.name,
    type: item.fields['System.WorkItemType'],
    url: `${ctx.base}/_apis/wit/recyclebin/${item.id}`,
  };
}

export { CHILD as HIERARCHY_FORWARD, PARENT as HIERARCHY_REVERSE };
