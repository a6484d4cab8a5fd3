/**
 * Reads both sides through the ports and plans: the one way every run (chat, card, schedule,
 * retry) makes the plan it shows, and the re-plan it compares with the approved hash.
 */
import { buildPlan } from './build-plan.js';
import type { Integration, Item, Link } from './model.js';
import type { SyncPlan } from './plan.js';
import type { AdoSide, PlanSide } from './ports.js';
import { NO_LIMITS } from './write-limits.js';

export interface PreviewOptions {
  /** The synchronization start date (changes-since.ts). */
  readonly changesSince?: string;
  /** Completes the integration from what was read (people matched by name, say) before planning. */
  readonly prepare?: (planItems: readonly Item[], adoItems: readonly Item[]) => Promise<Integration>;
  /** Called after each side is read, for a progress card: 1 = plan read, 2 = both read. */
  readonly step?: (n: number) => Promise<void>;
}

export interface Preview {
  readonly plan: SyncPlan;
  readonly planItems: readonly Item[];
  readonly adoItems: readonly Item[];
  /** The integration the plan was made with (after `prepare`); apply must use the same. */
  readonly integration: Integration;
}

export async function preview(ports: { readonly plan: PlanSide; readonly ado: AdoSide }, integration: Integration, links: readonly Link[], options: PreviewOptions = {}): Promise<Preview> {
  const planItems = await ports.plan.readScope(integration.scope.plan);
  await options.step?.(1);
  const [adoItems, adoLimits] = await Promise.all([
    ports.ado.readScope(integration.scope.ado),
    ports.ado.writeLimits ? ports.ado.writeLimits(integration.scope.ado) : Promise.resolve(NO_LIMITS),
  ]);
  await options.step?.(2);
  const engine = options.prepare ? await options.prepare(planItems, adoItems) : integration;
  const plan = buildPlan({
    integration: engine, planItems, adoItems, links,
    limits: { plan: ports.plan.limits ?? NO_LIMITS, ado: adoLimits },
    ...(ports.ado.workItemUrl ? { workItemUrl: (key: string) => ports.ado.workItemUrl!(key) } : {}),
    ...(options.changesSince !== undefined ? { changesSince: options.changesSince } : {}),
  });
  return { plan, planItems, adoItems, integration: engine };
}
