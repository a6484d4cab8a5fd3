import type { WorkItem } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces.js';
import { LINK_CHILD, LINK_HYPERLINK, LINK_PARENT } from './limits.js';
import type { AdoWorkItem } from './types.js';

const idFromUrl = (url: string | undefined): number | null => {
  const m = /\/workitems\/(\d+)$/i.exec(url ?? '');
  return m ? Number(m[1]) : null;
};

export function splitTags(value: unknown): string[] {
  return String(value ?? '').split(';').map((t) => t.trim()).filter(Boolean);
}

/** The connector DTO from a REST work item read with relations. */
export function toAdoWorkItem(w: WorkItem): AdoWorkItem {
  const fields = (w.fields ?? {}) as Record<string, unknown>;
  const relations = w.relations ?? [];
  const parentRel = relations.find((r) => r.rel === LINK_PARENT);
  const parentField = fields['System.Parent'];
  return {
    id: w.id!,
    rev: w.rev!,
    project: String(fields['System.TeamProject'] ?? ''),
    type: String(fields['System.WorkItemType'] ?? ''),
    title: String(fields['System.Title'] ?? ''),
    state: String(fields['System.State'] ?? ''),
    fields,
    parentId: parentRel ? idFromUrl(parentRel.url) : typeof parentField === 'number' ? parentField : null,
    childIds: relations.filter((r) => r.rel === LINK_CHILD).map((r) => idFromUrl(r.url)).filter((x): x is number => x !== null),
    tags: splitTags(fields['System.Tags']),
    hyperlinks: relations.filter((r) => r.rel === LINK_HYPERLINK).map((r) => ({ url: r.url ?? '', comment: (r.attributes?.comment as string | undefined) ?? null })),
    url: w.url ?? '',
  };
}

/** WIQL string literal: single quotes doubled. */
export function wiqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
