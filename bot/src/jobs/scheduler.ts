import type { Logger } from '../log.js';
import { changesSince, type Schedule } from '../schedule/index.js';
import { LeaseLostError } from '../store/leases.js';
import { inPool } from '../sync/pool.js';
import { classifyFailure, type ClassifiedFailure } from './failure-causes.js';
import { afterRunOutcome } from './failure-streak.js';
import type { RunReporter, ScheduledRunInfo } from './reporter.js';
import type { JobContext, JobRunner, JobTrigger, IntegrationKey } from './runner.js';
import type { ScheduleBook, ScheduleEntry } from './schedule-book.js';

/**
 * The scheduler loop: every `intervalMs` each bot instance scans for due schedules and asks the
 * runner to run them; a full scan that ran something is followed by another at once, so a backlog
 * drains at the store's pace. All instances scan; the integration lease decides who runs, and
 * under the lease the entry is re-read so a slot another instance already finished is skipped.
 * After the work, still under the lease, the next due time and the failure streak are stored,
 * then the reporter is told. An instance that dies mid-run leaves its lease; once it expires another
 * instance's scan finds the slot still due and resumes it (`resumed: true`).
 *
 * Fencing, for a holder that is slow rather than dead: the entry is stamped with the lease epoch
 * when the run begins, and the slot is recorded only by an epoch-conditional `complete`, so at
 * most one run records a slot, with no window. Reports follow a `ctx.fence()`: a holder that was
 * taken over never reports, but one that loses its lease between recording and reporting (a pause
 * of more than the fence margin in those few milliseconds) leaves that run unreported, never
 * reported twice.
 */
export interface ScheduledRun extends IntegrationKey {
  readonly slot: string;
  readonly schedule: Schedule;
  /** Consider changes after this instant: the start date on the first run, then the last successful run's start. */
  readonly changesSince: string;
  readonly resumed: boolean;
  /** `{ kind: 'schedule', key: 'schedule:<slot>' }`: use its key for the run id so a resume finds the journal. */
  readonly trigger: JobTrigger;
}

/** The sync itself (preview, then apply or send for approval). Throw on failure; the error is classified for the failure card. */
export type ScheduledWork<S> = (run: ScheduledRun, ctx: JobContext) => Promise<S>;

