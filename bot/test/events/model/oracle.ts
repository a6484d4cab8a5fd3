/**
 * The invariants of issue 18 for Outlook events, checked from the outside (the Graph simulator,
 * the PWA simulator, the requests that reached Graph) against what the model did (History).
 *
 * Invitations, as Graph sends them (sim/graph/meetings.ts, notes "Attendees, invitations"): a
 * create invites each attendee once; an update invites only attendees it adds, cancels those it
 * removes and updates those kept; a cancel cancels all. So for an event E of task T and attendee A:
 * - requests(E, A) <= 1 + (times the model assigned A to T after the plan was seeded);
 * - cancellations(E, A) <= (E cancelled by an approver's choice) + (E deleted in Outlook by a
 *   person) + (times the model took A off T).
 * And a task's events: each one it ever had ended (cancelled by choice, or deleted in Outlook by a
 * person) before the next was made, so a task never has two at once.
 */
import type { GraphSimulator } from '../../../../sim/graph/server.js';
import type { PwaSimulator } from '../../../../sim/pwa/server.js';
import type { EventOp, EventPlan } from '../../../src/events/index.js';
import { expectedAttendees, expectedTimes, invitationsOf, ourEvents, projectOf, type OurEvent } from './calendar-view.js';
import { isWrite, type ProxiedRequest } from './graph-proxy.js';
import type { History } from './history.js';

export interface OracleContext {
  readonly graph: GraphSimulator;
  readonly pwa: PwaSimulator;
  readonly projectId: string;
  readonly fieldId: string;
  readonly history: History;
  /** Every task the model has seen, deleted ones included: marker -> task id and last name. */
  readonly known: ReadonlyMap<string, { readonly taskId: string; readonly name: string }>;
  /** The marker PlanBridge puts on a task's event. */
  markerOf(taskId: string): string;
}

const groupBy = <T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
};

/** What must never happen, checked after every apply: twins, unchosen cancels, extra invitations. */
export function checkNever(o: OracleContext): string[] {
  const out: string[] = [];
  const events = ourEvents(o.graph);
  const name = (marker: string): string => `"${o.known.get(marker)?.name ?? '?'}" (${marker.slice(-8)})`;
  for (const e of events) if (!e.live && !o.history.cancelChosen.has(e.id)) out.push(`the event of task ${name(e.marker)} (${e.id.slice(-10)}) was cancelled though no approver chose to cancel it`);
  // Every event the task ever had, in the order they were made: each must have ended before the next began.
  const lives = [...events, ...[...o.history.deletedInOutlook].map(([id, d]) => ({ id, ...d }))];
  for (const [marker, list] of groupBy(lives, (e) => e.marker)) {
    const ordered = [...list].sort((a, b) => a.createdMs - b.createdMs);
    for (let i = 0; i + 1 < ordered.length; i++) {
      const [was, next] = [ordered[i]!, ordered[i + 1]!];
      if (was.endedMs === null || was.endedMs > next.createdMs) {
        out.push(`task ${name(marker)} had two events at once: ${was.id.slice(-10)} ${was.endedMs === null ? 'is still there' : 'was still there'} when ${next.id.slice(-10)} was made`);
      }
    }
  }
  out.push(...checkInvitations(o, events));
  return out;
}

function checkInvitations(o: OracleContext, events: readonly OurEvent[]): string[] {
  const out: string[] = [];
  const markerOfEvent = new Map(events.map((e) => [e.id, e.marker]));
  for (const [id, { marker }] of o.history.deletedInOutlook) markerOfEvent.set(id, marker);
  const cancelledByChoice = new Set(events.filter((e) => !e.live && o.history.cancelChosen.has(e.id)).map((e) => e.id));
  for (const [key, mail] of groupBy(invitationsOf(o.graph, new Set(markerOfEvent.keys())), (m) => `${m.eventId}|${m.to}`)) {
    const [eventId, to] = key.split('|') as [string, string];
    const marker = markerOfEvent.get(eventId)!;
    const task = o.known.get(marker)?.taskId ?? '';
    const name = o.known.get(marker)?.name ?? '?';
    const requests = mail.filter((m) => m.kind === 'request').length;
    const cancels = mail.filter((m) => m.kind === 'cancel').length;
    const maxRequests = 1 + o.history.timesAssigned(task, to);
    if (requests > maxRequests) out.push(`${to} got ${requests} invitations to the event of "${name}" (${eventId.slice(-10)}); at most ${maxRequests} are legitimate (one on creation, one per time they were assigned again)`);
    const maxCancels = (cancelledByChoice.has(eventId) ? 1 : 0) + (o.history.deletedInOutlook.has(eventId) ? 1 : 0) + o.history.timesUnassigned(task, to);
    if (cancels > maxCancels) out.push(`${to} got ${cancels} cancellations of the event of "${name}" (${eventId.slice(-10)}); at most ${maxCancels} are legitimate`);
  }
  return out;
}

