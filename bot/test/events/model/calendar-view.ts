/**
 * The Graph simulator's truth, as the oracle reads it: PlanBridge's events in the organizer's
 * mailbox (every one ever made and not deleted by a person: live, or cancelled into Deleted
 * Items), the meeting mail sent for them, and whom a plan resource is as an attendee (the rule the
 * link card states: the directory user with that e-mail, else the only user with that name).
 */
import type { GraphSimulator, Invitation } from '../../../../sim/graph/server.js';
import type { SimProject, SimTask } from '../../../../sim/pwa/model.js';
import type { PwaSimulator } from '../../../../sim/pwa/server.js';
import { ORGANIZER } from './plan-seed.js';

export interface OurEvent {
  readonly id: string;
  /** The link id PlanBridge put on it. */
  readonly marker: string;
  readonly live: boolean;
  readonly subject: string;
  /** Attendee addresses, lowercased and sorted. */
  readonly attendees: readonly string[];
  readonly body: string;
  /** `YYYY-MM-DDTHH:mm`, wall clock in the zone it was written in (the site's). */
  readonly start: string;
  readonly end: string;
  readonly isAllDay: boolean;
  readonly createdMs: number;
  /** When it was cancelled (it left the calendar for Deleted Items); null while live. */
  readonly endedMs: number | null;
}

const MARKER = / Name PlanBridgeLinkId$/;
const pad = (n: number): string => String(n).padStart(2, '0');
const wallClock = (t: { year: number; month: number; day: number; hour: number; minute: number }): string =>
  `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}`;

export function ourEvents(graph: GraphSimulator): OurEvent[] {
  const organizer = graph.directory.find(ORGANIZER)!;
  const out: OurEvent[] = [];
  for (const e of graph.calendars.all()) {
    if (e.mailboxId !== organizer.id || !e.isOrganizer) continue;
    const marker = e.extendedProperties.find((p) => MARKER.test(p.id))?.value;
    if (!marker) continue;
    out.push({
      id: e.id, marker: marker.toLowerCase(), live: e.folder === 'calendar', subject: e.subject, body: e.body.content, createdMs: e.createdMs, endedMs: e.folder === 'calendar' ? null : e.modifiedMs,
      attendees: e.attendees.map((a) => a.address.toLowerCase()).sort(), start: wallClock(e.start.local), end: wallClock(e.end.local), isAllDay: e.isAllDay,
    });
  }
  return out;
}

export function invitationsOf(graph: GraphSimulator, eventIds: ReadonlySet<string>): Invitation[] {
  return graph.invitations.filter((m) => eventIds.has(m.eventId));
}

/** The attendee address a plan resource becomes, or null (no match, two matches, no mailbox address). */
export function addressOf(graph: GraphSimulator, person: { name: string; email: string | null }): string | null {
  const users = graph.directory.users;
  const email = person.email?.toLowerCase();
  const byMail = email ? users.filter((u) => u.mail?.toLowerCase() === email || u.userPrincipalName.toLowerCase() === email) : [];
  const byName = users.filter((u) => u.displayName.toLowerCase() === person.name.trim().toLowerCase());
  const user = byMail.length === 1 ? byMail[0] : byName.length === 1 ? byName[0] : undefined;
  return user?.mail?.toLowerCase() ?? null;
}

export function projectOf(pwa: PwaSimulator, projectId: string): SimProject {
  return pwa.state.projects.find((p) => p.Id === projectId)!;
}

/**
 * When a task's event should be, by the link card's rule: a task covering whole working days
 * (08:00-17:00, Project's standard day) is an all-day event from its first day to the midnight
 * after its last; part of a day keeps its times.
 */
export function expectedTimes(task: Pick<SimTask, 'Start' | 'Finish'>): { start: string; end: string; isAllDay: boolean } {
  const [startDay, startTime] = [task.Start.slice(0, 10), task.Start.slice(11, 16)];
  const [finishDay, finishTime] = [task.Finish.slice(0, 10), task.Finish.slice(11, 16)];
  if (startDay !== finishDay || (startTime <= '08:00' && finishTime >= '17:00')) {
    const after = new Date(`${finishDay}T00:00:00Z`);
    after.setUTCDate(after.getUTCDate() + 1);
    return { start: `${startDay}T00:00`, end: `${after.toISOString().slice(0, 10)}T00:00`, isAllDay: true };
  }
  return { start: `${startDay}T${startTime}`, end: `${finishDay}T${finishTime}`, isAllDay: false };
}

/** Who a task's event should invite: its assigned people, as directory addresses, never the organizer. */
export function expectedAttendees(graph: GraphSimulator, pwa: PwaSimulator, task: SimTask): string[] {
  const out = new Set<string>();
  for (const a of task.assignments) {
    const r = pwa.state.resources.find((x) => x.Id === a.ResourceId);
    const address = r ? addressOf(graph, { name: r.Name, email: r.Email }) : null;
    if (address && address !== ORGANIZER) out.add(address);
  }
  return [...out].sort();
}
