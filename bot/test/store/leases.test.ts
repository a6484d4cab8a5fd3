import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError, SYSTEM_TENANT } from '../../src/store/index.js';
import { openTestStore, tenant, type TestStore } from './support.js';

describe('job leases (contract)', () => {
  let t: TestStore;
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  beforeAll(async () => {
    t = await openTestStore({ now: () => new Date(clock) });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('gives a free lease to exactly one of several racing instances', async () => {
    const tenantId = tenant();
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((owner) => t.store.leases.acquire(tenantId, 'sync:apollo', owner, 60_000)));
    const winners = results.filter((l) => l !== undefined);
    expect(winners).toHaveLength(1);
    expect((await t.store.leases.get(tenantId, 'sync:apollo'))?.owner).toBe(winners[0]!.owner);
  });

  it('refuses a held lease until it expires, then hands it over', async () => {
    const tenantId = tenant();
    const held = await t.store.leases.acquire(tenantId, 'job', 'instance-1', 30_000);
    expect(held?.owner).toBe('instance-1');
    expect(await t.store.leases.acquire(tenantId, 'job', 'instance-2', 30_000)).toBeUndefined();
    clock += 30_001;
    const taken = await t.store.leases.acquire(tenantId, 'job', 'instance-2', 30_000);
    expect(taken?.owner).toBe('instance-2');
    // The old holder finds out when it tries to renew.
    await expect(t.store.leases.renew(held!, 30_000)).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('renews a held lease and lets its owner re-acquire it', async () => {
    const tenantId = tenant();
    const lease = (await t.store.leases.acquire(tenantId, 'renewable', 'me', 10_000))!;
    clock += 5_000;
    const renewed = await t.store.leases.renew(lease, 10_000);
    expect(Date.parse(renewed.expiresAt)).toBe(clock + 10_000);
    expect(renewed.acquiredAt).toBe(lease.acquiredAt);
    expect((await t.store.leases.acquire(tenantId, 'renewable', 'me', 10_000))?.owner).toBe('me');
  });

  it('releases a lease so another instance can take it at once', async () => {
    const lease = (await t.store.leases.acquire(SYSTEM_TENANT, 'scheduler-tick', 'one', 60_000))!;
    await t.store.leases.release(lease);
    expect((await t.store.leases.acquire(SYSTEM_TENANT, 'scheduler-tick', 'two', 60_000))?.owner).toBe('two');
  });

  it('a stale release leaves the new holder\'s lease alone', async () => {
    const tenantId = tenant();
    const old = (await t.store.leases.acquire(tenantId, 'x', 'old', 1_000))!;
    clock += 2_000;
    await t.store.leases.acquire(tenantId, 'x', 'new', 60_000);
    await t.store.leases.release(old);
    expect((await t.store.leases.get(tenantId, 'x'))?.owner).toBe('new');
  });

  it('bumps the epoch on every acquisition, keeps it on renewal, and never resets it (release keeps a marker)', async () => {
    const tenantId = tenant();
    const first = (await t.store.leases.acquire(tenantId, 'fenced', 'a', 10_000))!;
    expect(first.epoch).toBe(1);
    expect((await t.store.leases.renew(first, 10_000)).epoch).toBe(1);
    clock += 10_001;
    const taken = (await t.store.leases.acquire(tenantId, 'fenced', 'b', 10_000))!;
    expect(taken).toMatchObject({ epoch: 2, takenOver: { owner: 'a' } });
    const again = (await t.store.leases.acquire(tenantId, 'fenced', 'b', 10_000))!;
    expect(again.epoch).toBe(3); // even its own holder's re-acquisition is a new epoch
    await t.store.leases.release(again);
    expect(await t.store.leases.get(tenantId, 'fenced')).toBeUndefined();
    const next = (await t.store.leases.acquire(tenantId, 'fenced', 'c', 10_000))!;
    expect(next.epoch).toBe(4);
    expect(next.takenOver).toBeUndefined(); // a released lease is free, not taken over
    // The holder of an older epoch cannot renew.
    await expect(t.store.leases.renew(again, 10_000)).rejects.toBeInstanceOf(LeaseLostError);
  });
});
