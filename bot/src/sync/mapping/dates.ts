/**
 * Dates without a day shift. PWA dates carry no time zone ("2025-03-10T08:00:00") and mean a
 * calendar day in the integration's zone; ADO stores instants (UTC ISO). A plan day D goes to ADO as
 * midnight of D in that zone, and an ADO instant comes back as the calendar day it falls on in that
 * zone, so the day survives the round trip whatever the offset or DST.
 */
import { canonicalTimeZone, localDay, offsetAt } from '../../time/zone-time.js';

const EMPTY_PWA_DATE = '0001-01-01';
const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** The calendar day of a plan date value ('YYYY-MM-DD'), or null when empty. */
export function planDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = DAY.exec(value);
  if (!m || m[0] === EMPTY_PWA_DATE) return null;
  return m[0];
}

/** The plan value for a day, keeping the time of day the plan already had (08:00 start, 17:00 finish...). */
export function dayToPlan(day: string, current: unknown): string {
  const time = typeof current === 'string' && /T\d{2}:\d{2}(:\d{2})?/.exec(current)?.[0];
  return `${day}${time && planDay(current) !== null ? (time.length === 6 ? `${time}:00` : time) : 'T00:00:00'}`;
}

/** ISO instant of midnight of `day` in `timeZone`. */
export function dayToAdo(day: string, timeZone: string): string {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, mo - 1, d);
  if (timeZone === 'UTC') return new Date(guess).toISOString();
  let instant = guess - offsetAt(guess, timeZone);
  const corrected = guess - offsetAt(instant, timeZone); // DST changes between guess and answer
  if (corrected !== instant) instant = corrected;
  return new Date(instant).toISOString();
}

const dayCache = new Map<string, string | null>();

/** The calendar day, in `timeZone`, of an ADO date value; null when empty or unreadable. */
export function adoDay(value: unknown, timeZone: string): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (timeZone === 'UTC' && /Z$|[+-]00:?00$/.test(value)) return planDay(value);
  const cacheKey = `${timeZone}|${value}`;
  const cached = dayCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  let day: string | null = null;
  if (!Number.isNaN(ms)) day = localDay(ms, timeZone);
  if (dayCache.size > 50_000) dayCache.clear();
  dayCache.set(cacheKey, day);
  return day;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== undefined;
}
