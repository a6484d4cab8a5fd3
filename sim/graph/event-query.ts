import { graphErrors } from './errors.js';
import type { StoredEvent } from './event-model.js';
import { filterItem } from './extended-properties.js';
import { checkFilter, evaluate, FilterSyntaxError, FilterUnsupportedError, parseFilter, type FilterRules } from './filter.js';
import { formatLocal, formatUtc, parseWindowBound, toInstant, toLocal } from './time-zones.js';

/**
 * `$filter`, `$orderby` and the calendarView window over a mailbox's events. Filters may use the
 * properties below, `categories/any(c: c eq '...')` and the extended-property lambda of the notes
 * ("Strings allow eq, ne, contains, startswith"); anything else is refused with
 * ErrorInvalidUrlQueryFilter before it runs, so a query that Exchange would refuse never passes.
 */
const EXTENDED = { paths: new Set(['id', 'value']), operators: new Set(['eq', 'ne', 'and', 'or']), functions: new Set(['contains', 'startswith']) };
export const EVENT_FILTER_RULES: FilterRules = {
  paths: new Set(['subject', 'isAllDay', 'isCancelled', 'isOrganizer', 'showAs', 'importance', 'sensitivity', 'type', 'iCalUId',
    'start/dateTime', 'end/dateTime', 'createdDateTime', 'lastModifiedDateTime', 'organizer/emailAddress/address', 'organizer/emailAddress/name']),
  operators: new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'and', 'or', 'not']),
  functions: new Set(['startswith', 'contains']),
  lambdas: { singleValueExtendedProperties: EXTENDED, categories: { paths: new Set(['']), operators: new Set(['eq']), functions: new Set() } },
};

export const startMs = (e: StoredEvent): number => toInstant(e.start.local, e.start.iana);
export const endMs = (e: StoredEvent): number => toInstant(e.end.local, e.end.iana);
const utcText = (ms: number): string => formatLocal(toLocal(ms, 'UTC'));

function resolve(e: StoredEvent, path: string[]): unknown {
  switch (path.join('/')) {
    case 'start/dateTime': return utcText(startMs(e));
    case 'end/dateTime': return utcText(endMs(e));
    case 'createdDateTime': return formatUtc(e.createdMs);
    case 'lastModifiedDateTime': return formatUtc(e.modifiedMs);
    case 'organizer/emailAddress/address': return e.organizer.address;
    case 'organizer/emailAddress/name': return e.organizer.name;
    case 'type': return 'singleInstance';
    case 'categories': return e.categories;
    case 'singleValueExtendedProperties': return e.extendedProperties.map(filterItem);
    default: return (e as unknown as Record<string, unknown>)[path[0]!];
  }
}

export function eventFilter(raw: string | null): (e: StoredEvent) => boolean {
  if (raw === null) return () => true;
  try {
    const node = parseFilter(raw);
    checkFilter(node, EVENT_FILTER_RULES);
    return (e) => evaluate(node, (p) => resolve(e, p)) === true;
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw graphErrors.badFilter(err.message);
    if (err instanceof FilterUnsupportedError) throw graphErrors.filterNotSupported();
    throw err;
  }
}

const ORDER_KEYS: Record<string, (e: StoredEvent) => number | string> = {
  'start/datetime': startMs, 'end/datetime': endMs, subject: (e) => e.subject.toLowerCase(),
  createddatetime: (e) => e.createdMs, lastmodifieddatetime: (e) => e.modifiedMs,
};

export function eventOrder(raw: string | null): ((a: StoredEvent, b: StoredEvent) => number) | null {
  if (raw === null) return null;
  const clauses = raw.split(',').map((c) => {
    const [name = '', dir = 'asc', ...rest] = c.trim().split(/\s+/);
    const key = ORDER_KEYS[name.toLowerCase()];
    if (!key || rest.length > 0 || !['asc', 'desc'].includes(dir.toLowerCase())) throw graphErrors.badQuery(`$orderby '${c.trim()}' is not supported.`);
    return { key, sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of clauses) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return 0;
  };
}

/** calendarView: events overlapping [startDateTime, endDateTime), both required. */
export function calendarWindow(query: URLSearchParams): (e: StoredEvent) => boolean {
  const param = (name: string): string | null => {
    for (const [k, v] of query) if (k.toLowerCase() === name) return v;
    return null;
  };
  const rawFrom = param('startdatetime');
  const rawTo = param('enddatetime');
  if (rawFrom === null || rawTo === null) throw graphErrors.calendarViewWindow();
  const from = parseWindowBound(rawFrom);
  const to = parseWindowBound(rawTo);
  if (from === undefined || to === undefined) throw graphErrors.badQuery(`startDateTime '${rawFrom}' or endDateTime '${rawTo}' is not a date and time.`);
  return (e) => {
    const [s, end] = [startMs(e), endMs(e)];
    return s === end ? s >= from && s < to : s < to && end > from;
  };
}
