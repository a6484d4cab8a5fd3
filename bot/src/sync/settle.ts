/**
 * After an apply: read back what the touched items now hold on both sides and fold the outcome into
 * the links with true baselines, echoes of our own writes absorbed (true-baselines.ts), through the
 * engine's own link merge.
 */
import type { ApplyOutcome } from './apply.js';
import type { ApprovedPlan } from './approve.js';
import { mergeLinks } from './links.js';
import { compileMapping } from './mapping/compile.js';
import type { Integration, Item, Link } from './model.js';
import type { AdoSide, PlanSide } from './ports.js';
import { byKey, echoUpdates, readBackKeys, withTrueBaselines } from './true-baselines.js';
import { NO_LIMITS } from './write-limits.js';

export async function settleLinks(
  ports: { readonly plan: PlanSide; readonly ado: AdoSide }, integration: Integration, links: readonly Link[],
  outcome: Pick<ApplyOutcome, 'linkUpdates' | 'unlinked' | 'retired' | 'results'>,
  before: { readonly planItems: readonly Item[]; readonly approved: Pick<ApprovedPlan, 'operations'> },
): Promise<Link[]> {
  const keys = readBackKeys(outcome.linkUpdates, links);
  const planItemsBefore = before.planItems;
  // Plan tasks written in the run, with the fields written to each.
  const done = new Set(outcome.results.filter((r) => r.status === 'done').map((r) => r.opId));
  const writtenPlan = new Map<string, Set<string>>();
  for (const op of before.approved.operations) {
    if ((op.kind !== 'update' && op.kind !== 'create' && op.kind !== 'delete') || op.side !== 'plan' || !done.has(op.id)) continue;
    const key = (op.kind === 'create' ? op.marker : op.key).toLowerCase();
    // A deleted task writes nothing of its own, but its summary tasks roll up again.
    writtenPlan.set(key, new Set([...(writtenPlan.get(key) ?? []), ...(op.kind === 'delete' ? [] : Object.keys(op.fields))]));
  }
  const parentsBefore = new Map(planItemsBefore.map((i) => [i.key.toLowerCase(), i.parentKey?.toLowerCase() ?? null]));
  const mapping = compileMapping(integration);
  const limits = ports.plan.limits ?? NO_LIMITS;
  const echoes = writtenPlan.size > 0;
  // The whole published plan when echoes may have rolled up; otherwise only what was written.
  const [planItems, adoItems] = await Promise.all([
    echoes ? ports.plan.readScope(integration.scope.plan)
      : keys.plan.length > 0 ? ports.plan.readByKeys(integration.scope.plan.projectId, keys.plan) : Promise.resolve([]),
    keys.ado.length > 0 ? ports.ado.readByKeys(keys.ado) : Promise.resolve([]),
  ]);
  const read = { plan: byKey(planItems, true), ado: byKey(adoItems) };
  const parentsAfter = new Map(planItems.map((i) => [i.key.toLowerCase(), i.parentKey?.toLowerCase() ?? null]));
  const updates = withTrueBaselines(outcome.linkUpdates, links, mapping, read);
  const merged = mergeLinks(links, { linkUpdates: updates, unlinked: outcome.unlinked, retired: outcome.retired });
  if (!echoes) return merged;
  const was = byKey(planItemsBefore, true);
  return mergeLinks(merged, { linkUpdates: echoUpdates(merged, mapping, limits, read, writtenPlan, was, (k) => [parentsBefore.get(k) ?? null, parentsAfter.get(k) ?? null]), unlinked: [] });
}
