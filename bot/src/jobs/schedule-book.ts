import type { Logger } from '../log.js';
import type { IntegrationRepository, ScheduleRecord } from '../store/integrations.js';
import { afterRun, pause, resume, scheduleState, validateSchedule, type ApprovalPolicy, type Schedule, type ScheduleState } from '../schedule/index.js';
import { LeaseLostError } from '../store/leases.js';
import { NO_STREAK, type StreakState } from './failure-streak.js';
import type { IntegrationKey } from './runner.js';

/**
 * Where the scheduler keeps each integration's schedule, next due time and failure streak.
 * The Cosmos implementation stores it on the integration document (`scheduling`), which the
 * scheduler's cross-tenant scan queries by `scheduling.nextRunAt`.
 */
export interface ScheduleEntry extends IntegrationKey {
  readonly state: ScheduleState;
  readonly streak: StreakState;
  /** Epoch of the integration lease under which a run last began (see `begin`). */
  readonly fence?: number;
}

export interface FinishedRun {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly outcome: 'succeeded' | 'failed';
}

export interface ScheduleBook {
  /** Entries due at `now` or earlier, oldest first, at most `limit`. */
  due(now: Date, limit: number): Promise<ScheduleEntry[]>;
  get(key: IntegrationKey): Promise<ScheduleEntry | undefined>;
  /**
   * Reads the entry for a run that holds the integration's lease at `epoch`, and stamps that epoch
   * on it (in the same conditional write), so the holder it took over from can no longer
   * `complete`. LeaseLostError when a run at a later epoch has already begun.
   */
  begin(key: IntegrationKey, epoch: number): Promise<ScheduleEntry | undefined>;
  /** Sets (or replaces) the schedule; the first run is the first slot at or after both `startAt` and `now`. */
  set(key: IntegrationKey, schedule: Schedule, startAt: Date, now: Date): Promise<ScheduleEntry>;
  setPaused(key: IntegrationKey, paused: boolean, now: Date): Promise<ScheduleEntry | undefined>;
  /** What scheduled runs do with their preview; undefined when the integration has no schedule yet. */
  setApproval(key: IntegrationKey, approval: ApprovalPolicy): Promise<ScheduleEntry | undefined>;
  /**
   * Records the run of `slot` and the streak after it. If the entry still waits for `slot` it moves
   * on to the next slot; if someone changed the schedule meanwhile, their due time is kept.
   * With `epoch`, atomically refused (LeaseLostError) once a run at a later epoch has begun.
   */
  complete(key: IntegrationKey, slot: string, run: FinishedRun, streak: StreakState, epoch?: number): Promise<ScheduleEntry | undefined>;
}

/**
 * The fencing rule of `begin` and `complete`, shared by every implementation: a write carrying
 * an epoch older than the stamped one is refused; an accepted one raises the stamp to its epoch.
 */
export function fenced(entry: ScheduleEntry, epoch: number | undefined): ScheduleEntry {
  if (epoch === undefined) return entry;
  if ((entry.fence ?? 0) > epoch) throw new LeaseLostError(`integration:${entry.integrationId}`);
  return { ...entry, fence: epoch };
}

/** The pure part of `complete`, shared by every implementation. */
export function recordRun(entry: ScheduleEntry, slot: string, run: FinishedRun, streak: StreakState): ScheduleEntry {
  const moved = afterRun(entry.state, { slot, ...run });
  if (entry.state.nextRunAt === slot) return { ...entry, state: moved, streak };
  // The schedule was changed or paused while the run ran: keep the due time that change chose.
  const { nextRunAt: _next, ...rest } = moved;
  return { ...entry, state: { ...rest, ...(entry.state.nextRunAt ? { nextRunAt: entry.state.nextRunAt } : {}) }, streak };
}

/** Changing a schedule keeps the stamp, or a stale run could record a slot after the change. */
const fenceOf = (entry: ScheduleEntry | undefined): { fence?: number } => (entry?.fence !== undefined ? { fence: entry.fence } : {});

function toRecord(entry: ScheduleEntry): ScheduleRecord {
  return { ...entry.state, streak: entry.streak, ...(entry.fence !== undefined ? { fence: entry.fence } : {}) };
}

