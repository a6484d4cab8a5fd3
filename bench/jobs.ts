import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCosmosScheduleBook, createScheduler, JobRunner } from '../bot/src/jobs/index.js';
import { createLogger } from '../bot/src/log.js';
import { nextRunAfter, type Schedule } from '../bot/src/schedule/index.js';
import { openStore } from '../bot/src/store/index.js';
import { writerOf, type BenchOptions } from './options.js';

/**
 * Scheduling costs: how fast the next run is computed per schedule kind (Intl-based zone math),
 * and how many scheduled runs per second one instance gets through against the embedded database
 * when the work itself is free: the floor the lease, re-read and completion writes put on a tick.
 */
const SCHEDULES: [string, Schedule][] = [
  ['hourly Asia/Kolkata', { kind: 'hourly', minute: 0, timeZone: 'Asia/Kolkata' }],
  ['daily Europe/Berlin', { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' }],
  ['weekly mon,thu America/Los_Angeles', { kind: 'weekly', days: ['mon', 'thu'], time: '07:30', timeZone: 'America/Los_Angeles' }],
  ['monthly 31st Pacific/Auckland', { kind: 'monthly', dayOfMonth: 31, time: '09:00', timeZone: 'Pacific/Auckland' }],
];
export const smoke: BenchOptions = { smoke: true };

export interface JobsResult {
  readonly nextRunCalls: number;
  readonly due: number;
  /** Runs each tick completed, by concurrency: each must equal `due`. */
  readonly runs: readonly number[];
}

export async function run(options: BenchOptions = {}): Promise<JobsResult> {
  const write = writerOf(options);
  const DUE = options.smoke ? 20 : 500;
  const n = options.smoke ? 200 : 20_000;
  const runs: number[] = [];
  for (const [label, schedule] of SCHEDULES) {
    let t = Date.parse('2025-01-01T00:00:00Z');
    const started = performance.now();
    for (let i = 0; i < n; i++) t = nextRunAfter(schedule, new Date(t + 3_600_000 * (i % 50)))!.getTime();
    const us = ((performance.now() - started) * 1000) / n;
    write(`nextRunAfter, ${label.padEnd(36)} ${us.toFixed(1).padStart(6)} µs/call`);
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-bench-jobs-'));
  const logger = createLogger({ level: 'silent' });
  const store = await openStore({ cosmos: { database: 'bench' }, dataDir, secretKey: randomBytes(32).toString('base64'), logger });
  try {
    const book = createCosmosScheduleBook(store.integrations);
    const now = new Date();
    for (let i = 0; i < DUE; i++) {
      const doc = await store.integrations.create('bench-tenant', {
        name: `Project ${i}`, planConnectionId: 'p', planProjectId: 'p', adoConnectionId: 'a', adoProjects: ['A'], direction: 'two-way', mapping: [],
        hierarchy: { levels: [], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false },
      });
      await book.set({ tenantId: 'bench-tenant', integrationId: doc.id }, { kind: 'daily', time: '00:00', timeZone: 'UTC' }, new Date(0), new Date(now.getTime() - 86_400_000));
    }
    const quiet = async (): Promise<void> => undefined;
    for (const concurrency of [1, 8]) {
      const runner = new JobRunner({ leases: store.leases, owner: `bench-${concurrency}` });
      const scheduler = createScheduler({ book, runner, work: async () => undefined, reporter: { reportSuccess: quiet, reportFailure: quiet, reportRecovered: quiet }, batchSize: DUE, concurrency, now: () => new Date(now.getTime() + concurrency * 86_400_000) });
      const started = performance.now();
      const report = await scheduler.tick();
      const seconds = (performance.now() - started) / 1000;
      runs.push(report.outcomes.succeeded);
      write(`scheduler tick, ${DUE} due, ${concurrency} at once: ${report.outcomes.succeeded} runs in ${seconds.toFixed(2)} s = ${Math.round(report.outcomes.succeeded / seconds)} runs/s (lease + pre-check + re-read + completion + release per run)`);
    }
    return { nextRunCalls: n * SCHEDULES.length, due: DUE, runs };
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
