import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, type TestContext } from 'vitest';

/**
 * Every benchmark at tiny sizes (`run(smoke)`, where a module exports `smoke`): it runs, and it
 * measured something real (the reads got their rows, the runs happened). Never how fast: figures
 * from a busy CI machine at these sizes mean nothing. Modules that export no `smoke` yet are
 * skipped and named, so adding one is visible.
 */
interface BenchModule {
  run?: (options?: unknown) => Promise<unknown>;
  smoke?: Record<string, unknown>;
}

type Result = Record<string, number | readonly number[]>;

/** What "measured something real" means per benchmark; others need some positive figure. */
const CHECKS: Record<string, (r: Result) => void> = {
  'ado-read': (r) => {
    expect(r.itemsRead).toBe(r.items);
    expect(r.requests).toBeGreaterThanOrEqual(r.minimumRequests as number);
  },
  'pwa-read': (r) => {
    expect(r.tasksRead).toBe(r.tasks);
    expect(r.taskPages).toBeGreaterThanOrEqual(r.minimumPages as number);
  },
  store: (r) => {
    expect(r.pointReads).toBeGreaterThan(0);
    expect(r.pointReadsFound).toBe(r.pointReads);
    expect(r.linkReadsFound).toBeGreaterThan(0);
  },
  sync: (r) => {
    expect(r.linked).toBeGreaterThan(0);
    expect(r.updatesPlanned).toBeGreaterThan(0);
    expect(r.creationsPlanned).toBeGreaterThan(0);
    expect(r.creationsDone).toBe(r.creationsPlanned);
  },
  jobs: (r) => {
    expect(r.nextRunCalls).toBeGreaterThan(0);
    expect(r.runs).toEqual([r.due, r.due]);
  },
  'scheduler-scale': (r) => {
    expect(r.recorded).toBe(r.integrations);
    expect(r.duplicates).toBe(0);
    expect(r.started).toBeGreaterThanOrEqual(r.integrations as number);
    expect(r.scans).toBeGreaterThan(0);
    expect(r.scanRequests).toBeGreaterThan(0);
    expect(Number.isFinite(r.lagP95Ms)).toBe(true);
  },
  planner: (r) => {
    expect(r.tasksRead).toBe(r.readTasks);
    expect(r.readRequests).toBeGreaterThanOrEqual(r.readMinimumRequests as number);
    expect(r.created).toBe(r.creates);
    expect(r.operationSets).toBe(r.minimumOperationSets);
  },
  status: (r) => {
    expect(r.summariesWithCounts).toBe(r.integrations);
    expect(r.wholeRunsRead).toBe(r.integrations);
  },
  outlook: (r) => {
    expect(r.eventsCreated).toBe(r.tasks);
    expect(r.invitations).toBe(r.attendees);
    expect(r.duplicateInvitations).toBe(0);
  },
};

const dir = fileURLToPath(new URL('..', import.meta.url));
const names = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'main.ts' && f !== 'options.ts').map((f) => f.slice(0, -3)).sort();

describe('benchmarks at tiny sizes (smoke)', () => {
  it.for(names)('%s runs and measures something real', { timeout: 60_000 }, async (name: string, { skip }: TestContext) => {
    const file = new URL(`../${name}.ts`, import.meta.url).href;
    const mod = (await import(/* @vite-ignore */ file)) as BenchModule;
    if (typeof mod.run !== 'function') return skip('a helper, not a benchmark');
    if (!mod.smoke) return skip(`${name} exports no \`smoke\` options yet`); // e.g. turns.ts, smoke-tested on its own
    const lines: string[] = [];
    const result = (await mod.run({ ...mod.smoke, write: (line: string) => lines.push(line) })) as Result;
    expect(lines.length).toBeGreaterThan(0);
    expect(result).toBeTypeOf('object');
    expect(result).not.toBeNull();
    const check = CHECKS[name] ?? ((r: Result) => expect(Object.values(r).some((v) => typeof v === 'number' && v > 0)).toBe(true));
    check(result);
  });
});
