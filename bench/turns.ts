import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './options.js';
import { placeProcesses } from './turns/cores.js';
import { CountingConnector } from './turns/connector.js';
import { captureCards, drive, type Load, type LoadResult, type TurnKind } from './turns/load.js';
import { spawnTarget, startBareBot, startPlanBridge, type CardsByKind, type TargetKind, type TurnTarget } from './turns/targets.js';

/**
 * Turn throughput: N conversations × M turns over HTTP against PlanBridge and against a bare
 * Teams SDK echo bot hosted the same way, each in its own process, with the Bot Connector played
 * by a local server in this one. Rounds alternate which bot goes first; figures are medians, and
 * the ratios are the medians of each round's pair (the two bots measured back to back): on a shared
 * 2-core machine the bare bot's own throughput drifts by a third within one run, far more than
 * between two rounds run one after the other.
 * Targets (issue 19) apply at 50 concurrent conversations, against the echo bot. A third bot, the
 * bare one answering with PlanBridge's own cards, splits the gap: what carrying those cards costs
 * the SDK, and what is left, PlanBridge's own work per turn.
 */
export const TARGET_THROUGHPUT_RATIO = 0.8;
export const TARGET_P95_RATIO = 1.3;
const TARGET_AT = 50;

export interface TurnsOptions {
  loads?: Load[];
  rounds?: number;
  /** Bots in this process (the smoke test); the benchmark runs each in its own. */
  inProcess?: boolean;
  /** Extra Node flags for PlanBridge's process, e.g. ['--cpu-prof', '--cpu-prof-dir=prof']. */
  planBridgeNodeArgs?: string[];
  write?: (line: string) => void;
}

export interface TurnsCase {
  load: Load;
  bare: LoadResult;
  /** The bare bot answering with PlanBridge's cards. */
  bareCard: LoadResult;
  planbridge: LoadResult;
  throughputRatio: number;
  p95Ratio: number;
  /** Lowest and highest of the rounds' throughput ratios against the echo bot: how noisy the machine was. */
  throughputRange: [number, number];
  /** PlanBridge against the bare bot carrying the same cards. */
  ownThroughputRatio: number;
  ownP95Ratio: number;
}

/**
 * The echo bot sits between the other two, so PlanBridge is always measured right beside it (the
 * targets are against it) and the machine has the least time to drift within a pair.
 */
const KINDS_IN_ORDER: TargetKind[] = ['bare-card', 'bare', 'planbridge'];

const KINDS: TurnKind[] = ['help', 'status', 'connections', 'card'];
export const DEFAULT_LOADS: Load[] = KINDS.flatMap((kind) => [
  { kind, conversations: 1, turns: 40, warmup: 5 },
  // 1,000 measured turns per round: at 10 a round lasted half a second and one GC pause moved the ratio by 0.1.
  { kind, conversations: 50, turns: 20, warmup: 2 },
]);

