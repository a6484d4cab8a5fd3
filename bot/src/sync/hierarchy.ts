/**
 * Hierarchy: outline level -> work item type, which descendants a creation option brings along,
 * and HierarchyMismatch (the two sides disagree about a linked item's parent), kept apart from
 * field changes and resolvable towards either side.
 */
import { flowsTo, type CreationOption, type Integration, type Item, type Link } from './model.js';
import type { Choice, HierarchyMismatch, ParentRef, ParentResolution } from './plan.js';

function adoRef(linked: string | undefined, pendingLinkId: string | undefined): ParentRef | undefined {
  if (linked !== undefined) return { key: linked };
  return pendingLinkId !== undefined ? { linkId: pendingLinkId } : undefined;
}
import { isProjectKey, projectOfKey, type SideView } from './scope.js';

/**
 * ADO type for a plan task at `depth` (0 = top level, not counting a team-project task): summary
 * tasks take the level at their depth (the last level once deeper), leaf tasks the leaf type.
 */
export function typeForOutline(integration: Integration, depth: number, isSummary: boolean): string {
  const { levels, leafType } = integration.hierarchy;
  if (!isSummary || levels.length === 0) return leafType;
  return levels[Math.min(depth, levels.length - 1)]!;
}

/** Whether a plan task is a summary for its type: it has subtasks in scope, or in the whole outline (flagged views). */
export function isPlanContainer(view: SideView, key: string): boolean {
  return (view.children.get(key)?.length ?? 0) > 0 || view.outline?.get(key)?.summary === true;
}

/** Whether a descendant of type `type` comes along under `option`. */
export function includedByOption(integration: Integration, option: CreationOption, type: string): boolean {
  const levels = integration.hierarchy.levels;
  const index = levels.indexOf(type);
  switch (option) {
    case 'itemOnly':
      return false;
    case 'withSubFeatures':
      return index >= 0 && index < levels.length - 1;
    case 'withSubFeaturesAndStories':
      return index >= 0;
    case 'withAllSubItems':
      return true;
  }
}

/** Depth of a plan task below the top (a team-project task, when used, does not count). */
export function planDepth(view: SideView, key: string, projectsOnTop: boolean): number {
  const outline = view.outline?.get(key);
  if (outline) return projectsOnTop ? Math.max(0, outline.depth - 1) : outline.depth;
  let depth = 0;
  let p = view.parent.get(key) ?? null;
  while (p !== null && depth < 1000) {
    depth++;
    p = view.parent.get(p) ?? null;
  }
  return projectsOnTop ? Math.max(0, depth - 1) : depth;
}

export interface LinkIndex {
  adoOfPlan(planKey: string): string | undefined;
  planOfAdo(adoKey: string): string | undefined;
  /** Whether the item's link was retired (unlinked on purpose): it and new items under it stay unsynced. */
  retired?(side: 'plan' | 'ado', key: string): boolean;
}

/** Items that this plan creates on the other side, so a parent can point at them already. */
export interface PendingCreations {
  /** Link id of the work item to be created for a plan task. */
  adoLinkFor(planKey: string): string | undefined;
  /** Key of the plan task to be created for a work item. */
  planKeyFor(adoKey: string): string | undefined;
}

export interface MismatchInput {
  readonly integration: Integration;
  readonly link: Pick<Link, 'id' | 'baseline'>;
  readonly plan: Item;
  readonly ado: Item;
  readonly planView: SideView;
  readonly adoView: SideView;
  readonly links: LinkIndex;
  readonly pending: PendingCreations;
  readonly planProject: string;
  /** Why the plan side can never move a task to the top level, when it cannot (write-limits.ts). */
  readonly planNoMoveToTop?: string;
}

export type ParentCheck =
  | { readonly kind: 'consistent'; readonly refresh: { planParent: string | null; adoParent: string | null } | null }
  /** Nothing to do yet; `why` when the pair is stuck until a person acts (said in the preview). */
  | { readonly kind: 'pending'; readonly why?: string }
  | { readonly kind: 'mismatch'; readonly mismatch: HierarchyMismatch };

