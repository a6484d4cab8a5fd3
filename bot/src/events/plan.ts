import type { PersonMatch, PersonQuery } from '../connectors/outlook/directory.js';
import { personKey } from '../connectors/outlook/directory.js';
import type { EventAttendee, EventChanges, EventDraft } from '../connectors/outlook/event-wire.js';
import type { PlanTask } from '../connectors/ppm.js';
import { UserFacingError } from '../errors.js';
import { eventTimes, type WorkingDay } from './event-times.js';
import { eventLinkId, textDigest, transactionIdFor } from './ids.js';
import type { EventChange, EventLink, EventOp, EventOpKind, EventPlan, ExistingEvent, UnmatchedPerson } from './model.js';

/**
 * Plans the Outlook events of a project's tasks, purely: tasks flagged "Create event" with a start
 * and a finish get an event (create), events whose task changed in name, dates, attendees or notes
 * get an update, and events whose task lost its flag or was deleted get a proposed cancel. A
 * second plan after a successful apply is empty. Nothing is read or written here.
 */
export const CREATE_EVENT_FIELD = 'Create event';

export interface PlanEventsOptions {
  integrationId: string;
  /** The plan site's IANA zone (PlanConnector.timeZone); events are written in it. */
  timeZone: string;
  /** The task flag, default "Create event". */
  flagField?: string;
  /** Directory matches of the assigned resources, keyed by personKey (OutlookConnector.findPeople). */
  people: ReadonlyMap<string, PersonMatch>;
  /** The project; a master project (with inserted subprojects) is refused. */
  project?: { name: string; isMaster?: boolean };
  /** The calendar owner's address: never listed as an attendee of their own event. */
  organizer?: string;
  workingDay?: WorkingDay;
}

/** Master projects are refused, as the seed article says ("Master Projects are not supported"). */
export class MasterProjectRefused extends UserFacingError {
  constructor(name: string) {
    super('master-project', `${name} is a master project (it has inserted subprojects), and PlanBridge does not make Outlook events from master projects: the subprojects' tasks would be counted twice. Link each subproject to Outlook instead.`);
  }
}

/** Project's flag reads as true; some sites give "Yes". */
export function wantsEvent(task: PlanTask, flagField = CREATE_EVENT_FIELD): boolean {
  const v = task.customFields[flagField];
  return v === true || v === 1 || (typeof v === 'string' && ['yes', 'true', '1'].includes(v.trim().toLowerCase()));
}

/** The resources to look up before planning: those assigned to flagged tasks, each once. */
export function peopleToLookUp(tasks: readonly PlanTask[], flagField = CREATE_EVENT_FIELD): PersonQuery[] {
  const out = new Map<string, PersonQuery>();
  for (const t of tasks) {
    if (!wantsEvent(t, flagField)) continue;
    for (const a of t.assignments) {
      const q = { name: a.resourceName, email: a.resourceEmail };
      out.set(personKey(q), q);
    }
  }
  return [...out.values()];
}

function attendeesOf(task: PlanTask, options: PlanEventsOptions): { attendees: EventAttendee[]; unmatched: UnmatchedPerson[] } {
  const attendees = new Map<string, EventAttendee>();
  const unmatched: UnmatchedPerson[] = [];
  const organizer = options.organizer?.toLowerCase();
  for (const a of task.assignments) {
    const q = { name: a.resourceName, email: a.resourceEmail };
    const match = options.people.get(personKey(q));
    if (match && (match.how === 'email' || match.how === 'name')) {
      const address = match.address.toLowerCase();
      if (address !== organizer && !attendees.has(address)) attendees.set(address, { address: match.address, name: match.user.displayName, type: 'required' });
    } else {
      unmatched.push({ name: a.resourceName, email: a.resourceEmail, reason: match ? match.how as UnmatchedPerson['reason'] : 'not-looked-up' });
    }
  }
  return { attendees: [...attendees.values()].sort((x, y) => x.address.localeCompare(y.address)), unmatched };
}

const addresses = (list: readonly EventAttendee[], organizer?: string): string =>
  [...new Set(list.map((a) => a.address.toLowerCase()))].filter((a) => a !== organizer?.toLowerCase()).sort().join(';');

/** What differs between the event as it is and as the task wants it. */
function differences(event: ExistingEvent, draft: EventDraft, bodyDigest: string, link: EventLink | undefined, organizer?: string): { changed: EventChange[]; changes: EventChanges } {
  const changed: EventChange[] = [];
  const changes: EventChanges = {};
  if (event.subject !== draft.subject) { changed.push('subject'); changes.subject = draft.subject; }
  if (event.start !== draft.start || event.end !== draft.end || event.isAllDay !== draft.isAllDay) {
    changed.push('dates');
    Object.assign(changes, { start: draft.start, end: draft.end, isAllDay: draft.isAllDay, timeZone: draft.timeZone });
  }
  if (addresses(event.attendees, organizer) !== addresses(draft.attendees, organizer)) { changed.push('attendees'); changes.attendees = draft.attendees; }
  // Notes: against what PlanBridge last wrote (Exchange may rewrite a body), else the text as read.
  const bodyChanged = link?.bodyDigest !== undefined ? link.bodyDigest !== bodyDigest : event.bodyType === 'text' && textDigest(event.body) !== bodyDigest;
  if (bodyChanged) { changed.push('body'); changes.body = draft.body; }
  return { changed, changes };
}

