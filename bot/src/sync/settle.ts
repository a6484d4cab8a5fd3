/**
 * After an apply: read back what the touched items now hold on both sides and fold the outcome into
 * the links with true baselines (true-baselines.ts), through the engine's own link merge.
 */
import type { ApplyOutcome } from './apply.js';
import { mergeLinks } from './links.js';
import { compileMapping } from './mapping/compile.js';
import type { Integration, Link } from './model.js';
import type { AdoSide, PlanSide } from './ports.js';
import { byKey, readBackKeys, withTrueBaselines } from './true-baselines.js';

export async function settleLinks(
  ports: { readonly plan: PlanSide; readonly ado: AdoSide }, integration: Integration, links: readonly Link[],
  outcome: Pick<ApplyOutcome, 'linkUpdates' | 'unlinked'>,
): Promise<Link[]> {
  const keys = readBackKeys(outcome.linkUpdates, links);
  const [planItems, adoItems] = await Promise.all([
    keys.plan.length > 0 ? ports.plan.readByKeys(integration.scope.plan.projectId, keys.plan) : Promise.resolve([]),
    keys.ado.length > 0 ? ports.ado.readByKeys(keys.ado) : Promise.resolve([]),
  ]);
  const updates = withTrueBaselines(outcome.linkUpdates, links, compileMapping(integration), { plan: byKey(planItems, true), ado: byKey(adoItems) });
  return mergeLinks(links, { linkUpdates: updates, unlinked: outcome.unlinked });
}
