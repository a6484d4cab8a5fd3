/**
 * The sync engine's AdoSide over the ADO connector. Work items become engine `Item`s: the key is
 * the id as text, the version is `rev`, identities flatten to their uniqueName, and connector
 * errors pass through (their messages are written for users and never hold the PAT).
 */
import type { AdoConnector } from '../connectors/ado/index.js';
import type { AdoWorkItem } from '../connectors/ado/types.js';
import type { FieldValue, Item } from '../sync/model.js';
import type { AdoSide } from '../sync/ports.js';

function flatten(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'object') {
    const identity = value as { uniqueName?: unknown; displayName?: unknown };
    if (typeof identity.uniqueName === 'string') return identity.uniqueName;
    if (typeof identity.displayName === 'string') return identity.displayName;
  }
  return JSON.stringify(value);
}

/**
 * `System.ChangedDate` becomes `modifiedAt`, which the engine uses for the synchronization start
 * date. Reads expand relations, and ADO then returns every field, ChangedDate included.
 */
export function workItemToItem(w: AdoWorkItem): Item {
  const fields: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(w.fields)) fields[name] = flatten(value);
  fields['System.TeamProject'] = w.project;
  const modifiedAt = changedAt(w.fields['System.ChangedDate']);
  return {
    key: String(w.id), system: 'ado', type: w.type, parentKey: w.parentId === null ? null : String(w.parentId), fields, version: w.rev,
    ...(modifiedAt ? { modifiedAt } : {}),
  };
}

function changedAt(value: unknown): string | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * A work item's web URL at organization level, so it opens whatever its project (the same URL the
 * report card links to: adapters/live-systems.ts).
 */
export function workItemWebUrl(orgUrl: string, id: string): string {
  return `${orgUrl.replace(/\/+$/, '')}/_workitems/edit/${encodeURIComponent(id)}`;
}

const toId = (key: string): number => {
  const id = Number(key);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`"${key}" is not an Azure DevOps work item id.`);
  return id;
};

export function createAdoSide(connector: AdoConnector): AdoSide {
  return {
    async writeLimits(scopes) {
      // Union over the projects: an aggregation of projects on one process has the same types.
      const fieldsByType: Record<string, string[]> = {};
      const statesByType: Record<string, string[]> = {};
      const typesByProject: Record<string, string[]> = {};
      const projects = [...new Set(scopes.map((s) => s.project))];
      // All projects at once; the connector caps requests in flight per organization.
      const typesOf = await Promise.all(projects.map((project) => connector.workItemTypes(project)));
      for (const [n, project] of projects.entries()) {
        const types = typesOf[n]!;
        if (types.length > 0) typesByProject[project] = types.map((t) => t.name);
        for (const t of types) {
          // A server that did not list them: no limit known.
          if (t.fields.length > 0) fieldsByType[t.name] = [...new Set([...(fieldsByType[t.name] ?? []), ...t.fields])];
          if (t.states.length > 0) statesByType[t.name] = [...new Set([...(statesByType[t.name] ?? []), ...t.states.map((st) => st.name)])];
        }
      }
      return { readOnly: {}, rolledUp: {}, fieldsByType, statesByType, typesByProject };
    },
    async readScope(scopes) {
      const items = await connector.readScope(scopes.map((s) => ({
        project: s.project,
        ...(s.team ? { team: s.team } : {}), ...(s.areaPath ? { areaPath: s.areaPath } : {}),
        ...(s.iterationPath ? { iterationPath: s.iterationPath } : {}), ...(s.queryId ? { queryId: s.queryId } : {}),
      })));
      return items.map(workItemToItem);
    },
    async readByKeys(keys) {
      return (await connector.readByIds(keys.map(toId))).map(workItemToItem);
    },
    async findByMarkers(markers) {
      const found = await connector.findByMarkers(markers);
      return new Map([...found].map(([marker, item]) => [marker, String(item.id)]));
    },
    async create(request) {
      const item = await connector.create({
        project: request.project, type: request.type, fields: { ...request.fields },
        parentId: request.parentKey === null ? null : toId(request.parentKey), marker: request.marker,
      });
      return { key: String(item.id), version: item.rev };
    },
    async update(request) {
      const result = await connector.update({
        id: toId(request.key), expectedRev: Number(request.expectedVersion), fields: { ...request.fields },
        ...(request.parentKey !== undefined ? { parentId: request.parentKey === null ? null : toId(request.parentKey) } : {}),
      });
      return result.status === 'done' ? { status: 'done', version: result.item.rev } : { status: 'stale' };
    },
    workItemUrl: (key) => workItemWebUrl(connector.org.url, key),
    async remove(key, expectedVersion) {
      const status = await connector.remove(toId(key), Number(expectedVersion));
      return status === 'done' ? { status: 'done', version: expectedVersion } : { status: 'stale' };
    },
  };
}
