import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosmosScheduleBook, type ScheduleBook } from '../../src/jobs/index.js';
import type { Schedule } from '../../src/schedule/index.js';
import { openTestStore, sampleIntegration, tenant, type TestStore } from '../store/support.js';

const daily: Schedule = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' };

/**
 * What only the book on the integration documents does. The ScheduleBook behaviour every
 * implementation shares (due order, completion, pause, fencing) is the contract in
 * bot/test/contracts/schedule-book.contract.ts, run against this book and the memory book.
 */
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

  it('a disabled integration is never due, even with a due schedule', async () => {
    const tenantId = tenant('off');
    const off = await t.store.integrations.create(tenantId, sampleIntegration('Disabled', { enabled: false }));
    await book.set({ tenantId, integrationId: off.id }, daily, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-05T12:00:00Z'));
    expect((await book.due(new Date('2031-01-07T00:00:00Z'), 1000)).filter((e) => e.tenantId === tenantId)).toEqual([]);
  });

  it('scheduling keeps the rest of the integration document intact', async () => {
    const tenantId = tenant();
    const doc = await t.store.integrations.create(tenantId, sampleIntegration('Apollo'));
    const key = { tenantId, integrationId: doc.id };
    const entry = await book.set(key, daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-03-29T12:00:00Z'));
    await book.complete(key, entry.state.nextRunAt!, { startedAt: new Date('2030-03-30T08:00:01Z'), finishedAt: new Date('2030-03-30T08:02:00Z'), outcome: 'succeeded' }, { failures: 0 });
    const stored = await t.store.integrations.get(tenantId, doc.id);
    expect(stored?.scheduling?.nextRunAt).toBe('2030-03-31T07:00:00.000Z');
    expect(stored).toMatchObject({ name: 'Apollo', mapping: doc.mapping, notifications: doc.notifications });
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
