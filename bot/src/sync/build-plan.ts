/**
 * Builds a SyncPlan from what both sides hold now and the stored links. Pure and synchronous:
 * everything it needs is in its input, and the same input always gives the same plan and hash.
 */
import { itemsChangedSince, type LeftOut } from './changes-since.js';
import { canonicalTimeZone, localDateTime, localDay } from '../time/zone-time.js';
import { conditionalCreations } from './creation.js';
import { diffLinkFields } from './diff.js';
import { checkParents, type LinkIndex, type PendingCreations } from './hierarchy.js';
import { linkIdFor, markersIn, planKeyFor } from './ids.js';
import { compileMapping } from './mapping/compile.js';
import { linkByAdoId, proposeMatches } from './matching.js';
import { flowsTo, type Integration, type Item, type Link, type SideValues } from './model.js';
import {
  countPlan, hashPlan, type BaselinePatch, type BaselineRefresh, type Conflict, type Deletion, type DeletionChoice,
  type HierarchyMismatch, type LinkOp, type Operation, type SyncPlan, type UpdateOp,
} from './plan.js';
import { NO_SIDE_LIMITS, type SideLimits } from './write-limits.js';
import { hasRefFields, refFields, refsNote, staleRefs, SYNC_FLAG_FIELD, type WorkItemUrl } from './planbridge-fields.js';
import { TEAM_PROJECT_TYPE, adoView as makeAdoView, planView as makePlanView, type SideView } from './scope.js';

export interface PlanInput {
  readonly integration: Integration;
  readonly planItems: readonly Item[];
  readonly adoItems: readonly Item[];
  readonly links: readonly Link[];
  /**
   * The synchronization start date (ISO instant): unlinked items on either side not modified since
   * then are left alone (see changes-since.ts). Absent: every item takes part.
   */
  readonly changesSince?: string;
  /** What each side computes itself and so never receives (write-limits.ts). Default: none. */
  readonly limits?: SideLimits;
  /** A work item's web URL (the ADO side's), for the plan's "ADO Work Item Link" field. */
  readonly workItemUrl?: WorkItemUrl;
}

