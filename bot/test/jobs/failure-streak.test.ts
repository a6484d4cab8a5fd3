import { describe, expect, it } from 'vitest';
import { afterRunOutcome, type StreakNotice, type StreakState } from '../../src/jobs/failure-streak.js';

type Step = { at: string; ok: boolean };

/** Feeds runs through the policy and returns the notices people would get. */
function notices(steps: Step[]): (StreakNotice | undefined)[] {
  let state: StreakState | undefined;
  return steps.map(({ at, ok }) => {
    const r = afterRunOutcome(state, ok ? { ok: true } : { ok: false, cause: 'network' }, new Date(at));
    state = r.state;
    return r.notice;
  });
}

describe('failure streak notifications', () => {
  it('notifies once when a streak starts, stays quiet within the day, reminds daily, and says recovered once', () => {
    const got = notices([
      { at: '2025-11-24T08:00:00Z', ok: true },
      { at: '2025-11-24T09:00:00Z', ok: false },
      { at: '2025-11-24T10:00:00Z', ok: false },
      { at: '2025-11-25T08:59:00Z', ok: false },
      { at: '2025-11-25T09:00:00Z', ok: false },
      { at: '2025-11-25T10:00:00Z', ok: false },
      { at: '2025-11-25T11:00:00Z', ok: true },
      { at: '2025-11-25T12:00:00Z', ok: true },
    ]);
    expect(got).toEqual([
      undefined,
      { kind: 'failure-started', cause: 'network' },
      undefined,
      undefined,
      { kind: 'failure-reminder', cause: 'network', failures: 4, failingSince: '2025-11-24T09:00:00.000Z' },
      undefined,
      { kind: 'recovered', failures: 5, failingSince: '2025-11-24T09:00:00.000Z' },
      undefined,
    ]);
  });

  it('hourly failures for three days give one start and two reminders', () => {
    const steps: Step[] = [];
    for (let h = 0; h < 72; h++) steps.push({ at: new Date(Date.UTC(2025, 10, 24, h)).toISOString(), ok: false });
    const got = notices(steps).filter((n) => n !== undefined);
    expect(got.map((n) => n.kind)).toEqual(['failure-started', 'failure-reminder', 'failure-reminder']);
  });

  it('a new streak after recovery notifies again', () => {
    const got = notices([
      { at: '2025-11-24T09:00:00Z', ok: false },
      { at: '2025-11-24T10:00:00Z', ok: true },
      { at: '2025-11-24T11:00:00Z', ok: false },
    ]);
    expect(got.map((n) => n?.kind)).toEqual(['failure-started', 'recovered', 'failure-started']);
  });
});
