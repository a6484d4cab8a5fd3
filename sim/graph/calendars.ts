import { createHash, randomBytes } from 'node:crypto';
import type { Directory, GraphUser } from './directory.js';
import { graphErrors } from './errors.js';
import { checkSchedule } from './event-input.js';
import { NEVER, type EventChanges, type StoredAttendee, type StoredEvent } from './event-model.js';
import { mergeExtendedProperties } from './extended-properties.js';
import { meetingMessages, type MessageKind } from './meetings.js';
import { formatUtc } from './time-zones.js';

/**
 * Every mailbox's calendar, the idempotency record of `transactionId`, and the meeting mail the
 * service would have sent. Invitations are recorded per attendee, so tests can assert that no
 * attendee was invited twice; attendees with an Exchange Online mailbox get their own copy of the
 * meeting (same iCalUId, isOrganizer false), cancelled copies keep `isCancelled: true`.
 */
export interface Invitation {
  kind: MessageKind;
  to: string;
  from: string;
  iCalUId: string;
  /** The organizer's event id. */
  eventId: string;
  subject: string;
  comment?: string;
  at: string;
}

const ID = /^AAMk[A-Za-z0-9_-]{20,}={0,2}$/;
const newChangeKey = (): string => randomBytes(16).toString('base64');
const mailboxTag = (mailboxId: string): Buffer => createHash('sha256').update(mailboxId).digest().subarray(0, 9);

export class Calendars {
  private readonly events = new Map<string, StoredEvent>();
  /** `${mailboxId}|${transactionId}` -> event id. */
  private readonly transactions = new Map<string, string>();
  readonly invitations: Invitation[] = [];

  constructor(private readonly directory: Directory, private readonly now: () => number) {}

  /** Outlook ids carry their mailbox: an id from another mailbox is malformed here [notes "Errors"]. */
  private newId(mailboxId: string): string {
    return `AAMkA${Buffer.concat([mailboxTag(mailboxId), randomBytes(24)]).toString('base64url')}=`;
  }

  all(): StoredEvent[] {
    return [...this.events.values()];
  }

  /** The calendar folder of a mailbox, oldest first. */
  inCalendar(mailboxId: string): StoredEvent[] {
    return this.all().filter((e) => e.mailboxId === mailboxId && e.folder === 'calendar');
  }

  find(owner: GraphUser, id: string): StoredEvent {
    if (!ID.test(id)) throw graphErrors.idMalformed();
    const tag = Buffer.from(id.slice(5).replace(/=+$/, ''), 'base64url').subarray(0, 9);
    if (!tag.equals(mailboxTag(owner.id))) throw graphErrors.idMalformed();
    const e = this.events.get(id);
    // Cancelled events sit in Deleted Items; the simulator treats them as gone [guess].
    if (!e || e.folder !== 'calendar') throw graphErrors.itemNotFound();
    return e;
  }

  /**
   * A create. A repeat with a transactionId this mailbox already used returns the existing event
   * and creates nothing (201 both times, observed: blog.rykoma.net 2020-10; notes say the reply is
   * undocumented). A transactionId whose event was deleted since creates a new one [guess].
   */
  create(owner: GraphUser, changes: EventChanges): { event: StoredEvent; replayed: boolean } {
    const txKey = changes.transactionId ? `${owner.id}|${changes.transactionId}` : null;
    const previous = txKey ? this.events.get(this.transactions.get(txKey) ?? '') : undefined;
    if (previous && previous.folder === 'calendar') return { event: previous, replayed: true };
    checkSchedule({ start: changes.start, end: changes.end, isAllDay: changes.isAllDay ?? false });
    const at = this.now();
    const address = owner.mail ?? owner.userPrincipalName;
    const event: StoredEvent = {
      id: this.newId(owner.id), mailboxId: owner.id, changeKey: newChangeKey(), iCalUId: newICalUId(), createdMs: at, modifiedMs: at,
      subject: changes.subject ?? '', body: changes.body ?? { contentType: 'text', content: '' },
      start: changes.start!, end: changes.end!, isAllDay: changes.isAllDay ?? false,
      showAs: changes.showAs ?? 'busy', importance: changes.importance ?? 'normal', sensitivity: changes.sensitivity ?? 'normal',
      categories: changes.categories ?? [], location: changes.location ?? { displayName: '' },
      attendees: (changes.attendees ?? []).map((a) => ({ ...a, response: 'none', responseTime: NEVER })),
      organizer: { name: owner.displayName, address }, isOrganizer: true,
      responseRequested: changes.responseRequested ?? true, responseStatus: { response: 'organizer', time: NEVER },
      isReminderOn: changes.isReminderOn ?? true, reminderMinutesBeforeStart: changes.reminderMinutesBeforeStart ?? 15,
      hideAttendees: changes.hideAttendees ?? false, allowNewTimeProposals: changes.allowNewTimeProposals ?? true,
      isOnlineMeeting: changes.isOnlineMeeting ?? false, onlineMeetingProvider: changes.onlineMeetingProvider ?? 'unknown',
      transactionId: changes.transactionId ?? null, extendedProperties: changes.extendedProperties ?? [],
      isCancelled: false, folder: 'calendar',
    };
    this.events.set(event.id, event);
    if (txKey) this.transactions.set(txKey, event.id);
    this.deliver(null, event);
    return { event, replayed: false };
  }