interface Pair {
  readonly link: Pick<Link, 'id' | 'baseline'>;
  readonly plan: Item;
  readonly ado: Item;
}

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function buildPlan(input: PlanInput): SyncPlan {
  const { integration } = input;
  const planProject = integration.scope.plan.projectId;
  const changed = input.changesSince === undefined ? null : itemsChangedSince(integration, input.planItems, input.adoItems, input.links, input.changesSince);
  const planView = makePlanView(integration, changed?.planItems ?? input.planItems, input.planItems);
  const adoView = makeAdoView(integration, changed?.adoItems ?? input.adoItems);
  const mapping = compileMapping(integration);
  const limits = input.limits ?? NO_SIDE_LIMITS;
  const refs = refFields(integration, input.workItemUrl);
  const existingPlan = new Set(input.planItems.map((i) => i.key));
  const parked: string[] = [];

  const adoOfPlan = new Map<string, string>();
  const planOfAdo = new Map<string, string>();
  const pairs: Pair[] = [];
  const deletions: Deletion[] = [];
  const linkIdOfPlan = new Map(input.links.map((l) => [l.planKey, l.id]));
  const retiredPlan = new Set<string>();
  const retiredAdo = new Set<string>();
  for (const link of input.links) {
    adoOfPlan.set(link.planKey, link.adoKey);
    planOfAdo.set(link.adoKey, link.planKey);
    if (link.retired) {
      retiredPlan.add(link.planKey);
      retiredAdo.add(link.adoKey);
      continue;
    }
    const plan = planView.items.get(link.planKey);
    const ado = adoView.items.get(link.adoKey);
    if (!plan && existingPlan.has(link.planKey) && integration.scope.plan.tasks === 'flagged') {
      // Unflagged since it was linked: the pair rests, like a retired one, for this run only. Its
      // work item is neither deleted nor created again, and the pair syncs again once flagged.
      retiredPlan.add(link.planKey);
      retiredAdo.add(link.adoKey);
      parked.push(`Plan task "${String(input.planItems.find((i) => i.key === link.planKey)?.fields['Name'] ?? link.planKey)}" is linked to #${link.adoKey} but not flagged "${integration.scope.plan.flagField ?? SYNC_FLAG_FIELD}", so the pair is not synced; flag it again to sync it.`);
      continue;
    }
    if (plan && ado) pairs.push({ link, plan, ado });
    else {
      const deletion = deletionFor(integration, link, plan, ado, planProject, planView, linkIdOfPlan, limits.plan.noMoveToTop);
      deletions.push(deletion);
      if (deletion.survivor?.side === 'plan' && deletion.children && !deletion.allowed.includes('propagate') && limits.plan.noMoveToTop) {
        parked.push(`"${deletion.survivor.title}" was deleted in ADO, but deleting it in the plan would take its subtasks with it, and ${limits.plan.noMoveToTop}: keep or unlink it here, or move or delete its subtasks in the plan first.`);
      }
    }
  }
  const linkOps = adopt(integration, planView, adoView, adoOfPlan, planOfAdo);
  for (const op of linkOps) {
    adoOfPlan.set(op.planKey, op.adoKey);
    planOfAdo.set(op.adoKey, op.planKey);
  }
  const links: LinkIndex = {
    adoOfPlan: (k) => adoOfPlan.get(k), planOfAdo: (k) => planOfAdo.get(k),
    retired: (side, k) => (side === 'plan' ? retiredPlan : retiredAdo).has(k),
  };
  // For parents, a retired pair is no pair: its survivor is unsynced, so what it holds is not compared.
  const activeLinks: LinkIndex = {
    adoOfPlan: (k) => (retiredPlan.has(k) ? undefined : adoOfPlan.get(k)),
    planOfAdo: (k) => (retiredAdo.has(k) ? undefined : planOfAdo.get(k)),
  };
  const byAdoId = linkByAdoId(integration, planView, adoView, links);
  for (const op of byAdoId.ops) {
    linkOps.push(op);
    adoOfPlan.set(op.planKey, op.adoKey);
    planOfAdo.set(op.adoKey, op.planKey);
  }
  for (const op of linkOps) pairs.push({ link: { id: op.linkId, baseline: { fields: {} } }, plan: planView.items.get(op.planKey)!, ado: adoView.items.get(op.adoKey)! });
  const proposed = proposeMatches({ integration, planView, adoView, links });
  const creations = conditionalCreations({
    integration, mapping, planView, adoView, links, planProject, limits, refs,
    ...(input.workItemUrl ? { workItemUrl: input.workItemUrl } : {}),
  }, proposed.proposals);
  const adoLinkOfPlan = new Map<string, string>();
  const newPlanOfAdo = new Map<string, string>();
  // Only creations that happen whatever is decided about proposed pairs: a pair whose parent is
  // proposed, or created only with one decision, waits ('pending') for the next run.
  for (const op of creations.ops) {
    if (op.side === 'ado') adoLinkOfPlan.set(op.sourceKey, op.linkId);
    else newPlanOfAdo.set(op.sourceKey, op.marker);
  }
  const pending: PendingCreations = { adoLinkFor: (k) => adoLinkOfPlan.get(k), planKeyFor: (k) => newPlanOfAdo.get(k) };

  const operations: Operation[] = [...linkOps];
  const conflicts: Conflict[] = [];
  const hierarchy: HierarchyMismatch[] = [];
  const refresh: BaselineRefresh[] = [];
  const warnings: string[] = [];
  for (const { link, plan, ado } of pairs) {
    const adoProject = String(ado.fields['System.TeamProject'] ?? '');
    let refreshFields: Record<string, SideValues> | null = null;
    if (ado.type !== TEAM_PROJECT_TYPE) {
      const d = diffLinkFields({
        link, plan, ado, planProject, adoProject, limits,
        planHasChildren: plan.type === 'Summary' || (planView.children.get(plan.key)?.length ?? 0) > 0,
        adoHasChildren: (adoView.children.get(ado.key)?.length ?? 0) > 0,
      }, mapping.forType(ado.type));
      if (d.toAdo) operations.push(updateOp('ado', link.id, ado, adoProject, d.toAdo.fields, { fields: d.toAdo.baseline }));
      // The task's "ADO Work Item ID"/"Link" when empty or wrong: PlanBridge's own fields, written
      // whatever the direction, in the same update as any synced values.
      const toRefs = hasRefFields(refs) ? staleRefs(refs, plan, ado.key, input.workItemUrl) : {};
      if (d.toPlan || Object.keys(toRefs).length > 0) {
        operations.push(updateOp('plan', link.id, plan, planProject, { ...(d.toPlan?.fields ?? {}), ...toRefs }, { fields: d.toPlan?.baseline ?? {} }));
      }
      for (const c of d.conflicts) conflicts.push(c);
      for (const w of d.warnings) warnings.push(w);
      refreshFields = d.refresh;
    }
    const parents = checkParents({ integration, link, plan, ado, planView, adoView, links: activeLinks, pending, planProject, ...(limits.plan.noMoveToTop ? { planNoMoveToTop: limits.plan.noMoveToTop } : {}) });
    let parentRefresh: BaselinePatch | null = null;
    if (parents.kind === 'mismatch') hierarchy.push(parents.mismatch);
    else if (parents.kind === 'pending' && parents.why) warnings.push(parents.why);
    else if (parents.kind === 'consistent' && parents.refresh) parentRefresh = { planParent: parents.refresh.planParent, adoParent: parents.refresh.adoParent === null ? null : { key: parents.refresh.adoParent } };
    if (refreshFields || parentRefresh) refresh.push({ linkId: link.id, baseline: { ...(parentRefresh ?? {}), ...(refreshFields ? { fields: refreshFields } : {}) } });
  }

  for (const op of creations.ops) operations.push(op);
  for (const w of creations.warnings) warnings.push(w);
  for (const w of parked) warnings.push(w);
  const referenced = [...creations.ops, ...creations.matches.flatMap((m) => m.ifLinked)].filter((op) => op.side === 'ado' && op.adoRefs).length;
  if (referenced > 0) warnings.push(refsNote(referenced, refs));
  for (const w of byAdoId.warnings) warnings.push(w);
  for (const w of proposed.warnings) warnings.push(w);

  operations.sort(byId);
  conflicts.sort(byId);
  hierarchy.sort(byId);
  deletions.sort(byId);
  refresh.sort((a, b) => (a.linkId < b.linkId ? -1 : a.linkId > b.linkId ? 1 : 0));
  warnings.sort();
  // The left-out note goes first, so a preview that shows only the first few notes still says it.
  if (changed && changed.leftOut.planTasks + changed.leftOut.workItems > 0) warnings.unshift(leftOutNote(changed.leftOut, integration.timeZone));
  const body = {
    format: 1 as const, integrationId: integration.id, operations, conflicts, hierarchy, deletions, refresh, warnings,
    ...(creations.matches.length > 0 ? { matches: creations.matches } : {}),
    ...(changed ? { leftOut: changed.leftOut } : {}),
  };
  const withCounts = { ...body, counts: countPlan(body) };
  return { ...withCounts, hash: hashPlan(withCounts) };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "3 plan tasks and 1 work item unchanged since 2026-12-01 were left out ...", in the integration's zone. */
export function leftOutNote(leftOut: LeftOut, timeZone = 'UTC'): string {
  return `${plural(leftOut.planTasks, 'plan task', 'plan tasks')} and ${plural(leftOut.workItems, 'work item', 'work items')} unchanged since ${formatSince(leftOut.since, timeZone)} were left out: that is the synchronization start date. Edit one, or set an earlier start date, to bring it over.`;
}

function formatSince(instant: string, timeZone: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms) || canonicalTimeZone(timeZone) === undefined) return instant;
  const { hour, minute } = localDateTime(ms, timeZone);
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  return `${localDay(ms, timeZone)}${time === '00:00' ? '' : ` ${time}`} (${timeZone})`;
}

