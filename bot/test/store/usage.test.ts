import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterWorkItems, USAGE_WINDOW_DAYS } from '../../src/store/index.js';
import { openTestStore, tenant, type TestStore } from './support.js';

const DAY = 86_400_000;

describe('usage metering (contract, embedded store)', () => {
  let t: TestStore;
  let clock = Date.parse('2026-03-05T15:30:00.000Z');
  const at = (ms = clock) => new Date(ms);
  beforeAll(async () => { t = await openTestStore({ now: () => new Date(clock) }); });
  afterAll(async () => { await t?.dispose(); });

  it('counts an item exactly once per window, however many instances record it at once', async () => {
    const tenantId = tenant();
    const item = { integrationId: 'apollo-outlook', kind: 'event' as const, itemKey: 'pbe-1' };
    const results = await Promise.all(Array.from({ length: 12 }, () => t.store.usage.record(tenantId, item)));
    expect(results.filter((r) => r.counted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.window.index))).toEqual(new Set([0]));
    expect((await t.store.usage.current(tenantId)).total).toBe(1);
  });

  it('starts window 0 at midnight UTC of the first use, windows of 30 days', async () => {
    const tenantId = tenant();
    const { window } = await t.store.usage.record(tenantId, { integrationId: 'i', kind: 'work-item', itemKey: 'a' });
    expect(USAGE_WINDOW_DAYS).toBe(30);
    expect(window).toEqual({ index: 0, start: '2026-03-05T00:00:00.000Z', end: '2026-04-04T00:00:00.000Z' });
  });

  it('counts the same item again in the next window (rollover), not before', async () => {
    const tenantId = tenant();
    const item = { integrationId: 'i', kind: 'event' as const, itemKey: 'pbe-roll' };
    const start = Date.parse('2026-03-05T00:00:00.000Z');
    expect((await t.store.usage.record(tenantId, item, at(start + 1000))).counted).toBe(true);
    expect((await t.store.usage.record(tenantId, item, at(start + 30 * DAY - 1))).counted).toBe(false);
    const next = await t.store.usage.record(tenantId, item, at(start + 30 * DAY));
    expect([next.counted, next.window.index, next.window.start]).toEqual([true, 1, '2026-04-04T00:00:00.000Z']);
    expect((await t.store.usage.current(tenantId, at(start + 31 * DAY))).total).toBe(1);
  });

  it('breaks the current window down by integration and kind', async () => {
    const tenantId = tenant();
    const record = (integrationId: string, kind: 'work-item' | 'event', itemKey: string) => t.store.usage.record(tenantId, { integrationId, kind, itemKey });
    await Promise.all([record('apollo-ado', 'work-item', 'l1'), record('apollo-ado', 'work-item', 'l2'), record('apollo-ado', 'work-item', 'l2'),
      record('apollo-outlook', 'event', 'e1'), record('orion-ado', 'work-item', 'l1')]);
    const summary = await t.store.usage.current(tenantId);
    expect(summary.total).toBe(4);
    expect(summary.byKind).toEqual({ 'work-item': 3, event: 1 });
    expect(summary.byIntegration).toEqual([
      { integrationId: 'apollo-ado', kind: 'work-item', count: 2 },
      { integrationId: 'apollo-outlook', kind: 'event', count: 1 },
      { integrationId: 'orion-ado', kind: 'work-item', count: 1 },
    ]);
    // Another tenant sees none of it.
    expect((await t.store.usage.current(tenant())).total).toBe(0);
  });

  it('counts past one page of records (a list reads every page)', async () => {
    const tenantId = tenant();
    const when = at(Date.parse('2026-03-05T10:00:00.000Z'));
    await Promise.all(Array.from({ length: 1001 }, (_, i) => t.store.usage.record(tenantId, { integrationId: 'i', kind: 'work-item', itemKey: `wi-${i}` }, when)));
    expect((await t.store.usage.current(tenantId, when)).total).toBe(1001);
  });

  it('gives the trend over the last windows, oldest first, with empty windows as zero', async () => {
    const tenantId = tenant();
    const start = Date.parse('2026-03-05T00:00:00.000Z');
    const rec = (day: number, key: string, kind: 'work-item' | 'event' = 'work-item') => t.store.usage.record(tenantId, { integrationId: 'i', kind, itemKey: key }, at(start + day * DAY));
    await rec(0, 'a'); await rec(1, 'b'); await rec(2, 'c', 'event');
    await rec(35, 'a');
    await rec(95, 'a'); await rec(96, 'd');
    const trend = await t.store.usage.trend(tenantId, 6, at(start + 100 * DAY));
    expect(trend.map((w) => [w.window.index, w.total, w.byKind.event])).toEqual([[0, 3, 1], [1, 1, 0], [2, 0, 0], [3, 2, 0]]);
    expect((await t.store.usage.trend(tenantId, 2, at(start + 100 * DAY))).map((w) => w.window.index)).toEqual([2, 3]);
    // The usage card's one read gives what the two separate reads give.
    const report = await t.store.usage.report(tenantId, 6, at(start + 100 * DAY));
    expect(report).toEqual({ current: await t.store.usage.current(tenantId, at(start + 100 * DAY)), trend });
    expect(report.current.total).toBe(2);
  });

  it('meters an ADO sync outcome: each link with a done ADO create or update, once', async () => {
    const tenantId = tenant();
    const results = [
      { linkId: 'l1', kind: 'create', side: 'ado', status: 'done' },
      { linkId: 'l1', kind: 'update', side: 'ado', status: 'done' },
      { linkId: 'l2', kind: 'update', side: 'ado', status: 'failed' },
      { linkId: 'l3', kind: 'update', side: 'plan', status: 'done' },
      { linkId: 'l4', kind: 'link', side: null, status: 'done' },
      { linkId: 'l5', kind: 'update', side: 'ado', status: 'done' },
    ];
    expect(await meterWorkItems(t.store.usage, tenantId, 'apollo-ado', results)).toBe(2);
    expect(await meterWorkItems(t.store.usage, tenantId, 'apollo-ado', results)).toBe(0);
    expect((await t.store.usage.current(tenantId)).byIntegration).toEqual([{ integrationId: 'apollo-ado', kind: 'work-item', count: 2 }]);
  });

  it('answers a tenant with no usage yet with window 0 from today and no counts', async () => {
    clock = Date.parse('2026-05-01T10:00:00.000Z');
    const summary = await t.store.usage.current(tenant());
    expect(summary).toMatchObject({ total: 0, window: { index: 0, start: '2026-05-01T00:00:00.000Z' }, byIntegration: [] });
  });
});
