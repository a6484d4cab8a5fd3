import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, tenant, type TestStore } from './support.js';

describe('event links (contract, embedded store)', () => {
  let t: TestStore;
  beforeAll(async () => { t = await openTestStore(); });
  afterAll(async () => { await t?.dispose(); });

  it('saves, replaces, lists and removes a task\'s event link, apart from work-item links', async () => {
    const tenantId = tenant();
    const integrationId = 'apollo-outlook';
    const link = { linkId: 'pbe-aaa-111', planTaskId: 'task-1', eventId: 'AAMk1', state: 'active' as const, generation: 1, bodyDigest: 'abc' };
    const saved = await t.store.eventLinks.save(tenantId, integrationId, link);
    expect(saved).toMatchObject({ ...link, type: 'event-link', integrationId });
    // The same values write nothing.
    expect((await t.store.eventLinks.save(tenantId, integrationId, link)).etag).toBe(saved.etag);
    await t.store.eventLinks.save(tenantId, integrationId, { ...link, eventId: null, state: 'cancelled' });
    await t.store.eventLinks.save(tenantId, integrationId, { ...link, planTaskId: 'task-2', linkId: 'pbe-aaa-222' });
    // A work-item link for the same task coexists, and neither list sees the other.
    await t.store.links.create(tenantId, { integrationId, planTaskId: 'task-1', workItemId: 42 });
    expect((await t.store.eventLinks.list(tenantId, integrationId)).map((l) => [l.planTaskId, l.state])).toEqual([['task-1', 'cancelled'], ['task-2', 'active']]);
    expect((await t.store.links.list(tenantId, integrationId)).items.map((l) => l.planTaskId)).toEqual(['task-1']);
    expect(await t.store.eventLinks.remove(tenantId, integrationId, 'task-2')).toBe(true);
    expect(await t.store.eventLinks.get(tenantId, integrationId, 'task-2')).toBeUndefined();
    expect(await t.store.eventLinks.list(tenant(), integrationId)).toEqual([]);
  });
});
