/**
 * The synchronization start date ("changes since"): which unlinked items a run leaves alone.
 *
 * Why these rules: a PM who starts syncing on 1 December does not want years of finished plan
 * tasks and closed work items copied across on the first run; only what moved since then should.
 * - Only unlinked items are ever left out. Linked items are always diffed against their baselines,
 *   which already say what changed, so hiding one could only lose an edit (or fake a deletion).
 *   On a first run nothing is linked, so the date applies to everything.
 * - An item with no modified time (or an unreadable one) is kept: never dropped silently.
 * - Every ancestor of a kept item is kept, so a recent task arrives under its real summary task or
 *   Feature (created or linked as needed) instead of as an orphan at the top, and the views never
 *   re-parent a linked item; the ancestor's other, unchanged children stay out.
 * - Items the engine would pair up (marker, task id, project name) are kept together, so leaving
 *   out one half never makes the other side create a twin.
 * Left-out items in scope are counted, and the preview says so.
 */
import { linkIdFor, markersIn, planKeyFor } from './ids.js';
import type { Integration, Item, Link, System } from './model.js';
import { adoView, isProjectKey, planView } from './scope.js';

export interface LeftOut {
  /** The instant the run considered changes from (ISO). */
  readonly since: string;
  readonly planTasks: number;
  readonly workItems: number;
}

export interface ChangedItems {
  readonly planItems: readonly Item[];
  readonly adoItems: readonly Item[];
  readonly leftOut: LeftOut;
}

/** Keeps the items a run with `changesSince` takes part in; null when the instant is unreadable (nothing is left out). */
export function itemsChangedSince(integration: Integration, planItems: readonly Item[], adoItems: readonly Item[], links: readonly Link[], changesSince: string): ChangedItems | null {
  const cutoff = Date.parse(changesSince);
  if (Number.isNaN(cutoff)) return null;
  const since = new Date(cutoff).toISOString();
  const items: Record<System, Map<string, Item>> = { plan: byKey(planItems), ado: byKey(adoItems) };
  const kept: Record<System, Set<string>> = { plan: new Set(), ado: new Set() };
  const partners = pairs(integration, items);
  const queue: Array<[System, string]> = [];
  const keep = (side: System, key: string | null): void => {
    if (key === null || kept[side].has(key) || !items[side].has(key)) return;
    kept[side].add(key);
    queue.push([side, key]);
  };
  for (const link of links) {
    keep('plan', link.planKey);
    keep('ado', link.adoKey);
  }
  for (const side of ['plan', 'ado'] as const) {
    for (const item of items[side].values()) if (!modifiedBefore(item, cutoff)) keep(side, item.key);
  }
  while (queue.length > 0) {
    const [side, key] = queue.pop()!;
    keep(side, items[side].get(key)!.parentKey);
    for (const [other, partner] of partners.get(`${side}:${key}`) ?? []) keep(other, partner);
  }
  const keptPlan = planItems.filter((i) => kept.plan.has(i.key));
  const keptAdo = adoItems.filter((i) => kept.ado.has(i.key));
  return {
    planItems: keptPlan,
    adoItems: keptAdo,
    leftOut: {
      since,
      // Counted in the views, so tasks outside the scope (unflagged, other types) are not reported as left out.
      planTasks: planView(integration, planItems).items.size - planView(integration, keptPlan).items.size,
      workItems: countReal(adoView(integration, adoItems).items) - countReal(adoView(integration, keptAdo).items),
    },
  };
}

/** True only for an item whose readable modified time is before the cutoff. */
function modifiedBefore(item: Item, cutoff: number): boolean {
  if (item.modifiedAt === undefined) return false;
  const at = Date.parse(item.modifiedAt);
  return !Number.isNaN(at) && at < cutoff;
}

function byKey(list: readonly Item[]): Map<string, Item> {
  return new Map(list.map((i) => [i.key, i]));
}

/** Views add virtual team-project items; only real work items count. */
function countReal(view: ReadonlyMap<string, Item>): number {
  let n = 0;
  for (const key of view.keys()) if (!isProjectKey(key)) n++;
  return n;
}

/** Both directions of every pair the engine may link without a stored link (see build-plan.ts `adopt`). */
function pairs(integration: Integration, items: Record<System, Map<string, Item>>): Map<string, Array<[System, string]>> {
  const out = new Map<string, Array<[System, string]>>();
  const add = (planKey: string, adoKey: string): void => {
    for (const [from, to] of [[`plan:${planKey}`, ['ado', adoKey]], [`ado:${adoKey}`, ['plan', planKey]]] as const) {
      const list = out.get(from);
      if (list) list.push([to[0], to[1]]);
      else out.set(from, [[to[0], to[1]]]);
    }
  };
  const planOfMarker = new Map<string, string>();
  for (const key of items.plan.keys()) planOfMarker.set(linkIdFor(integration.id, 'plan', key), key);
  const topPlanByName = new Map<string, string>();
  if (integration.hierarchy.teamProjectAsTopParent) {
    for (const item of items.plan.values()) if (item.parentKey === null && typeof item.fields['Name'] === 'string') topPlanByName.set(item.fields['Name'], item.key);
  }
  for (const ado of items.ado.values()) {
    for (const linkId of markersIn(ado.fields['System.Tags'])) {
      const planKey = planOfMarker.get(linkId);
      if (planKey !== undefined) add(planKey, ado.key);
    }
    const byTaskId = planKeyFor(linkIdFor(integration.id, 'ado', ado.key));
    if (items.plan.has(byTaskId)) add(byTaskId, ado.key);
    const projectTask = topPlanByName.get(String(ado.fields['System.TeamProject'] ?? ''));
    if (projectTask !== undefined) add(projectTask, ado.key);
  }
  return out;
}
