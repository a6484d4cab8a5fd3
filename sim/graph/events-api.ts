import type { Calendars } from './calendars.js';
import type { GraphUser } from './directory.js';
import { readEventBody } from './event-input.js';
import type { StoredEvent } from './event-model.js';
import { calendarWindow, eventFilter, eventOrder, startMs } from './event-query.js';
import { parseExpand, parseSelect, renderEvent, type EventReadOptions } from './event-view.js';
import { pageOf } from './paging.js';
import { ianaZone } from './time-zones.js';
import { jsonBody, ok, parsePrefer, type GraphRequest, type GraphResponse } from './wire.js';

/**
 * The event operations of a mailbox [notes "Endpoints"]: create (201), read, list, calendarView,
 * update (200 + event), delete (204) and cancel (202). Reads honour `Prefer: outlook.timezone`,
 * `$select`, `$expand` of extended properties, `$filter`, `$orderby`, `$top`/`$skip`.
 */
export interface Mailbox {
  owner: GraphUser;
  /** How the path named the user (id or UPN), for @odata.context. */
  key: string;
}

export type EventAction =
  | { op: 'list'; view: boolean }
  | { op: 'create' }
  | { op: 'get' | 'update' | 'delete' | 'cancel'; id: string };

function readOptions(req: GraphRequest): { options: EventReadOptions; headers: Record<string, string> } {
  const prefs = parsePrefer(req.headers.prefer);
  const tz = prefs.get('outlook.timezone');
  const iana = tz ? ianaZone(tz) : undefined;
  // An unknown zone in Prefer is ignored and the answer stays in UTC [guess].
  const zone = tz && iana ? { name: tz, iana } : null;
  return {
    options: { zone, select: parseSelect(req.query.get('$select')), expandExtended: parseExpand(req.query.get('$expand')) },
    headers: zone ? { 'preference-applied': `outlook.timezone="${zone.name}"` } : {},
  };
}

const entityContext = (base: string, m: Mailbox): string => `${base}/$metadata#users('${encodeURIComponent(m.key)}')/events/$entity`;

export function eventsApi(calendars: Calendars, base: string, m: Mailbox, req: GraphRequest, action: EventAction): GraphResponse {
  const { owner } = m;
  const one = (e: StoredEvent, status: number, extra: Record<string, string> = {}): GraphResponse => {
    const { options, headers } = readOptions(req);
    return ok(status, { '@odata.context': entityContext(base, m), ...renderEvent(e, options) }, { etag: `W/"${e.changeKey}"`, ...headers, ...extra });
  };
  switch (action.op) {
    case 'list': return list(calendars, base, m, req, action.view);
    case 'get': return one(calendars.find(owner, action.id), 200);
    case 'create': {
      const { event } = calendars.create(owner, readEventBody(jsonBody(req), 'create'));
      return one(event, 201, { location: `${base}/users('${owner.id}')/events('${event.id}')` });
    }
    case 'update': return one(calendars.update(owner, action.id, readEventBody(jsonBody(req), 'update'), req.headers['if-match']), 200);
    case 'delete':
      calendars.remove(owner, action.id, req.headers['if-match']);
      return ok(204, null);
    case 'cancel': {
      const body = req.body.trim() ? (jsonBody(req) as Record<string, unknown>) : {};
      const comment = body.Comment ?? body.comment;
      calendars.cancel(owner, action.id, typeof comment === 'string' ? comment : undefined);
      return ok(202, null);
    }
  }
}

function list(calendars: Calendars, base: string, m: Mailbox, req: GraphRequest, view: boolean): GraphResponse {
  const { options, headers } = readOptions(req);
  const inWindow = view ? calendarWindow(req.query) : () => true;
  const matches = eventFilter(req.query.get('$filter'));
  let events = calendars.inCalendar(m.owner.id).filter((e) => inWindow(e) && matches(e));
  // calendarView comes in start order [guess]; /events in creation order unless $orderby says.
  const order = eventOrder(req.query.get('$orderby')) ?? (view ? (a: StoredEvent, b: StoredEvent) => startMs(a) - startMs(b) : null);
  if (order) events = [...events].sort(order);
  const maxPageSize = Number(parsePrefer(req.headers.prefer).get('odata.maxpagesize')) || undefined;
  const page = pageOf(events, req, base, maxPageSize);
  const selected = options.select ? `(${options.select.join(',')})` : '';
  const body: Record<string, unknown> = { '@odata.context': `${base}/$metadata#users('${encodeURIComponent(m.key)}')/${view ? 'calendarView' : 'events'}${selected}` };
  if (page.nextLink) body['@odata.nextLink'] = page.nextLink;
  body.value = page.items.map((e) => renderEvent(e, options));
  const applied = [headers['preference-applied'], page.applied].filter(Boolean).join(', ');
  return ok(200, body, applied ? { 'preference-applied': applied } : {});
}