  update(owner: GraphUser, id: string, changes: EventChanges, ifMatch?: string): StoredEvent {
    const current = this.find(owner, id);
    checkEtag(current, ifMatch);
    const { attendees, extendedProperties, transactionId: _ignored, ...fields } = changes;
    const next: StoredEvent = {
      ...current, ...fields,
      attendees: attendees ? attendees.map((a) => keepResponse(current, a)) : current.attendees,
      extendedProperties: extendedProperties ? mergeExtendedProperties(current.extendedProperties, extendedProperties) : current.extendedProperties,
      changeKey: newChangeKey(), modifiedMs: Math.max(this.now(), current.modifiedMs + 1),
    };
    checkSchedule(next);
    this.events.set(id, next);
    this.deliver(current, next);
    return next;
  }

  remove(owner: GraphUser, id: string, ifMatch?: string): void {
    const current = this.find(owner, id);
    checkEtag(current, ifMatch);
    this.events.delete(id);
    this.deliver(current, null);
  }

  /** event-cancel.md: organizer only; cancellations go out with the comment; the event moves to Deleted Items. */
  cancel(owner: GraphUser, id: string, comment: string | undefined): void {
    const current = this.find(owner, id);
    if (!current.isOrganizer) throw graphErrors.notOrganizer();
    this.events.set(id, { ...current, folder: 'deletedItems', changeKey: newChangeKey(), modifiedMs: this.now() });
    this.deliver(current, null, comment);
  }

  /** Admin: an attendee answers (accepted, declined, tentativelyAccepted); the organizer's copy shows it. */
  respond(address: string, iCalUId: string, response: StoredAttendee['response']): boolean {
    const organizerCopy = this.all().find((e) => e.iCalUId === iCalUId && e.isOrganizer && e.folder === 'calendar');
    const attendee = organizerCopy?.attendees.find((a) => a.address.toLowerCase() === address.toLowerCase());
    if (!organizerCopy || !attendee) return false;
    attendee.response = response;
    attendee.responseTime = formatUtc(this.now());
    organizerCopy.changeKey = newChangeKey();
    return true;
  }

  /** Records the meeting mail of a write and keeps attendees' copies in step. */
  private deliver(before: StoredEvent | null, after: StoredEvent | null, comment?: string): void {
    const organizer = (after ?? before)!;
    for (const message of meetingMessages(before, after)) {
      this.invitations.push({
        kind: message.kind, to: message.to, from: organizer.organizer.address, iCalUId: organizer.iCalUId, eventId: organizer.id,
        subject: organizer.subject, at: formatUtc(this.now()), ...(comment !== undefined ? { comment } : {}),
      });
      const attendee = this.directory.byAddress(message.to);
      if (attendee?.exchangeOnline) this.attendeeCopy(attendee, organizer, message.kind);
    }
  }

  private attendeeCopy(attendee: GraphUser, organizer: StoredEvent, kind: MessageKind): void {
    const existing = this.all().find((e) => e.mailboxId === attendee.id && e.iCalUId === organizer.iCalUId && !e.isOrganizer);
    const at = this.now();
    if (kind === 'cancel') {
      if (existing) this.events.set(existing.id, { ...existing, isCancelled: true, subject: `Canceled: ${organizer.subject}`, changeKey: newChangeKey(), modifiedMs: at });
      return;
    }
    const copy: StoredEvent = {
      ...organizer, id: existing?.id ?? this.newId(attendee.id), mailboxId: attendee.id, changeKey: newChangeKey(),
      createdMs: existing?.createdMs ?? at, modifiedMs: at, isOrganizer: false, transactionId: null, extendedProperties: [],
      responseStatus: existing?.responseStatus ?? { response: 'notResponded', time: NEVER }, isCancelled: false, folder: 'calendar',
    };
    this.events.set(copy.id, copy);
  }
}

/** An attendee kept by a PATCH keeps their response; a new one starts at none. */
function keepResponse(e: StoredEvent, a: Pick<StoredAttendee, 'address' | 'name' | 'type'>): StoredAttendee {
  const old = e.attendees.find((c) => c.address.toLowerCase() === a.address.toLowerCase());
  return old ? { ...old, ...a } : { ...a, response: 'none', responseTime: NEVER };
}

function checkEtag(e: StoredEvent, ifMatch: string | undefined): void {
  if (!ifMatch || ifMatch === '*') return;
  const tags = ifMatch.split(',').map((t) => t.trim());
  if (!tags.includes(`W/"${e.changeKey}"`) && !tags.includes(`"${e.changeKey}"`)) throw graphErrors.changeKeyMismatch();
}

/** iCalUIds as Exchange makes them: a fixed class prefix and a random global object id. */
function newICalUId(): string {
  return `040000008200E00074C5B7101A82E00800000000${randomBytes(8).toString('hex').toUpperCase()}000000000000000010000000${randomBytes(16).toString('hex').toUpperCase()}`;
}
