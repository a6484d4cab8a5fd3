/**
 * `status` with a Cosmos shared by several instances (`COSMOS_ENDPOINT`: no query cache): the last
 * run of each of N integrations, whose runs carry their previews' plans. It reads run summaries (a
 * projection, store/runs.ts), and the whole last run (plan included) is read beside it to show what
 * that projection saves. Target: status reads no plan, so its time does not grow with plan size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../bot/src/log.js';
import { startEmbeddedCosmos } from '../bot/src/store/embedded/embedded-server.js';
import { openStore } from '../bot/src/store/index.js';
import { buildPlan } from '../bot/src/sync/build-plan.js';
import type { Item } from '../bot/src/sync/model.js';
import { integrationFor } from '../bot/test/sync/support/fixtures.js';
import { writerOf, type BenchOptions } from './options.js';

export const smoke: BenchOptions = { smoke: true };

export interface StatusResult {
  readonly integrations: number;
  /** Integrations whose last run came back as a summary with its plan's counts (each must). */
  readonly summariesWithCounts: number;
  /** Integrations whose whole last run came back with its plan (each must). */
  readonly wholeRunsRead: number;
}

const TENANT = 'bench-tenant';

export async function run(options: BenchOptions = {}): Promise<StatusResult> {
  const out = writerOf(options);
  const smokeRun = options.smoke === true;
  const INTEGRATIONS = smokeRun ? 3 : 50;
  const TASKS = smokeRun ? 5 : 400;
  const RUNS_EACH = smokeRun ? 2 : 3;
  const REPEATS = smokeRun ? 1 : 7;
  const logger = createLogger({ level: 'silent' });
  const dir = await mkdtemp(join(tmpdir(), 'planbridge-bench-status-'));
  const db = await startEmbeddedCosmos({ dataDir: join(dir, 'server'), host: '127.0.0.1', logger });
  // Through the endpoint, as an instance of a shared deployment connects: no query cache.
  const store = await openStore({ cosmos: { endpoint: db.endpoint, key: db.key, database: 'bench' }, dataDir: join(dir, 'client'), logger });
  try {
    const planItems: Item[] = Array.from({ length: TASKS }, (_, i) => ({ key: `task-${i}`, system: 'plan', type: 'Task', parentKey: null, fields: { Name: `Task ${i} of the release plan` }, version: 1 }));
    const plan = buildPlan({ integration: integrationFor('Agile'), planItems, adoItems: [], links: [] });
    const ids = Array.from({ length: INTEGRATIONS }, (_, i) => `integration-${i}`);
    for (const id of ids) {
      for (let r = 0; r < RUNS_EACH; r++) await store.runs.start(TENANT, { integrationId: id, trigger: { kind: 'chat', key: `${id}:${r}` }, status: 'awaiting-approval', plan });
    }
    const timed = async (read: () => Promise<unknown>): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const started = performance.now();
        await read();
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    };
    let summariesWithCounts = 0;
    let wholeRunsRead = 0;
    const summaries = await timed(async () => {
      const lasts = await Promise.all(ids.map((id) => store.runs.summaries(TENANT, id, { pageSize: 1 })));
      summariesWithCounts = lasts.filter((p) => p.items.length === 1 && p.items[0]!.counts?.createAdo === TASKS).length;
    });
    const whole = await timed(async () => {
      const lasts = await Promise.all(ids.map((id) => store.runs.list(TENANT, id, { pageSize: 1 })));
      wholeRunsRead = lasts.filter((p) => p.items.length === 1 && p.items[0]!.plan !== undefined).length;
    });
    const planChars = JSON.stringify(plan).length;
    out(`${INTEGRATIONS} integrations, ${RUNS_EACH} runs each, each run's plan ${TASKS} tasks (${(planChars / 1024).toFixed(0)} KiB of JSON); Cosmos through its endpoint (no query cache); median of ${REPEATS}`);
    out(`status (run summaries, what PlanBridge reads): ${summaries.toFixed(1)} ms`);
    out(`the same with whole runs (plans included):     ${whole.toFixed(1)} ms (${(whole / summaries).toFixed(1)}x)`);
    return { integrations: INTEGRATIONS, summariesWithCounts, wholeRunsRead };
  } finally {
    await store.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
