import type { StoredEvent } from './event-model.js';

/**
 * Who gets which meeting message when an organizer writes an event [notes "Attendees,
 * invitations"]: a create with attendees invites each of them; a change of time, subject, place
 * or body updates those kept; attendees added are invited and those removed get a cancellation;
 * delete and cancel send cancellations to all. No documented switch stops this [notes].
 */
export type MessageKind = 'request' | 'update' | 'cancel';

export interface MeetingMessage {
  kind: MessageKind;
  /** Lowercased attendee address. */
  to: string;
}

const addresses = (e: StoredEvent | null): string[] =>
  e && e.isOrganizer ? [...new Set(e.attendees.map((a) => a.address.toLowerCase()))].filter((a) => a !== e.organizer.address.toLowerCase()) : [];

/** Changes that make Exchange send an update to attendees [guess: time, subject, location, body]. */
function meetingChanged(before: StoredEvent, after: StoredEvent): boolean {
  const when = (e: StoredEvent): string => JSON.stringify([e.start, e.end, e.isAllDay]);
  return when(before) !== when(after) || before.subject !== after.subject
    || before.location.displayName !== after.location.displayName || before.body.content !== after.body.content;
}

export function meetingMessages(before: StoredEvent | null, after: StoredEvent | null): MeetingMessage[] {
  const was = addresses(before);
  const is = addresses(after);
  if (!after) return was.map((to) => ({ kind: 'cancel', to }));
  if (!before) return is.map((to) => ({ kind: 'request', to }));
  const changed = meetingChanged(before, after);
  return [
    ...is.filter((a) => !was.includes(a)).map((to) => ({ kind: 'request' as const, to })),
    ...was.filter((a) => !is.includes(a)).map((to) => ({ kind: 'cancel' as const, to })),
    ...(changed ? is.filter((a) => was.includes(a)).map((to) => ({ kind: 'update' as const, to })) : []),
  ];
}
