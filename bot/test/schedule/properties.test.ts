import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, localDateTime, nextRunAfter, nominalPeriodMs, offsetAt, type LocalDateTime, type Schedule, type TimedSchedule } from '../../src/schedule/index.js';

/**
 * Property tests of the schedule arithmetic against a brute-force oracle that shares none of its
 * logic: it walks the clock minute by minute and takes the first instant whose wall time reaches
 * the slot (which is exactly "first occurrence" on fall-back days and "the jump" on spring-forward
 * days). Instants are biased towards the daylight-saving transitions of the zones under test.
 */
const ZONES = [
  'UTC', 'Europe/Berlin', 'Europe/London', 'America/Los_Angeles', 'America/St_Johns', 'America/Santiago',
  'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Auckland', 'Pacific/Chatham', 'Australia/Sydney', 'Australia/Lord_Howe',
];
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2027, 0, 1);

/** Every offset change of each zone in 2024-2026, to the minute. */
const transitions: { zone: string; at: number }[] = (() => {
  const out: { zone: string; at: number }[] = [];
  for (const zone of ZONES) {
    for (let t = FROM; t < TO; t += 6 * HOUR) {
      if (offsetAt(t, zone) === offsetAt(t + 6 * HOUR, zone)) continue;
      let lo = t;
      let hi = t + 6 * HOUR;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetAt(mid, zone) === offsetAt(lo, zone)) lo = mid;
        else hi = mid;
      }
      out.push({ zone, at: hi });
    }
  }
  return out;
})();

const instant = fc.oneof(
  fc.integer({ min: FROM / MINUTE, max: TO / MINUTE - 1 }).map((m) => m * MINUTE + (m % 7) * 1000),
  fc.tuple(fc.constantFrom(...transitions), fc.integer({ min: -3 * DAY / MINUTE, max: 3 * DAY / MINUTE })).map(([t, m]) => t.at + m * MINUTE),
);
const zone = fc.constantFrom(...ZONES);
const wallTime = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const days = fc.subarray([...WEEKDAYS], { minLength: 1 }).map((d) => WEEKDAYS.filter((w) => d.includes(w)));
const schedule: fc.Arbitrary<TimedSchedule> = fc.oneof(
  fc.record({ kind: fc.constant('hourly' as const), minute: fc.integer({ min: 0, max: 59 }), timeZone: zone }),
  fc.record({ kind: fc.constant('daily' as const), time: wallTime, timeZone: zone }),
  fc.record({ kind: fc.constant('weekly' as const), days, time: wallTime, timeZone: zone }),
  fc.record({ kind: fc.constant('monthly' as const), dayOfMonth: fc.integer({ min: 1, max: 31 }), time: wallTime, timeZone: zone }),
);

const wallMs = (l: LocalDateTime): number => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
const wallAt = (t: number, z: string): number => wallMs(localDateTime(t, z));

/** First instant whose wall clock reaches `target` (a wall time read as UTC ms). */
function oracleSlot(target: number, z: string): number {
  let prev = target - 15 * HOUR;
  for (let x = prev; x <= target + 15 * HOUR; x += 15 * MINUTE) {
    if (wallAt(x, z) >= target) {
      for (let y = prev + MINUTE; y <= x; y += MINUTE) if (wallAt(y, z) >= target) return y;
    }
    prev = x;
  }
  throw new Error('oracle found no slot');
}

function oracleNext(s: TimedSchedule, t: number): number {
  if (s.kind === 'hourly') {
    for (let y = Math.floor(t / MINUTE) * MINUTE + MINUTE; ; y += MINUTE) if (localDateTime(y, s.timeZone).minute === s.minute) return y;
  }
  const [h, m] = s.time.split(':').map(Number) as [number, number];
  const today = localDateTime(t, s.timeZone);
  const dates: { y: number; mo: number; d: number }[] = [];
  if (s.kind === 'monthly') {
    for (let k = -1; k <= 2; k++) {
      const first = new Date(Date.UTC(today.year, today.month - 1 + k, 1));
      const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
      dates.push({ y: first.getUTCFullYear(), mo: first.getUTCMonth() + 1, d: Math.min(s.dayOfMonth, last) });
    }
  } else {
    for (let k = -1; k <= 8; k++) {
      const d = new Date(Date.UTC(today.year, today.month - 1, today.day + k));
      const weekday = WEEKDAYS[(d.getUTCDay() + 6) % 7]!;
      if (s.kind === 'daily' || s.days.includes(weekday)) dates.push({ y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate() });
    }
  }
  for (const { y, mo, d } of dates) {
    const slot = oracleSlot(Date.UTC(y, mo - 1, d, h, m), s.timeZone);
    if (slot > t) return slot;
  }
  throw new Error('oracle found no run');
}