/**
 * After a round settled: every flagged task has exactly one live event, holding the task's name,
 * start day and people; every other live event is one whose cancel is still proposed (declined).
 */
export function checkSettled(o: OracleContext, proposedCancels: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const events = ourEvents(o.graph).filter((e) => e.live);
  const byMarker = groupBy(events, (e) => e.marker);
  const wanted = new Set<string>();
  for (const task of projectOf(o.pwa, o.projectId).tasks) {
    if (task.custom[o.fieldId] !== true) continue;
    const marker = o.markerOf(task.Id);
    wanted.add(marker);
    const mine = byMarker.get(marker) ?? [];
    if (mine.length !== 1) { out.push(`flagged task "${task.Name}" has ${mine.length} events after settling`); continue; }
    const e = mine[0]!;
    if (e.subject !== task.Name) out.push(`the event of "${task.Name}" is called "${e.subject}"`);
    if (e.body.trim() !== task.Notes.trim()) out.push(`the event of "${task.Name}" says "${e.body}", the task's notes "${task.Notes}"`);
    const when = expectedTimes(task);
    if (e.start !== when.start || e.end !== when.end || e.isAllDay !== when.isAllDay) {
      out.push(`the event of "${task.Name}" is ${e.start} to ${e.end}${e.isAllDay ? ' all day' : ''}; the task (${task.Start} to ${task.Finish}) wants ${when.start} to ${when.end}${when.isAllDay ? ' all day' : ''}`);
    }
    const people = expectedAttendees(o.graph, o.pwa, task);
    if (people.join(';') !== e.attendees.join(';')) out.push(`the event of "${task.Name}" invites [${e.attendees.join(', ')}], the task has [${people.join(', ')}]`);
  }
  for (const e of events) {
    if (!wanted.has(e.marker) && !proposedCancels.has(e.id)) out.push(`event "${e.subject}" (${e.id.slice(-10)}) is live, but its task is not flagged and no cancel of it is proposed`);
  }
  return out;
}

/** Every write that reached Graph during an apply was in the approved plan (cancels: only those chosen). */
export function checkWrites(requests: readonly ProxiedRequest[], plan: EventPlan, chosen: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const ops = plan.ops;
  const creates = new Set(ops.filter((op): op is Extract<EventOp, { kind: 'create' }> => op.kind === 'create').map((op) => op.linkId));
  const updates = new Set(ops.flatMap((op) => (op.kind === 'update' ? [op.eventId] : [])));
  const cancels = new Set(ops.flatMap((op) => (op.kind === 'cancel' && chosen.has(op.id) ? [op.eventId] : [])));
  for (const r of requests.filter(isWrite)) {
    const parts = r.path.split('/').filter(Boolean);
    const last = parts.at(-1)?.toLowerCase();
    if (r.method === 'POST' && last === 'events') {
      const marker = (JSON.parse(r.body) as { singleValueExtendedProperties?: Array<{ value: string }> }).singleValueExtendedProperties?.[0]?.value ?? '';
      if (!creates.has(marker)) out.push(`an event was created for marker ${marker.slice(-8)} that no approved create asked for`);
    } else if (r.method === 'PATCH') {
      if (!updates.has(parts.at(-1)!)) out.push(`event ${parts.at(-1)!.slice(-10)} was updated without an approved update`);
    } else if (r.method === 'POST' && last === 'cancel') {
      if (!cancels.has(parts.at(-2)!)) out.push(`event ${parts.at(-2)!.slice(-10)} was cancelled without the approver choosing it`);
    } else {
      out.push(`an unexpected write reached Graph: ${r.method} ${r.path}`);
    }
  }
  return out;
}
