import { graphErrors } from './errors.js';

/**
 * `dateTimeTimeZone` arithmetic [notes "Time rules"]: a local `dateTime` without offset plus a
 * zone name, Windows ("W. Europe Standard Time") or IANA ("Europe/Berlin"). Windows names map
 * to IANA (CLDR windowsZones, 001 territory) and Intl does the offsets.
 */
const WINDOWS_ZONES: Record<string, string> = {
  'utc': 'UTC', 'coordinated universal time': 'UTC',
  'gmt standard time': 'Europe/London', 'greenwich standard time': 'Atlantic/Reykjavik',
  'w. europe standard time': 'Europe/Berlin', 'romance standard time': 'Europe/Paris',
  'central europe standard time': 'Europe/Budapest', 'central european standard time': 'Europe/Warsaw',
  'e. europe standard time': 'Europe/Chisinau', 'fle standard time': 'Europe/Kiev', 'gtb standard time': 'Europe/Bucharest',
  'russian standard time': 'Europe/Moscow', 'south africa standard time': 'Africa/Johannesburg',
  'arabian standard time': 'Asia/Dubai', 'india standard time': 'Asia/Calcutta', 'singapore standard time': 'Asia/Singapore',
  'china standard time': 'Asia/Shanghai', 'tokyo standard time': 'Asia/Tokyo', 'aus eastern standard time': 'Australia/Sydney',
  'new zealand standard time': 'Pacific/Auckland', 'e. south america standard time': 'America/Sao_Paulo',
  'eastern standard time': 'America/New_York', 'central standard time': 'America/Chicago',
  'mountain standard time': 'America/Denver', 'us mountain standard time': 'America/Phoenix',
  'pacific standard time': 'America/Los_Angeles', 'alaskan standard time': 'America/Anchorage', 'hawaiian standard time': 'Pacific/Honolulu',
};

/** The IANA zone for a Graph zone name, or undefined if Graph would refuse it. */
export function ianaZone(name: string): string | undefined {
  const windows = WINDOWS_ZONES[name.trim().toLowerCase()];
  if (windows) return windows;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

export function requireZone(name: unknown): string {
  if (typeof name !== 'string' || !name.trim()) throw graphErrors.timeZone(typeof name === 'string' ? name : '');
  const zone = ianaZone(name);
  if (!zone) throw graphErrors.timeZone(name);
  return zone;
}

/** A wall-clock time, to 100 ns as Exchange keeps it (milliseconds suffice here). */
export interface LocalTime {
  year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/**
 * A local dateTime as Graph takes it. An offset or `Z` is refused: the zone travels in
 * `timeZone` [notes; stricter than Graph may be, guess].
 */
export function parseLocal(value: unknown, field: string): LocalTime {
  const m = typeof value === 'string' ? LOCAL.exec(value) : null;
  if (!m) throw graphErrors.invalidRequest(`${field}.dateTime '${String(value)}' is not a local date and time (yyyy-MM-ddTHH:mm:ss, no offset; the zone goes in timeZone).`);
  const [, y, mo, d, h, mi, s = '0', f = '0'] = m;
  const t: LocalTime = { year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s, ms: Math.floor(Number(`0.${f}`) * 1000) };
  const check = new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
  if (check.getUTCDate() !== t.day || check.getUTCHours() !== t.hour || t.minute > 59 || t.second > 59) {
    throw graphErrors.invalidRequest(`${field}.dateTime '${String(value)}' is not a valid date and time.`);
  }
  return t;
}

const asUtc = (t: LocalTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.ms);

/** Offset of `zone` from UTC at instant `ms`, in ms. */
function offsetAt(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (ms - (ms % 1000 + 1000) % 1000);
}

/** The instant a wall-clock time in `zone` names (the later one in a DST overlap). */
export function toInstant(t: LocalTime, zone: string): number {
  const guess = asUtc(t);
  const first = guess - offsetAt(guess, zone);
  return guess - offsetAt(first, zone);
}

export function toLocal(ms: number, zone: string): LocalTime {
  const shifted = new Date(ms + offsetAt(ms, zone));
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(), ms: shifted.getUTCMilliseconds(),
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-12-07T08:00:00.0000000`, the seven-digit form Graph answers with. */
export function formatLocal(t: LocalTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}.${pad(t.ms, 3)}0000`;
}

/** `2026-12-07T08:00:00.1230000Z` for createdDateTime and friends. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export const isMidnight = (t: LocalTime): boolean => t.hour === 0 && t.minute === 0 && t.second === 0 && t.ms === 0;

/** Parses a calendarView bound: with an offset or Z, or without (taken as UTC [guess]). */
export function parseWindowBound(value: string | null): number | undefined {
  if (!value) return undefined;
  const withZone = /([+-]\d{2}:\d{2}|Z)$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}
