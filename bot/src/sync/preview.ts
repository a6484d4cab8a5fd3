/** Reads both sides through the ports and plans: what a chat or scheduled run calls before approval. */
import { buildPlan } from './build-plan.js';
import type { Integration, Link } from './model.js';
import type { SyncPlan } from './plan.js';
import type { AdoSide, PlanSide } from './ports.js';

export async function preview(ports: { readonly plan: PlanSide; readonly ado: AdoSide }, integration: Integration, links: readonly Link[], changesSince?: string): Promise<SyncPlan> {
  const [planItems, adoItems] = await Promise.all([ports.plan.readScope(integration.scope.plan), ports.ado.readScope(integration.scope.ado)]);
  return buildPlan({ integration, planItems, adoItems, links, ...(changesSince !== undefined ? { changesSince } : {}) });
}
