/**
 * The application layer of an Outlook events run (a plan's tasks flagged "Create event" to Outlook
 * events), for every trigger: open the plan connector and the calendar, read the tasks, look the
 * assigned people up in the directory, find PlanBridge's events by marker, plan through the event
 * core; inside the integration's lease, re-plan and compare the approved hash once, apply exactly
 * once (journaled, fenced), store the event links, meter each task transferred, record the run.
 * Chat previews, approvals and scheduled runs (flows/outlook/scheduled-outlook.ts) all plan here.
 */
import { createHash } from 'node:crypto';
import { createStoreJournal } from '../adapters/store-journal.js';
import type { OutlookConnector } from '../connectors/outlook/index.js';
import { OutlookError } from '../connectors/outlook/index.js';
import {
  applyEventPlan, eventJournalFrom, eventLinkId, markerPrefix, peopleToLookUp, planEvents, tasksChangedSince,
  type EventApplyOutcome, type EventCalendar, type EventLink, type EventPlan, type EventResult,
} from '../events/index.js';
import { FlowProblem } from '../flows/card-kit.js';
import { openCalendar } from '../flows/outlook/calendar.js';
import type { FlowServices } from '../flows/services.js';
import type { JobContext } from '../jobs/index.js';
import { syncStartDate } from '../schedule/index.js';
import type { ConnectionDocument, IntegrationDocument, RunDocument, Stored } from '../store/index.js';
import { inPool } from '../sync/pool.js';
import { fenced, markNeedsAttention } from './sync-run.js';

const LINK_WRITES_IN_FLIGHT = 8;

export interface EventPlanned {
  readonly plan: EventPlan;
  /** What approval binds to: the ops exactly as previewed. */
  readonly hash: string;
  /** The plan site's zone, which events are written in. */
  readonly timeZone: string;
  /** Whose calendar. */
  readonly mailbox: string;
  readonly calendar: OutlookConnector;
}

export function eventPlanHash(plan: EventPlan): string {
  return createHash('sha256').update(JSON.stringify(plan.ops)).digest('hex');
}

/**
 * Reads the plan and the calendar and plans; the caller closes `calendar` (or passes it to apply).
 * `changesSince` defaults to the synchronization start date, so a chat preview, a scheduled one and
 * the re-check before applying either plan alike and the approved hash still matches.
 */
export async function planEventSync(s: FlowServices, i: IntegrationDocument, changesSince = syncStartDate(i.scheduling)): Promise<EventPlanned> {
  const [planConnection, outlook] = await Promise.all([s.store.connections.get(i.tenantId, i.planConnectionId), s.store.connections.get(i.tenantId, i.outlookConnectionId ?? '')]);
  if (!planConnection || !outlook) throw new FlowProblem('A connection this integration uses was removed. Connect again, then link the project to Outlook again.');
  try {
    return await readAndPlan(s, i, planConnection, outlook, changesSince);
  } catch (err) {
    // Here, not in each caller: chat previews, approvals and scheduled runs all flag a dead credential.
    await markNeedsAttention(s, i.tenantId, (err instanceof OutlookError ? outlook : planConnection).id, err);
    throw err;
  }
}

async function readAndPlan(s: FlowServices, i: IntegrationDocument, planConnection: ConnectionDocument, outlook: ConnectionDocument, changesSince: string | undefined): Promise<EventPlanned> {
  const planConnector = await s.systems.plan(planConnection);
  const allTasks = await planConnector.readTasks(i.planProjectId);
  const calendar = await openCalendar(s, outlook, planConnector.timeZone);
  try {
    const [existing, stored] = await Promise.all([calendar.listMarkedEvents(markerPrefix(i.id)), s.store.eventLinks.list(i.tenantId, i.id)]);
    const links: EventLink[] = stored.map((l) => ({
      linkId: l.linkId, planTaskId: l.planTaskId, eventId: l.eventId, state: l.state, generation: l.generation, ...(l.bodyDigest !== undefined ? { bodyDigest: l.bodyDigest } : {}),
    }));
    const withEvent = new Set([...links.map((l) => l.linkId), ...existing.flatMap((e) => (e.linkId ? [e.linkId.toLowerCase()] : []))]);
    const changed = changesSince === undefined ? null : tasksChangedSince(allTasks, {
      since: changesSince, timeZone: planConnector.timeZone, hasEvent: (taskId) => withEvent.has(eventLinkId(i.id, taskId)),
    });
    const tasks = changed?.tasks ?? allTasks;
    // Only the people of the tasks planned: a task left out by the start date costs no directory call.
    const people = await calendar.findPeople(peopleToLookUp(tasks));
    // A master project (one holding inserted projects) is refused: its tasks belong to other plans.
    const planned = planEvents(tasks, links, existing, {
      integrationId: i.id, timeZone: planConnector.timeZone, people, project: { name: i.planProjectName ?? i.name, isMaster: allTasks.some((t) => t.isSubProject) },
      ...(outlook.outlook?.address ? { organizer: outlook.outlook.address } : {}),
    });
    const plan = changed && changed.leftOut.tasks > 0 ? { ...planned, leftOut: changed.leftOut } : planned;
    return { plan, hash: eventPlanHash(plan), timeZone: planConnector.timeZone, mailbox: outlook.outlook?.address ?? outlook.name, calendar };
  } catch (err) {
    calendar.close();
    throw err;
  }
}

