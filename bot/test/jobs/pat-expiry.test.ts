import { describe, expect, it } from 'vitest';
import { daysUntil, patExpiryWarningDue } from '../../src/jobs/pat-expiry.js';

/** Runs the check once a day from `from` for `days` days, remembering what was sent. */
function warningsOverDays(expiresOn: string, from: string, days: number, timeZone = 'UTC'): { day: string; daysLeft: number }[] {
  const sent = new Set<string>();
  const out: { day: string; daysLeft: number }[] = [];
  for (let d = 0; d < days; d++) {
    for (const hour of [0, 9, 17]) { // several checks a day must still send once
      const now = new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000 + hour * 3_600_000);
      const warning = patExpiryWarningDue(expiresOn, now, sent, timeZone);
      if (!warning) continue;
      sent.add(warning.key);
      for (const k of warning.supersedes) sent.add(k);
      out.push({ day: now.toISOString().slice(0, 10), daysLeft: warning.daysLeft });
    }
  }
  return out;
}

describe('PAT expiry warnings', () => {
  it('warns 14 days and 3 days before, each once', () => {
    expect(warningsOverDays('2026-01-31', '2026-01-01', 40)).toEqual([
      { day: '2026-01-17', daysLeft: 14 },
      { day: '2026-01-28', daysLeft: 3 },
    ]);
  });

  it('learning of the expiry late sends only the most urgent warning', () => {
    expect(warningsOverDays('2026-01-31', '2026-01-29', 5)).toEqual([{ day: '2026-01-29', daysLeft: 2 }]);
  });

  it('a renewed token (new expiry date) is warned about again', () => {
    const sent = new Set(['2026-01-31:14', '2026-01-31:3']);
    expect(patExpiryWarningDue('2026-01-31', new Date('2026-01-29T09:00:00Z'), sent)).toBeUndefined();
    expect(patExpiryWarningDue('2026-02-10', new Date('2026-01-29T09:00:00Z'), sent)).toMatchObject({ key: '2026-02-10:14', daysLeft: 12 });
  });

  it('says nothing for expired tokens, unknown or malformed dates', () => {
    expect(patExpiryWarningDue('2026-01-01', new Date('2026-01-02T00:00:00Z'), new Set())).toBeUndefined();
    expect(patExpiryWarningDue(undefined, new Date(), new Set())).toBeUndefined();
    expect(patExpiryWarningDue('31/01/2026', new Date(), new Set())).toBeUndefined();
  });

  it('counts days in the given zone', () => {
    // 23:30 UTC on 16 Jan is already 17 Jan in Auckland: 14 days left there, 15 in UTC.
    expect(daysUntil('2026-01-31', new Date('2026-01-16T23:30:00Z'))).toBe(15);
    expect(daysUntil('2026-01-31', new Date('2026-01-16T23:30:00Z'), 'Pacific/Auckland')).toBe(14);
  });
});
