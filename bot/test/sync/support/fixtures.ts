/** Integrations per process and a small world (plan + ADO + journal) to sync in tests. */
import { approvePlan, type PlanChoices } from '../../../src/sync/approve.js';
import { applyPlan, type ApplyOutcome } from '../../../src/sync/apply.js';
import { buildPlan } from '../../../src/sync/build-plan.js';
import { mergeLinks } from '../../../src/sync/links.js';
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
  ) {}

  async preview(): Promise<SyncPlan> {
    return buildPlan({
      integration: this.integration, planItems: await this.plan.readScope(), adoItems: await this.ado.readScope(), links: this.links,
      ...(this.changesSince !== undefined ? { changesSince: this.changesSince } : {}),
    });
  }

  /** Preview, approve with `choices` (presets otherwise), apply, and store the new links. */
  async sync(choices: PlanChoices | ((plan: SyncPlan) => PlanChoices) = {}): Promise<{ plan: SyncPlan; outcome: ApplyOutcome }> {
    const plan = await this.preview();
    const approval = approvePlan(plan, plan.hash, typeof choices === 'function' ? choices(plan) : choices);
    if (!approval.ok) throw new Error(approval.problem);
    const outcome = await applyPlan(approval.plan, this, { runId: `run-${++this.runs}`, integration: this.integration });
    this.links = mergeLinks(this.links, outcome);
    return { plan, outcome };
  }

  clone(): World {
    const w = new World(this.integration, this.plan.clone(), this.ado.clone(), new MemoryJournal());
    w.links = [...this.links];
    w.runs = this.runs;
    w.changesSince = this.changesSince;
    return w;
  }
}
