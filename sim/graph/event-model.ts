import type { ExtendedProperty } from './extended-properties.js';
import type { LocalTime } from './time-zones.js';

/**
 * An event as a mailbox stores it. Times keep the wall clock and zone they were given in
 * (`originalStartTimeZone`); all-day events stay floating dates [notes "Time rules"].
 */
export interface EventTime {
  local: LocalTime;
  /** The zone name as the client sent it (Windows or IANA). */
  zone: string;
  iana: string;
}

export type AttendeeType = 'required' | 'optional' | 'resource';

export interface StoredAttendee {
  address: string;
  name: string;
  type: AttendeeType;
  response: 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';
  responseTime: string;
}

export interface StoredEvent {
  id: string;
  mailboxId: string;
  changeKey: string;
  iCalUId: string;
  createdMs: number;
  modifiedMs: number;
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  start: EventTime;
  end: EventTime;
  isAllDay: boolean;
  showAs: string;
  importance: string;
  sensitivity: string;
  categories: string[];
  location: Record<string, unknown>;
  attendees: StoredAttendee[];
  organizer: { name: string; address: string };
  isOrganizer: boolean;
  responseRequested: boolean;
  responseStatus: { response: string; time: string };
  isReminderOn: boolean;
  reminderMinutesBeforeStart: number;
  hideAttendees: boolean;
  allowNewTimeProposals: boolean;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  transactionId: string | null;
  extendedProperties: ExtendedProperty[];
  isCancelled: boolean;
  /** `cancel` moves the organizer's event to Deleted Items (event-cancel.md). */
  folder: 'calendar' | 'deletedItems';
}

/** The writable part of an event, as a create or PATCH body gives it (after validation). */
export type EventChanges = Partial<Pick<StoredEvent,
  'subject' | 'body' | 'start' | 'end' | 'isAllDay' | 'showAs' | 'importance' | 'sensitivity' | 'categories' | 'location'
  | 'responseRequested' | 'isReminderOn' | 'reminderMinutesBeforeStart' | 'hideAttendees' | 'allowNewTimeProposals'
  | 'isOnlineMeeting' | 'onlineMeetingProvider' | 'transactionId'>> & {
  attendees?: Array<Pick<StoredAttendee, 'address' | 'name' | 'type'>>;
  extendedProperties?: ExtendedProperty[];
};

export const NEVER = '0001-01-01T00:00:00Z';
/** At most 500 attendees per event (resources/event.md, notes "Attendees"). */
export const MAX_ATTENDEES = 500;
