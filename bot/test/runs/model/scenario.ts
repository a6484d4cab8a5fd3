/**
 * One seeded scenario of the model-based test: random backlogs on both sides, a random process,
 * site zone and direction, then rounds of random edits, previews, random decisions, applies with
 * crashes and throttling, each through the production run path (runs/sync-run.ts), with the
 * invariants of issue 14 checked after every round.
 */
import { ADO_DEMO_PATS } from '../../../../sim/ado/server.js';
import { DATAVERSE_DEMO_CREDENTIALS } from '../../../../sim/dataverse/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../../sim/pwa/server.js';
import { AdoConnector } from '../../../src/connectors/ado/connector.js';
import { PlannerConnector } from '../../../src/connectors/planner/connector.js';
import { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import { defaultStoredRules } from '../../../src/flows/integration-model.js';
import { applyApproved, planSync, type Planned } from '../../../src/runs/sync-run.js';
import type { IntegrationDocument, Stored, SyncDirection } from '../../../src/store/index.js';
import { approvePlan, type PlanChoices } from '../../../src/sync/approve.js';
import { isNoop, type Choice, type DeletionChoice, type SyncPlan } from '../../../src/sync/plan.js';
import { PROCESSES, type ProcessName } from '../../../src/sync/processes.js';
import { editBothSides, plannerEditor, pwaEditor, seedAdoBacklog, seedPlan, seedPlannerPlan, type PlanEditor } from './backlogs.js';
import { checkAfterSettle, checkRound, snapshot, type Snapshot } from './invariants.js';
import { Random } from './random.js';
import { MODEL_TENANT, SITE_ZONES, type ModelWorld, type ScenarioSystems } from './world.js';

export interface ScenarioOptions {
  readonly rounds: number;
  readonly editsPerRound: number;
  readonly crashChance: number;
  readonly faultChance: number;
}

export const CI_OPTIONS: ScenarioOptions = { rounds: 3, editsPerRound: 4, crashChance: 0.3, faultChance: 0.3 };

export interface ScenarioReport {
  readonly seed: number;
  readonly setup: string;
  rounds: number;
  operations: number;
  crashes: number;
  faults: number;
  readonly violations: string[];
}

const PROCESS_LABELS = ['Agile', 'Scrum', 'CMMI', 'Basic', 'Contoso Agile'] as const;
const DIRECTIONS: readonly SyncDirection[] = ['plan-to-ado', 'ado-to-plan', 'two-way'];

export async function runScenario(world: ModelWorld, seed: number, options: ScenarioOptions = CI_OPTIONS): Promise<ScenarioReport> {
  const r = new Random(seed);
  const label = r.pick(PROCESS_LABELS);
  const base: ProcessName = label === 'Contoso Agile' ? 'Agile' : label;
  const zone = r.pick(SITE_ZONES);
  const direction = r.pick(DIRECTIONS);
  const adoProject = `Model ${seed}`;
  const systems = await world.open(zone);
  const plan = systems.plan;
  seedAdoBacklog(r, systems.ado, { name: adoProject, processLabel: label, base }, zone);
  const planProjectId = plan.system === 'pwa' ? seedPlan(r, plan.pwa, `Plan ${seed}`) : seedPlannerPlan(r, plan.dataverse, `Plan ${seed}`, zone);
  const report: ScenarioReport = { seed, setup: `${plan.system === 'planner' ? 'Planner premium, ' : ''}${label}, ${direction}, site in ${zone}`, rounds: 0, operations: 0, crashes: 0, faults: 0, violations: [] };
  const s = world.services;
  const p = PROCESSES[base];
  const integration = plan.system === 'pwa'
    ? await s.store.integrations.create(MODEL_TENANT, {
      name: `Plan ${seed} ↔ ${adoProject}`, planConnectionId: systems.planConnectionId, planProjectId, planProjectName: `Plan ${seed}`,
      adoConnectionId: systems.adoConnectionId, adoProjects: [adoProject], adoScopes: [{ project: adoProject }], direction, process: base,
      creation: 'withAllSubItems', mapping: defaultStoredRules(base),
      hierarchy: { levels: [...p.levels], leafType: p.leafType, importAsTasks: [...p.extraTaskTypes], teamProjectAsTopParent: false, includeOutsideIterations: true },
      approvers: [{ id: 'model' }], notifications: { onFailure: false, onSuccess: false },
    })
    : await linkInChat(world, systems, planProjectId, adoProject, direction, base);
  const planConnector = plan.system === 'pwa'
    ? new PwaConnector({ siteUrl: plan.pwa.url, auth: { kind: 'onprem', username: PWA_DEMO_CREDENTIALS.username, password: PWA_DEMO_CREDENTIALS.password }, timeZone: zone, pollIntervalMs: 5 })
    : new PlannerConnector({ environmentUrl: plan.dataverse.url, getAccessToken: async () => DATAVERSE_DEMO_CREDENTIALS.bearerToken, timeZone: zone, pollIntervalMs: 2 });
  const planEditor: PlanEditor = planConnector instanceof PwaConnector ? pwaEditor(planConnector, planProjectId) : plannerEditor(planConnector, planProjectId);
  const editors = {
    ado: { sim: systems.ado, connector: new AdoConnector({ url: systems.ado.url, pat: ADO_DEMO_PATS.fullAccess, localMode: true }), project: adoProject, base, zone },
    plan: planEditor,
  };
  const look = (): Promise<Snapshot> => snapshot(world, systems, integration, adoProject, planProjectId);
  const fail = (round: number, what: string): void => void report.violations.push(`seed ${seed} (${report.setup}), round ${round}: ${what}`);

  try {
    for (let round = 0; round < options.rounds; round++) {
      report.rounds++;
      if (round > 0) await editBothSides(r, editors.ado, editors.plan, options.editsPerRound);
      // A round: one preview with random decisions, maybe a crash or throttling during apply.
      await applyOnce(world, systems, integration, r, options, report, round, fail, look, true);
      // Then settle: approve everything (no skips) until the preview is empty.
      let settled = false;
      for (let attempt = 0; attempt < 4 && !settled; attempt++) {
        const outcome = await applyOnce(world, systems, integration, r, options, report, round, fail, look, false);
        settled = outcome === 'in-step';
        if (outcome === 'clean') {
          // Convergence: after a clean apply of a plan with every decision made, nothing is left.
          const next = await planSync(s, integration, undefined);
          if (!isNoop(next.syncPlan)) fail(round, `not converged: after approving everything, a fresh preview still proposes ${describe(next.syncPlan)}`);
          else settled = true;
        }
      }
      if (!settled) { fail(round, 'did not settle within 4 approve-everything runs'); continue; }
      // Idempotence: with no edit anywhere, another run proposes nothing.
      const again = await planSync(s, integration, undefined);
      if (!isNoop(again.syncPlan)) fail(round, `a run with no edits proposes ${describe(again.syncPlan)}`);
      for (const v of checkAfterSettle(await look())) fail(round, v);
    }
  } finally {
    if (planConnector instanceof PlannerConnector) planConnector.close();
    await s.store.integrations.remove(MODEL_TENANT, integration.id);
    await systems.close();
  }
  return report;
}

/** "link project ... to ADO project ...": the link card's Create button, as a person clicks it (Planner premium's default mapping). */
async function linkInChat(world: ModelWorld, systems: ScenarioSystems, planProjectId: string, adoProject: string, direction: SyncDirection, base: ProcessName): Promise<Stored<IntegrationDocument>> {
  const p = PROCESSES[base];
  const reply = await world.click('link.create', {
    planConnectionId: systems.planConnectionId, adoConnectionId: systems.adoConnectionId, planProjectId, adoProjects: adoProject,
    direction, creation: 'withAllSubItems', levels: p.levels.join(' > '), leafType: p.leafType, planTasks: 'all', notify: 'none',
  });
  const made = (await world.services.store.integrations.list(MODEL_TENANT, { pageSize: 500 })).items.find((i) => i.planProjectId === planProjectId);
  if (!made) throw new Error(`link did not create the integration: ${JSON.stringify(reply).slice(0, 800)}`);
  return made;
}

type ApplyOutcome = 'in-step' | 'clean' | 'partial';

async function applyOnce(
  world: ModelWorld, systems: ScenarioSystems, i: Stored<IntegrationDocument>, r: Random, options: ScenarioOptions, report: ScenarioReport, round: number,
  fail: (round: number, what: string) => void, look: () => Promise<Snapshot>, randomDecisions: boolean,
): Promise<ApplyOutcome> {
  const s = world.services;
  const planned: Planned = await planSync(s, i, undefined);
  const plan = planned.syncPlan;
  if (isNoop(plan)) return 'in-step';
  const choices = decide(r, plan, randomDecisions);
  if (process.env.PLANBRIDGE_MODEL_TRACE) console.log(`round ${round} ${randomDecisions ? 'random' : 'settle'}: ${describe(plan)} warnings: ${plan.warnings.slice(0, 3).join(' | ')}`);
  const approval = approvePlan(plan, plan.hash, choices);
  if (!approval.ok) { fail(round, `approval refused: ${approval.problem}`); return 'partial'; }
  const crash = randomDecisions && r.chance(options.crashChance);
  if (crash) { world.crashAfter(r.int(0, Math.max(1, approval.plan.operations.length))); report.crashes++; }
  if (r.chance(options.faultChance)) {
    systems.ado.injectFault({ kind: r.pick([429, 503] as const), count: r.int(1, 2), retryAfter: '0' });
    report.faults++;
  }
  // Dataverse's service protection (429 with Retry-After, at least 1 s) or a 503, on the plan side.
  if (systems.plan.system === 'planner' && r.chance(options.faultChance / 2)) {
    systems.plan.dataverse.injectFault({ kind: r.pick(['requests', 'concurrency', 503] as const), count: 1, retryAfter: 1 });
    report.faults++;
  }
  const { run } = await s.store.runs.start(MODEL_TENANT, { integrationId: i.id, trigger: { kind: 'chat', key: `model:${report.seed}:${round}:${r.int(0, 1e9)}`, by: 'model' }, status: 'approved', plan, requestedBy: { id: 'model' } });
  const before = await look();
  world.takeWrites();
  const result = await s.runner.run({ tenantId: i.tenantId, integrationId: i.id }, { kind: 'card', key: `approval:${run.id}`, by: 'model' }, (lease) => applyApproved(s, i, lease, { runId: run.id, approved: approval.plan }));
  world.crashAfter(null);
  const writes = world.takeWrites();
  report.operations += writes.length;
  for (const v of checkRound(before, await look(), writes, approval.plan, planned)) fail(round, v);
  if (result.status === 'failed') {
    if (!crash) fail(round, `apply failed without a crash: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
    return 'partial';
  }
  if (result.status !== 'completed') { fail(round, `apply did not run: ${result.status}`); return 'partial'; }
  if (result.value.kind === 'stale') { fail(round, 'the preview went stale with nobody editing'); return 'partial'; }
  const failed = result.value.outcome.results.filter((x) => x.status !== 'done');
  if (process.env.PLANBRIDGE_MODEL_TRACE && failed.length > 0) console.log(`  not applied: ${failed.map((x) => `${x.opId}: ${x.reason ?? x.status}`).join('; ')}`);
  if (process.env.PLANBRIDGE_MODEL_TRACE) console.log(`  applied: ${approval.plan.operations.map((o) => `${o.id}${'parent' in o && o.parent !== undefined ? ` parent=${JSON.stringify(o.parent)}` : ''}`).join('; ')} writes: ${JSON.stringify(writes).slice(0, 600)}`);
  if (failed.length > 0 && !crash) fail(round, `items not applied without a crash: ${failed.slice(0, 3).map((x) => `${x.opId}: ${x.reason ?? x.status}`).join('; ')}`);
  const undecided = plan.conflicts.length + plan.hierarchy.length + plan.deletions.length > Object.keys({ ...choices.conflicts, ...choices.hierarchy, ...choices.deletions }).length;
  const skipped = Object.values({ ...choices.conflicts, ...choices.hierarchy }).includes('skip') || Object.values(choices.deletions ?? {}).includes('keep');
  return failed.length === 0 && !undecided && !skipped && !crash ? 'clean' : 'partial';
}

/** Random choices in a round; in settling runs, every decision is made (no skip, no keep). */
function decide(r: Random, plan: SyncPlan, random: boolean): PlanChoices {
  const side = (res: { plan: unknown; ado: unknown }): Choice => {
    const open: Choice[] = [...(res.plan ? ['plan' as const] : []), ...(res.ado ? ['ado' as const] : [])];
    if (random && r.chance(0.25)) return 'skip';
    return open.length > 0 ? r.pick(open) : 'skip';
  };
  const deletion = (allowed: readonly DeletionChoice[]): DeletionChoice => {
    const pool = random ? allowed : allowed.filter((a) => a !== 'keep');
    return r.pick(pool.length > 0 ? pool : allowed);
  };
  return {
    conflicts: Object.fromEntries(plan.conflicts.map((c) => [c.id, side(c.resolutions)])),
    hierarchy: Object.fromEntries(plan.hierarchy.map((h) => [h.id, side(h.resolutions)])),
    deletions: Object.fromEntries(plan.deletions.map((d) => [d.id, deletion(d.allowed)])),
  };
}

function describe(plan: SyncPlan): string {
  const ops = plan.operations.slice(0, process.env.PLANBRIDGE_MODEL_TRACE ? 40 : 4).map((o) => o.kind === 'update' ? `${o.id} ${JSON.stringify(o.fields)}` : o.kind === 'create' ? `${o.id} from ${o.side === 'ado' ? 'plan task' : 'work item'} ${o.sourceKey} "${String(o.fields['System.Title'] ?? o.fields['Name'] ?? '')}"` : o.id);
  return `${plan.operations.length} operations, ${plan.conflicts.length} conflicts, ${plan.hierarchy.length} mismatches, ${plan.deletions.length} deletions [${ops.join('; ')}${plan.conflicts.length ? `; conflict ${plan.conflicts[0]!.id}: plan ${JSON.stringify(plan.conflicts[0]!.plan)} ado ${JSON.stringify(plan.conflicts[0]!.ado)}` : ''}${plan.hierarchy.length ? `; mismatch ${plan.hierarchy[0]!.id} "${plan.hierarchy[0]!.title}" plan parent ${plan.hierarchy[0]!.planParent} ado parent ${plan.hierarchy[0]!.adoParent} resolutions ${JSON.stringify(plan.hierarchy[0]!.resolutions)}` : ''}${plan.deletions.length ? `; deletion ${plan.deletions[0]!.id}` : ''}]`;
}
