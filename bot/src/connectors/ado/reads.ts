import { BATCH_MAX_IDS, ERROR_POLICY_OMIT, EXPAND_RELATIONS, WIQL_MAX_LENGTH, WIQL_MAX_RESULTS } from './limits.js';
import { AdoConnectorError } from './errors.js';
import { teamAreaPaths } from './metadata.js';
import type { AdoSession } from './session.js';
import type { AdoReadScope, AdoWorkItem } from './types.js';
import { toAdoWorkItem, wiqlString } from './workitem.js';

/**
 * Reads: WIQL for ids (paged past the 20,000 cap by `[System.Id] > last`), then batches of 200 with
 * relations, all batches started at once and capped by the session's in-flight gate.
 */

/** The WHERE clause for a scope (without the paging condition). */
export async function scopeWhere(session: AdoSession, scope: AdoReadScope): Promise<string> {
  const clauses = [`[System.TeamProject] = ${wiqlString(scope.project)}`];
  if (scope.team) {
    const areas = await teamAreaPaths(session, scope.project, scope.team);
    if (areas.length === 0) throw new AdoConnectorError('invalid-request', `Team ${scope.team} owns no area paths, so it has no work items. Pick another team or an area path.`);
    clauses.push(`(${areas.map((a) => `[System.AreaPath] ${a.includeChildren ? 'UNDER' : '='} ${wiqlString(a.path)}`).join(' OR ')})`);
  }
  if (scope.areaPath) clauses.push(`[System.AreaPath] UNDER ${wiqlString(scope.areaPath)}`);
  if (scope.iterationPath) clauses.push(`[System.IterationPath] UNDER ${wiqlString(scope.iterationPath)}`);
  if (scope.types && scope.types.length > 0) clauses.push(`[System.WorkItemType] IN (${scope.types.map(wiqlString).join(', ')})`);
  return clauses.join(' AND ');
}

/** All ids matching `where`, in id order, paging by `[System.Id] > last` in pages of 20,000. */
export async function queryIds(session: AdoSession, where: string, project?: string): Promise<number[]> {
  const ids: number[] = [];
  let last = 0;
  for (;;) {
    const query = `SELECT [System.Id] FROM WorkItems WHERE ${where} AND [System.Id] > ${last} ORDER BY [System.Id]`;
    if (query.length > WIQL_MAX_LENGTH) throw new AdoConnectorError('invalid-request', `The work item query is ${query.length} characters, over ADO's limit of ${WIQL_MAX_LENGTH}. Narrow the scope.`);
    const op = { what: project ? `query work items in ${project}` : 'query work items', scope: 'work-read' as const, ...(project ? { project } : {}) };
    const result = await session.call(op, async () => (await session.wit()).queryByWiql({ query }, project ? { project } : undefined, undefined, WIQL_MAX_RESULTS));
    if (!result) throw await session.explainNull(op);
    const page = (result.workItems ?? []).map((w) => w.id!);
    ids.push(...page);
    if (page.length < WIQL_MAX_RESULTS) return ids;
    last = page[page.length - 1]!;
  }
}

/** Ids returned by a saved query (flat or tree: every id it names). */
export async function savedQueryIds(session: AdoSession, project: string, queryId: string): Promise<number[]> {
  const op = { what: `run saved query ${queryId}`, scope: 'work-read' as const, project };
  const result = await session.call(op, async () => (await session.wit()).queryById(queryId, { project }, undefined, WIQL_MAX_RESULTS));
  if (!result) throw new AdoConnectorError('not-found', `The saved query ${queryId} does not exist in ${project}, or you cannot read it. Pick the query again.`);
  const ids = new Set<number>((result.workItems ?? []).map((w) => w.id!));
  for (const r of result.workItemRelations ?? []) {
    if (r.source?.id) ids.add(r.source.id);
    if (r.target?.id) ids.add(r.target.id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Reads items by id with relations; ids that no longer exist are left out. */
export async function readItems(session: AdoSession, ids: readonly number[], project?: string): Promise<AdoWorkItem[]> {
  const unique = [...new Set(ids)];
  const chunks: number[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_MAX_IDS) chunks.push(unique.slice(i, i + BATCH_MAX_IDS));
  const op = { what: 'read work items', scope: 'work-read' as const, ...(project ? { project } : {}) };
  const wit = await session.call(op, () => session.wit());
  const pages = await Promise.all(chunks.map(async (chunk) => {
    const items = await session.call(op, () => wit.getWorkItemsBatch({ ids: chunk, $expand: EXPAND_RELATIONS, errorPolicy: ERROR_POLICY_OMIT }, project));
    if (!items) throw await session.explainNull(op);
    return items.filter((w) => w !== null && w !== undefined).map(toAdoWorkItem);
  }));
  return pages.flat();
}

/** Every item in the scopes (union; each item once). */
export async function readScopes(session: AdoSession, scopes: readonly AdoReadScope[]): Promise<AdoWorkItem[]> {
  const ids = new Set<number>();
  for (const scope of scopes) {
    const found = scope.ids ?? (scope.queryId
      ? await savedQueryIds(session, scope.project, scope.queryId)
      : await queryIds(session, await scopeWhere(session, scope), scope.project));
    for (const id of found) ids.add(id);
  }
  return readItems(session, [...ids].sort((a, b) => a - b));
}
