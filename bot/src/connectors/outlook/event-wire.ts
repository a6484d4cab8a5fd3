import { EXPAND_MARKER, markerOf, markerProperty } from './marker.js';

/**
 * Outlook events as PlanBridge writes and reads them, and their Graph wire shapes
 * ("Endpoints" and "Time rules" in ../shared/notes/graph-outlook-events.md): times are a local
 * `dateTime` without offset plus a zone name; reads ask for the site's zone with
 * `Prefer: outlook.timezone`, so what comes back compares with what the plan holds.
 */
export interface EventAttendee {
  address: string;
  name: string;
  type?: 'required' | 'optional' | 'resource';
}

export interface EventDraft {
  subject: string;
  /** Plain text (the task's notes). */
  body: string;
  /** Wall-clock `YYYY-MM-DDTHH:mm:ss` in `timeZone`; midnight for all-day events. */
  start: string;
  end: string;
  /** IANA or Windows zone name (the plan site's zone). */
  timeZone: string;
  isAllDay: boolean;
  attendees: EventAttendee[];
}

/** What a PATCH changes; start and end travel with `timeZone`. */
export type EventChanges = Partial<EventDraft>;

export interface OutlookEvent {
  id: string;
  /** `W/"<changeKey>"`, for If-Match. */
  etag: string | null;
  subject: string;
  body: string;
  bodyType: 'text' | 'html';
  start: string;
  end: string;
  /** The zone `start` and `end` are in (the one asked for, or UTC). */
  timeZone: string;
  isAllDay: boolean;
  attendees: EventAttendee[];
  /** PlanBridge's marker (the link id), when the event carries one. */
  linkId: string | null;
  transactionId: string | null;
  webLink: string | null;
  isCancelled: boolean;
  isOrganizer: boolean;
  organizer: string | null;
}

/** PlanBridge's category on its events, so people can tell them apart in Outlook. */
export const PLANBRIDGE_CATEGORY = 'PlanBridge';

const time = (dateTime: string, timeZone: string) => ({ dateTime, timeZone });

function attendeesWire(list: EventAttendee[]) {
  return list.map((a) => ({ emailAddress: { address: a.address, name: a.name }, type: a.type ?? 'required' }));
}

/**
 * A create body: the draft, `transactionId` (so a timed-out create retried is not doubled) and the
 * marker property (so a crash and rerun finds the event), as in the notes' example.
 * `responseRequested: false` stops reply requests; invitations still go out ("Attendees").
 */
export function createBody(draft: EventDraft, marker: { linkId: string; transactionId: string }): Record<string, unknown> {
  return {
    subject: draft.subject,
    body: { contentType: 'text', content: draft.body },
    start: time(draft.start, draft.timeZone),
    end: time(draft.end, draft.timeZone),
    isAllDay: draft.isAllDay,
    showAs: 'busy',
    categories: [PLANBRIDGE_CATEGORY],
    attendees: attendeesWire(draft.attendees),
    responseRequested: false,
    transactionId: marker.transactionId,
    singleValueExtendedProperties: [markerProperty(marker.linkId)],
  };
}

/** A PATCH body with the changed properties only ("Endpoints": changed properties only). */
export function patchBody(changes: EventChanges, timeZone?: string): Record<string, unknown> {
  const zone = changes.timeZone ?? timeZone;
  const out: Record<string, unknown> = {};
  if (changes.subject !== undefined) out.subject = changes.subject;
  if (changes.body !== undefined) out.body = { contentType: 'text', content: changes.body };
  if ((changes.start !== undefined || changes.end !== undefined) && !zone) throw new Error('a PATCH of start or end needs the time zone');
  if (changes.start !== undefined) out.start = time(changes.start, zone!);
  if (changes.end !== undefined) out.end = time(changes.end, zone!);
  if (changes.isAllDay !== undefined) out.isAllDay = changes.isAllDay;
  if (changes.attendees !== undefined) out.attendees = attendeesWire(changes.attendees);
  return out;
}

/** Query options that read the marker back with each event. */
export const READ_QUERY = { $expand: EXPAND_MARKER } as const;

/** The `Prefer` header that asks for times in `timeZone`. */
export const preferZone = (timeZone: string): Record<string, string> => ({ Prefer: `outlook.timezone="${timeZone}"` });

/** Graph answers with seven fractional digits (`2026-12-07T08:00:00.0000000`); PlanBridge keeps seconds. */
const wallClock = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 19) : '');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readEvent(raw: any): OutlookEvent {
  return {
    id: String(raw.id),
    etag: typeof raw['@odata.etag'] === 'string' ? raw['@odata.etag'] : raw.changeKey ? `W/"${raw.changeKey}"` : null,
    subject: typeof raw.subject === 'string' ? raw.subject : '',
    body: typeof raw.body?.content === 'string' ? raw.body.content : '',
    bodyType: raw.body?.contentType === 'html' ? 'html' : 'text',
    start: wallClock(raw.start?.dateTime),
    end: wallClock(raw.end?.dateTime),
    timeZone: typeof raw.start?.timeZone === 'string' ? raw.start.timeZone : 'UTC',
    isAllDay: raw.isAllDay === true,
    attendees: Array.isArray(raw.attendees)
      ? raw.attendees.map((a: { emailAddress?: { address?: string; name?: string }; type?: EventAttendee['type'] }) => ({
        address: a.emailAddress?.address ?? '', name: a.emailAddress?.name ?? a.emailAddress?.address ?? '', type: a.type ?? 'required',
      }))
      : [],
    linkId: markerOf(raw),
    transactionId: typeof raw.transactionId === 'string' ? raw.transactionId : null,
    webLink: typeof raw.webLink === 'string' ? raw.webLink : null,
    isCancelled: raw.isCancelled === true,
    isOrganizer: raw.isOrganizer !== false,
    organizer: typeof raw.organizer?.emailAddress?.address === 'string' ? raw.organizer.emailAddress.address : null,
  };
}
