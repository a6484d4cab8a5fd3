import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner, leaseNameFor, type JobContext } from '../../src/jobs/index.js';
import { LeaseLostError, type LeaseRepository } from '../../src/store/index.js';
import { openTestStore, tenant, type TestStore } from '../store/support.js';

/** A promise the test resolves when it wants the work to finish. */
function gate(): { open: () => void; wait: Promise<void> } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { open, wait };
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('JobRunner with leases in Cosmos (embedded server)', () => {
  let t: TestStore;
  let clock = Date.parse('2025-11-24T08:00:00.000Z');
  const now = (): Date => new Date(clock);
  beforeAll(async () => {
    t = await openTestStore({ now });
  });
  afterAll(async () => {
    await t?.dispose();
  });
  /** An "instance": its own owner id; timers that never fire unless a test wants heartbeats. */
  const instance = (owner: string, extra: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}): JobRunner =>
    new JobRunner({ leases: t.store.leases, owner, leaseTtlMs: 60_000, heartbeatMs: 59_000, now, ...extra });

  it('two instances never run the same integration at once; the loser learns which job holds it', async () => {
    const key = { tenantId: tenant(), integrationId: 'apollo' };
    const a = instance('instance-a');
    const b = instance('instance-b');
    const g = gate();
    const first = a.run(key, { kind: 'schedule', key: 'schedule:slot-1' }, async () => { await g.wait; return 'synced'; });
    await until(async () => (await t.store.leases.get(key.tenantId, leaseNameFor('apollo')))?.owner === 'instance-a', 'instance-a to hold the lease');
    const second = await b.run(key, { kind: 'chat', key: 'chat:42' }, async () => 'should not run');
    expect(second).toEqual({ status: 'busy', heldBy: 'instance-a', until: '2025-11-24T08:01:00.000Z', job: { kind: 'schedule', key: 'schedule:slot-1' } });
    g.open();
    expect(await first).toEqual({ status: 'completed', value: 'synced', resumed: false });
    // Released: the next run starts at once.
    expect(await t.store.leases.get(key.tenantId, leaseNameFor('apollo'))).toBeUndefined();
    expect(await b.run(key, { kind: 'chat', key: 'chat:42' }, async () => 'now it runs')).toMatchObject({ status: 'completed', value: 'now it runs' });
  });

  it('one instance does not overlap itself either', async () => {
    const key = { tenantId: tenant(), integrationId: 'apollo' };
    const a = instance('instance-a');
    const g = gate();
    const first = a.run(key, { kind: 'card', key: 'approval:1' }, () => g.wait);
    const second = await a.run(key, { kind: 'card', key: 'approval:1' }, async () => undefined);
    expect(second).toMatchObject({ status: 'busy', heldBy: 'instance-a', job: { kind: 'card', key: 'approval:1' } });
    g.open();
    expect((await first).status).toBe('completed');
  });

  it('a failing work function is reported as failed and the lease is released', async () => {
    const key = { tenantId: tenant(), integrationId: 'apollo' };
    const boom = new Error('ADO said no');
    const result = await instance('instance-a').run(key, { kind: 'chat', key: 'chat:1' }, async () => { throw boom; });
    expect(result).toEqual({ status: 'failed', error: boom, resumed: false });
    expect(await t.store.leases.get(key.tenantId, leaseNameFor('apollo'))).toBeUndefined();
  });

  it('heartbeats keep the lease past its TTL while the work runs', async () => {
    const key = { tenantId: tenant(), integrationId: 'long' };
    const a = instance('instance-a', { heartbeatMs: 20 });
    const g = gate();
    const run = a.run(key, { kind: 'schedule', key: 'schedule:s' }, () => g.wait);
    await until(async () => (await t.store.leases.get(key.tenantId, leaseNameFor('long'))) !== undefined, 'the lease');
    for (let step = 0; step < 3; step++) {
      clock += 45_000; // more than the TTL in total, but never 60 s without a heartbeat
      const target = clock + 60_000;
      await until(async () => Date.parse((await t.store.leases.get(key.tenantId, leaseNameFor('long')))!.expiresAt) === target, 'a renewal');
    }
    expect(await instance('instance-b').run(key, { kind: 'chat', key: 'chat:2' }, async () => 'no')).toMatchObject({ status: 'busy', heldBy: 'instance-a' });
    g.open();
    expect((await run).status).toBe('completed');
  });

  it('a holder that stalls past expiry loses the lease: its work is aborted and the taker resumes the same job', async () => {
    const key = { tenantId: tenant(), integrationId: 'stalled' };
    const a = instance('instance-a');
    let aContext: JobContext | undefined;
    const aRun = a.run(key, { kind: 'schedule', key: 'schedule:9am' }, async (ctx) => {
      aContext = ctx;
      await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    });
    await until(() => aContext !== undefined, 'instance-a to start');
    clock += 60_001; // no heartbeat came: the lease has expired
    let bContext: JobContext | undefined;
    const bResult = await instance('instance-b').run(key, { kind: 'schedule', key: 'schedule:9am' }, async (ctx) => {
      bContext = ctx;
      // The stalled holder wakes up and tries to renew: it finds out and stops.
      await expect(aContext!.heartbeat()).rejects.toBeInstanceOf(LeaseLostError);
      return 'finished by b';
    });
    expect(bResult).toEqual({ status: 'completed', value: 'finished by b', resumed: true });
    expect(bContext).toMatchObject({ resumed: true, takenOverFrom: 'instance-a', owner: 'instance-b' });
    expect(aContext!.signal.aborted).toBe(true);
    expect(await aRun).toEqual({ status: 'abandoned', reason: expect.stringContaining('another instance holds it now') });
    // The loser does not delete the winner's lease; the winner released its own.
    expect(await t.store.leases.get(key.tenantId, leaseNameFor('stalled'))).toBeUndefined();
  });

  it('a lease left by a dead instance is taken after expiry; only the same trigger counts as a resume', async () => {
    const key = { tenantId: tenant(), integrationId: 'orphan' };
    await t.store.leases.acquire(key.tenantId, leaseNameFor('orphan'), 'dead-instance', 60_000, { kind: 'schedule', key: 'schedule:monday' });
    const b = instance('instance-b');
    expect((await b.run(key, { kind: 'schedule', key: 'schedule:monday' }, async () => 'x')).status).toBe('busy');
    clock += 60_001;
    let seen: JobContext | undefined;
    const result = await b.run(key, { kind: 'chat', key: 'chat:other' }, async (ctx) => { seen = ctx; return 'ok'; });
    expect(result).toEqual({ status: 'completed', value: 'ok', resumed: false });
    expect(seen).toMatchObject({ resumed: false, takenOverFrom: 'dead-instance' });
  });

  it('when the database stops answering, the work is aborted before the lease can lapse', async () => {
    const key = { tenantId: tenant(), integrationId: 'offline' };
    let offline = false;
    const flaky: LeaseRepository = {
      ...t.store.leases,
      renew: (lease, ttl) => (offline ? Promise.reject(new Error('connect ECONNREFUSED')) : t.store.leases.renew(lease, ttl)),
    };
    const a = new JobRunner({ leases: flaky, owner: 'instance-a', leaseTtlMs: 60_000, heartbeatMs: 59_000, now });
    const result = await a.run(key, { kind: 'schedule', key: 'schedule:x' }, async (ctx) => {
      offline = true;
      await ctx.heartbeat(); // 60 s left: a failed renewal is tolerated
      expect(ctx.signal.aborted).toBe(false);
      clock += 31_000; // under half the TTL left: give up rather than risk overlapping a successor
      await expect(ctx.heartbeat()).rejects.toBeInstanceOf(LeaseLostError);
      ctx.signal.throwIfAborted();
      return 'unreachable';
    });
    expect(result.status).toBe('abandoned');
  });

  it('abortAll stops running work and leaves the lease so a successor resumes', async () => {
    const key = { tenantId: tenant(), integrationId: 'shutdown' };
    const a = instance('instance-a');
    let started = false;
    const run = a.run(key, { kind: 'schedule', key: 'schedule:s1' }, (ctx) => new Promise((_, reject) => {
      started = true;
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
    }));
    await until(() => started, 'the work to start');
    a.abortAll();
    expect(await run).toEqual({ status: 'abandoned', reason: 'the bot instance is shutting down' });
    expect((await t.store.leases.get(key.tenantId, leaseNameFor('shutdown')))?.job).toEqual({ kind: 'schedule', key: 'schedule:s1' });
    expect(await a.run(key, { kind: 'chat', key: 'c' }, async () => 1)).toEqual({ status: 'abandoned', reason: 'the runner is stopping' });
    clock += 60_001;
    expect(await instance('instance-b').run(key, { kind: 'schedule', key: 'schedule:s1' }, async () => 'resumed')).toEqual({ status: 'completed', value: 'resumed', resumed: true });
  });

  describe('fence()', () => {
    /** Starts a run whose work waits for the test; returns its context and result. */
    async function holding(a: JobRunner, integrationId: string): Promise<{ ctx: JobContext; finish: () => void; result: Promise<unknown> }> {
      const g = gate();
      let ctx: JobContext | undefined;
      const result = a.run({ tenantId: keyTenant, integrationId }, { kind: 'schedule', key: `schedule:${integrationId}` }, async (c) => {
        ctx = c;
        await g.wait;
        await c.fence(); // the side effect at the end of the work
        return 'side effect done';
      });
      await until(() => ctx !== undefined, 'the work to start');
      return { ctx: ctx!, finish: g.open, result };
    }
    const keyTenant = tenant();
    const stored = (integrationId: string) => t.store.leases.get(keyTenant, leaseNameFor(integrationId));

    it('a holder whose lease was taken over is refused: it throws, is aborted, and does no side effect', async () => {
      const h = await holding(instance('instance-a'), 'taken');
      const held = (await stored('taken'))!;
      expect(h.ctx.epoch).toBe(held.epoch);
      // Another instance takes the lease (its clock said it had expired); the holder's own clock says it has plenty left.
      await t.store.leases.release(held);
      await t.store.leases.acquire(keyTenant, leaseNameFor('taken'), 'instance-b', 60_000);
      await expect(h.ctx.fence()).rejects.toBeInstanceOf(LeaseLostError);
      expect(h.ctx.signal.aborted).toBe(true);
      h.finish();
      expect(await h.result).toEqual({ status: 'abandoned', reason: expect.stringContaining('another instance holds it now') });
      expect((await stored('taken'))?.owner).toBe('instance-b');
    });

    it('a later epoch of the same owner fences the earlier holding too', async () => {
      const h = await holding(instance('instance-a'), 'reacquired');
      await t.store.leases.acquire(keyTenant, leaseNameFor('reacquired'), 'instance-a', 60_000);
      await expect(h.ctx.fence()).rejects.toBeInstanceOf(LeaseLostError);
      h.finish();
      expect(await h.result).toMatchObject({ status: 'abandoned' });
    });

    it('a holder that slept past its lease (own clock) gives up without trusting the store', async () => {
      let reads = 0;
      const leases: LeaseRepository = { ...t.store.leases, get: (...args) => { reads++; return t.store.leases.get(...args); } };
      const h = await holding(new JobRunner({ leases, owner: 'instance-a', leaseTtlMs: 60_000, heartbeatMs: 59_000, now }), 'slept');
      clock += 60_000; // paused for a whole TTL: no one has taken the lease yet, but anyone may now
      reads = 0;
      await expect(h.ctx.fence()).rejects.toBeInstanceOf(LeaseLostError);
      expect(reads).toBe(0);
      expect(h.ctx.signal.aborted).toBe(true);
      h.finish();
      expect(await h.result).toMatchObject({ status: 'abandoned' });
      // Its lease stays for the successor to resume.
      expect((await stored('slept'))?.owner).toBe('instance-a');
    });

    it('a healthy holder passes; with less than the margin left it renews first (etag-conditional)', async () => {
      const h = await holding(instance('instance-a'), 'healthy');
      const before = (await stored('healthy'))!;
      clock += 1_000;
      await h.ctx.fence(); // 59 s left of 60: no write
      expect((await stored('healthy'))!.etag).toBe(before.etag);
      clock += 30_000; // 29 s left, under the default margin of half the TTL
      await h.ctx.fence();
      const renewed = (await stored('healthy'))!;
      expect(Date.parse(renewed.expiresAt)).toBe(clock + 60_000);
      expect(renewed.epoch).toBe(before.epoch);
      clock += 45_000; // past the first expiry, within the renewed one
      h.finish();
      expect(await h.result).toEqual({ status: 'completed', value: 'side effect done', resumed: false });
    });
  });
});
