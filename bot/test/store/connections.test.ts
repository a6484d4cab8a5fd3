import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/store/index.js';
import { openTestStore, tenant, type TestStore } from './support.js';

const PAT = 'pat-4f1c2e9a7b-connections-test-secret';

describe('connections (contract)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('creates a connection with an encrypted credential and reads it back by id', async () => {
    const tenantId = tenant();
    const created = await t.store.connections.create(tenantId, {
      kind: 'ado', name: 'Contoso ADO', url: 'https://dev.azure.com/contoso', auth: { type: 'pat' }, secret: PAT, createdBy: 'aad-user-1',
    });
    const read = await t.store.connections.get(tenantId, created.id);
    expect(read).toMatchObject({ kind: 'ado', name: 'Contoso ADO', url: 'https://dev.azure.com/contoso', auth: { type: 'pat' }, createdBy: 'aad-user-1', schemaVersion: 1 });
    expect(JSON.stringify(read)).not.toContain(PAT);
    expect(read?.secret?.kid).toBe(t.store.secrets.activeKeyId);
    expect(await t.store.connections.revealSecret(read!)).toBe(PAT);
  });

  it('lists a tenant\'s connections, optionally by kind', async () => {
    const tenantId = tenant();
    await t.store.connections.create(tenantId, { kind: 'ado', name: 'b-ado', url: 'https://dev.azure.com/b', auth: { type: 'pat' } });
    await t.store.connections.create(tenantId, { kind: 'pwa', name: 'a-pwa', url: 'https://contoso.sharepoint.com/sites/pwa', auth: { type: 'oauth' } });
    expect((await t.store.connections.list(tenantId)).map((c) => c.name)).toEqual(['a-pwa', 'b-ado']);
    expect((await t.store.connections.list(tenantId, { kind: 'pwa' })).map((c) => c.name)).toEqual(['a-pwa']);
  });

  it('updates fields and the credential with optimistic concurrency', async () => {
    const tenantId = tenant();
    const c = await t.store.connections.create(tenantId, { kind: 'pwa', name: 'PWA', url: 'https://p/sites/pwa', auth: { type: 'basic', username: 'svc' }, secret: 'old-password' });
    const renamed = await t.store.connections.update(tenantId, c.id, () => ({ name: 'Project Online', check: { ok: true, checkedAt: '2025-01-01T00:00:00.000Z' } }));
    expect(renamed.name).toBe('Project Online');
    expect(await t.store.connections.revealSecret(renamed)).toBe('old-password');
    const rekeyed = await t.store.connections.setSecret(tenantId, c.id, 'new-password');
    expect(await t.store.connections.revealSecret(rekeyed)).toBe('new-password');
    expect(rekeyed.name).toBe('Project Online');
  });

  it('reports a missing connection on update, and remove says whether it deleted', async () => {
    const tenantId = tenant();
    await expect(t.store.connections.update(tenantId, 'nope', () => ({ name: 'x' }))).rejects.toBeInstanceOf(NotFoundError);
    const c = await t.store.connections.create(tenantId, { kind: 'ado', name: 'x', url: 'https://dev.azure.com/x', auth: { type: 'pat' } });
    expect(await t.store.connections.remove(tenantId, c.id)).toBe(true);
    expect(await t.store.connections.remove(tenantId, c.id)).toBe(false);
    expect(await t.store.connections.get(tenantId, c.id)).toBeUndefined();
  });

  it('a ciphertext copied onto another connection does not decrypt there', async () => {
    const tenantId = tenant();
    const a = await t.store.connections.create(tenantId, { kind: 'ado', name: 'a', url: 'https://dev.azure.com/a', auth: { type: 'pat' }, secret: PAT });
    const b = await t.store.connections.create(tenantId, { kind: 'ado', name: 'b', url: 'https://dev.azure.com/b', auth: { type: 'pat' } });
    await expect(t.store.connections.revealSecret({ ...b, secret: a.secret })).rejects.toThrow(/did not decrypt/);
  });
});
