import { randomUUID } from 'node:crypto';

/**
 * A Microsoft Graph failure, in Graph's shape:
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`
 * (../shared/notes/graph-outlook-events.md "Errors"). Codes and messages the notes give are used
 * as they are; the others are marked [guess].
 */
export class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }

  body(requestId: string = randomUUID(), clientRequestId: string = requestId): GraphErrorBody {
    // innerError.date is UTC without a zone suffix, as Graph sends it.
    const date = new Date().toISOString().slice(0, 19);
    return { error: { code: this.code, message: this.message, innerError: { date, 'request-id': requestId, 'client-request-id': clientRequestId } } };
  }
}

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

const ACCESS_DENIED = 'Access is denied. Check credentials and try again.';

export const graphErrors = {
  // 401 [notes table].
  noToken: () => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'),
  badToken: (reason: string) => new GraphError(401, 'InvalidAuthenticationToken', `Access token validation failure. ${reason}`),
  // 403 [notes table]: a permission missing from the token.
  accessDenied: () => new GraphError(403, 'ErrorAccessDenied', ACCESS_DENIED),
  /** An application access policy excludes the mailbox [notes "Permissions"]. */
  accessPolicy: () => new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.'),
  /** Directory reads without User.Read.All / User.ReadBasic.All (Entra's directory error). */
  directoryDenied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  /** `/me` with an app-only token. */
  meNeedsUser: () => new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.'),
  // 400/404 on ids [notes table].
  idMalformed: () => new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.'),
  itemNotFound: () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  /** A user the directory does not know, in a mailbox path. */
  invalidUser: (who: string) => new GraphError(404, 'ErrorInvalidUser', `The requested user '${who}' is invalid.`),
  /** A user with no Exchange Online mailbox (on-premises, unlicensed, guest); 404 as seen in the field. */
  mailboxNotEnabled: () => new GraphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'),
  userNotFound: (who: string) => new GraphError(404, 'Request_ResourceNotFound', `Resource '${who}' does not exist or one of its queried reference-property objects are not present.`),
  // 429 [notes "Throttling"]; the request-window message is a [guess] built on the same pattern.
  throttled: (limit: 'MailboxConcurrency' | 'MailboxRequests', retryAfterSeconds: number) =>
    new GraphError(429, 'ApplicationThrottled', `Application is over its ${limit} limit.`, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  /** Graph's documented 503 code. */
  unavailable: () => new GraphError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Try again later.', { 'retry-after': '1' }),
  /** Only the organizer may cancel (event-cancel.md); the code is a [guess]. */
  notOrganizer: () => new GraphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You need to be an organizer to cancel a meeting."),
  /** isAllDay with non-midnight or mixed-zone boundaries [notes "Time rules"]; code and wording [guess]. */
  allDayBoundaries: () => new GraphError(400, 'ErrorInvalidRequest', "Your request can't be completed. An all-day event must start and end at midnight, in the same time zone."),
  timeZone: (tz: string) => new GraphError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${tz}'.`),
  /** [guess] code for event values Exchange refuses (bad dateTime, end before start, too many attendees). */
  invalidRequest: (message: string) => new GraphError(400, 'ErrorInvalidRequest', message),
  /** transactionId "can't be changed later" [notes]; code [guess]. */
  readOnlyProperty: (name: string) => new GraphError(400, 'ErrorInvalidPropertyUpdate', `The property '${name}' can't be updated.`),
  /** If-Match with a stale change key. */
  changeKeyMismatch: () => new GraphError(412, 'ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.'),
  /** Payload problems the OData reader refuses. */
  bodyRead: (message: string) => new GraphError(400, 'RequestBodyRead', message),
  unknownBodyProperty: (name: string, type: string) =>
    new GraphError(400, 'RequestBodyRead', `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`),
  unknownSelect: (name: string, type: string) => new GraphError(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type '${type}'.`),
  badFilter: (detail: string) => new GraphError(400, 'BadRequest', `Invalid filter clause: ${detail}`),
  /** A well-formed $filter on something Exchange cannot filter on. */
  filterNotSupported: () => new GraphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.'),
  directoryFilter: (detail: string) => new GraphError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: ${detail}`),
  badQuery: (message: string) => new GraphError(400, 'ErrorInvalidUrlQuery', message),
  calendarViewWindow: () => new GraphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.'),
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  methodNotAllowed: (method: string) => new GraphError(405, 'BadRequest', `The HTTP method '${method}' is not supported on this resource.`),
  badBatch: (message: string) => new GraphError(400, 'BadRequest', message),
  failedDependency: () => new GraphError(424, 'FailedDependency', 'The request depends on a request that failed.'),
  /** Something Graph serves that the simulator does not: loud, so a test relying on it fails. */
  notServed: (what: string) => new GraphError(501, 'NotImplemented', `The simulator does not serve ${what}. Extend sim/graph to serve it.`),
};
