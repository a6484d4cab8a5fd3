import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuplicateError, NotFoundError } from '../../src/store/index.js';
import { openTestStore, sampleIntegration, tenant, type TestStore } from './support.js';

describe('integrations (contract)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('creates an integration with its settings and reads it back by id', async () => {
    const tenantId = tenant();
    const created = await t.store.integrations.create(tenantId, sampleIntegration('Apollo'));
    const read = await t.store.integrations.get(tenantId, created.id);
    expect(read).toMatchObject({ ...sampleIntegration('Apollo'), enabled: true, schemaVersion: 1, tenantId });
  });

  it('refuses a second integration with the same id', async () => {
    const tenantId = tenant();
    await t.store.integrations.create(tenantId, sampleIntegration('A', { id: 'fixed-id' }));
    await expect(t.store.integrations.create(tenantId, sampleIntegration('B', { id: 'fixed-id' }))).rejects.toBeInstanceOf(DuplicateError);
    expect((await t.store.integrations.get(tenantId, 'fixed-id'))?.name).toBe('A');
  });

  it('updates settings (mapping rules reordered and switched off) without touching the rest', async () => {
    const tenantId = tenant();
    const created = await t.store.integrations.create(tenantId, sampleIntegration('Apollo'));
    const updated = await t.store.integrations.update(tenantId, created.id, (current) => ({
      mapping: [...current.mapping, { id: 'state', planField: 'PercentComplete', adoField: 'System.State', direction: 'plan-to-ado' as const, enabled: false }].reverse(),
      enabled: false,
    }));
    expect(updated.mapping.map((m) => m.id)).toEqual(['state', 'title']);
    expect(updated.enabled).toBe(false);
    expect(updated.hierarchy).toEqual(sampleIntegration('Apollo').hierarchy);
    await expect(t.store.integrations.update(tenantId, 'missing', () => ({ enabled: true }))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists a tenant\'s integrations by name, in pages', async () => {
    const tenantId = tenant();
    for (const name of ['Delta', 'Alpha', 'Charlie', 'Bravo']) await t.store.integrations.create(tenantId, sampleIntegration(name));
    const first = await t.store.integrations.list(tenantId, { pageSize: 3 });
    expect(first.items.map((i) => i.name)).toEqual(['Alpha', 'Bravo', 'Charlie']);
    const second = await t.store.integrations.list(tenantId, { pageSize: 3, continuation: first.continuation });
    expect(second.items.map((i) => i.name)).toEqual(['Delta']);
    expect(second.continuation).toBeUndefined();
  });

  it('removes an integration', async () => {
    const tenantId = tenant();
    const created = await t.store.integrations.create(tenantId, sampleIntegration('Gone'));
    expect(await t.store.integrations.remove(tenantId, created.id)).toBe(true);
    expect(await t.store.integrations.get(tenantId, created.id)).toBeUndefined();
  });
});
