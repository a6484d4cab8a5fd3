import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, tenant, type TestStore } from '../../store/support.js';

/** The pending sign-in records in Cosmos: sealed verifier, single use under races, expiry, and no clash with leases. */
describe('pending PWA sign-ins in the store', () => {
  let db: TestStore;
  beforeAll(async () => {
    db = await openTestStore();
  });
  afterAll(async () => {
    await db.dispose();
  });

  const input = (verifier: string) => ({
    requestedBy: { id: '29:u' }, conversation: { conversation: { id: 'c' } }, draft: { system: 'pwa' as const, name: 'PWA', url: 'https://contoso.sharepoint.com/sites/pwa' },
    verifier, nonce: 'n', authorizeUrl: 'https://login.example/authorize', ttlMs: 600_000,
  });

  it('stores the PKCE verifier sealed and hands it back once', async () => {
    const t = tenant();
    const verifier = 'verifier-that-must-not-be-stored-in-clear-0123456789';
    const doc = await db.store.signIns.create(t, 'k'.repeat(43), input(verifier));
    expect(JSON.stringify(doc)).not.toContain(verifier);
    expect(JSON.stringify(doc)).not.toContain('k'.repeat(43));
    const taken = await db.store.signIns.take(t, 'k'.repeat(43));
    expect(taken).toMatchObject({ ok: true, verifier, pending: { draft: { name: 'PWA' } } });
    expect(await db.store.signIns.take(t, 'k'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
  });

  it('lets exactly one of two simultaneous callbacks use a sign-in', async () => {
    const t = tenant();
    await db.store.signIns.create(t, 'r'.repeat(43), input('v'));
    const results = await Promise.all([db.store.signIns.take(t, 'r'.repeat(43)), db.store.signIns.take(t, 'r'.repeat(43))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('is not found from another tenant, and lives beside leases without disturbing them', async () => {
    const t = tenant();
    await db.store.signIns.create(t, 's'.repeat(43), input('v'));
    const lease = await db.store.leases.acquire(t, 'scheduler', 'me', 60_000);
    expect(lease?.owner).toBe('me');
    expect(await db.store.signIns.take(tenant(), 's'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
    expect((await db.store.signIns.take(t, 's'.repeat(43))).ok).toBe(true);
    expect((await db.store.leases.get(t, 'scheduler'))?.owner).toBe('me');
  });
});
