/**
 * The PlanBridge task fields (connectors/ppm.ts PLANBRIDGE_FIELDS) as the engine uses them:
 * - "Sync to ADO" narrows a "flagged tasks only" integration (scope.ts);
 * - "ADO Work Item ID" and "ADO Work Item Link" receive the linked work item's id and web URL, so
 *   people in Project see where a task went. They are PlanBridge's own (no mapping rule, no
 *   baseline): each run compares them with the link and proposes a write when they differ, so a
 *   run after a run proposes nothing once they hold the right values;
 * - "ADO Work Item Type" and "ADO Project" choose the type and the project of the work item
 *   created for a task, when they name one the integration can use.
 * Pure: which fields the plan has comes in on the Integration (`planTaskFields`), the URL pattern
 * through the ADO port (`AdoSide.workItemUrl`).
 */
import { importedTypes } from './scope.js';
import type { FieldValue, Integration, Item } from './model.js';
import type { WriteLimits } from './write-limits.js';

export const SYNC_FLAG_FIELD = 'Sync to ADO';
export const ADO_TYPE_FIELD = 'ADO Work Item Type';
export const ADO_PROJECT_FIELD = 'ADO Project';
export const ADO_ID_FIELD = 'ADO Work Item ID';
export const ADO_LINK_FIELD = 'ADO Work Item Link';

/** Web URL of a work item, from the ADO side (absent: the link field is left alone). */
export type WorkItemUrl = (adoKey: string) => string;

/** The reference fields the plan has; only those are ever written. */
export interface RefFields {
  readonly idField?: string;
  readonly linkField?: string;
}

export function refFields(integration: Integration, url: WorkItemUrl | undefined): RefFields {
  const has = new Set(integration.planTaskFields ?? []);
  return {
    ...(has.has(ADO_ID_FIELD) ? { idField: ADO_ID_FIELD } : {}),
    ...(has.has(ADO_LINK_FIELD) && url ? { linkField: ADO_LINK_FIELD } : {}),
  };
}

export const hasRefFields = (f: RefFields): boolean => f.idField !== undefined || f.linkField !== undefined;

/** What the reference fields of a task linked to `adoKey` should hold. */
export function refValues(f: RefFields, adoKey: string, url: WorkItemUrl | undefined): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  if (f.idField && /^\d+$/.test(adoKey)) out[f.idField] = Number(adoKey);
  if (f.linkField && url) out[f.linkField] = url(adoKey);
  return out;
}

/** The reference values a linked task lacks or holds wrongly (a number field may read back as text). */
export function staleRefs(f: RefFields, plan: Item, adoKey: string, url: WorkItemUrl | undefined): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [field, want] of Object.entries(refValues(f, adoKey, url))) {
    if (!sameRef(plan.fields[field], want)) out[field] = want;
  }
  return out;
}

export function sameRef(held: FieldValue | undefined, want: FieldValue): boolean {
  if (typeof want === 'number') return held !== null && held !== undefined && held !== '' && Number(held) === want;
  return (held ?? '') === want;
}

const textOf = (v: FieldValue | undefined): string => (typeof v === 'string' ? v.trim() : '');
const nameOf = (item: Item): string => String(item.fields['Name'] ?? item.key);

/**
 * The type a task's "ADO Work Item Type" asks for, spelled as ADO spells it, or a note why it is
 * not used. It must be a type the target project has (when ADO said which) and one the integration
 * syncs: a work item of any other type would be out of scope on the next run, and look deleted.
 */
export function typeOverride(integration: Integration, limits: WriteLimits, item: Item, project: string): { type?: string; note?: string } {
  const asked = textOf(item.fields[ADO_TYPE_FIELD]);
  if (asked === '') return {};
  const projectTypes = limits.typesByProject?.[project];
  const synced = [...importedTypes(integration)];
  const usable = projectTypes ? synced.filter((t) => projectTypes.some((p) => p.toLowerCase() === t.toLowerCase())) : synced;
  const type = usable.find((t) => t.toLowerCase() === asked.toLowerCase());
  if (type) return { type };
  const why = projectTypes && !projectTypes.some((p) => p.toLowerCase() === asked.toLowerCase())
    ? `${project} has no "${asked}" work item type`
    : `this integration does not sync "${asked}" work items`;
  return { note: `Plan task "${nameOf(item)}" asks for ADO Work Item Type "${asked}", but ${why}; it is created as its outline level says. Types it can be: ${usable.join(', ')}.` };
}

/** The project a task's "ADO Project" asks for, as the integration names it, or a note why it is not used. */
export function projectOverride(integration: Integration, item: Item): { project?: string; note?: string } {
  const asked = textOf(item.fields[ADO_PROJECT_FIELD]);
  if (asked === '') return {};
  const projects = [...new Set(integration.scope.ado.map((s) => s.project))];
  const project = projects.find((p) => p.toLowerCase() === asked.toLowerCase());
  if (project) return { project };
  return { note: `Plan task "${nameOf(item)}" asks for ADO Project "${asked}", which this integration does not sync (its projects: ${projects.join(', ')}); it is created in the project it would go to otherwise.` };
}

/** The preview note for work items created in this run whose id and link go back into the plan. */
export function refsNote(count: number, f: RefFields): string {
  const fields = [f.idField, f.linkField].filter((x): x is string => x !== undefined).map((x) => `"${x}"`).join(' and ');
  const what = [f.idField ? (count === 1 ? 'ID' : 'IDs') : null, f.linkField ? (count === 1 ? 'link' : 'links') : null].filter(Boolean).join(' and ');
  const whose = count === 1 ? 'The new work item\'s' : `The ${count} new work items'`;
  return `${whose} ${what} go into ${count === 1 ? 'its plan task\'s' : 'their plan tasks\''} ${fields} ${fields.includes(' and ') ? 'fields' : 'field'} in this same run.`;
}