function updateOp(side: 'ado' | 'plan', linkId: string, item: Item, project: string, fields: UpdateOp['fields'], baseline: BaselinePatch): UpdateOp {
  const seen = Object.fromEntries(Object.keys(fields).map((f) => [f, item.fields[f] ?? null]));
  return { kind: 'update', id: `update:${side}:${item.key}`, side, linkId, key: item.key, project, expectedVersion: item.version, fields, baseline, seen };
}

/**
 * Finds unlinked pairs that already belong together, so they are linked instead of duplicated:
 * a work item tagged with the marker of an unlinked plan task, a plan task whose id is the one
 * the engine gives a task created for an unlinked work item, and a top-level plan task named
 * like an ADO project when projects sit on top.
 */
function adopt(integration: Integration, planView: SideView, adoView: SideView, adoOfPlan: Map<string, string>, planOfAdo: Map<string, string>): LinkOp[] {
  const ops: LinkOp[] = [];
  const taken = new Set<string>();
  const unlinkedPlanByLinkId = new Map<string, string>();
  for (const key of planView.items.keys()) if (!adoOfPlan.has(key)) unlinkedPlanByLinkId.set(linkIdFor(integration.id, 'plan', key), key);
  const topPlanByName = new Map<string, string>();
  if (integration.hierarchy.teamProjectAsTopParent) {
    for (const key of planView.roots) {
      const name = planView.items.get(key)!.fields['Name'];
      if (!adoOfPlan.has(key) && typeof name === 'string') topPlanByName.set(name, key);
    }
  }
  for (const ado of adoView.items.values()) {
    if (planOfAdo.has(ado.key)) continue;
    for (const linkId of markersIn(ado.fields['System.Tags'])) {
      const planKey = unlinkedPlanByLinkId.get(linkId);
      if (planKey !== undefined && !taken.has(planKey)) {
        ops.push({ kind: 'link', id: `link:${linkId}`, linkId, planKey, adoKey: ado.key, reason: 'marker' });
        taken.add(planKey);
        break;
      }
    }
    if (ops.at(-1)?.adoKey === ado.key) continue;
    const linkId = linkIdFor(integration.id, 'ado', ado.key);
    const planKey = planKeyFor(linkId);
    if (planView.items.has(planKey) && !adoOfPlan.has(planKey) && !taken.has(planKey)) {
      ops.push({ kind: 'link', id: `link:${linkId}`, linkId, planKey, adoKey: ado.key, reason: 'task-id' });
      taken.add(planKey);
      continue;
    }
    const byName = ado.type === TEAM_PROJECT_TYPE ? topPlanByName.get(String(ado.fields['System.Title'])) : undefined;
    if (byName !== undefined && !taken.has(byName)) {
      ops.push({ kind: 'link', id: `link:${linkId}`, linkId, planKey: byName, adoKey: ado.key, reason: 'project-name' });
      taken.add(byName);
    }
  }
  return ops;
}