export interface EventApplyRequest {
  readonly runId: string;
  readonly approvedHash: string;
  /** Cancel ops the approver switched on (by op id); every other cancel stays proposed. */
  readonly cancel: ReadonlySet<string>;
  /** A plan made inside this same lease (a scheduled run): no need to read both sides again; apply closes its calendar. */
  readonly plannedInLease?: EventPlanned;
  readonly onResult?: (result: EventResult) => void;
}

export type EventApplyResult =
  | { readonly kind: 'applied'; readonly run: Stored<RunDocument>; readonly outcome: EventApplyOutcome }
  | { readonly kind: 'stale' };

/** Applies an approved event plan; takes the lease's JobContext, so it cannot run outside the lease. */
export async function applyApprovedEvents(s: FlowServices, i: Stored<IntegrationDocument>, lease: JobContext, request: EventApplyRequest): Promise<EventApplyResult> {
  const fresh = request.plannedInLease ?? await planEventSync(s, i);
  try {
    if (fresh.hash !== request.approvedHash) return { kind: 'stale' };
    lease.signal.throwIfAborted();
    const started = Date.now();
    const journal = eventJournalFrom(fenced(createStoreJournal(s.store.journal, i.tenantId, i.id), lease));
    const outcome = await applyEventPlan(fresh.plan, {
      calendar: fencedCalendar(fresh.calendar, lease), journal,
      // Usage: one endpoint per task and 30-day window, however many attendees (store/usage.ts).
      meter: async ({ linkId }) => void (await s.store.usage.record(i.tenantId, { integrationId: i.id, kind: 'event', itemKey: linkId })),
    }, {
      runId: request.runId, cancel: request.cancel,
      onResult: (r) => {
        void lease.heartbeat().catch(() => undefined);
        request.onResult?.(r);
      },
    });
    // Lost mid-apply (a fence refused a write): the holder that took over re-plans, adopts what was written and saves the links.
    lease.signal.throwIfAborted();
    // Each link is its own document: written side by side, not one round trip after another.
    await inPool(outcome.linkUpdates, LINK_WRITES_IN_FLIGHT, async (u) => {
      if (u.kind === 'save') await s.store.eventLinks.save(i.tenantId, i.id, u.link);
      else await s.store.eventLinks.remove(i.tenantId, i.id, u.planTaskId);
    });
    const run = await recordEventRun(s, i, request.runId, fresh.plan, outcome, Date.now() - started);
    return { kind: 'applied', run, outcome };
  } finally {
    fresh.calendar.close();
  }
}

/**
 * Creates are fenced by their journal intent; updates and cancels have none before they are sent,
 * so each first proves the lease is still held: a holder that was paused past its lease and taken
 * over never writes (or sends a cancellation) after the instance that resumed the run.
 */
function fencedCalendar(calendar: EventCalendar, lease: JobContext): EventCalendar {
  return {
    createEvent: (draft, marker) => calendar.createEvent(draft, marker),
    findEventByMarker: (linkId) => calendar.findEventByMarker(linkId),
    updateEvent: async (id, changes, options) => {
      await lease.fence();
      return calendar.updateEvent(id, changes, options);
    },
    cancelEvent: async (id, comment) => {
      await lease.fence();
      return calendar.cancelEvent(id, comment);
    },
  };
}

async function recordEventRun(s: FlowServices, i: IntegrationDocument, runId: string, plan: EventPlan, outcome: EventApplyOutcome, durationMs: number): Promise<Stored<RunDocument>> {
  const failed = outcome.counts.failed + outcome.counts['skipped-stale'];
  const done = outcome.results.filter((r) => r.status === 'done' && r.kind !== 'forget').length;
  const status = failed === 0 ? 'succeeded' : done > 0 ? 'partially-succeeded' : 'failed';
  const names = new Map(plan.ops.map((op) => [op.id, 'taskName' in op ? op.taskName : op.kind === 'cancel' ? op.subject : op.taskId]));
  const final = await s.store.runs.update(i.tenantId, i.id, runId, (current) => ({
    status,
    outcome: {
      finishedAt: s.now().toISOString(), applied: done, failed,
      errors: outcome.results.filter((r) => r.status === 'failed' || r.status === 'skipped-stale').map((r) => ({ itemKey: r.taskId ?? r.opId, message: r.reason ?? r.status })),
    },
    summary: {
      ...(current.summary ?? {}), durationMs,
      eventResults: outcome.results.map((r) => ({ opId: r.opId, kind: r.kind, status: r.status, name: names.get(r.opId) ?? '', ...(r.webLink ? { webLink: r.webLink } : {}), ...(r.reason ? { reason: r.reason } : {}) })),
    },
  }));
  s.logger.info({ tenant: i.tenantId, integration: i.id, run: runId, done, failed, meterFailures: outcome.meterFailures }, 'event run applied');
  return final;
}
