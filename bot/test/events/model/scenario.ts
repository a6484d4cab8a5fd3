/**
 * One seeded scenario of the Outlook-events model: a random plan in a random site zone, linked to
 * Outlook in chat; then rounds of random edits (names, dates, notes, people, the "Create event"
 * flag, new and deleted tasks, an event deleted in Outlook), a preview with random decisions
 * (cancels chosen or not, sometimes a rejection) applied with crashes and faults, then previews
 * approved with the same decisions until only declined cancels remain. The oracle runs after every
 * apply and every settled round; at the end every cancel is chosen and the plan must be in step.
 */
import { eventLinkId } from '../../../src/events/index.js';
import { Random } from '../../runs/model/random.js';
import { ourEvents, projectOf } from './calendar-view.js';
import { History } from './history.js';
import { checkNever, checkSettled, type OracleContext } from './oracle.js';
import { editOnce } from './plan-edits.js';
import { seedEventPlan, type SeededPlan } from './plan-seed.js';
import { previewAndDecide, type StepContext, type StepCounters, type StepMode, type StepOptions, type StepOutcome } from './round-step.js';
import type { EventWorld } from './world.js';

export interface EventScenarioOptions extends StepOptions {
  readonly rounds: number;
  readonly editsPerRound: number;
}

export const CI_OPTIONS: EventScenarioOptions = {
  rounds: 4, editsPerRound: 4, crashChance: 0.4, faultChance: 0.25, lostAnswerChance: 0.35, rejectChance: 0.1, editBeforeApproveChance: 0.1, doubleClickChance: 0.1,
};

export interface EventScenarioReport extends StepCounters {
  readonly seed: number;
  readonly setup: string;
  rounds: number;
  events: number;
  invitations: number;
  readonly violations: string[];
  /** Every step, for replaying a failure by eye. */
  trace: string;
}

const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Tokyo'] as const;
/** Approve-everything runs a round may take to settle (a crash leaves work for the next one). */
const SETTLE_ATTEMPTS = 4;

export async function runEventScenario(world: EventWorld, seed: number, options: EventScenarioOptions = CI_OPTIONS): Promise<EventScenarioReport> {
  const r = new Random(seed);
  const zone = r.pick(ZONES);
  const planName = `Events ${seed}`;
  let seeded!: SeededPlan;
  const sys = await world.open(zone, planName, (pwa) => (seeded = seedEventPlan(r, pwa, planName)).projectId);
  const history = new History(seed);
  const known = new Map<string, { taskId: string; name: string }>();
  const markerOf = (taskId: string): string => eventLinkId(sys.integration.id, taskId);
  const see = (): void => { for (const t of projectOf(sys.pwa, seeded.projectId).tasks) known.set(markerOf(t.Id), { taskId: t.Id, name: t.Name }); };
  const oracle: OracleContext = { graph: sys.graph, pwa: sys.pwa, projectId: seeded.projectId, fieldId: seeded.fieldId, history, known, markerOf };
  const report: EventScenarioReport = { seed, setup: `site in ${zone}`, rounds: 0, applies: 0, crashes: 0, faults: 0, faultUnits: 0, lostAnswers: 0, rejected: 0, expired: 0, events: 0, invitations: 0, violations: [], trace: '' };
  let round = 0;
  const edit = (): Promise<void> => editOnce(r, { pwa: sys.pwa, connector: sys.editor, graph: sys.graph, plan: seeded, history }).then(see);
  const step = (decisions: Map<string, boolean>): StepContext => ({
    r, world, sys, history, oracle, options, counters: report, decisions, edit,
    fail: (what) => void report.violations.push(`round ${round}: ${what}`),
  });
  see();
  history.step(`seed ${seed}: plan "${planName}" in ${zone}: ${projectOf(sys.pwa, seeded.projectId).tasks.map((t) => `"${t.Name}"${t.custom[seeded.fieldId] === true ? '*' : ''}`).join(', ')}`);

  try {
    let declined: ReadonlySet<string> | undefined = new Set();
    for (; round < options.rounds; round++) {
      report.rounds++;
      history.step(`round ${round}`);
      const edits = round > 0 && !r.chance(0.2) ? r.int(1, options.editsPerRound) : 0;
      for (let n = edits; n > 0; n--) await edit();
      if (edits === 0) history.step('no edits');
      const decisions = new Map<string, boolean>();
      await previewAndDecide(step(decisions), 'random', round > 0 && edits === 0 ? declined : undefined);
      const settled = await settle(step(decisions), 'settle');
      declined = settled ? (settled.kind === 'only-declined' ? settled.cancels : new Set()) : undefined;
      if (declined) for (const v of checkSettled(oracle, declined)) step(decisions).fail(v);
    }
    history.step('drain: every cancel chosen');
    const drained = await settle(step(new Map()), 'drain');
    if (drained && drained.kind !== 'in-step') step(new Map()).fail('after every cancel was chosen, the preview still proposes something');
    if (drained) for (const v of checkSettled(oracle, new Set())) step(new Map()).fail(v);
    for (const v of checkNever(oracle)) step(new Map()).fail(v);
  } catch (err) {
    report.violations.push(`round ${round}: the scenario stopped: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    const events = ourEvents(sys.graph);
    report.events = events.length;
    report.invitations = sys.graph.invitations.filter((m) => m.kind === 'request' && events.some((e) => e.id === m.eventId)).length;
    report.trace = history.trace();
    await sys.close();
  }
  return report;
}

/**
 * Previews and approves (same decisions) until the preview proposes nothing but declined cancels.
 * Convergence: after a clean apply, the very next preview must be settled; and a further preview
 * with no edit in between must propose exactly the same.
 */
async function settle(c: StepContext, mode: StepMode): Promise<Extract<StepOutcome, { kind: 'in-step' | 'only-declined' }> | null> {
  let cleanBefore = false;
  for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
    const outcome = await previewAndDecide(c, mode);
    if (outcome.kind === 'in-step' || outcome.kind === 'only-declined') {
      const again = await previewAndDecide(c, mode);
      if (again.kind !== outcome.kind || (again.kind === 'only-declined' && outcome.kind === 'only-declined' && again.hash !== outcome.hash)) {
        c.fail(`a preview with no edit since the last one proposes something else (${outcome.kind} then ${again.kind})`);
      }
      return outcome;
    }
    if (cleanBefore) c.fail('not converged: after a clean apply of every proposal, the next preview still proposes changes');
    cleanBefore = outcome.kind === 'applied' && outcome.clean;
    if (outcome.kind === 'rejected') throw new Error('settling runs never reject');
    if (outcome.kind === 'failed') return null;
  }
  c.fail(`did not settle within ${SETTLE_ATTEMPTS} approve-everything runs`);
  return null;
}