/** Compares a linked pair's parents through the links; 'pending' while a parent is not linked yet. */
export function checkParents(input: MismatchInput): ParentCheck {
  const { integration, link, plan, ado, links, pending } = input;
  const pp = input.planView.parent.get(plan.key) ?? null;
  const ap = input.adoView.parent.get(ado.key) ?? null;
  // Where each side's parent is on the other side: a key, a work item this plan creates, or unknown.
  const ppAdo: ParentRef | undefined = pp === null ? null : adoRef(links.adoOfPlan(pp), pending.adoLinkFor(pp));
  const apPlan = ap === null ? null : links.planOfAdo(ap) ?? pending.planKeyFor(ap);
  if (ppAdo === undefined || apPlan === undefined) return { kind: 'pending' };
  if (ppAdo === null ? ap === null : 'key' in ppAdo && ppAdo.key === ap) {
    const base = link.baseline;
    const stale = base.planParent !== pp || base.adoParent !== ap;
    return { kind: 'consistent', refresh: stale ? { planParent: pp, adoParent: ap } : null };
  }

  const ownProject = String(ado.fields['System.TeamProject'] ?? '');
  // Towards the plan's parent: ADO gets the linked parent; a team-project task means "no parent",
  // which only works inside the item's own project (moving projects is not a parent change).
  let keepPlan: ParentResolution | null = null;
  if (flowsTo(integration.direction, 'ado') && !isProjectKey(ado.key)) {
    const projectsOnTop = integration.hierarchy.teamProjectAsTopParent;
    const targetKey = ppAdo !== null && 'key' in ppAdo ? ppAdo.key : null;
    const valid = ppAdo === null ? !projectsOnTop : targetKey === null || !isProjectKey(targetKey) || projectOfKey(targetKey) === ownProject;
    if (valid) {
      keepPlan = {
        side: 'ado', key: ado.key, project: ownProject, expectedVersion: ado.version,
        parent: targetKey !== null && isProjectKey(targetKey) ? null : ppAdo,
        baseline: { planParent: pp, adoParent: ppAdo },
      };
    }
  }
  let keepAdo: ParentResolution | null = null;
  // Following ADO to "no parent" is not offered where the plan cannot do it: the choice would fail every run.
  if (flowsTo(integration.direction, 'plan') && !(apPlan === null && pp !== null && input.planNoMoveToTop)) {
    keepAdo = {
      side: 'plan', key: plan.key, project: input.planProject, expectedVersion: plan.version,
      parent: apPlan === null ? null : { key: apPlan },
      baseline: { planParent: apPlan, adoParent: ap === null ? null : { key: ap } },
    };
  }
  if (!keepPlan && !keepAdo) {
    const blocked = apPlan === null && pp !== null && input.planNoMoveToTop && flowsTo(integration.direction, 'plan');
    return blocked
      ? { kind: 'pending', why: `"${String(plan.fields['Name'] ?? plan.key)}" has no parent in ADO any more, but ${input.planNoMoveToTop}: give its work item a parent in ADO, or move the task in the plan, and sync again.` }
      : { kind: 'pending' };
  }

  const base = link.baseline;
  const planMoved = base.planParent === undefined || base.planParent !== pp;
  const adoMoved = base.adoParent === undefined || base.adoParent !== ap;
  let choice: Choice | null = null;
  if (planMoved && !adoMoved && keepPlan) choice = 'plan';
  else if (adoMoved && !planMoved && keepAdo) choice = 'ado';
  else if (integration.direction === 'planToAdo' && keepPlan) choice = 'plan';
  else if (integration.direction === 'adoToPlan' && keepAdo) choice = 'ado';

  return {
    kind: 'mismatch',
    mismatch: {
      id: `hierarchy:${link.id}`,
      linkId: link.id,
      planKey: plan.key,
      adoKey: ado.key,
      title: String(plan.fields['Name'] ?? ado.fields['System.Title'] ?? plan.key),
      planParent: pp,
      adoParent: ap,
      resolutions: { plan: keepPlan, ado: keepAdo },
      choice,
    },
  };
}
