/**
 * The ScheduleBook contract, pinned from the production book (createCosmosScheduleBook on the
 * integration documents in the embedded Cosmos store) and run against every implementation.
 * What only a store has (disabled integrations, unreadable documents, the rest of the integration
 * document) stays in bot/test/jobs/cosmos-schedule-book.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleBook } from '../../src/jobs/index.js';
import type { IntegrationKey } from '../../src/jobs/runner.js';
import type { Schedule } from '../../src/schedule/index.js';
import { LeaseLostError } from '../../src/store/leases.js';
import { tenant } from '../store/support.js';

export interface ScheduleBookFixture {
  readonly book: ScheduleBook;
  /** An integration the book may schedule (the store needs its document to exist). */
  integration(tenantId: string, name: string): Promise<IntegrationKey>;
  dispose(): Promise<void>;
}

const daily = { kind: 'daily', time: '09:00', timeZone: 'Europe/Berlin' } as const satisfies Schedule;
const ran = (start: string, finish: string, outcome: 'succeeded' | 'failed' = 'succeeded') => ({ startedAt: new Date(start), finishedAt: new Date(finish), outcome });

export function describeScheduleBookContract(name: string, make: () => Promise<ScheduleBookFixture>): void {
  describe(`ScheduleBook contract: ${name}`, () => {
    let f: ScheduleBookFixture;
    let book: ScheduleBook;
    beforeAll(async () => {
      f = await make();
      book = f.book;
    });
    afterAll(async () => f?.dispose());

    it('finds due schedules across tenants, oldest first, each with its own tenant; not before they are due; at most `limit`', async () => {
      const [t1, t2] = [tenant('a'), tenant('b')];
      const a = await f.integration(t1, 'Apollo');
      const b = await f.integration(t2, 'Hermes');
      await f.integration(t2, 'Unscheduled');
      await book.set(a, daily, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-05T12:00:00Z')); // due 2031-01-06T08:00Z
      await book.set(b, { ...daily, time: '07:00' }, new Date('2031-01-01T00:00:00Z'), new Date('2031-01-05T12:00:00Z')); // 06:00Z

      const mine = (entries: Awaited<ReturnType<ScheduleBook['due']>>) => entries.filter((e) => [t1, t2].includes(e.tenantId));
      const due = mine(await book.due(new Date('2031-01-06T08:00:00Z'), 100));
      expect(due.map((e) => [e.tenantId, e.integrationId, e.state.nextRunAt])).toEqual([
        [t2, b.integrationId, '2031-01-06T06:00:00.000Z'],
        [t1, a.integrationId, '2031-01-06T08:00:00.000Z'],
      ]);
      expect(mine(await book.due(new Date('2031-01-06T07:00:00Z'), 100)).map((e) => e.tenantId)).toEqual([t2]);
      expect(mine(await book.due(new Date('2031-01-06T05:59:59Z'), 100))).toEqual([]);
      expect((await book.due(new Date('2031-01-06T08:00:00Z'), 1))).toHaveLength(1);
    });

    it('completing a slot moves the due time (across a clock change); a stale completion does not move it again', async () => {
      const key = await f.integration(tenant(), 'Apollo');
      const entry = await book.set(key, daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-03-29T12:00:00Z'));
      expect(entry).toMatchObject({ ...key, state: { schedule: daily, nextRunAt: '2030-03-30T08:00:00.000Z' } }); // CET; the clocks change on the 31st
      const done = await book.complete(key, entry.state.nextRunAt!, ran('2030-03-30T08:00:01Z', '2030-03-30T08:02:00Z'), { failures: 0 });
      expect(done?.state.nextRunAt).toBe('2030-03-31T07:00:00.000Z'); // 09:00 CEST
      await book.complete(key, entry.state.nextRunAt!, ran('2030-03-30T08:00:01Z', '2030-03-30T08:03:00Z'), { failures: 0 });
      expect(await book.get(key)).toMatchObject({ ...key, state: { schedule: daily, nextRunAt: '2030-03-31T07:00:00.000Z', lastSuccessStartedAt: '2030-03-30T08:00:01.000Z' }, streak: { failures: 0 } });
    });

    it('records the failure streak given with a completion', async () => {
      const key = await f.integration(tenant(), 'Streaky');
      const entry = await book.set(key, daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-07T12:00:00Z'));
      await book.complete(key, entry.state.nextRunAt!, ran('2030-01-08T08:00:01Z', '2030-01-08T08:01:00Z', 'failed'), { failures: 1 });
      expect((await book.get(key))?.streak).toEqual({ failures: 1 });
    });

    it('a pause takes the schedule out of the due list, a resume puts it back; approval is kept', async () => {
      const key = await f.integration(tenant(), 'Pausable');
      const entry = await book.set(key, daily, new Date('2032-01-01T00:00:00Z'), new Date('2032-01-05T12:00:00Z'));
      expect((await book.setApproval(key, 'auto-when-clean'))?.state.approval).toBe('auto-when-clean');
      const paused = await book.setPaused(key, true, new Date('2032-01-05T13:00:00Z'));
      expect(paused?.state.nextRunAt).toBeUndefined();
      expect((await book.due(new Date('2032-02-01T00:00:00Z'), 1000)).some((e) => e.integrationId === key.integrationId)).toBe(false);
      const resumed = await book.setPaused(key, false, new Date('2032-01-05T14:00:00Z'));
      expect(resumed?.state.nextRunAt).toBe(entry.state.nextRunAt);
      expect(await book.get(key)).toMatchObject({ state: { approval: 'auto-when-clean', nextRunAt: entry.state.nextRunAt } });
    });

    it('an integration without a schedule has no entry, and nothing changes one', async () => {
      const key = await f.integration(tenant(), 'Unscheduled');
      expect(await book.get(key)).toBeUndefined();
      expect(await book.setPaused(key, true, new Date())).toBeUndefined();
      expect(await book.setApproval(key, 'preview')).toBeUndefined();
      expect(await book.begin(key, 1)).toBeUndefined();
      expect(await book.complete(key, '2030-01-01T00:00:00.000Z', ran('2030-01-01T00:00:00Z', '2030-01-01T00:01:00Z'), { failures: 0 })).toBeUndefined();
      expect(await book.get(key)).toBeUndefined();
    });

    it('fencing: a run that began at a later lease epoch stops an older holder from completing, even after the schedule changes', async () => {
      const key = await f.integration(tenant(), 'Fenced');
      const entry = await book.set(key, daily, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-07T12:00:00Z'));
      const slot = entry.state.nextRunAt!;
      expect((await book.begin(key, 1))?.fence).toBe(1);
      expect((await book.begin(key, 2))?.fence).toBe(2);
      await expect(book.begin(key, 1)).rejects.toBeInstanceOf(LeaseLostError);
      await book.set(key, { ...daily, time: '10:00' }, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-07T12:00:00Z'));
      await expect(book.complete(key, slot, ran('2030-01-08T08:00:01Z', '2030-01-08T08:01:00Z'), { failures: 0 }, 1)).rejects.toBeInstanceOf(LeaseLostError);
      expect((await book.get(key))?.state.lastSuccessStartedAt).toBeUndefined();
      const done = await book.complete(key, slot, ran('2030-01-08T08:00:01Z', '2030-01-08T08:01:00Z'), { failures: 0 }, 2);
      expect(done).toMatchObject({ fence: 2, state: { lastSuccessStartedAt: '2030-01-08T08:00:01.000Z' } });
    });
  });
}
