import { requireCalendar, type Caller } from './auth.js';
import { requireMailboxAccess, type ApplicationAccessPolicy } from './access-policy.js';
import type { Calendars } from './calendars.js';
import type { Directory, GraphUser } from './directory.js';
import { graphErrors, GraphError } from './errors.js';
import { eventsApi, type EventAction } from './events-api.js';
import type { Throttling } from './throttling.js';
import { getMe, getUser, listUsers } from './users-api.js';
import type { GraphRequest, GraphResponse } from './wire.js';

/**
 * Maps a `/v1.0` path to its operation, and runs the checks Graph and Exchange make before it:
 * the user exists, the token holds the permission, the application access policy allows the
 * mailbox, the mailbox is in Exchange Online, and Outlook's limits have room. Latency is spent
 * while the request holds its concurrency slot, so slow answers count toward the limit.
 */
export interface GraphService {
  directory: Directory;
  calendars: Calendars;
  policies: () => ApplicationAccessPolicy[];
  throttling: Throttling;
  latencyMs: () => number;
  /** `${origin}/v1.0` */
  base: string;
}

/** A fault that drops the connection. */
export class ConnectionReset extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const is = (segment: string | undefined, name: string): boolean => segment?.toLowerCase() === name.toLowerCase();

/** What follows the user in a mailbox path: `events`, `calendar/events/{id}/cancel`, `calendarView`. */
function eventAction(method: string, rest: string[]): EventAction {
  const tail = is(rest[0], 'calendar') && rest.length > 1 ? rest.slice(1) : rest;
  const [collection, id, action, ...more] = tail;
  const allow = (...methods: string[]): void => {
    if (!methods.includes(method)) throw graphErrors.methodNotAllowed(method);
  };
  if (is(collection, 'calendarView')) {
    if (id !== undefined) throw is(id, 'delta') ? graphErrors.notServed('calendarView/delta') : graphErrors.segmentNotFound(id);
    allow('GET');
    return { op: 'list', view: true };
  }
  if (!is(collection, 'events')) {
    if (['calendars', 'calendar', 'calendarGroups', 'messages', 'mailFolders'].some((s) => is(collection, s))) throw graphErrors.notServed(`/${tail.join('/')}`);
    throw graphErrors.segmentNotFound(collection ?? '');
  }
  if (id === undefined) {
    allow('GET', 'POST');
    return method === 'GET' ? { op: 'list', view: false } : { op: 'create' };
  }
  if (is(id, 'delta')) throw graphErrors.notServed('events/delta');
  if (action === undefined) {
    allow('GET', 'PATCH', 'DELETE');
    return { op: method === 'GET' ? 'get' : method === 'PATCH' ? 'update' : 'delete', id };
  }
  if (is(action, 'cancel') && more.length === 0) {
    allow('POST');
    return { op: 'cancel', id };
  }
  throw graphErrors.notServed(`/events/{id}/${[action, ...more].join('/')}`);
}

export async function dispatch(svc: GraphService, req: GraphRequest, caller: Caller): Promise<GraphResponse> {
  const disturbance = svc.throttling.disturb(req.method, req.path);
  if (disturbance.kind === 'reset') throw new ConnectionReset();
  if (disturbance.kind === 'error') throw disturbance.error;
  let segments: string[];
  try {
    segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw graphErrors.idMalformed();
  }
  const [first, second, ...rest] = segments;
  const method = req.method;

  if (is(first, 'users') && second === undefined) {
    if (method !== 'GET') throw graphErrors.methodNotAllowed(method);
    return delayed(svc, () => listUsers(req, caller, svc.directory, svc.base));
  }
  let owner: GraphUser;
  let key: string;
  let mailboxPath: string[];
  if (is(first, 'me')) {
    if (caller.kind !== 'delegated') throw graphErrors.meNeedsUser();
    owner = caller.user;
    key = owner.id;
    mailboxPath = second === undefined ? [] : [second, ...rest];
  } else if (is(first, 'users') && second !== undefined) {
    key = second;
    mailboxPath = rest;
    if (mailboxPath.length === 0) {
      if (method !== 'GET') throw graphErrors.methodNotAllowed(method);
      return delayed(svc, () => getUser(req, caller, svc.directory, svc.base, second));
    }
    const found = svc.directory.find(second);
    if (!found) throw graphErrors.invalidUser(second);
    owner = found;
  } else {
    throw graphErrors.segmentNotFound(first ?? '');
  }
  if (mailboxPath.length === 0) {
    if (method !== 'GET') throw graphErrors.methodNotAllowed(method);
    return delayed(svc, () => getMe(req, caller, svc.base));
  }

  const action = eventAction(method, mailboxPath);
  requireCalendar(caller, action.op !== 'list' && action.op !== 'get');
  requireMailboxAccess(caller, owner, svc.policies(), svc.directory);
  if (!owner.exchangeOnline) throw graphErrors.mailboxNotEnabled();
  const throttled = svc.throttling.admitMailbox(caller.appId, owner.id);
  if (throttled) throw throttled;
  try {
    return await delayed(svc, () => eventsApi(svc.calendars, svc.base, { owner, key }, req, action));
  } finally {
    svc.throttling.release(caller.appId, owner.id);
  }
}

async function delayed(svc: GraphService, run: () => GraphResponse): Promise<GraphResponse> {
  const ms = svc.latencyMs();
  if (ms > 0) await sleep(ms);
  return run();
}

/** A GraphError as a response, with its headers. */
export function errorResponse(err: GraphError, requestId: string, clientRequestId: string): GraphResponse {
  return { status: err.status, headers: err.headers, body: err.body(requestId, clientRequestId) };
}
