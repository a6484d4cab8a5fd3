import type { WorkItem } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces.js';
import { LINK_CHILD, LINK_HYPERLINK, LINK_PARENT } from './limits.js';
import type { AdoWorkItem } from './types.js';

const WORKITEMS_SEGMENT = '/workitems/';

/** The id at the end of `.../workitems/{id}` (any case), or null. */
const idFromUrl = (url: string | undefined): number | null => {
  if (!url) return null;
  const slash = url.lastIndexOf('/');
  const start = slash - WORKITEMS_SEGMENT.length + 1;
  if (slash === url.length - 1 || start < 0 || url.slice(start, slash + 1).toLowerCase() !== WORKITEMS_SEGMENT) return null;
  for (let i = slash + 1; i < url.length; i += 1) {
    const c = url.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(url.slice(slash + 1));
};

export function splitTags(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return String(value).split(';').map((t) => t.trim()).filter(Boolean);
}

/** The connector DTO from a REST work item read with relations (one pass over the relations: 10,000 items a read). */
export function toAdoWorkItem(w: WorkItem): AdoWorkItem {
  const fields = (w.fields ?? {}) as Record<string, unknown>;
  let parentRel: number | null | undefined;
  const childIds: number[] = [];
  const hyperlinks: AdoWorkItem['hyperlinks'] = [];
  for (const r of w.relations ?? []) {
    if (r.rel === LINK_PARENT) {
      if (parentRel === undefined) parentRel = idFromUrl(r.url);
    } else if (r.rel === LINK_CHILD) {
      const id = idFromUrl(r.url);
      if (id !== null) childIds.push(id);
    } else if (r.rel === LINK_HYPERLINK) {
      hyperlinks.push({ url: r.url ?? '', comment: (r.attributes?.comment as string | undefined) ?? null });
    }
  }
  const parentField = fields['System.Parent'];
  return {
    id: w.id!,
    rev: w.rev!,
    project: String(fields['System.TeamProject'] ?? ''),
    type: String(fields['System.WorkItemType'] ?? ''),
    title: String(fields['System.Title'] ?? ''),
    state: String(fields['System.State'] ?? ''),
    fields,
    parentId: parentRel !== undefined ? parentRel : typeof parentField === 'number' ? parentField : null,
    childIds,
    tags: splitTags(fields['System.Tags']),
    hyperlinks,
    url: w.url ?? '',
  };
}

/** WIQL string literal: single quotes doubled. */
export function wiqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