/** Reads a stored record; undefined (and a warning) for one that no longer validates, so one bad document cannot stop the scan. */
function fromRecord(key: IntegrationKey, record: ScheduleRecord | undefined, logger?: Logger): ScheduleEntry | undefined {
  if (!record) return undefined;
  const checked = validateSchedule(record.schedule);
  if (!checked.ok || typeof record.startAt !== 'string') {
    logger?.warn({ ...key, problem: checked.ok ? 'startAt missing' : checked.problem }, 'skipping an unreadable schedule');
    return undefined;
  }
  const { streak, fence, ...state } = record as ScheduleRecord & { streak?: StreakState; fence?: number };
  return { ...key, state: { ...(state as unknown as ScheduleState), schedule: checked.schedule }, streak: streak ?? NO_STREAK, ...(typeof fence === 'number' ? { fence } : {}) };
}

export function createCosmosScheduleBook(integrations: IntegrationRepository, logger?: Logger): ScheduleBook {
  const write = async (key: IntegrationKey, change: (current: ScheduleEntry | undefined) => ScheduleEntry | undefined): Promise<ScheduleEntry | undefined> => {
    let result: ScheduleEntry | undefined;
    await integrations.update(key.tenantId, key.integrationId, (doc) => {
      result = change(fromRecord(key, doc.scheduling, logger));
      return result ? { scheduling: toRecord(result) } : {};
    });
    return result;
  };
  return {
    async due(now, limit) {
      const docs = await integrations.listDue(now, limit);
      return docs.map((d) => fromRecord({ tenantId: d.tenantId, integrationId: d.id }, d.scheduling, logger)).filter((e): e is ScheduleEntry => e !== undefined);
    },
    async get(key) {
      const doc = await integrations.get(key.tenantId, key.integrationId);
      return doc ? fromRecord(key, doc.scheduling, logger) : undefined;
    },
    // One conditional read-modify-write of the integration document: no one can slip in between the check and the stamp.
    begin: (key, epoch) => write(key, (current) => current && fenced(current, epoch)),
    async set(key, schedule, startAt, now) {
      return (await write(key, (current) => ({ ...key, state: scheduleState(schedule, startAt, now, current?.state), streak: current?.streak ?? NO_STREAK, ...fenceOf(current) })))!;
    },
    setPaused: (key, paused, now) => write(key, (current) => current && { ...current, state: paused ? pause(current.state) : resume(current.state, now) }),
    setApproval: (key, approval) => write(key, (current) => current && { ...current, state: { ...current.state, approval } }),
    complete: (key, slot, run, streak, epoch) => write(key, (current) => current && recordRun(fenced(current, epoch), slot, run, streak)),
  };
}

/** For tests and single-process tools. */
export function createMemoryScheduleBook(): ScheduleBook & { entries: Map<string, ScheduleEntry> } {
  const entries = new Map<string, ScheduleEntry>();
  const id = (k: IntegrationKey): string => `${k.tenantId}\u0000${k.integrationId}`;
  const write = (key: IntegrationKey, next: ScheduleEntry | undefined): ScheduleEntry | undefined => {
    if (next) entries.set(id(key), next);
    return next;
  };
  return {
    entries,
    async due(now, limit) {
      return [...entries.values()]
        .filter((e) => e.state.nextRunAt !== undefined && Date.parse(e.state.nextRunAt) <= now.getTime())
        .sort((a, b) => Date.parse(a.state.nextRunAt!) - Date.parse(b.state.nextRunAt!))
        .slice(0, limit);
    },
    get: async (key) => entries.get(id(key)),
    begin: async (key, epoch) => {
      const current = entries.get(id(key));
      return write(key, current && fenced(current, epoch));
    },
    set: async (key, schedule, startAt, now) => write(key, { ...key, state: scheduleState(schedule, startAt, now, entries.get(id(key))?.state), streak: entries.get(id(key))?.streak ?? NO_STREAK, ...fenceOf(entries.get(id(key))) })!,
    setPaused: async (key, paused, now) => {
      const current = entries.get(id(key));
      return write(key, current && { ...current, state: paused ? pause(current.state) : resume(current.state, now) });
    },
    setApproval: async (key, approval) => {
      const current = entries.get(id(key));
      return write(key, current && { ...current, state: { ...current.state, approval } });
    },
    complete: async (key, slot, run, streak, epoch) => {
      const current = entries.get(id(key));
      return write(key, current && recordRun(fenced(current, epoch), slot, run, streak));
    },
  };
}
