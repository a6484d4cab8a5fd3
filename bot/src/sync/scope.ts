/**
 * The in-scope view of each side: which items take part and who their effective parent is (the
 * nearest ancestor that takes part). With "team project as top parent", every ADO project is a
 * virtual item `project:<name>` that parents the project's top-level items.
 */
import type { Integration, Item } from './model.js';

export const TEAM_PROJECT_TYPE = '$TeamProject';
const PROJECT_PREFIX = 'project:';

export const projectKey = (project: string): string => `${PROJECT_PREFIX}${project}`;
export const isProjectKey = (key: string): boolean => key.startsWith(PROJECT_PREFIX);
export const projectOfKey = (key: string): string => key.slice(PROJECT_PREFIX.length);

export interface SideView {
  readonly items: ReadonlyMap<string, Item>;
  /** Effective parent of every in-scope item (null: top level). */
  readonly parent: ReadonlyMap<string, string | null>;
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Top-level keys, in input order. */
  readonly roots: readonly string[];
  /**
   * Where each in-scope item sits in the whole outline, when the view leaves some items out
   * ("flagged tasks only"): its depth counting every ancestor, and whether it has subtasks at all.
   * Absent: the view's own parents and children say it.
   */
  readonly outline?: ReadonlyMap<string, { readonly depth: number; readonly summary: boolean }>;
}

function buildView(all: readonly Item[], inScope: (item: Item) => boolean, topParent: (item: Item) => string | null, extra: readonly Item[] = []): SideView {
  const byKey = new Map<string, Item>();
  for (const item of all) byKey.set(item.key, item);
  const items = new Map<string, Item>();
  for (const item of extra) items.set(item.key, item);
  for (const item of all) if (inScope(item)) items.set(item.key, item);
  const parent = new Map<string, string | null>();
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const item of items.values()) {
    let p = item.parentKey;
    let guard = 0;
    while (p !== null && !items.has(p) && guard++ < 1000) p = byKey.get(p)?.parentKey ?? null;
    if (p === item.key) p = null;
    if (p === null) p = topParent(item);
    parent.set(item.key, p);
    if (p === null) roots.push(item.key);
    else {
      const list = children.get(p);
      if (list) list.push(item.key);
      else children.set(p, [item.key]);
    }
  }
  return { items, parent, children, roots };
}

/** Whether a task is flagged: Project's flag reads as true (some sites give "Yes"). */
export function isFlagged(item: Item, flagField: string): boolean {
  const v = item.fields[flagField];
  return v === true || v === 1 || (typeof v === 'string' && ['yes', 'true', '1'].includes(v.trim().toLowerCase()));
}

/**
 * "Flagged tasks only": only flagged tasks take part; nothing is created, updated or deleted for an
 * unflagged one. A flagged task's effective parent is its nearest flagged ancestor (unflagged
 * summaries are skipped, as ADO has no item for them), but its level stays the one its whole
 * outline gives it: a flagged leaf three levels down is still a leaf type, a flagged summary is
 * still a portfolio or requirement level even when none of its subtasks is flagged. `whole` is
 * the whole plan when `items` is only part of it.
 */
export function planView(integration: Integration, items: readonly Item[], whole: readonly Item[] = items): SideView {
  const { tasks, flagField } = integration.scope.plan;
  if (tasks !== 'flagged' || flagField === undefined) return buildView(items, () => true, () => null);
  const view = buildView(items, (i) => isFlagged(i, flagField), () => null);
  // Levels come from the whole plan, even when a start date left unchanged tasks out of `items`.
  const byKey = new Map(whole.map((i) => [i.key, i]));
  for (const i of items) if (!byKey.has(i.key)) byKey.set(i.key, i);
  const hasKids = new Set([...byKey.values()].map((i) => i.parentKey).filter((k): k is string => k !== null));
  const outline = new Map<string, { depth: number; summary: boolean }>();
  for (const key of view.items.keys()) {
    let depth = 0;
    for (let p = byKey.get(key)?.parentKey ?? null; p !== null && byKey.has(p) && depth < 1000; p = byKey.get(p)!.parentKey) depth++;
    outline.set(key, { depth, summary: hasKids.has(key) || byKey.get(key)!.type === 'Summary' });
  }
  return { ...view, outline };
}


/** ADO types that take part: the hierarchy levels, the leaf type and the extra types imported as tasks. */
export function importedTypes(integration: Integration): Set<string> {
  const h = integration.hierarchy;
  return new Set([...h.levels, h.leafType, ...h.importAsTasks]);
}

function outsideIterations(item: Item): boolean {
  const path = item.fields['System.IterationPath'];
  const project = item.fields['System.TeamProject'];
  return path === null || path === undefined || path === '' || path === project;
}

export function adoView(integration: Integration, items: readonly Item[]): SideView {
  const types = importedTypes(integration);
  const { includeOutsideIterations, teamProjectAsTopParent } = integration.hierarchy;
  const inScope = (i: Item): boolean => types.has(i.type) && (includeOutsideIterations || !outsideIterations(i));
  if (!teamProjectAsTopParent) return buildView(items, inScope, () => null);
  const projects = new Set<string>();
  for (const i of items) if (inScope(i)) projects.add(String(i.fields['System.TeamProject'] ?? integration.scope.ado[0]?.project ?? ''));
  const virtual: Item[] = [...projects].sort().map((name) => ({
    key: projectKey(name), system: 'ado', type: TEAM_PROJECT_TYPE, parentKey: null, fields: { 'System.Title': name, 'System.TeamProject': name }, version: 0,
  }));
  return buildView(items, inScope, (i) => (i.type === TEAM_PROJECT_TYPE ? null : projectKey(String(i.fields['System.TeamProject'] ?? ''))), virtual);
}
