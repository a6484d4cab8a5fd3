import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../src/connectors/ado/errors.js';
import {
  JobRunner, createMemoryScheduleBook, createScheduler, leaseNameFor, type ClassifiedFailure, type FailureNotice, type RecoveredNotice,
  type RunReporter, type ScheduledRun, type ScheduledRunInfo, type ScheduledWork,
} from '../../src/jobs/index.js';
import type { Schedule } from '../../src/schedule/index.js';
import { openTestStore, tenant, type TestStore } from '../store/support.js';

type Report =
  | { kind: 'success'; integrationId: string; slot: string; summary: unknown }
  | { kind: 'failure'; integrationId: string; cause: string; notice: FailureNotice['kind'] }
  | { kind: 'recovered'; integrationId: string; failures: number; summary: unknown };

/** Captures what people would be told. */
function recordingReporter(): RunReporter<unknown> & { reports: Report[] } {
  const reports: Report[] = [];
  return {
    reports,
    async reportSuccess(run: ScheduledRunInfo, summary: unknown) { reports.push({ kind: 'success', integrationId: run.integrationId, slot: run.slot, summary }); },
    async reportFailure(run: ScheduledRunInfo, failure: ClassifiedFailure, notice: FailureNotice) { reports.push({ kind: 'failure', integrationId: run.integrationId, cause: failure.cause, notice: notice.kind }); },
    async reportRecovered(run: ScheduledRunInfo, notice: RecoveredNotice, summary: unknown) { reports.push({ kind: 'recovered', integrationId: run.integrationId, failures: notice.failures, summary }); },
  };
}

const daily: Schedule = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' };

