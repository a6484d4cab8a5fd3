/**
 * Sync engine benchmark (`npm run bench -- sync`):
 * 1. diff + plan for 10,000 linked items with 10% changed on each side (targets: < 300 ms, < 200 MB peak RSS);
 * 2. apply of 1,000 creations over 3 levels with 50 ms simulated latency and 8 requests in flight,
 *    against the level-by-level lower bound sum(ceil(n_level / 8) * 50 ms) (target: within 1.3x).
 * The systems are the in-memory port doubles from the engine's tests.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { approvePlan } from '../bot/src/sync/approve.js';
import { applyPlan } from '../bot/src/sync/apply.js';
import { buildPlan, type PlanInput } from '../bot/src/sync/build-plan.js';
import { NO_LIMITS } from '../bot/src/sync/write-limits.js';
import { MemoryAdo } from '../bot/test/sync/support/memory-ado.js';
import { World, integrationFor } from '../bot/test/sync/support/fixtures.js';
import { writerOf, type BenchOptions } from './options.js';
import { measurePlan, type PlanFigures } from './sync/plan-measure.js';

let out = writerOf({});

export const smoke: BenchOptions = { smoke: true };

export interface SyncResult {
  readonly linked: number;
  /** ADO plus plan updates the plan found for the edits (> 0 when edits were diffed). */
  readonly updatesPlanned: number;
  readonly creationsPlanned: number;
  readonly creationsDone: number;
}
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Deterministic pseudo-random numbers, so every run edits the same items. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function diffAndPlan(epics: number, smoke: boolean): Promise<{ linked: number; updatesPlanned: number }> {
  const world = new World(integrationFor('Agile', { timeZone: 'Europe/Berlin' }));
  // 100 epics x 9 features x 10 tasks + the summaries = 10,000 tasks.
  for (let e = 0; e < epics; e++) {
    const epic = world.plan.seed({ Name: `Epic ${e}`, Start: '2025-01-06T08:00:00', Finish: '2025-06-27T17:00:00', PercentComplete: 0 });
    for (let f = 0; f < 9; f++) {
      const feature = world.plan.seed({ Name: `Feature ${e}.${f}`, Start: '2025-02-03T08:00:00', Finish: '2025-03-28T17:00:00', PercentComplete: 20 }, epic);
      for (let t = 0; t < 10; t++) {
        world.plan.seed({
          Name: `Task ${e}.${f}.${t}`, Start: '2025-02-10T08:00:00', Finish: '2025-02-14T17:00:00', Work: '16h', RemainingWork: '8h',
          PercentComplete: 50, Notes: 'Acceptance criteria\nfirst line', ResourceNames: t % 2 ? 'Alice Smith' : 'Bob Jones',
        }, feature);
      }
    }
  }
  await world.sync();
  const n = world.links.length;
  const random = rng(42);
  const pick = (): number => Math.floor(random() * n);
  for (let i = 0; i < n / 10; i++) world.plan.edit(world.links[pick()]!.planKey, { Name: `Renamed in plan ${i}`, Work: '4h' }); // remaining work is Project's to compute
  for (let i = 0; i < n / 10; i++) world.ado.edit(world.links[pick()]!.adoKey, { 'System.Title': `Renamed in ADO ${i}`, 'Microsoft.VSTS.Scheduling.StartDate': '2025-02-11T00:00:00Z' });
  // With the plan side's write limits, as every production preview plans.
  const input = { integration: world.integration, planItems: await world.plan.readScope(), adoItems: await world.ado.readScope(), links: world.links, limits: { plan: world.plan.limits, ado: NO_LIMITS } };

  // In a process of its own that only reads the input, as a bot holds what it read: this one's
  // memory is mostly what building the fixture (a first sync of every item) left committed.
  const figures = smoke ? measurePlan(input) : await measureInOwnProcess(input);
  if (!smoke && figures.hash !== buildPlan(input).hash) throw new Error('the diff+plan process built another plan than this one: its input did not survive JSON');
  const c = figures.counts;
  const t = figures.timesMs;
  const peakNote = figures.peakOf === 'diff+plan' ? 'during diff+plan' : 'of the process (this OS cannot reset it)';
  out(`diff+plan: ${n} linked items, ${n / 10} edited in the plan and ${n / 10} in ADO (overlaps become conflicts)${smoke ? '' : '; in a process that holds only the input'}`);
  out(`  plan: ${c.updateAdo} ADO updates, ${c.updatePlan} plan updates, ${c.conflicts} conflicts, ${c.hierarchy} hierarchy, hash ${figures.hash.slice(0, 12)}`);
  out(`  time: median ${t[2]!.toFixed(0)} ms, worst ${t[4]!.toFixed(0)} ms of 5 (target < 300 ms) ${t[2]! < 300 ? 'MET' : 'MISSED'}`);
  out(`  memory: RSS ${mb(figures.rssBefore)} with the input loaded; peak RSS ${peakNote} ${mb(figures.peak)} (target < 200 MB) ${figures.peak < 200 * 1024 * 1024 ? 'MET' : 'MISSED'}`);
  return { linked: n, updatesPlanned: c.updateAdo + c.updatePlan };
}

