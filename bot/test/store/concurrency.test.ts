import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../src/store/index.js';
import { openTestStore, tenant, type TestStore } from './support.js';

describe('optimistic concurrency', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('20 concurrent updates of one document all land, none lost', async () => {
    const tenantId = tenant();
    const integration = await t.store.integrations.create(tenantId, {
      name: 'Apollo', planConnectionId: 'p', planProjectId: 'proj', adoConnectionId: 'a', adoProjects: [],
      direction: 'two-way', mapping: [], hierarchy: { levels: ['Epic'], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false },
    });
    const writers = Array.from({ length: 20 }, (_, i) => `ado-project-${i}`);
    await Promise.all(writers.map((p) => t.store.integrations.update(tenantId, integration.id, (current) => ({ adoProjects: [...current.adoProjects, p] }))));
    const final = await t.store.integrations.get(tenantId, integration.id);
    expect(final?.adoProjects).toHaveLength(20);
    expect([...final!.adoProjects].sort()).toEqual([...writers].sort());
  });

  it('20 concurrent updates of a run\'s approvals keep every approval', async () => {
    const tenantId = tenant();
    const { run } = await t.store.runs.start(tenantId, { integrationId: 'i1', trigger: { kind: 'card', key: 'approval:busy' }, status: 'awaiting-approval' });
    const approvers = Array.from({ length: 20 }, (_, i) => `user-${i}`);
    await Promise.all(approvers.map((by) => t.store.runs.update(tenantId, 'i1', run.id, (current) => ({
      approvals: [...current.approvals, { by, decision: 'approved', at: '2025-01-01T00:00:00.000Z' }],
    }))));
    const final = await t.store.runs.get(tenantId, 'i1', run.id);
    expect(final?.approvals.map((a) => a.by).sort()).toEqual([...approvers].sort());
  });

  it('a replace with a stale etag is refused with ConcurrencyError', async () => {
    const tenantId = tenant();
    await t.store.links.create(tenantId, { integrationId: 'i', planTaskId: 'task-1', workItemId: 7 });
    const stale = (await t.store.links.getByPlanTask(tenantId, 'i', 'task-1'))!;
    await t.store.links.replaceBaseline(stale, { fields: { title: 'A' }, syncedAt: '2025-01-01T00:00:00.000Z' });
    await expect(t.store.links.replaceBaseline(stale, { fields: { title: 'B' }, syncedAt: '2025-01-02T00:00:00.000Z' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await t.store.links.getByPlanTask(tenantId, 'i', 'task-1'))?.baseline?.fields).toEqual({ title: 'A' });
  });
});
