/** Integrations per process and a small world (plan + ADO + journal) to sync in tests. */
import { approvePlan, type ApprovedPlan, type PlanChoices } from '../../../src/sync/approve.js';
import { applyPlan, type ApplyOutcome } from '../../../src/sync/apply.js';
import { settleLinks } from '../../../src/sync/settle.js';
import { preview } from '../../../src/sync/preview.js';
import { defaultRules } from '../../../src/sync/mapping/defaults.js';
import type { Integration, Link } from '../../../src/sync/model.js';
import type { SyncPlan } from '../../../src/sync/plan.js';
import { PROCESSES, type ProcessName } from '../../../src/sync/processes.js';
import { MemoryAdo } from './memory-ado.js';
import { MemoryJournal } from './memory-journal.js';
import { MemoryPlan } from './memory-plan.js';

export const IDENTITIES = { 'Alice Smith': 'alice@contoso.com', 'Bob Jones': 'bob@contoso.com' };

export function integrationFor(process: ProcessName, overrides: Partial<Integration> = {}): Integration {
  const p = PROCESSES[process];
  return {
    id: `int-${process}`,
    direction: 'both',
    process,
    scope: { plan: { projectId: 'plan-apollo', tasks: 'all' }, ado: [{ project: 'Apollo' }] },
    hierarchy: { levels: p.levels, leafType: p.leafType, importAsTasks: p.extraTaskTypes, teamProjectAsTopParent: false, includeOutsideIterations: true },
    creation: 'withAllSubItems',
    mapping: defaultRules(process),
    identities: IDENTITIES,
    timeZone: 'UTC',
    ...overrides,
  };
}

export class World {
  links: Link[] = [];
  runs = 0;
  /** The synchronization start date previews use, if any. */
  changesSince: string | undefined;
  constructor(
    public integration: Integration,
    public plan = new MemoryPlan(),
    public ado = new MemoryAdo(),
    public journal = new MemoryJournal(),
  ) {
    ado.process = integration.process;
  }

  async preview(): Promise<SyncPlan> {
    // The engine's own preview, as every production run makes it: ports read, their write limits applied.
    return (await preview(this, this.integration, this.links, this.changesSince !== undefined ? { changesSince: this.changesSince } : {})).plan;
  }

  /** Preview, approve with `choices` (presets otherwise), apply, and store the new links. */
  async sync(choices: PlanChoices | ((plan: SyncPlan) => PlanChoices) = {}): Promise<{ plan: SyncPlan; outcome: ApplyOutcome }> {
    const plan = await this.preview();
    const approval = approvePlan(plan, plan.hash, typeof choices === 'function' ? choices(plan) : choices);
    if (!approval.ok) throw new Error(approval.problem);
    const planItems = await this.plan.readScope(this.integration.scope.plan);
    const outcome = await applyPlan(approval.plan, this, { runId: `run-${++this.runs}`, integration: this.integration });
    await this.settle(outcome, planItems, approval.plan);
    return { plan, outcome };
  }

  /** Records baselines as production does (runs/sync-run.ts): read back, echoes absorbed, engine merge. */
  async settle(outcome: ApplyOutcome, planItems: Awaited<ReturnType<MemoryPlan['readScope']>>, approved: ApprovedPlan): Promise<void> {
    this.links = await settleLinks(this, this.integration, this.links, outcome, { planItems, approved });
  }

  clone(): World {
    const w = new World(this.integration, this.plan.clone(), this.ado.clone(), new MemoryJournal());
    w.links = [...this.links];
    w.runs = this.runs;
    w.changesSince = this.changesSince;
    return w;
  }
}