/** Runs the diff+plan in a child (sync/plan-process.ts; needs dist/, so never for the smoke run). */
async function measureInOwnProcess(input: PlanInput): Promise<PlanFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'planbridge-bench-sync-'));
  try {
    const file = join(dir, 'input.json');
    await writeFile(file, JSON.stringify(input));
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(new URL('./sync/plan-process.js', import.meta.url)), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the diff+plan process exited with ${code}`);
    return JSON.parse(text) as PlanFigures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function applyCreations(epics: number, latency: number): Promise<{ creationsPlanned: number; creationsDone: number }> {
  const inFlight = 8;
  const world = new World(integrationFor('Agile', { direction: 'planToAdo' }), undefined, new MemoryAdo(latency));
  // 10 epics > 90 features > 900 tasks = 1,000 creations on 3 levels.
  for (let e = 0; e < epics; e++) {
    const epic = world.plan.seed({ Name: `Epic ${e}` });
    for (let f = 0; f < 9; f++) {
      const feature = world.plan.seed({ Name: `Feature ${e}.${f}` }, epic);
      for (let t = 0; t < 10; t++) world.plan.seed({ Name: `Task ${e}.${f}.${t}`, Work: '8h' }, feature);
    }
  }
  const plan = await world.preview();
  const approval = approvePlan(plan, plan.hash);
  if (!approval.ok) throw new Error(approval.problem);
  const perLevel = new Map<number, number>();
  for (const op of approval.plan.operations) if (op.kind === 'create') perLevel.set(op.level, (perLevel.get(op.level) ?? 0) + 1);
  const bound = [...perLevel.values()].reduce((sum, count) => sum + Math.ceil(count / inFlight) * latency, 0);
  const t0 = performance.now();
  const outcome = await applyPlan(approval.plan, world, { runId: 'bench', integration: world.integration, adoConcurrency: inFlight });
  const wall = performance.now() - t0;
  out(`apply: ${outcome.counts.done} creations over levels ${[...perLevel.entries()].map(([l, c]) => `${l}:${c}`).join(', ')}, ${latency} ms latency, ${inFlight} in flight`);
  out(`  wall ${wall.toFixed(0)} ms vs level-by-level lower bound ${bound} ms = ${(wall / bound).toFixed(3)}x (target <= 1.3x); ${outcome.counts.failed} failed`);
  return { creationsPlanned: [...perLevel.values()].reduce((a, b) => a + b, 0), creationsDone: outcome.counts.done };
}

export async function run(options: BenchOptions = {}): Promise<SyncResult> {
  out = writerOf(options);
  const diffed = await diffAndPlan(options.smoke ? 2 : 100, options.smoke === true);
  const applied = await applyCreations(options.smoke ? 1 : 10, options.smoke ? 2 : 50);
  return { ...diffed, ...applied };
}
