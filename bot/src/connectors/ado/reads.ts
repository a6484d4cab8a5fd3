import { BatchReader } from './batch-reader.js';
import { WIQL_MAX_LENGTH, WIQL_MAX_RESULTS } from './limits.js';
import { AdoConnectorError } from './errors.js';
import { teamAreaPaths } from './metadata.js';
import type { AdoSession } from './session.js';
import type { AdoReadScope, AdoWorkItem } from './types.js';
import { wiqlString } from './workitem.js';

/**
 * Reads: WIQL for ids (paged past the 20,000 cap by `[System.Id] > last`), then batches of 200 with
 * relations (batch-reader.ts). Scopes are queried at once, and batches start as each WIQL page
 * arrives, while the next page is asked for.
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
  await queryIdPages(session, where, project, (page) => { for (const id of page) ids.push(id); });
  return ids;
}

/** Hands each page of ids to `onPage` as it arrives, before the next page is asked for. */
async function queryIdPages(session: AdoSession, where: string, project: string | undefined, onPage: (ids: number[]) => void): Promise<void> {
  let last = 0;
  for (;;) {
    const query = `SELECT [System.Id] FROM WorkItems WHERE ${where} AND [System.Id] > ${last} ORDER BY [System.Id]`;
    if (query.length > WIQL_MAX_LENGTH) throw new AdoConnectorError('invalid-request', `The work item query is ${query.length} characters, over ADO's limit of ${WIQL_MAX_LENGTH}. Narrow the scope.`);
    const op = { what: project ? `query work items in ${project}` : 'query work items', scope: 'work-read' as const, ...(project ? { project } : {}) };
    // Ahead of queued batch reads: they wait on it for their ids, never the other way round.
    const result = await session.call(op, async () => (await session.wit()).queryByWiql({ query }, project ? { project } : undefined, undefined, WIQL_MAX_RESULTS), { first: true });
    if (!result) throw await session.explainNull(op);
    const page = (result.workItems ?? []).map((w) => w.id!);
    onPage(page);
    if (page.length < WIQL_MAX_RESULTS) return;
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

/** Reads items by id with relations, in the order given; ids that no longer exist are left out. */
export async function readItems(session: AdoSession, ids: readonly number[], project?: string): Promise<AdoWorkItem[]> {
  const reader = new BatchReader(session, project);
  reader.add(ids);
  return reader.finish();
}

/** Every item in the scopes (union; each item once), in id order. */
export async function readScopes(session: AdoSession, scopes: readonly AdoReadScope[]): Promise<AdoWorkItem[]> {
  const reader = new BatchReader(session);
  await Promise.all(scopes.map(async (scope) => {
    if (scope.ids) reader.add(scope.ids);
    else if (scope.queryId) reader.add(await savedQueryIds(session, scope.project, scope.queryId));
    else await queryIdPages(session, await scopeWhere(session, scope), scope.project, (page) => reader.add(page));
  }));
  return (await reader.finish()).sort((a, b) => a.id - b.id);
}
