import { graphErrors } from './errors.js';
import type { EventTime, StoredEvent } from './event-model.js';
import { filterItem } from './extended-properties.js';
import { checkFilter, evaluate, FilterSyntaxError, FilterUnsupportedError, parseFilter, type FilterNode, type FilterRules } from './filter.js';
import { formatLocal, formatUtc, toInstant, toLocal } from './time-zones.js';

/**
 * An event as Graph answers with it (user-post-events.md, resources/event.md; notes "Endpoints"):
 * every property, times in UTC unless `Prefer: outlook.timezone` names a zone, `transactionId`
 * only if the create set it, extended properties only through `$expand`.
 */
export interface EventReadOptions {
  /** The zone of `Prefer: outlook.timezone`, or null for UTC. */
  zone: { name: string; iana: string } | null;
  select: string[] | null;
  /** `$expand=singleValueExtendedProperties($filter=...)`. */
  expandExtended: FilterNode | null;
}

export const EVENT_PROPERTIES = [
  'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'categories', 'transactionId', 'originalStartTimeZone', 'originalEndTimeZone',
  'iCalUId', 'reminderMinutesBeforeStart', 'isReminderOn', 'hasAttachments', 'subject', 'bodyPreview', 'importance', 'sensitivity',
  'isAllDay', 'isCancelled', 'isOrganizer', 'responseRequested', 'seriesMasterId', 'showAs', 'type', 'webLink', 'onlineMeetingUrl',
  'isOnlineMeeting', 'onlineMeetingProvider', 'allowNewTimeProposals', 'isDraft', 'hideAttendees', 'responseStatus', 'body', 'start',
  'end', 'location', 'locations', 'recurrence', 'attendees', 'organizer', 'onlineMeeting',
];

const HTML_PREFIX = '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n';
const HTML_SUFFIX = '\r\n</body>\r\n</html>\r\n';

/** Exchange stores HTML bodies as whole documents: what comes back is not what was sent. */
function bodyContent(e: StoredEvent): string {
  if (e.body.contentType === 'text' || e.body.content === '') return e.body.content;
  return /^\s*<html/i.test(e.body.content) ? e.body.content : `${HTML_PREFIX}${e.body.content}${HTML_SUFFIX}`;
}

function preview(e: StoredEvent): string {
  const text = e.body.contentType === 'html' ? e.body.content.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ') : e.body.content;
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** All-day events float: midnight in whatever zone is asked for. Timed events convert. */
function timeIn(t: EventTime, allDay: boolean, zone: EventReadOptions['zone']): { dateTime: string; timeZone: string } {
  const name = zone?.name ?? 'UTC';
  if (allDay) return { dateTime: formatLocal(t.local), timeZone: name };
  return { dateTime: formatLocal(toLocal(toInstant(t.local, t.iana), zone?.iana ?? 'UTC')), timeZone: name };
}

export function webLink(id: string): string {
  return `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
}

export function renderEvent(e: StoredEvent, options: EventReadOptions): Record<string, unknown> {
  const all: Record<string, unknown> = {
    createdDateTime: formatUtc(e.createdMs),
    lastModifiedDateTime: formatUtc(e.modifiedMs),
    changeKey: e.changeKey,
    categories: [...e.categories],
    transactionId: e.transactionId,
    originalStartTimeZone: e.start.zone,
    originalEndTimeZone: e.end.zone,
    iCalUId: e.iCalUId,
    reminderMinutesBeforeStart: e.reminderMinutesBeforeStart,
    isReminderOn: e.isReminderOn,
    hasAttachments: false,
    subject: e.subject,
    bodyPreview: preview(e),
    importance: e.importance,
    sensitivity: e.sensitivity,
    isAllDay: e.isAllDay,
    isCancelled: e.isCancelled,
    isOrganizer: e.isOrganizer,
    responseRequested: e.responseRequested,
    seriesMasterId: null,
    showAs: e.showAs,
    type: 'singleInstance',
    webLink: webLink(e.id),
    onlineMeetingUrl: null,
    isOnlineMeeting: e.isOnlineMeeting,
    onlineMeetingProvider: e.onlineMeetingProvider,
    allowNewTimeProposals: e.allowNewTimeProposals,
    isDraft: false,
    hideAttendees: e.hideAttendees,
    responseStatus: { ...e.responseStatus },
    body: { contentType: e.body.contentType, content: bodyContent(e) },
    start: timeIn(e.start, e.isAllDay, options.zone),
    end: timeIn(e.end, e.isAllDay, options.zone),
    location: { displayName: '', locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {}, ...e.location },
    locations: e.location.displayName ? [{ ...e.location }] : [],
    recurrence: null,
    attendees: e.attendees.map((a) => ({ type: a.type, status: { response: a.response, time: a.responseTime }, emailAddress: { name: a.name, address: a.address } })),
    organizer: { emailAddress: { name: e.organizer.name, address: e.organizer.address } },
    onlineMeeting: null,
  };
  const out: Record<string, unknown> = { '@odata.etag': `W/"${e.changeKey}"`, id: e.id };
  for (const name of options.select ?? EVENT_PROPERTIES) {
    // transactionId appears only if the create set it [notes], unless asked for by $select.
    if (name === 'transactionId' && e.transactionId === null && !options.select) continue;
    out[name] = all[name];
  }
  if (options.expandExtended) {
    const matching = e.extendedProperties.filter((p) => evaluate(options.expandExtended!, (path) => (path[0] === 'id' ? filterItem(p).id : path[0] === 'value' ? p.value : undefined)) === true);
    // An event with none of the asked-for properties comes back without the collection [guess].
    if (matching.length > 0) out.singleValueExtendedProperties = matching.map((p) => ({ id: p.id, value: p.value }));
  }
  return out;
}

/** `$select=subject,start`: names checked against the event type. */
export function parseSelect(raw: string | null): string[] | null {
  if (raw === null) return null;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return names.filter((n) => n !== 'id').map((n) => {
    const known = EVENT_PROPERTIES.find((p) => p.toLowerCase() === n.toLowerCase());
    if (!known) throw graphErrors.unknownSelect(n, 'microsoft.graph.event');
    return known;
  });
}

const EXPAND_RULES: FilterRules = { paths: new Set(['id']), operators: new Set(['eq', 'or']), functions: new Set(), lambdas: {} };

/** `$expand=singleValueExtendedProperties($filter=id eq '...')`; the filter is required [guess]. */
export function parseExpand(raw: string | null): FilterNode | null {
  if (raw === null) return null;
  const m = /^singleValueExtendedProperties\(\$filter=(.+)\)$/i.exec(raw.trim());
  if (!m) {
    if (/^(single|multi)ValueExtendedProperties$/i.test(raw.trim())) throw graphErrors.badQuery(`$expand=${raw.trim()} needs a $filter on id, e.g. ${raw.trim()}($filter=id eq '...').`);
    throw graphErrors.notServed(`$expand=${raw}`);
  }
  try {
    const node = parseFilter(m[1]!);
    checkFilter(node, EXPAND_RULES);
    return node;
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw graphErrors.badFilter(err.message);
    if (err instanceof FilterUnsupportedError) throw graphErrors.filterNotSupported();
    throw err;
  }
}

