import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosmosScheduleBook, type ScheduleBook } from '../../src/jobs/index.js';
import type { Schedule } from '../../src/schedule/index.js';
import { openTestStore, sampleIntegration, tenant, type TestStore } from '../store/support.js';

const daily: Schedule = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' };

describe('schedule book on the integration documents (embedded Cosmos)', () => {
  let t: TestStore;
  let book: ScheduleBook;
  beforeAll(async () => {
    t = await openTestStore();
    book = createCosmosScheduleBook(t.store.integrations, t.logger);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('finds due schedules across tenants, oldest first, each with its own tenant', async () => {
    const [t1, t2] = [tenant('a'), tenant('b')];
    const a = await t.store.integrations.create(t1, sampleIntegration('Apollo'));
    const b = await t.store.integrations.create(t2, sampleIntegration('Hermes'));
    const off = await t.store.integrations.create(t2, sampleIntegration('Disabled', { enabled: false }));
    const never = await t.store.integrations.create(t2, sampleIntegration('Unscheduled'));
    await book.set({ tenantId: t1, integrationId: a.id }, daily, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-05T12:00:00Z')); // due 2031-01-06T08:00Z
    await book.set({ tenantId: t2, integrationId: b.id }, { ...daily, time: '07:00' }, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-05T12:00:00Z')); // 06:00Z
    await book.set({ tenantId: t2, integrationId: off.id }, daily, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-05T12:00:00Z'));

    const due = (await book.due(new Date('2031-01-06T08:00:00Z'), 100)).filter((e) => [t1, t2].includes(e.tenantId));
    expect(due.map((e) => [e.tenantId, e.integrationId, e.state.nextRunAt])).toEqual([
      [t2, b.id, '2031-01-06T06:00:00.000Z'],
      [t1, a.id, '2031-01-06T08:00:00.000Z'],
    ]);
    expect(due.some((e) => e.integrationId === never.id || e.integrationId === off.id)).toBe(false);
    expect((await book.due(new Date('2031-01-06T07:00:00Z'), 100)).filter((e) => e.tenantId === t1)).toEqual([]);
  });

  it('completing a slot moves the due time and keeps the integration settings intact', async () => {
    const tenantId = tenant();
    const doc = await t.store.integrations.create(tenantId, sampleIntegration('Apollo'));
    const key = { tenantId, integrationId: doc.id };
    const entry = await book.set(key, daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-03-29T12:00:00Z'));
    expect(entry.state.nextRunAt).toBe('2030-03-30T08:00:00.000Z'); // CET; the clocks change on the 31st
    const done = await book.complete(key, entry.state.nextRunAt!, { startedAt: new Date('2030-03-30T08:00:01Z'), finishedAt: new Date('2030-03-30T08:02:00Z'), outcome: 'succeeded' }, { failures: 0 });
    expect(done?.state.nextRunAt).toBe('2030-03-31T07:00:00.000Z'); // 09:00 CEST
    // A stale completion (the slot was already recorded) does not move it again.
    await book.complete(key, entry.state.nextRunAt!, { startedAt: new Date('2030-03-30T08:00:01Z'), finishedAt: new Date('2030-03-30T08:03:00Z'), outcome: 'succeeded' }, { failures: 0 });
    const stored = await t.store.integrations.get(tenantId, doc.id);
    expect(stored?.scheduling?.nextRunAt).toBe('2030-03-31T07:00:00.000Z');
    expect(stored).toMatchObject({ name: 'Apollo', mapping: doc.mapping, notifications: doc.notifications });
    expect(await book.get(key)).toMatchObject({ state: { schedule: daily, lastSuccessStartedAt: '2030-03-30T08:00:01.000Z' }, streak: { failures: 0 } });
  });

  it('an unreadable stored schedule is skipped with a warning, not a crash', async () => {
    const tenantId = tenant();
    const doc = await t.store.integrations.create(tenantId, sampleIntegration('Broken'));
    await t.store.integrations.update(tenantId, doc.id, () => ({ scheduling: { nextRunAt: '2000-01-01T00:00:00.000Z', schedule: { kind: 'daily', time: '25:00', timeZone: 'UTC' }, startAt: '2000-01-01T00:00:00.000Z' } }));
    const due = await book.due(new Date('2000-01-02T00:00:00Z'), 100);
    expect(due.filter((e) => e.tenantId === tenantId)).toEqual([]);
    expect(t.logText()).toContain('skipping an unreadable schedule');
  });
});
