import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger } from '../bot/src/log.js';
import { startEmbeddedCosmos } from '../bot/src/store/embedded/embedded-server.js';
import { openStore } from '../bot/src/store/index.js';
import { percentile, writerOf, type BenchOptions } from './options.js';
import { startInstance, type InstanceConfig, type InstanceEvent, type RunningInstance } from './scheduler-scale/instance.js';
import { seedSchedules } from './scheduler-scale/seed.js';
import { countTraffic } from './scheduler-scale/traffic.js';

/**
 * Scheduler at scale (`npm run bench -- scheduler-scale [--minutes 3]`, or BENCH_MINUTES): 10,000
 * integrations whose slots come due evenly over the window, 3 scheduler instances (each its own
 * process and store client, as in production) sharing one embedded Cosmos server over loopback,
 * served from this process like `npm run cosmos:local`. Prints the store requests spent finding
 * due work, the lag from slot to run start and duplicate runs, beside their targets.
 */
export interface SchedulerScaleOptions extends BenchOptions {
  readonly integrations?: number;
  readonly instances?: number;
  readonly minutes?: number;
  readonly intervalMs?: number;
  /** Instances in this process (the smoke test, or when dist/ is not built). */
  readonly inProcess?: boolean;
}

export interface SchedulerScaleResult {
  readonly integrations: number;
  readonly started: number;
  readonly recorded: number;
  /** Slots recorded more than once: must be 0. */
  readonly duplicates: number;
  /** Slots whose work began more than once (a lease lost mid-run); recorded once all the same. */
  readonly reExecuted: number;
  readonly missed: number;
  readonly lagP50Ms: number;
  readonly lagP95Ms: number;
  readonly lagTargetMs: number;
  readonly scans: number;
  readonly scanRequests: number;
  readonly scanRequestsPerMinute: number;
  readonly totalRequests: number;
  readonly minutes: number;
}

/** Margin over one scan interval for lag p95: the scan query itself plus working through what one interval gathered (see the printed note). */
const LAG_MARGIN_MS = 5_000;
const childEntry = fileURLToPath(new URL('./scheduler-scale/child.js', import.meta.url));

export const smoke: SchedulerScaleOptions = { smoke: true, integrations: 60, instances: 3, minutes: 0.05, intervalMs: 300, inProcess: true };

