import { verifyAccess, type OutlookAccess } from './access.js';
import { GraphClient, type GraphClientOptions } from './client.js';
import { findPeople, findPerson, type PersonMatch, type PersonQuery } from './directory.js';
import { OutlookError } from './errors.js';
import { createBody, patchBody, preferZone, READ_QUERY, readEvent, type EventChanges, type EventDraft, type OutlookEvent } from './event-wire.js';
import { EVENTS_PAGE_SIZE, MAX_ATTENDEES } from './limits.js';
import { markerEquals, markerStartsWith } from './marker.js';

/**
 * Outlook calendar events of one mailbox through Microsoft Graph
 * (../shared/notes/graph-outlook-events.md): `me` with a delegated token, or a user id or UPN with
 * PlanBridge's app token (application Calendars.ReadWrite, scoped by an access policy).
 */
export interface OutlookConnectorOptions extends GraphClientOptions {
  /** Whose calendar: 'me' (default, delegated only) or a user id / UPN. */
  mailbox?: string;
  /** Zone reads are answered in (`Prefer: outlook.timezone`); the plan site's zone. Default UTC. */
  timeZone?: string;
}

export class OutlookConnector {
  readonly client: GraphClient;
  readonly mailbox: string;
  readonly timeZone: string;
  private readonly path: string;

  constructor(private readonly options: OutlookConnectorOptions) {
    this.mailbox = options.mailbox?.trim() || 'me';
    if (options.auth === 'app' && this.mailbox === 'me') {
      throw new OutlookError('invalid-request', 'With an app-only token PlanBridge needs the mailbox to write to (a user id or e-mail address); "me" means a signed-in user.', { needsAttention: true });
    }
    this.timeZone = options.timeZone ?? 'UTC';
    this.client = new GraphClient(options);
    this.path = this.mailbox === 'me' ? '/me' : `/users/${encodeURIComponent(this.mailbox)}`;
  }

  close(): void {
    this.client.close();
  }

  /** Whose calendar, whether it is in Exchange Online, whether the token may write it. */
  whoAmI(): Promise<OutlookAccess> {
    return verifyAccess(this.client, this.path, this.mailbox, this.options.getAccessToken);
  }

  /** Alias of whoAmI, named as the other connectors' access checks are. */
  verifyAccess(): Promise<OutlookAccess> {
    return this.whoAmI();
  }

  findPerson(query: PersonQuery): Promise<PersonMatch> {
    return findPerson(this.client, query);
  }

  findPeople(queries: readonly PersonQuery[]): Promise<Map<string, PersonMatch>> {
    return findPeople(this.client, queries);
  }

  /**
   * Creates the event with `transactionId` and the marker. The transactionId makes the create
   * safe to resend after a timeout ("Idempotency"), so the client retries it like a read.
   */
  async createEvent(draft: EventDraft, marker: { linkId: string; transactionId: string }): Promise<OutlookEvent> {
    if (draft.attendees.length > MAX_ATTENDEES) throw new OutlookError('invalid-request', `An Outlook event takes at most ${MAX_ATTENDEES} attendees; this one has ${draft.attendees.length}.`);
    const { body } = await this.client.call({
      method: 'POST', path: `${this.path}/events`, body: createBody(draft, marker), idempotent: true,
      query: READ_QUERY, headers: preferZone(this.timeZone), context: { mailbox: this.mailbox },
    });
    return readEvent(body);
  }

  /** The event carrying the marker `linkId`, or null. Several (never by PlanBridge's own doing): the oldest. */
  async findEventByMarker(linkId: string): Promise<OutlookEvent | null> {
    const found = await this.listWhere(markerEquals(linkId));
    return found[0] ?? null;
  }

  /** PlanBridge's events whose marker starts with `prefix` (one integration's), every page. */
  listMarkedEvents(prefix: string): Promise<OutlookEvent[]> {
    return this.listWhere(markerStartsWith(prefix));
  }

  /** The event, or null when it was deleted or moved. */
  async getEvent(id: string): Promise<OutlookEvent | null> {
    try {
      const { body } = await this.client.call({ method: 'GET', path: `${this.path}/events/${encodeURIComponent(id)}`, query: READ_QUERY, headers: preferZone(this.timeZone), context: { mailbox: this.mailbox } });
      return readEvent(body);
    } catch (err) {
      if (err instanceof OutlookError && err.code === 'event-not-found') return null;
      throw err;
    }
  }

  /**
   * Sends the changed properties; with `etag` only if nobody changed the event since (412 =
   * 'event-changed'). A PATCH is safe to resend, so network errors are retried.
   */
  async updateEvent(id: string, changes: EventChanges, options: { etag?: string | null } = {}): Promise<OutlookEvent> {
    const { body } = await this.client.call({
      method: 'PATCH', path: `${this.path}/events/${encodeURIComponent(id)}`, body: patchBody(changes, this.timeZone), idempotent: true,
      query: READ_QUERY, headers: { ...preferZone(this.timeZone), ...(options.etag ? { 'If-Match': options.etag } : {}) }, context: { mailbox: this.mailbox },
    });
    return readEvent(body);
  }

  /**
   * Cancels a meeting: attendees get a cancellation with `comment` and the event leaves the
   * calendar (event-cancel.md, organizers only). An event already gone counts as cancelled.
   */
  async cancelEvent(id: string, comment: string): Promise<'cancelled' | 'already-gone'> {
    try {
      await this.client.call({ method: 'POST', path: `${this.path}/events/${encodeURIComponent(id)}/cancel`, body: { Comment: comment }, idempotent: true, context: { mailbox: this.mailbox } });
      return 'cancelled';
    } catch (err) {
      if (err instanceof OutlookError && err.code === 'event-not-found') return 'already-gone';
      throw err;
    }
  }

  /** Deletes the event (the organizer's delete also cancels it for attendees). Already gone counts as deleted. */
  async deleteEvent(id: string, options: { etag?: string | null } = {}): Promise<'deleted' | 'already-gone'> {
    try {
      await this.client.call({ method: 'DELETE', path: `${this.path}/events/${encodeURIComponent(id)}`, headers: options.etag ? { 'If-Match': options.etag } : {}, context: { mailbox: this.mailbox } });
      return 'deleted';
    } catch (err) {
      if (err instanceof OutlookError && err.code === 'event-not-found') return 'already-gone';
      throw err;
    }
  }

  private async listWhere(filter: string): Promise<OutlookEvent[]> {
    const rows = await this.client.all({
      path: `${this.path}/events`, query: { $filter: filter, ...READ_QUERY },
      headers: { Prefer: `${preferZone(this.timeZone).Prefer}, odata.maxpagesize=${EVENTS_PAGE_SIZE}` }, context: { mailbox: this.mailbox },
    });
    return rows.map(readEvent);
  }
}