export async function measureTurns(options: TurnsOptions = {}): Promise<TurnsCase[]> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rounds = options.rounds ?? 11;
  // The smoke run shares one process with vitest: nothing to pin.
  const placement = options.inProcess ? { botPrefix: [], description: 'in this process (smoke run)', release: () => undefined } : placeProcesses();
  const connector = await new CountingConnector().start();
  const cardsDir = await mkdtemp(join(tmpdir(), 'planbridge-bench-cards-'));
  const cardsFile = join(cardsDir, 'cards.json');
  const start = (kind: TargetKind): Promise<TurnTarget> => options.inProcess
    ? (kind === 'planbridge' ? startPlanBridge() : startBareBot('error', kind === 'bare-card' ? cardsOf(cardsFile) : undefined))
    : spawnTarget(kind, { nodeArgs: kind === 'planbridge' ? options.planBridgeNodeArgs : [], prefix: placement.botPrefix, ...(kind === 'bare-card' ? { cardsFile } : {}) });
  const started: Partial<Record<TargetKind, TurnTarget>> = {};
  const cases: TurnsCase[] = [];
  try {
    started.bare = await start('bare');
    started.planbridge = await start('planbridge');
    await writeFile(cardsFile, JSON.stringify(await captureCards(started.planbridge, connector)));
    started['bare-card'] = await start('bare-card');
    const targets = started as Record<TargetKind, TurnTarget>;
    // Unmeasured: every bot answers each kind of turn for a while first. The first case measured
    // after only a short warm-up ran 30-70% slower for every bot (the code is not yet at its last
    // tier), which said more about the order of the cases than about the bots.
    if (!options.inProcess) {
      for (const kind of KINDS) for (const bot of KINDS_IN_ORDER) await drive(targets[bot], connector, { kind, conversations: 10, turns: 50, warmup: 0 }, `${bot}-${kind}-start`);
    }
    write(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min); ${placement.description}`);
    write(`${'case'.padEnd(26)} ${'bot'.padEnd(11)} ${'turns/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}   vs bare SDK`);
    for (const load of options.loads ?? DEFAULT_LOADS) {
      const results: Record<TargetKind, LoadResult[]> = { bare: [], 'bare-card': [], planbridge: [] };
      // Unmeasured: each bot's code for this kind of turn is compiled before any round counts.
      for (const kind of KINDS_IN_ORDER) await drive(targets[kind], connector, { kind: load.kind, conversations: 10, turns: 20, warmup: 0 }, `${kind}-${load.kind}-warm`);
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? KINDS_IN_ORDER : [...KINDS_IN_ORDER].reverse();
        for (const kind of order) results[kind].push(await drive(targets[kind], connector, load, `${kind}-${load.kind}-${load.conversations}-${r}`));
      }
      const against = (base: LoadResult[]) => base.map((b, r) => ({ throughput: results.planbridge[r]!.turnsPerSecond / b.turnsPerSecond, p95: results.planbridge[r]!.p95 / b.p95 }));
      const pairs = against(results.bare);
      const own = against(results['bare-card']);
      const c: TurnsCase = {
        load, bare: medianRound(results.bare), bareCard: medianRound(results['bare-card']), planbridge: medianRound(results.planbridge),
        throughputRatio: median(pairs.map((p) => p.throughput)), p95Ratio: median(pairs.map((p) => p.p95)),
        throughputRange: [Math.min(...pairs.map((p) => p.throughput)), Math.max(...pairs.map((p) => p.throughput))],
        ownThroughputRatio: median(own.map((p) => p.throughput)), ownP95Ratio: median(own.map((p) => p.p95)),
      };
      cases.push(c);
      printCase(write, c);
    }
    write(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min)`);
  } finally {
    await Promise.all(Object.values(started).map((t) => t.stop()));
    await connector.stop();
    await rm(cardsDir, { recursive: true, force: true });
    placement.release();
  }
  return cases;
}

function cardsOf(file: string): CardsByKind {
  return JSON.parse(readFileSync(file, 'utf8')) as CardsByKind;
}

function printCase(write: (line: string) => void, c: TurnsCase): void {
  const label = `${c.load.kind}, ${c.load.conversations} conv × ${c.load.turns}`.padEnd(26);
  const row = (bot: string, r: LoadResult) => `${bot.padEnd(11)} ${r.turnsPerSecond.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)}`;
  write(`${label} ${row('bare SDK', c.bare)}`);
  write(`${''.padEnd(26)} ${row('bare + card', c.bareCard)}   (the bare bot answering with PlanBridge's card)`);
  const targeted = c.load.conversations >= TARGET_AT;
  const verdict = targeted
    ? `   throughput ${down(c.throughputRatio)}× (target ≥ ${TARGET_THROUGHPUT_RATIO}×) ${c.throughputRatio >= TARGET_THROUGHPUT_RATIO ? 'met' : 'NOT met'}, ` +
      `p95 ${up(c.p95Ratio)}× (target ≤ ${TARGET_P95_RATIO}×) ${c.p95Ratio <= TARGET_P95_RATIO ? 'met' : 'NOT met'}`
    : `   throughput ${c.throughputRatio.toFixed(2)}×, p95 ${c.p95Ratio.toFixed(2)}× (no target below ${TARGET_AT} conversations)`;
  write(`${''.padEnd(26)} ${row('PlanBridge', c.planbridge)}${verdict}`);
  write(`${''.padEnd(26)} ${''.padEnd(11)} ${''.padEnd(26)}   rounds ranged ${c.throughputRange[0].toFixed(2)}–${c.throughputRange[1].toFixed(2)}×; against bare + card: throughput ${c.ownThroughputRatio.toFixed(2)}×, p95 ${c.ownP95Ratio.toFixed(2)}× (PlanBridge's own work)`);
}

/** Ratios shown against a target are rounded away from it, so 0.797 shows as 0.79 beside "NOT met", not 0.80. */
const down = (x: number): string => (Math.floor(x * 100) / 100).toFixed(2);
const up = (x: number): string => (Math.ceil(x * 100) / 100).toFixed(2);

/** The round with the median throughput, and the median of the rounds' percentiles. */
function medianRound(results: LoadResult[]): LoadResult {
  const byThroughput = [...results].sort((a, b) => a.turnsPerSecond - b.turnsPerSecond)[results.length >> 1]!;
  return { ...byThroughput, p50: median(results.map((r) => r.p50)), p95: median(results.map((r) => r.p95)) };
}

export async function run(): Promise<void> {
  const profileDir = process.env.BENCH_TURNS_CPU_PROF;
  await measureTurns(profileDir ? { planBridgeNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
}