export interface SchedulerOptions<S> {
  readonly book: ScheduleBook;
  readonly runner: JobRunner;
  readonly work: ScheduledWork<S>;
  readonly reporter: RunReporter<S>;
  /** How often to scan; default 30 s. */
  readonly intervalMs?: number;
  /** Most entries taken per scan; default 100. */
  readonly batchSize?: number;
  /** Runs at once on this instance; default 4. */
  readonly concurrency?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export type EntryOutcome = 'succeeded' | 'failed' | 'already-done' | 'busy' | 'abandoned' | 'error';

export interface TickReport {
  readonly due: number;
  readonly outcomes: Readonly<Record<EntryOutcome, number>>;
}

export interface Scheduler {
  /** One scan and the runs it starts; resolves when they have ended. */
  tick(): Promise<TickReport>;
  /** Starts scanning every intervalMs (the first scan at once). */
  start(): void;
  /** Stops scanning and waits for the current scan's runs to end. */
  stop(): Promise<void>;
  /**
   * Runs a scheduled integration now (a Retry button), under the same lease, streak and reporter
   * as its scheduled runs; its due time is kept. 'already-done' when it has no schedule.
   */
  runNow(key: IntegrationKey, trigger: JobTrigger): Promise<EntryOutcome>;
}

export const scheduleTriggerKey = (slot: string): string => `schedule:${slot}`;

export function createScheduler<S>(options: SchedulerOptions<S>): Scheduler {
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? 30_000;
  const batchSize = options.batchSize ?? 100;
  const log = options.logger;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  /**
   * Runs one slot under the integration's lease. `stillDue` re-checks the freshly read entry under
   * the lease; `slot` is what the run is recorded as (a due time, or the moment of a manual retry).
   */
  const runSlot = async (key: IntegrationKey, trigger: JobTrigger, slot: string, stillDue: (fresh: ScheduleEntry) => boolean): Promise<EntryOutcome> => {
    const result = await options.runner.run(key, trigger, async (ctx): Promise<EntryOutcome> => {
      // Under the lease: is this slot still waiting? Another instance may have finished it.
      // Stamping our epoch locks out the holder we may have taken over from.
      await ctx.fence();
      const fresh = await options.book.begin(key, ctx.epoch);
      if (!fresh || !stillDue(fresh)) return 'already-done';
      const startedAt = now();
      const run: ScheduledRun = { ...key, slot, schedule: fresh.state.schedule, changesSince: changesSince(fresh.state), resumed: ctx.resumed, trigger };
      let summary: S | undefined;
      let failure: ClassifiedFailure | undefined;
      try {
        summary = await options.work(run, ctx);
      } catch (err) {
        if (ctx.signal.aborted) throw err; // lease lost: the next holder records this slot
        failure = classifyFailure(err);
        log?.warn({ ...key, slot, cause: failure.cause, code: failure.code }, 'scheduled run failed');
      }
      const finishedAt = now();
      const streak = afterRunOutcome(fresh.streak, failure ? { ok: false, cause: failure.cause } : { ok: true }, finishedAt);
      await ctx.fence();
      await options.book.complete(key, slot, { startedAt, finishedAt, outcome: failure ? 'failed' : 'succeeded' }, streak.state, ctx.epoch);
      const info: ScheduledRunInfo = { ...key, slot, schedule: fresh.state.schedule, resumed: ctx.resumed, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString() };
      await ctx.fence();
      await report(info, summary as S, failure, streak.notice);
      return failure ? 'failed' : 'succeeded';
    });
    switch (result.status) {
      case 'completed': return result.value;
      case 'busy': return 'busy';
      case 'abandoned': return 'abandoned';
      case 'failed':
        // Our stamp was overtaken (a pause between fence and write): the successor records the slot.
        if (result.error instanceof LeaseLostError) return 'abandoned';
        log?.error({ ...key, slot, err: result.error instanceof Error ? result.error.message : String(result.error) }, 'scheduled run could not be recorded');
        return 'error';
    }
  };

  const runEntry = async (entry: ScheduleEntry): Promise<EntryOutcome> => {
    const slot = entry.state.nextRunAt!;
    const key = { tenantId: entry.tenantId, integrationId: entry.integrationId };
    const stillDue = (fresh: ScheduleEntry): boolean => fresh.state.nextRunAt === slot && !fresh.state.paused;
    // A point read before the lease: in a backlog every instance scans the same oldest entries, and
    // one another instance already ran would cost a lease claim, a stamp and a release to skip.
    // Only a shortcut: the check under the lease (runSlot) still decides.
    const current = await options.book.get(key);
    if (!current || !stillDue(current)) return 'already-done';
    return runSlot(key, { kind: 'schedule', key: scheduleTriggerKey(slot) }, slot, stillDue);
  };

  const report = async (info: ScheduledRunInfo, summary: S, failure: ClassifiedFailure | undefined, notice: ReturnType<typeof afterRunOutcome>['notice']): Promise<void> => {
    try {
      if (failure) {
        if (notice && notice.kind !== 'recovered') await options.reporter.reportFailure(info, failure, notice);
      } else if (notice?.kind === 'recovered') {
        await options.reporter.reportRecovered(info, notice, summary);
      } else {
        await options.reporter.reportSuccess(info, summary);
      }
    } catch (err) {
      log?.error({ tenantId: info.tenantId, integrationId: info.integrationId, slot: info.slot, err: err instanceof Error ? err.message : String(err) }, 'could not report a scheduled run');
    }
  };

  const tick = async (): Promise<TickReport> => {
    const due = shuffle(await options.book.due(now(), batchSize));
    const results = await inPool(due, options.concurrency ?? 4, (entry) => runEntry(entry).catch((err: unknown): EntryOutcome => {
      log?.error({ tenantId: entry.tenantId, integrationId: entry.integrationId, err: err instanceof Error ? err.message : String(err) }, 'scheduled run could not start');
      return 'error';
    }));
    const outcomes: Record<EntryOutcome, number> = { succeeded: 0, failed: 0, 'already-done': 0, busy: 0, abandoned: 0, error: 0 };
    for (const r of results) outcomes[r]++;
    return { due: due.length, outcomes };
  };

  const loop = (): void => {
    if (stopped) return;
    const current = tick().catch((err: unknown): undefined => {
      log?.error({ err: err instanceof Error ? err.message : String(err) }, 'schedule scan failed; trying again next interval');
    });
    running = current;
    void current.then((report) => {
      // A full batch means more may be due: scan again at once rather than idle an interval with a
      // backlog (one instance would run at most batchSize slots per interval). Only after progress,
      // so a batch that was all busy (long runs elsewhere) does not spin.
      const backlog = report !== undefined && report.due >= batchSize && report.outcomes.succeeded + report.outcomes.failed > 0;
      if (!stopped) timer = setTimeout(loop, backlog ? 0 : intervalMs);
    });
  };

  return {
    tick,
    runNow: (key, trigger) => runSlot(key, trigger, now().toISOString(), () => true),
    start() {
      if (timer === undefined && running === undefined) loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export function startScheduler<S>(options: SchedulerOptions<S>): Scheduler {
  const scheduler = createScheduler(options);
  scheduler.start();
  return scheduler;
}

/** Instances take due entries in different orders, so they spread out instead of queueing on the same leases. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