export async function run(options: SchedulerScaleOptions = {}): Promise<SchedulerScaleResult> {
  const write = writerOf(options);
  const flags = parseArgs({ args: process.argv.slice(2), options: { minutes: { type: 'string' } }, strict: false, allowPositionals: true }).values;
  const minutes = options.minutes ?? Number(flags.minutes ?? process.env.BENCH_MINUTES ?? 3);
  const count = options.integrations ?? 10_000;
  const instanceCount = options.instances ?? 3;
  const intervalMs = options.intervalMs ?? 30_000; // the production default
  const inProcess = options.inProcess ?? !existsSync(childEntry);
  const spreadMs = minutes * 60_000;
  const logger = createLogger({ level: 'silent' });
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-bench-scale-'));
  const db = await startEmbeddedCosmos({ dataDir: join(dataDir, 'server'), host: '127.0.0.1', logger });
  const database = 'bench';
  const seeder = await openStore({ cosmos: { endpoint: db.endpoint, key: db.key, database }, dataDir: join(dataDir, 'seeder'), logger });
  const traffic = countTraffic(Number(new URL(db.endpoint).port));
  const starts = new Map<string, number[]>();
  const recorded = new Map<string, number>();
  const scanMs: number[] = [];
  let skipped = 0;
  let busy = 0;
  let alreadyDone = 0;
  const onEvents = (events: InstanceEvent[]): void => {
    for (const e of events) {
      if (e.kind === 'start') starts.set(`${e.id}@${e.slot}`, [...(starts.get(`${e.id}@${e.slot}`) ?? []), e.at - Date.parse(e.slot)]);
      else if (e.kind === 'recorded') recorded.set(`${e.id}@${e.slot}`, (recorded.get(`${e.id}@${e.slot}`) ?? 0) + 1);
      else if (e.kind === 'scan') scanMs.push(e.ms);
      else { skipped += e.skipped; busy += e.busy; alreadyDone += e.alreadyDone; }
    }
  };
  const instances: RunningInstance[] = [];
  try {
    write(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min)`);
    const countedFrom = Date.now();
    for (let i = 0; i < instanceCount; i++) {
      const config: InstanceConfig = { name: `instance-${i}`, endpoint: db.endpoint, key: db.key, database, intervalMs, batchSize: 100, concurrency: 4, workMs: 5 };
      instances.push(inProcess ? await startInstance(config, onEvents) : await forkInstance(config, onEvents));
    }
    // Integrations are stored in slot order while the instances already scan; each exists well before its slot.
    const from = Date.now() + 3_000;
    const seeding = seedSchedules(seeder.integrations, { count, tenants: Math.max(1, Math.ceil(count / 100)), from, spreadMs });
    await seeding;
    const seededAt = Date.now();
    const deadline = from + spreadMs + intervalMs + 2 * LAG_MARGIN_MS;
    while (Date.now() < deadline && recorded.size < count) await new Promise((r) => setTimeout(r, 250));
    await Promise.all(instances.splice(0).map((i) => i.stop()));
    const countedMinutes = (Date.now() - countedFrom) / 60_000;

    const firstLags = [...starts.values()].map((lags) => Math.min(...lags)).sort((a, b) => a - b);
    const result: SchedulerScaleResult = {
      integrations: count,
      started: starts.size,
      recorded: recorded.size,
      duplicates: [...recorded.values()].filter((n) => n > 1).length,
      reExecuted: [...starts.values()].filter((s) => s.length > 1).length,
      missed: count - recorded.size,
      lagP50Ms: percentile(firstLags, 0.5),
      lagP95Ms: percentile(firstLags, 0.95),
      lagTargetMs: intervalMs + LAG_MARGIN_MS,
      scans: scanMs.length,
      scanRequests: traffic.scan,
      scanRequestsPerMinute: traffic.scan / countedMinutes,
      totalRequests: traffic.total,
      minutes: countedMinutes,
    };
    scanMs.sort((a, b) => a - b);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const mark = (ok: boolean) => (ok ? 'MET' : 'MISSED');
    write(`${count} integrations over ${Math.ceil(count / 100)} tenants, slots evenly over ${minutes} min; ${instanceCount} instances (${inProcess ? 'in this process' : 'one process each'}), scan every ${s(intervalMs)}, batch 100, 4 runs at once each, work 0-5 ms`);
    write(`seeding took ${s(seededAt - from + 3_000)} (stored in slot order while the instances ran)`);
    write(`runs: ${result.recorded} of ${count} slots recorded, ${result.missed} missed; ${result.reExecuted} slots begun twice (lease lost mid-run)`);
    write(`duplicate runs (a slot recorded twice): ${result.duplicates} (target 0) ${mark(result.duplicates === 0)}`);
    write(`lag from slot to run start: p50 ${s(result.lagP50Ms)}, p95 ${s(result.lagP95Ms)}, max ${s(firstLags.at(-1) ?? Number.NaN)} (target p95 <= ${s(result.lagTargetMs)} = one scan interval + ${s(LAG_MARGIN_MS)} for the scan and the backlog it finds) ${mark(result.lagP95Ms <= result.lagTargetMs)}`);
    write(`finding due work: ${result.scans} scans (${(result.scans / countedMinutes).toFixed(0)}/min), ${result.scanRequests} store requests = ${result.scanRequestsPerMinute.toFixed(0)} requests/min, ${(result.scanRequests / Math.max(1, result.scans)).toFixed(1)} per scan; scan p50 ${percentile(scanMs, 0.5).toFixed(0)} ms, p95 ${percentile(scanMs, 0.95).toFixed(0)} ms`);
    const running = result.totalRequests - count; // less one create per integration: seeding is not the scheduler's
    write(`all store requests but seeding: ${running} in ${countedMinutes.toFixed(1)} min = ${(running / countedMinutes).toFixed(0)}/min, ${(running / Math.max(1, result.recorded)).toFixed(1)} per recorded run`);
    write(`contention between instances: ${skipped} due entries skipped by the pre-check (run elsewhere: one read each), ${busy} lease claims refused (running elsewhere), ${alreadyDone} found done only under the lease`);
    write(`requests by kind: ${Object.entries(traffic.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    return result;
  } finally {
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    traffic.stop();
    await seeder.close();
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** One instance in its own process: its own event loop and store client, as on separate machines. */
function forkInstance(config: InstanceConfig, onEvents: (events: InstanceEvent[]) => void): Promise<RunningInstance> {
  const child = fork(childEntry, [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance ${config.name} exited (${code}) before it was ready`)));
    child.on('message', (m: { events?: InstanceEvent[]; ready?: boolean }) => {
      if (m.events) onEvents(m.events);
      if (m.ready) resolve({ stop: async () => { child.send('stop'); await exited; } });
    });
  });
}
