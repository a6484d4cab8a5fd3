/**
 * Wall-clock arithmetic in IANA time zones with nothing but Intl (Node ships full ICU).
 * A "local date-time" is a calendar date and clock time with no zone; an instant is epoch ms.
 */
export interface LocalDateTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * ICU still canonicalizes some zones to names IANA retired (Asia/Kolkata -> Asia/Calcutta);
 * users should see the current name, so these are mapped back.
 */
const CURRENT_NAMES: Readonly<Record<string, string>> = {
  'Asia/Calcutta': 'Asia/Kolkata', 'Asia/Katmandu': 'Asia/Kathmandu', 'Asia/Saigon': 'Asia/Ho_Chi_Minh', 'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv', 'Atlantic/Faeroe': 'Atlantic/Faroe', 'America/Godthab': 'America/Nuuk', 'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei', 'Pacific/Truk': 'Pacific/Chuuk', 'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
};

/** The IANA name users expect (any case in, canonical spelling out), or undefined if ICU does not know the zone. */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return CURRENT_NAMES[resolved] ?? resolved;
  } catch {
    return undefined;
  }
}

function fields(instant: number, timeZone: string): LocalDateTime & { second: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The wall clock in `timeZone` at `instant` (seconds dropped). */
export function localDateTime(instant: number, timeZone: string): LocalDateTime {
  const { second: _second, ...local } = fields(instant, timeZone);
  return local;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real YYYY-MM-DD day: Date.parse alone accepts 2025-02-31 (and rolls it into March). */
export function isCalendarDate(value: string): boolean {
  if (!CALENDAR_DATE.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Whole days from day `from` to day `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day (YYYY-MM-DD) in `timeZone` at `instant`: the date a person there would name. */
export function localDay(instant: number, timeZone: string): string {
  const { year, month, day } = fields(instant, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Offset of the zone from UTC at `instant`, in ms (Berlin in winter: +3,600,000). */
export function offsetAt(instant: number, timeZone: string): number {
  const f = fields(instant, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/** The local date-time read as if it were UTC: a linear scale to do calendar arithmetic on. */
export const asUtcMs = (l: LocalDateTime): number => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);

const sameWallTime = (a: LocalDateTime, b: LocalDateTime): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The instant a local date-time happens in `timeZone`:
 * - ambiguous (clocks fall back, the time happens twice): the first occurrence;
 * - missing (clocks spring forward over it): the first valid instant after it, which is the
 *   moment the clocks jump (e.g. 02:30 on Berlin's spring-forward day -> 03:00 CEST).
 */
export function instantOf(local: LocalDateTime, timeZone: string): number {
  const wall = asUtcMs(local);
  // Offsets a day either side cover the transition this wall time may fall in.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after, wall - offsetAt(wall, timeZone)])]
    .filter((t) => sameWallTime(localDateTime(t, timeZone), local))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  // In a gap: read with the later offset it lands before the jump, with the earlier one after it.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  if (lo > hi) [lo, hi] = [hi, lo];
  const beforeOffset = offsetAt(lo, timeZone);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (mid === lo) break;
    if (offsetAt(mid, timeZone) === beforeOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Calendar helpers on plain dates (no zone involved). */
export function addDays(local: LocalDateTime, days: number): LocalDateTime {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** 0 = Monday ... 6 = Sunday. */
export const isoWeekdayIndex = (local: LocalDateTime): number => (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7;
