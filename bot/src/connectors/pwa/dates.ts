import { canonicalTimeZone, offsetAt } from '../../time/zone-time.js';
import type { SiteLocalDateTime } from '../ppm.js';

/**
 * PWA dates carry no zone: they are wall-clock times in the site's regional time zone.
 * ADO stores instants (UTC). Converting through the site's zone, never the bot host's, is what
 * keeps "2 March" on 2 March on both sides, east or west of UTC.
 */

export const PWA_EMPTY_DATE = '0001-01-01T00:00:00';

const NORMAL_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Normalises a PWA date to `YYYY-MM-DDTHH:mm:ss`, or null for the empty date. */
export function fromPwaDate(value: unknown): SiteLocalDateTime | null {
  if (typeof value !== 'string' || value === '' || value.startsWith('0001-01-01')) return null;
  // The form PWA sends is already normal: a test, not a match and a new string, for each of a task's dates.
  if (value.length === 19 && NORMAL_DATE.test(value)) return value;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(?::(\d{2}))?)?/.exec(value);
  if (!m) return null;
  return `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}`;
}

/** Offset of `timeZone` from UTC at instant `utcMs`, in minutes (east positive); the formatter is cached per zone there. */
const offsetMinutes = (timeZone: string, utcMs: number): number => Math.round(offsetAt(utcMs, timeZone) / 60_000);

/** Throws a clear error for a zone name Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  if (canonicalTimeZone(timeZone) === undefined) {
    throw new Error(`Unknown time zone "${timeZone}". Use an IANA name such as "Europe/Berlin" or "America/Los_Angeles".`);
  }
}

/** Site-local wall-clock time to a UTC instant (ISO string with Z). */
export function siteLocalToUtc(local: SiteLocalDateTime, timeZone: string): string {
  const wall = Date.parse(`${local.slice(0, 19)}Z`);
  if (Number.isNaN(wall)) throw new Error(`"${local}" is not a date-time.`);
  // Two passes settle the offset on DST-change days.
  let utc = wall - offsetMinutes(timeZone, wall) * 60_000;
  utc = wall - offsetMinutes(timeZone, utc) * 60_000;
  return new Date(utc).toISOString().replace('.000Z', 'Z');
}

/** UTC instant to site-local wall-clock time. */
export function utcToSiteLocal(instant: string, timeZone: string): SiteLocalDateTime {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new Error(`"${instant}" is not a date-time.`);
  return new Date(ms + offsetMinutes(timeZone, ms) * 60_000).toISOString().slice(0, 19);
}

/** Current UTC offset of a zone, in minutes east of UTC. */
export function currentOffsetMinutes(timeZone: string, now = Date.now()): number {
  return offsetMinutes(timeZone, now);
}
