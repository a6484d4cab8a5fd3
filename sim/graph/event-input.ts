import { graphErrors } from './errors.js';
import { MAX_ATTENDEES, type AttendeeType, type EventChanges, type EventTime, type StoredEvent } from './event-model.js';
import { parseExtendedProperties } from './extended-properties.js';
import { isMidnight, parseLocal, requireZone, toInstant } from './time-zones.js';

/**
 * Reads a create or PATCH body the way Graph's OData reader and Exchange do: unknown properties
 * and wrong types are refused; read-only properties are ignored [guess: as Graph ignores them];
 * enums are case-insensitive (the notes' example sends "HTML").
 */
const TYPE = 'microsoft.graph.event';
const READ_ONLY = new Set([
  'id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'iCalUId', 'uid', 'webLink', 'organizer', 'isOrganizer',
  'isCancelled', 'type', 'bodyPreview', 'responseStatus', 'originalStartTimeZone', 'originalEndTimeZone', 'hasAttachments',
  'seriesMasterId', 'onlineMeeting', 'onlineMeetingUrl', 'isDraft', 'originalStart', 'occurrenceId',
]);
const ENUMS: Record<string, string[]> = {
  showAs: ['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown'],
  importance: ['low', 'normal', 'high'],
  sensitivity: ['normal', 'personal', 'private', 'confidential'],
  onlineMeetingProvider: ['unknown', 'skypeForBusiness', 'skypeForConsumer', 'teamsForBusiness'],
  contentType: ['text', 'html'],
  attendeeType: ['required', 'optional', 'resource'],
};
const BOOLEANS = ['isAllDay', 'responseRequested', 'isReminderOn', 'hideAttendees', 'allowNewTimeProposals', 'isOnlineMeeting'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function enumValue(kind: string, value: unknown): string {
  const found = typeof value === 'string' ? ENUMS[kind]!.find((v) => v.toLowerCase() === value.toLowerCase()) : undefined;
  if (!found) throw graphErrors.bodyRead(`Cannot convert the literal '${String(value)}' to the expected type 'microsoft.graph.${kind === 'contentType' ? 'bodyType' : kind === 'showAs' ? 'freeBusyStatus' : kind}'.`);
  return found;
}

function stringValue(name: string, value: unknown): string {
  if (typeof value !== 'string') throw graphErrors.bodyRead(`Cannot convert a value of type '${typeof value}' to the expected type 'Edm.String' for '${name}'.`);
  return value;
}

function time(name: 'start' | 'end', value: unknown): EventTime {
  if (!value || typeof value !== 'object') throw graphErrors.bodyRead(`The property '${name}' must be a dateTimeTimeZone object.`);
  const { dateTime, timeZone, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest).find((k) => !k.startsWith('@'));
  if (extra) throw graphErrors.unknownBodyProperty(extra, 'microsoft.graph.dateTimeTimeZone');
  const iana = requireZone(timeZone);
  return { local: parseLocal(dateTime, name), zone: String(timeZone), iana };
}

function attendees(value: unknown): NonNullable<EventChanges['attendees']> {
  if (!Array.isArray(value)) throw graphErrors.bodyRead("The property 'attendees' must be a collection.");
  if (value.length > MAX_ATTENDEES) throw graphErrors.invalidRequest(`An event can have at most ${MAX_ATTENDEES} attendees.`);
  return value.map((a: unknown) => {
    const { emailAddress, type = 'required', status: _status, ...rest } = (a ?? {}) as Record<string, unknown>;
    const extra = Object.keys(rest).find((k) => !k.startsWith('@'));
    if (extra) throw graphErrors.unknownBodyProperty(extra, 'microsoft.graph.attendee');
    const email = (emailAddress ?? {}) as Record<string, unknown>;
    const address = typeof email.address === 'string' ? email.address.trim() : '';
    if (!EMAIL.test(address)) throw graphErrors.invalidRequest(`The attendee address '${address}' is not a valid SMTP address.`);
    const name = typeof email.name === 'string' && email.name ? email.name : address;
    return { address, name, type: enumValue('attendeeType', type) as AttendeeType };
  });
}

export function readEventBody(raw: unknown, mode: 'create' | 'update'): EventChanges {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw graphErrors.bodyRead('The request body must be a JSON object.');
  const body = raw as Record<string, unknown>;
  const out: EventChanges = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@')) {
      if (key === '@odata.type' && value !== `#${TYPE}`) throw graphErrors.bodyRead(`A resource of type '${String(value)}' was found where '${TYPE}' was expected.`);
      continue;
    }
    if (READ_ONLY.has(key)) continue;
    switch (key) {
      case 'subject': out.subject = value === null ? '' : stringValue(key, value); break;
      case 'body': {
        const { contentType = 'text', content = '', ...rest } = (value ?? {}) as Record<string, unknown>;
        const extra = Object.keys(rest).find((k) => !k.startsWith('@'));
        if (extra) throw graphErrors.unknownBodyProperty(extra, 'microsoft.graph.itemBody');
        out.body = { contentType: enumValue('contentType', contentType) as 'text' | 'html', content: content === null ? '' : stringValue('body.content', content) };
        break;
      }
      case 'start': out.start = time('start', value); break;
      case 'end': out.end = time('end', value); break;
      case 'showAs': case 'importance': case 'sensitivity': case 'onlineMeetingProvider': out[key] = enumValue(key, value); break;
      case 'categories':
        if (!Array.isArray(value)) throw graphErrors.bodyRead("The property 'categories' must be a collection.");
        out.categories = value.map((c) => stringValue('categories', c));
        break;
      case 'location':
        if (value !== null && typeof value !== 'object') throw graphErrors.bodyRead("The property 'location' must be a location object.");
        out.location = { displayName: '', locationType: 'default', uniqueIdType: 'unknown', ...(value as Record<string, unknown> | null ?? {}) };
        break;
      case 'locations':
        if (Array.isArray(value) && value.length > 0) throw graphErrors.notServed('events with several locations');
        break;
      case 'recurrence':
        if (value !== null) throw graphErrors.notServed('recurring events');
        break;
      case 'attendees': out.attendees = attendees(value); break;
      case 'reminderMinutesBeforeStart':
        if (!Number.isInteger(value)) throw graphErrors.bodyRead("Cannot convert the value to the expected type 'Edm.Int32' for 'reminderMinutesBeforeStart'.");
        out.reminderMinutesBeforeStart = value as number;
        break;
      case 'transactionId':
        // Set once, on create; "can't be changed later" [notes].
        if (mode === 'update') throw graphErrors.readOnlyProperty('transactionId');
        out.transactionId = value === null ? null : stringValue(key, value);
        break;
      case 'singleValueExtendedProperties': out.extendedProperties = parseExtendedProperties(value); break;
      case 'multiValueExtendedProperties': case 'extensions': case 'attachments':
        throw graphErrors.notServed(`${key} on events`);
      default:
        if ((BOOLEANS as readonly string[]).includes(key)) {
          if (typeof value !== 'boolean') throw graphErrors.bodyRead(`Cannot convert the value to the expected type 'Edm.Boolean' for '${key}'.`);
          out[key as (typeof BOOLEANS)[number]] = value;
          break;
        }
        throw graphErrors.unknownBodyProperty(key, TYPE);
    }
  }
  return out;
}

/**
 * Checks an event as it would be after the write: start and end present, end not before start,
 * and for all-day events midnight boundaries in one zone, at least a day apart [notes "Time rules"].
 */
export function checkSchedule(e: Pick<StoredEvent, 'start' | 'end' | 'isAllDay'> | Partial<Pick<StoredEvent, 'start' | 'end' | 'isAllDay'>>): void {
  if (!e.start || !e.end) throw graphErrors.invalidRequest('An event needs both start and end [simulator: Graph defaults are not modelled].');
  if (e.isAllDay) {
    const sameZone = e.start.iana === e.end.iana;
    if (!sameZone || !isMidnight(e.start.local) || !isMidnight(e.end.local)) throw graphErrors.allDayBoundaries();
    if (toInstant(e.end.local, 'UTC') - toInstant(e.start.local, 'UTC') < 86_400_000) throw graphErrors.allDayBoundaries();
    return;
  }
  if (toInstant(e.end.local, e.end.iana) < toInstant(e.start.local, e.start.iana)) throw graphErrors.invalidRequest('The end of the event is before its start.');
}