describe('scheduler', () => {
  let t: TestStore;
  let clock = Date.parse('2025-11-24T07:00:00.000Z');
  const now = (): Date => new Date(clock);
  beforeAll(async () => {
    t = await openTestStore({ now });
  });
  afterAll(async () => {
    await t?.dispose();
  });
  const runner = (owner: string): JobRunner => new JobRunner({ leases: t.store.leases, owner, leaseTtlMs: 60_000, heartbeatMs: 59_000, now });

  it('runs a due schedule once, stores the next due time and reports the run', async () => {
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'apollo' };
    await book.set(key, daily, new Date('2025-11-01T00:00:00Z'), now());
    const runs: ScheduledRun[] = [];
    const reporter = recordingReporter();
    const scheduler = createScheduler({ book, runner: runner('a'), reporter, now, work: async (run) => { runs.push(run); return { applied: 3 }; } });

    expect((await scheduler.tick()).due).toBe(0); // 08:00 Berlin: not yet
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    expect(await scheduler.tick()).toEqual({ due: 1, outcomes: { succeeded: 1, failed: 0, 'already-done': 0, busy: 0, abandoned: 0, error: 0 } });
    expect(runs).toEqual([{ ...key, slot: '2025-11-24T08:00:00.000Z', schedule: daily, changesSince: '2025-11-01T00:00:00.000Z', resumed: false, trigger: { kind: 'schedule', key: 'schedule:2025-11-24T08:00:00.000Z' } }]);
    expect(reporter.reports).toEqual([{ kind: 'success', integrationId: 'apollo', slot: '2025-11-24T08:00:00.000Z', summary: { applied: 3 } }]);
    expect((await book.get(key))?.state).toMatchObject({ nextRunAt: '2025-11-25T08:00:00.000Z', lastRun: { outcome: 'succeeded' } });
    expect((await scheduler.tick()).due).toBe(0);
    expect(runs).toHaveLength(1);
    // The next run considers changes since this one started.
    clock = Date.parse('2025-11-25T08:00:00.000Z');
    await scheduler.tick();
    expect(runs[1]?.changesSince).toBe('2025-11-24T08:00:00.000Z');
  });

  it('two instances scanning the same due schedules run each one exactly once', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const tenantId = tenant();
    for (let i = 0; i < 12; i++) await book.set({ tenantId, integrationId: `int-${i}` }, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    const ran: string[] = [];
    const work: ScheduledWork<void> = async (run) => {
      ran.push(run.integrationId);
      await new Promise((r) => setTimeout(r, 5));
    };
    const reporter = recordingReporter();
    const [x, y] = await Promise.all(['a', 'b'].map((owner) => createScheduler({ book, runner: runner(owner), reporter, now, work, concurrency: 3 }).tick()));
    expect(ran.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `int-${i}`).sort());
    expect(x!.outcomes.succeeded + y!.outcomes.succeeded).toBe(12);
    expect(reporter.reports.filter((r) => r.kind === 'success')).toHaveLength(12);
  });

  it('drains a backlog without waiting an interval between full batches, and does not spin on a batch that made no progress', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const tenantId = tenant();
    for (let i = 0; i < 25; i++) await book.set({ tenantId, integrationId: `backlog-${i}` }, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    const ran: string[] = [];
    const scheduler = createScheduler({ book, runner: runner('drain'), reporter: recordingReporter(), now, batchSize: 10, intervalMs: 3_600_000, work: async (run) => { ran.push(run.integrationId); } });
    scheduler.start();
    try {
      // An hour-long interval: only back-to-back scans can run all 25 (3 batches) this soon.
      for (let waited = 0; ran.length < 25 && waited < 20_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      expect(new Set(ran).size).toBe(25);
      expect(ran).toHaveLength(25);
    } finally {
      await scheduler.stop();
    }
  });

  it('skips a slot another instance already ran with one read, before claiming its lease', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'done-elsewhere' };
    await book.set(key, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    const stale = await book.due(now(), 10);
    // Another instance runs the slot after this one's scan and before its turn.
    await createScheduler({ book, runner: runner('first'), reporter: recordingReporter(), now, work: async () => undefined }).tick();
    const late = runner('late');
    const claims: string[] = [];
    const acquire = late.run.bind(late);
    late.run = ((...args: Parameters<JobRunner['run']>) => { claims.push(`${args[0].tenantId}/${args[0].integrationId}`); return acquire(...args); }) as JobRunner['run'];
    const lateBook = { ...book, due: async () => stale };
    const report = await createScheduler({ book: lateBook, runner: late, reporter: recordingReporter(), now, work: async () => { throw new Error('must not run twice'); } }).tick();
    expect(report.outcomes['already-done']).toBe(1);
    expect(claims).toEqual([]);
  });

  it('failure streaks: one failure card, quiet until a day later, one reminder, then one recovered message', async () => {
    clock = Date.parse('2025-11-24T07:00:00.000Z');
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'flaky' };
    await book.set(key, { kind: 'hourly', minute: 0, timeZone: 'Asia/Kolkata' }, new Date('2025-11-01T00:00:00Z'), now());
    let failing = true;
    const reporter = recordingReporter();
    const scheduler = createScheduler({
      book, runner: runner('a'), reporter, now,
      work: async () => {
        if (failing) throw new AdoConnectorError('throttled', 'Azure DevOps is rate-limiting this account.');
        return { applied: 1 };
      },
    });
    for (let hour = 0; hour < 26; hour++) {
      clock = Date.parse((await book.get(key))!.state.nextRunAt!);
      await scheduler.tick();
    }
    failing = false;
    clock = Date.parse((await book.get(key))!.state.nextRunAt!);
    await scheduler.tick();
    clock = Date.parse((await book.get(key))!.state.nextRunAt!);
    await scheduler.tick();
    expect(reporter.reports).toEqual([
      { kind: 'failure', integrationId: 'flaky', cause: 'ado-throttled', notice: 'failure-started' },
      { kind: 'failure', integrationId: 'flaky', cause: 'ado-throttled', notice: 'failure-reminder' },
      { kind: 'recovered', integrationId: 'flaky', failures: 26, summary: { applied: 1 } },
      { kind: 'success', integrationId: 'flaky', slot: expect.any(String), summary: { applied: 1 } },
    ]);
    expect((await book.get(key))?.streak).toEqual({ failures: 0 });
  });

  it('a slot left by a dead instance is resumed, with the same trigger key', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'orphaned' };
    const entry = await book.set(key, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    await t.store.leases.acquire(key.tenantId, leaseNameFor('orphaned'), 'dead', 60_000, { kind: 'schedule', key: `schedule:${entry.state.nextRunAt}` });
    const runs: ScheduledRun[] = [];
    const scheduler = createScheduler({ book, runner: runner('b'), reporter: recordingReporter(), now, work: async (run) => { runs.push(run); } });
    expect((await scheduler.tick()).outcomes.busy).toBe(1);
    clock += 60_001;
    expect((await scheduler.tick()).outcomes.succeeded).toBe(1);
    expect(runs.map((r) => [r.resumed, r.trigger.key])).toEqual([[true, 'schedule:2025-11-24T08:00:00.000Z']]);
  });

  it('a run that loses its lease records nothing and reports nothing: the taker does', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'lost' };
    await book.set(key, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    const reporter = recordingReporter();
    const scheduler = createScheduler({
      book, runner: runner('a'), reporter, now,
      work: async (_run, ctx) => {
        clock += 60_001;
        await t.store.leases.acquire(key.tenantId, leaseNameFor('lost'), 'thief', 60_000);
        await ctx.heartbeat().catch(() => undefined);
        ctx.signal.throwIfAborted();
      },
    });
    expect((await scheduler.tick()).outcomes.abandoned).toBe(1);
    expect((await book.get(key))?.state.nextRunAt).toBe('2025-11-24T08:00:00.000Z');
    expect(reporter.reports).toEqual([]);
  });

  it('a holder taken over while its work ignores the signal records nothing and reports nothing', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'overtaken' };
    await book.set(key, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    const reporter = recordingReporter();
    const slow = createScheduler({
      book, runner: runner('slow'), reporter, now,
      // Paused past its lease, then a successor takes over and finishes the slot.
      work: async () => {
        clock += 60_001;
        const successor = createScheduler({ book, runner: runner('successor'), reporter, now, work: async () => 'by successor' });
        expect((await successor.tick()).outcomes.succeeded).toBe(1);
        return 'by the slow holder';
      },
    });
    expect((await slow.tick()).outcomes.abandoned).toBe(1);
    expect(reporter.reports).toEqual([{ kind: 'success', integrationId: 'overtaken', slot: '2025-11-24T08:00:00.000Z', summary: 'by successor' }]);
    expect((await book.get(key))?.state.nextRunAt).toBe('2025-11-25T08:00:00.000Z');
  });

  it('paused and on-demand schedules never run', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const a = { tenantId: tenant(), integrationId: 'paused' };
    const b = { tenantId: tenant(), integrationId: 'manual' };
    await book.set(a, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    await book.setPaused(a, true, now());
    await book.set(b, { kind: 'on-demand' }, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    let ran = 0;
    const scheduler = createScheduler({ book, runner: runner('a'), reporter: recordingReporter(), now, work: async () => { ran++; } });
    expect((await scheduler.tick()).due).toBe(0);
    expect(ran).toBe(0);
    await book.setPaused(a, false, now());
    expect((await book.get(a))?.state.nextRunAt).toBe('2025-11-24T08:00:00.000Z');
  });

  it('a reporter that fails does not make the run count as failed', async () => {
    clock = Date.parse('2025-11-24T08:00:00.000Z');
    const book = createMemoryScheduleBook();
    const key = { tenantId: tenant(), integrationId: 'unreported' };
    await book.set(key, daily, new Date('2025-11-01T00:00:00Z'), new Date('2025-11-23T12:00:00Z'));
    const reporter = { ...recordingReporter(), reportSuccess: async () => { throw new Error('Teams is down'); } };
    const scheduler = createScheduler({ book, runner: runner('a'), reporter, now, work: async () => 'ok' });
    expect((await scheduler.tick()).outcomes.succeeded).toBe(1);
    expect((await book.get(key))?.state.nextRunAt).toBe('2025-11-25T08:00:00.000Z');
  });
});
