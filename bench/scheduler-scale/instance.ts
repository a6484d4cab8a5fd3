import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCosmosScheduleBook, createScheduler, JobRunner, type ScheduleBook } from '../../bot/src/jobs/index.js';
import { createLogger } from '../../bot/src/log.js';
import { openStore } from '../../bot/src/store/index.js';

/**
 * One scheduler instance of the benchmark: its own store client against the shared server, a
 * JobRunner and the production scheduler with the production book. Only the work (a few ms of
 * waiting) and the reporter (which only counts) are stand-ins. It tells the coordinator what
 * happened through `emit`, in batches.
 */
export interface InstanceConfig {
  readonly name: string;
  readonly endpoint: string;
  readonly key: string;
  readonly database: string;
  readonly intervalMs: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** Upper bound of the simulated work, ms (uniform 0..workMs). */
  readonly workMs: number;
}

export type InstanceEvent =
  /** The work of `slot` began at `at` (ms epoch). */
  | { readonly kind: 'start'; readonly id: string; readonly slot: string; readonly at: number }
  /** The run of `slot` was recorded (`complete` succeeded) and reported. */
  | { readonly kind: 'recorded'; readonly id: string; readonly slot: string }
  /** One `book.due` call: how long it took and how many entries it returned. */
  | { readonly kind: 'scan'; readonly ms: number; readonly found: number }
  /** Entries skipped by the pre-check, lease claims refused (busy), slots found done under the lease. */
  | { readonly kind: 'contention'; readonly skipped: number; readonly busy: number; readonly alreadyDone: number };

export interface RunningInstance {
  stop(): Promise<void>;
}

export async function startInstance(config: InstanceConfig, emit: (events: InstanceEvent[]) => void): Promise<RunningInstance> {
  const dataDir = await mkdtemp(join(tmpdir(), `planbridge-bench-${config.name}-`));
  const store = await openStore({
    cosmos: { endpoint: config.endpoint, key: config.key, database: config.database },
    dataDir,
    secretKey: randomBytes(32).toString('base64'),
    logger: createLogger({ level: 'silent' }),
  });
  let pending: InstanceEvent[] = [];
  const flush = (): void => {
    if (pending.length > 0) emit(pending);
    pending = [];
  };
  // Batched, so 10,000 runs are a few hundred messages to the coordinator, not 20,000.
  const flusher = setInterval(flush, 200);
  // What contention between instances costs: entries the pre-check found done elsewhere (a read each),
  // lease claims refused, and slots found done only under the lease.
  let checked = 0;
  let claims = 0;
  let busy = 0;
  let begun = 0;
  let started = 0;
  const production = createCosmosScheduleBook(store.integrations);
  const book: ScheduleBook = {
    ...production,
    async due(now, limit) {
      const t0 = performance.now();
      const found = await production.due(now, limit);
      pending.push({ kind: 'scan', ms: performance.now() - t0, found: found.length });
      return found;
    },
    get: (key) => (checked++, production.get(key)),
    begin: (key, epoch) => (begun++, production.begin(key, epoch)),
  };
  const leases = { ...store.leases, acquire: async (...args: Parameters<typeof store.leases.acquire>) => {
    claims++;
    const claimed = await store.leases.acquire(...args);
    if (!claimed) busy++;
    return claimed;
  } };
  const recorded = async (info: { integrationId: string; slot: string }): Promise<void> => {
    pending.push({ kind: 'recorded', id: info.integrationId, slot: info.slot });
  };
  const scheduler = createScheduler({
    book,
    runner: new JobRunner({ leases, owner: `${config.name}:${process.pid}` }),
    work: async (run) => {
      started++;
      pending.push({ kind: 'start', id: run.integrationId, slot: run.slot, at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * config.workMs));
    },
    reporter: { reportSuccess: recorded, reportFailure: recorded, reportRecovered: recorded },
    intervalMs: config.intervalMs,
    batchSize: config.batchSize,
    concurrency: config.concurrency,
  });
  scheduler.start();
  return {
    async stop() {
      await scheduler.stop();
      pending.push({ kind: 'contention', skipped: checked - claims, busy, alreadyDone: begun - started });
      clearInterval(flusher);
      flush();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