/** A schedule whose wall time sits within 90 minutes of a transition of its own zone, asked about shortly before. */
const aroundTransition: fc.Arbitrary<[TimedSchedule, number]> = fc
  .tuple(fc.constantFrom(...transitions), fc.integer({ min: -90, max: 90 }), fc.integer({ min: -2 * 24 * 60, max: 60 }), fc.constantFrom('hourly', 'daily', 'weekly', 'monthly'))
  .map(([tr, shift, before, kind]) => {
    const local = localDateTime(tr.at + shift * MINUTE, tr.zone);
    const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    const weekday = WEEKDAYS[(new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7]!;
    const s: TimedSchedule = kind === 'hourly' ? { kind, minute: local.minute, timeZone: tr.zone }
      : kind === 'daily' ? { kind, time, timeZone: tr.zone }
        : kind === 'weekly' ? { kind, days: [weekday], time, timeZone: tr.zone }
          : { kind: 'monthly', dayOfMonth: local.day, time, timeZone: tr.zone };
    return [s, tr.at + before * MINUTE];
  });
const cases = fc.oneof(fc.tuple(schedule, instant), aroundTransition);

const next = (s: Schedule, t: number): number => nextRunAfter(s, new Date(t))!.getTime();

describe('schedule arithmetic (properties)', () => {
  it('agrees with the brute-force oracle, and the run is strictly after the given instant', () => {
    fc.assert(fc.property(cases, ([s, t]) => {
      const run = next(s, t);
      expect(run).toBeGreaterThan(t);
      expect(run).toBe(oracleNext(s, t));
    }), { numRuns: 400 });
  });

  it('the local wall time matches, or the slot fell in a gap and the run is at the jump', () => {
    fc.assert(fc.property(cases, ([s, t]) => {
      const run = next(s, t);
      const local = localDateTime(run, s.timeZone);
      const [h, m] = s.kind === 'hourly' ? [local.hour, s.minute] : s.time.split(':').map(Number) as [number, number];
      if (local.hour === h && local.minute === m) return;
      // Not the wall time: only allowed at a spring-forward jump that skipped it.
      expect(offsetAt(run, s.timeZone)).toBeGreaterThan(offsetAt(run - MINUTE, s.timeZone));
      expect(local.hour * 60 + local.minute).toBeGreaterThan(h * 60 + m);
    }), { numRuns: 400 });
  });

  it('consecutive runs are never closer than the period minus the daylight-saving shift, and never miss a slot', () => {
    fc.assert(fc.property(cases, ([s, t]) => {
      let previous = next(s, t);
      for (let i = 0; i < 6; i++) {
        const run = next(s, previous);
        const gap = run - previous;
        if (s.kind === 'hourly') {
          expect(gap).toBeGreaterThanOrEqual(30 * MINUTE); // Lord Howe shifts by half an hour
          expect(gap).toBeLessThanOrEqual(90 * MINUTE);
        } else {
          expect(gap).toBeGreaterThanOrEqual(nominalPeriodMs(s) - HOUR);
        }
        if (s.kind === 'daily') {
          // Exactly one run per local day: the next run is on the next calendar day.
          const a = localDateTime(previous, s.timeZone);
          const b = localDateTime(run, s.timeZone);
          expect(Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)).toBe(DAY);
        }
        if (s.kind === 'weekly') expect(s.days).toContain(WEEKDAYS[(new Date(wallAt(run, s.timeZone)).getUTCDay() + 6) % 7]);
        previous = run;
      }
    }), { numRuns: 200 });
  });
});
