import type { JsonPatchOperation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces.js';
import type { WorkItem } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces.js';
import { AdoConnectorError, isConflict, toAdoError } from './errors.js';
import { EXPAND_RELATIONS, LINK_HYPERLINK, LINK_PARENT, MAX_TAGS_PER_ITEM, WIQL_MAX_LENGTH } from './limits.js';
import { queryIds, readItems } from './reads.js';
import type { AdoSession } from './session.js';
import type { AdoCreateRequest, AdoUpdateRequest, AdoUpdateResult, AdoWorkItem } from './types.js';
import { splitTags, toAdoWorkItem, wiqlString } from './workitem.js';

/**
 * Writes with JSON patch. Creates carry the PlanBridge marker in System.Tags (and optionally a
 * hyperlink) so a rerun after a crash finds the item instead of making a twin; they are retried
 * only after checking by marker. Updates are guarded by `test /rev`; a conflict is a result.
 */
// RFC 6902 names; the typings want the numeric enum, ADO accepts both.
const OP_ADD = 'add' as unknown as JsonPatchOperation['op'];
const OP_REMOVE = 'remove' as unknown as JsonPatchOperation['op'];
const OP_TEST = 'test' as unknown as JsonPatchOperation['op'];
type Patch = JsonPatchOperation[];

const itemUrl = (orgUrl: string, id: number) => `${orgUrl}/_apis/wit/workItems/${id}`;

function fieldOps(fields: Record<string, unknown>): Patch {
  return Object.entries(fields).map(([ref, value]) => (value === null || value === undefined
    ? { op: OP_REMOVE, path: `/fields/${ref}` }
    : { op: OP_ADD, path: `/fields/${ref}`, value }));
}

export function assertMarker(marker: string): void {
  if (!marker.trim() || /[;,]/.test(marker) || marker.length > 400) {
    throw new AdoConnectorError('invalid-request', `The PlanBridge marker "${marker}" cannot be a work item tag (it must be non-empty, without ';' or ',').`);
  }
}

export async function createItem(session: AdoSession, request: AdoCreateRequest): Promise<AdoWorkItem> {
  assertMarker(request.marker);
  const { 'System.Tags': tagField, ...rest } = request.fields;
  const tags = [...new Set([...splitTags(tagField), request.marker])];
  if (tags.length > MAX_TAGS_PER_ITEM) throw new AdoConnectorError('invalid-request', `A work item can have at most ${MAX_TAGS_PER_ITEM} tags.`);
  const doc: Patch = [...fieldOps(rest), { op: OP_ADD, path: '/fields/System.Tags', value: tags.join('; ') }];
  if (request.parentId) doc.push({ op: OP_ADD, path: '/relations/-', value: { rel: LINK_PARENT, url: itemUrl(session.orgUrl, request.parentId), attributes: { comment: 'Linked by PlanBridge' } } });
  if (request.link) doc.push({ op: OP_ADD, path: '/relations/-', value: { rel: LINK_HYPERLINK, url: request.link.url, attributes: { comment: request.link.comment ?? 'PlanBridge plan task' } } });
  const op = { what: `create a ${request.type} in ${request.project}`, scope: 'work-write' as const, project: request.project };
  const wit = await session.call(op, () => session.wit());
  const created = await session.call(op, () => wit.createWorkItem(null, doc, request.project, request.type, false, false, false, EXPAND_RELATIONS), {
    idempotent: false,
    // A lost answer may hide a create that landed: look for the marker before sending it again.
    recover: async () => (await findByMarkers(session, [request.marker], request.project)).get(request.marker),
  }).catch((err: unknown) => { throw isConflict(err) ? toAdoError(err, op, session.orgUrl) : err; });
  if (!created) {
    throw new AdoConnectorError('not-found', `Could not create a ${request.type} in ${request.project}: the project or that work item type does not exist. Check the hierarchy settings of the integration.`);
  }
  // `recover` returns an AdoWorkItem; the library returns a REST work item.
  return 'fields' in created && 'parentId' in created ? (created as unknown as AdoWorkItem) : toAdoWorkItem(created);
}

async function readRaw(session: AdoSession, id: number): Promise<WorkItem | null> {
  const op = { what: `read work item ${id}`, scope: 'work-read' as const };
  return session.call(op, async () => (await session.wit()).getWorkItem(id, undefined, undefined, EXPAND_RELATIONS));
}

export async function updateItem(session: AdoSession, request: AdoUpdateRequest): Promise<AdoUpdateResult> {
  const doc: Patch = [{ op: OP_TEST, path: '/rev', value: request.expectedRev }, ...fieldOps(request.fields ?? {})];
  if (request.parentId !== undefined) {
    // Replacing the parent needs the index of the current parent relation.
    const raw = await readRaw(session, request.id);
    if (!raw) throw notFound(request.id);
    const current = toAdoWorkItem(raw);
    if (current.rev !== request.expectedRev) return { status: 'stale', id: request.id };
    const index = (raw.relations ?? []).findIndex((r) => r.rel === LINK_PARENT);
    if (index >= 0 && current.parentId !== request.parentId) doc.push({ op: OP_REMOVE, path: `/relations/${index}` });
    if (request.parentId !== null && current.parentId !== request.parentId) {
      doc.push({ op: OP_ADD, path: '/relations/-', value: { rel: LINK_PARENT, url: itemUrl(session.orgUrl, request.parentId), attributes: { comment: 'Linked by PlanBridge' } } });
    }
  }
  const op = { what: `update work item ${request.id}`, scope: 'work-write' as const };
  try {
    // Safe to resend: if a first attempt landed, the `test /rev` makes the second one a conflict.
    const updated = await session.call(op, async () => (await session.wit()).updateWorkItem(null, doc, request.id, undefined, false, false, false, EXPAND_RELATIONS));
    if (!updated) throw notFound(request.id);
    return { status: 'done', item: toAdoWorkItem(updated) };
  } catch (err) {
    if (isConflict(err)) return { status: 'stale', id: request.id };
    throw err;
  }
}

function notFound(id: number): AdoConnectorError {
  return new AdoConnectorError('not-found', `Work item ${id} no longer exists in Azure DevOps (it may have been deleted). Refresh the preview; PlanBridge will offer to unlink it.`, { status: 404 });
}

/** Deletes (to the recycle bin) if the item is still at `expectedRev`; ADO's DELETE has no guard of its own. */
export async function removeItem(session: AdoSession, id: number, expectedRev: number): Promise<'done' | 'stale'> {
  const current = await readRaw(session, id);
  if (!current) return 'done';
  if (current.rev !== expectedRev) return 'stale';
  const op = { what: `delete work item ${id}`, scope: 'work-write' as const };
  await session.call(op, async () => (await session.wit()).deleteWorkItem(id));
  return 'done';
}

/** For each marker, the work item whose tags contain it (across the organization, or one project). */
export async function findByMarkers(session: AdoSession, markers: readonly string[], project?: string): Promise<Map<string, AdoWorkItem>> {
  const found = new Map<string, AdoWorkItem>();
  const pending = [...new Set(markers)];
  pending.forEach(assertMarker);
  const base = project ? `[System.TeamProject] = ${wiqlString(project)} AND ` : '';
  while (pending.length > 0) {
    // As many markers per query as fit well inside the WIQL length limit.
    const batch: string[] = [];
    let length = base.length + 200;
    while (pending.length > 0 && length + pending[0]!.length + 40 < WIQL_MAX_LENGTH / 2) {
      const m = pending.shift()!;
      batch.push(m);
      length += m.length + 40;
    }
    const where = `${base}(${batch.map((m) => `[System.Tags] CONTAINS ${wiqlString(m)}`).join(' OR ')})`;
    const ids = await queryIds(session, where, project);
    for (const item of await readItems(session, ids, project)) {
      for (const m of batch) if (item.tags.some((t) => t.toLowerCase() === m.toLowerCase()) && !found.has(m)) found.set(m, item);
    }
  }
  return found;
}
