import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentTooLargeError, NotFoundError } from '../../src/store/index.js';
import { buildPlan } from '../../src/sync/build-plan.js';
import type { Item } from '../../src/sync/model.js';
import { integrationFor } from '../sync/support/fixtures.js';
import { openTestStore, tenant, type TestStore } from './support.js';

/** A real plan: one plan task to create in ADO (titles of `size` characters). */
function planWith(tasks: number, size = 10) {
  const planItems: Item[] = Array.from({ length: tasks }, (_, i) => ({ key: `task-${i}`, system: 'plan', type: 'Task', parentKey: null, fields: { Name: `T${i} ${'x'.repeat(size)}` }, version: 1 }));
  return buildPlan({ integration: integrationFor('Agile'), planItems, adoItems: [], links: [] });
}

describe('sync runs (contract)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const plan = planWith(1);

  it('records plan, approval and outcome of a run', async () => {
    const tenantId = tenant();
    const { run, created } = await t.store.runs.start(tenantId, { integrationId: 'apollo', trigger: { kind: 'chat', key: 'chat:activity-1', by: 'aad-1' }, status: 'awaiting-approval', plan });
    expect(created).toBe(true);
    await t.store.runs.update(tenantId, 'apollo', run.id, (r) => ({ status: 'approved', approvals: [...r.approvals, { by: 'aad-2', decision: 'approved', at: '2025-01-01T10:00:00.000Z' }] }));
    await t.store.runs.update(tenantId, 'apollo', run.id, () => ({ status: 'succeeded', outcome: { finishedAt: '2025-01-01T10:01:00.000Z', applied: 1, failed: 0, errors: [] } }));
    const read = await t.store.runs.get(tenantId, 'apollo', run.id);
    expect(read).toMatchObject({ status: 'succeeded', plan, trigger: { kind: 'chat', key: 'chat:activity-1', by: 'aad-1' }, approvals: [{ by: 'aad-2', decision: 'approved' }], outcome: { applied: 1 } });
  });

  it('starts exactly one run per approval, even when the approval arrives twice at once', async () => {
    const tenantId = tenant();
    const results = await Promise.all(Array.from({ length: 6 }, () => t.store.runs.start(tenantId, { integrationId: 'apollo', trigger: { kind: 'card', key: 'approval:plan-42' } })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    expect((await t.store.runs.list(tenantId, 'apollo')).items).toHaveLength(1);
  });

  it('lists an integration\'s runs newest first', async () => {
    let clock = Date.parse('2025-01-01T00:00:00.000Z');
    const clocked = await openTestStore({ now: () => new Date(clock) });
    try {
      const tenantId = tenant();
      for (const key of ['schedule:1', 'schedule:2', 'schedule:3']) {
        await clocked.store.runs.start(tenantId, { integrationId: 'apollo', trigger: { kind: 'schedule', key } });
        clock += 60_000;
      }
      const keys = (await clocked.store.runs.list(tenantId, 'apollo')).items.map((r) => r.trigger.key);
      expect(keys).toEqual(['schedule:3', 'schedule:2', 'schedule:1']);
    } finally {
      await clocked.dispose();
    }
  });

  it('summarises runs newest first without reading their plans, and sees every change at once', async () => {
    let clock = Date.parse('2025-01-01T00:00:00.000Z');
    const clocked = await openTestStore({ now: () => new Date(clock) });
    try {
      const tenantId = tenant();
      const first = (await clocked.store.runs.start(tenantId, { integrationId: 'apollo', trigger: { kind: 'schedule', key: 'schedule:1' }, status: 'awaiting-approval', plan: planWith(3) })).run;
      clock += 60_000;
      await clocked.store.runs.start(tenantId, { integrationId: 'apollo', trigger: { kind: 'chat', key: 'chat:2' } });
      await clocked.store.runs.start(tenantId, { integrationId: 'gemini', trigger: { kind: 'chat', key: 'chat:3' } });
      const before = (await clocked.store.runs.summaries(tenantId, 'apollo')).items;
      expect(before).toEqual([
        { id: expect.any(String), status: 'planned', createdAt: '2025-01-01T00:01:00.000Z', triggerKind: 'chat', approvals: [] },
        { id: first.id, status: 'awaiting-approval', createdAt: '2025-01-01T00:00:00.000Z', triggerKind: 'schedule', approvals: [], counts: first.plan!.counts },
      ]);
      expect(first.plan!.counts.createAdo).toBe(3);
      // Served from the embedded store's query cache the second time; an update must show at once.
      await clocked.store.runs.update(tenantId, 'apollo', first.id, (r) => ({
        status: 'succeeded', approvals: [...r.approvals, { by: 'Ada', decision: 'approved', at: '2025-01-01T00:02:00.000Z' }],
        outcome: { finishedAt: '2025-01-01T00:03:00.000Z', applied: 2, failed: 1, errors: [{ itemKey: 'task-2', message: 'refused' }] },
      }));
      const after = (await clocked.store.runs.summaries(tenantId, 'apollo', { pageSize: 5 })).items[1]!;
      expect(after).toMatchObject({ status: 'succeeded', applied: 2, failed: 1, approvals: [{ by: 'Ada', decision: 'approved' }] });
      expect(Object.keys(after).sort()).toEqual(['applied', 'approvals', 'counts', 'createdAt', 'failed', 'id', 'status', 'triggerKind']);
      expect((await clocked.store.runs.summaries(tenantId, 'apollo', { pageSize: 1 })).items.map((r) => r.createdAt)).toEqual(['2025-01-01T00:01:00.000Z']);
    } finally {
      await clocked.dispose();
    }
  });

  it('refuses a plan too large to store, before calling the database, with a clear error', async () => {
    const tenantId = tenant();
    const huge = planWith(6_000, 200);
    const attempt = t.store.runs.start(tenantId, { integrationId: 'apollo', trigger: { kind: 'chat', key: 'chat:huge' }, plan: huge });
    await expect(attempt).rejects.toBeInstanceOf(DocumentTooLargeError);
    await expect(attempt).rejects.toThrow(/run ".*" is \d+ bytes serialized, over the 2000000-byte limit/);
    expect(await t.store.runs.get(tenantId, 'apollo', 'run:chat~3Ahuge')).toBeUndefined();
    await expect(t.store.runs.update(tenantId, 'apollo', 'no-such-run', () => ({ status: 'failed' }))).rejects.toBeInstanceOf(NotFoundError);
  });
});