export function planEvents(tasks: readonly PlanTask[], links: readonly EventLink[], existingEvents: readonly ExistingEvent[], options: PlanEventsOptions): EventPlan {
  if (options.project?.isMaster) throw new MasterProjectRefused(options.project.name);
  const flagField = options.flagField ?? CREATE_EVENT_FIELD;
  const linkByTask = new Map(links.map((l) => [l.planTaskId, l]));
  const eventByLink = new Map<string, ExistingEvent>();
  for (const e of existingEvents) if (e.linkId && !eventByLink.has(e.linkId.toLowerCase())) eventByLink.set(e.linkId.toLowerCase(), e);
  const ops: EventOp[] = [];
  const seenLinks = new Set<string>();

  for (const task of tasks) {
    const linkId = eventLinkId(options.integrationId, task.id);
    seenLinks.add(linkId);
    const link = linkByTask.get(task.id);
    const event = eventByLink.get(linkId);
    if (!wantsEvent(task, flagField)) {
      if (event) ops.push({ kind: 'cancel', id: `event:cancel:${linkId}`, linkId, taskId: task.id, eventId: event.id, subject: event.subject, reason: 'flag-cleared', generation: link?.generation ?? 1 });
      else if (link && link.state === 'active') ops.push({ kind: 'forget', id: `event:forget:${linkId}`, linkId, taskId: task.id });
      continue;
    }
    const times = eventTimes(task.start, task.finish, options.workingDay);
    if (!times.ok) {
      ops.push({ kind: 'skipped', id: `event:skip:${linkId}`, taskId: task.id, taskName: task.name, reason: `"${task.name}" is flagged "${flagField}" but ${times.reason}, so no event was planned.` });
      continue;
    }
    const { attendees, unmatched } = attendeesOf(task, options);
    const draft: EventDraft = { subject: task.name, body: task.notes ?? '', start: times.start, end: times.end, timeZone: options.timeZone, isAllDay: times.isAllDay, attendees };
    const bodyDigest = textDigest(draft.body);
    if (!event) {
      const again = link ? (link.state === 'cancelled' ? 'cancelled' as const : 'deleted-in-outlook' as const) : undefined;
      const generation = (link?.generation ?? 0) + 1;
      ops.push({
        kind: 'create', id: `event:create:${linkId}:${generation}`, linkId, taskId: task.id, taskName: task.name, generation,
        transactionId: transactionIdFor(linkId, generation), draft, unmatched, bodyDigest, ...(again ? { again } : {}),
      });
      continue;
    }
    const generation = Math.max(link?.generation ?? 1, generationIn(event.transactionId, linkId));
    const { changed, changes } = differences(event, draft, bodyDigest, link?.state === 'active' ? link : undefined, options.organizer);
    if (changed.length > 0) {
      ops.push({
        kind: 'update', id: `event:update:${linkId}:${event.id}:${event.etag ?? ''}`, linkId, taskId: task.id, taskName: task.name, generation,
        eventId: event.id, etag: event.etag, changed, changes, draft, unmatched, bodyDigest, webLink: event.webLink,
      });
    } else if (!link || link.state !== 'active' || link.eventId !== event.id) {
      ops.push({ kind: 'link', id: `event:link:${linkId}:${event.id}`, linkId, taskId: task.id, eventId: event.id, generation, bodyDigest, webLink: event.webLink });
    }
  }

  // Events and links of tasks no longer in the plan.
  for (const [linkId, event] of eventByLink) {
    if (seenLinks.has(linkId)) continue;
    const link = links.find((l) => l.linkId === linkId);
    ops.push({ kind: 'cancel', id: `event:cancel:${linkId}`, linkId, taskId: link?.planTaskId ?? null, eventId: event.id, subject: event.subject, reason: 'task-deleted', generation: link?.generation ?? 1 });
  }
  for (const link of links) {
    if (!seenLinks.has(link.linkId) && !eventByLink.has(link.linkId) && link.state === 'active') ops.push({ kind: 'forget', id: `event:forget:${link.linkId}`, linkId: link.linkId, taskId: link.planTaskId });
  }

  const counts = { create: 0, update: 0, cancel: 0, link: 0, forget: 0, skipped: 0 } as Record<EventOpKind, number>;
  for (const op of ops) counts[op.kind] += 1;
  return { integrationId: options.integrationId, ops, counts, unmatchedPeople: unmatchedPeople(ops) };
}

/** The generation an event was created with, from its transactionId (ids.ts), or 0. */
function generationIn(transactionId: string | null | undefined, linkId: string): number {
  const m = transactionId?.toLowerCase().startsWith(`${linkId}.`) ? /^\d+$/.exec(transactionId.slice(linkId.length + 1)) : null;
  return m ? Number(m[0]) : 0;
}

function unmatchedPeople(ops: readonly EventOp[]): EventPlan['unmatchedPeople'] {
  const byKey = new Map<string, UnmatchedPerson & { taskIds: string[] }>();
  for (const op of ops) {
    if (op.kind !== 'create' && op.kind !== 'update') continue;
    for (const p of op.unmatched) {
      const key = personKey(p);
      const entry = byKey.get(key) ?? { ...p, taskIds: [] };
      if (!entry.taskIds.includes(op.taskId)) entry.taskIds.push(op.taskId);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()];
}

/** Nothing to write: at most tasks skipped for a reason a fresh preview would only repeat. */
export function eventPlanInStep(plan: EventPlan): boolean {
  return plan.ops.every((op) => op.kind === 'skipped');
}

/** What a person must decide: proposed cancels, which mail every attendee and are never applied unless chosen. */
export function eventDecisionsIn(plan: EventPlan): number {
  return plan.counts.cancel;
}