function deletionFor(
  integration: Integration, link: Link, plan: Item | undefined, ado: Item | undefined, planProject: string,
  planView: SideView, linkIdOfPlan: ReadonlyMap<string, string>, planNoMoveToTop?: string,
): Deletion {
  const id = `deletion:${link.id}`;
  if (!plan && !ado) return { id, linkId: link.id, missingOn: 'both', survivor: null, allowed: ['keep', 'unlink'], choice: null };
  const survivor = (plan ?? ado)!;
  const missingOn = plan ? 'ado' : 'plan';
  const allowed: DeletionChoice[] = ['keep', 'unlink'];
  // Deleting a plan summary first moves its subtasks to the top level (approve.ts): not where the plan cannot.
  const strandsChildren = survivor.system === 'plan' && planNoMoveToTop !== undefined && (planView.children.get(survivor.key)?.length ?? 0) > 0;
  if (flowsTo(integration.direction, survivor.system) && !survivor.key.startsWith('project:') && !strandsChildren) allowed.push('propagate');
  return {
    id, linkId: link.id, missingOn,
    survivor: {
      side: survivor.system, key: survivor.key, expectedVersion: survivor.version,
      project: survivor.system === 'plan' ? planProject : String(survivor.fields['System.TeamProject'] ?? ''),
      title: String(survivor.fields['Name'] ?? survivor.fields['System.Title'] ?? survivor.key),
    },
    ...(plan && (planView.children.get(plan.key)?.length ?? 0) > 0 ? {
      children: planView.children.get(plan.key)!.map((k) => {
        const child = planView.items.get(k)!;
        const childLink = linkIdOfPlan.get(k);
        return { key: k, expectedVersion: child.version, title: String(child.fields['Name'] ?? k), ...(childLink ? { linkId: childLink } : {}) };
      }),
    } : {}),
    allowed, choice: null,
  };
}
