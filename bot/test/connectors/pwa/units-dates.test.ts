import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPwaDate, siteLocalToUtc, utcToSiteLocal } from '../../../src/connectors/pwa/dates.js';
import { formatPwaDuration, formatPwaWork, parsePwaDuration } from '../../../src/connectors/pwa/units.js';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { connectorFor } from './harness.js';

describe('PWA units', () => {
  it.each([
    ['73d', 480, 73 * 480], ['2.5d', 480, 1200], ['208h', 480, 208 * 60], ['1,234h', 480, 1234 * 60],
    ['30m', 480, 30], ['1w', 480, 2400], ['5d?', 480, 2400], ['3ed', 480, 1440], ['5d', 420, 2100], ['5', 480, 2400],
  ])('%s with a %i-minute day is %i minutes', (text, mpd, minutes) => {
    expect(parsePwaDuration(text, mpd)).toBe(minutes);
  });

  it('refuses text that is not a duration', () => {
    expect(parsePwaDuration('soon', 480)).toBeNull();
    expect(parsePwaDuration('5 fortnights', 480)).toBeNull();
  });

  it('formats days and hours the way PWA writes them', () => {
    expect(formatPwaDuration(73 * 480, 480)).toBe('73d');
    expect(formatPwaDuration(1200, 480)).toBe('2.5d');
    expect(formatPwaDuration(2100, 420)).toBe('5d');
    expect(formatPwaWork(208 * 60)).toBe('208h');
  });

  it('round-trips any whole number of minutes through the day form', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2_000 }), fc.constantFrom(420, 450, 480, 600), (days, mpd) => {
      expect(parsePwaDuration(formatPwaDuration(days * mpd, mpd), mpd)).toBe(days * mpd);
    }));
  });
});

describe('PWA dates in the site time zone', () => {
  it('reads the empty date as null and keeps wall-clock times', () => {
    expect(fromPwaDate('0001-01-01T00:00:00')).toBeNull();
    expect(fromPwaDate('2026-03-02T08:00:00')).toBe('2026-03-02T08:00:00');
    expect(fromPwaDate('2026-03-02')).toBe('2026-03-02T00:00:00');
  });

  it.each([
    ['Pacific/Auckland', '2026-03-02T08:00:00', '2026-03-01T19:00:00Z'],
    ['America/Los_Angeles', '2026-03-02T17:00:00', '2026-03-03T01:00:00Z'],
    ['Asia/Kolkata', '2026-03-02T00:00:00', '2026-03-01T18:30:00Z'],
    ['UTC', '2026-03-02T08:00:00', '2026-03-02T08:00:00Z'],
    ['Europe/Berlin', '2026-03-29T08:00:00', '2026-03-29T06:00:00Z'],
  ])('%s: %s is %s and back', (zone, local, utc) => {
    expect(siteLocalToUtc(local, zone)).toBe(utc);
    expect(utcToSiteLocal(utc, zone)).toBe(local);
  });

  it('never shifts a working date by a day, east or west of UTC, across DST changes', () => {
    const zones = ['Pacific/Auckland', 'Pacific/Kiritimati', 'America/Los_Angeles', 'Pacific/Pago_Pago', 'Europe/London', 'Australia/Adelaide'];
    fc.assert(fc.property(
      fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.constantFrom('08:00:00', '12:00:00', '17:00:00', '00:00:00'),
      fc.constantFrom(...zones),
      (day, time, zone) => {
        const local = `${day.toISOString().slice(0, 10)}T${time}`;
        expect(utcToSiteLocal(siteLocalToUtc(local, zone), zone)).toBe(local);
      },
    ));
  });
});

describe('dates and units round-trip through the simulator', () => {
  let sim: PwaSimulator;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 0 }); });
  afterAll(async () => { await sim.close(); });

  it.each(['Pacific/Auckland', 'America/Los_Angeles'])('an ADO date written in %s reads back on the same day, with a 7-hour day', async (zone) => {
    sim.reset();
    const apollo = sim.state.projects[0]!;
    apollo.MinutesPerDay = 420;
    const c = connectorFor(sim, 'onprem', 'verbose', { timeZone: zone });
    const task = (await c.readTasks(apollo.Id)).find((t) => t.name === 'Go-live')!;
    // ADO holds the instant; the plan must show the site-local day the user picked.
    const adoStart = siteLocalToUtc('2026-09-14T08:00:00', zone);
    await c.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: task.id, start: utcToSiteLocal(adoStart, zone), durationMinutes: 3 * 420, workMinutes: 21 * 60 }] });
    const after = (await c.readTasks(apollo.Id)).find((t) => t.id === task.id)!;
    expect(after).toMatchObject({ start: '2026-09-14T08:00:00', finish: '2026-09-16T17:00:00', durationMinutes: 1260, workMinutes: 1260 });
    expect(siteLocalToUtc(after.start!, zone)).toBe(adoStart);
    expect(sim.state.projects[0]!.tasks.find((t) => t.Id === task.id)!.DurationMinutes).toBe(1260);
  });
});
