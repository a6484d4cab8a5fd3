/**
 * The PlanSide contract: what every implementation of the engine's plan port must do, pinned from
 * the production adapter (bot/src/adapters/plan-side.ts over the real PWA connector against
 * sim/pwa). Run it against every implementation, so a double never stores what production drops
 * or skips a value Project computes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PWA_WRITE_LIMITS } from '../../src/adapters/plan-side.js';
import type { FieldValue, Item } from '../../src/sync/model.js';
import type { PlanSide, PlanWrite } from '../../src/sync/ports.js';
import type { WriteLimits } from '../../src/sync/write-limits.js';

export interface PlanSideFixture {
  readonly side: PlanSide;
  readonly projectId: string;
  /** A text task custom field the plan site has. */
  readonly textCustomField: string;
  /**
   * Where plan systems differ, what this one does (each defaults to Project Web App's behaviour):
   * - `limits`: what the plan system computes (default PWA_WRITE_LIMITS);
   * - `workChange`: a new Work keeps the actual work and % complete follows (Project), or keeps
   *   % complete and actual work follows (Planner premium: completed = effort x progress);
   * - `toTopLevel`: whether a task can be moved back to the top level (Planner premium's schedule
   *   APIs refuse un-parenting, and the batch fails with nothing written).
   */
  readonly system?: {
    readonly limits?: WriteLimits;
    readonly workChange?: 'keeps-actual-work' | 'keeps-progress';
    readonly toTopLevel?: 'moves' | 'refused';
  };
  dispose(): Promise<void>;
}

/** The field names every plan item carries (the PWA task properties the default mapping uses). */
export const PLAN_FIELDS = ['Name', 'Start', 'Finish', 'Work', 'RemainingWork', 'ActualWork', 'PercentComplete', 'Notes', 'ResourceNames', 'Duration'];

/**
 * Defects of an implementation that the contract has found and that cannot be fixed in the test
 * tree. Each named check then runs as `it.fails`: it must still fail (so the note stays true), and
 * it turns red the day the defect is fixed, asking for the note to be removed. Doubles never get any.
 */
export interface KnownDefects {
  /** Versions do not change on every published change (e.g. a timestamp of one-second resolution). */
  readonly versionResolution?: string;
}

/** Waits for the start of a wall-clock second, so the steps after it share one second (the hard case for time-based versions). */
const startOfSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 1));

const SITE_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const HOURS = /^\d+(\.\d+)?h$/;

export function describePlanSideContract(name: string, make: () => Promise<PlanSideFixture>, knownDefects: KnownDefects = {}): void {
  describe(`PlanSide contract: ${name}`, () => {
    const versionCheck = knownDefects.versionResolution ? it.fails : it;
    const versionNote = knownDefects.versionResolution ? ` [KNOWN DEFECT: ${knownDefects.versionResolution}]` : '';
    let f: PlanSideFixture;
    let side: PlanSide;
    beforeAll(async () => {
      f = await make();
      side = f.side;
    });
    afterAll(async () => f?.dispose());

    const key = (): string => randomUUID();
    let op = 0;
    const opId = (): string => `op-${++op}`;
    const all = async (): Promise<Item[]> => side.readScope({ projectId: f.projectId, tasks: 'all' });
    const read = async (k: string): Promise<Item> => {
      const [item] = await side.readByKeys(f.projectId, [k]);
      if (!item) throw new Error(`task ${k} is not there`);
      return item;
    };
    const create = (k: string, fields: Record<string, FieldValue>, parentKey: string | null = null): PlanWrite => ({ kind: 'create', opId: opId(), key: k, parentKey, fields });
    const apply = (writes: PlanWrite[]) => side.applyBatch(f.projectId, writes);
    const done = (writes: PlanWrite[]) => writes.map((w) => ({ opId: w.opId, status: 'done' }));

    it('declares the same write limits as production: what the plan system computes and PlanBridge never writes', () => {
      expect(side.limits).toEqual(f.system?.limits ?? PWA_WRITE_LIMITS);
    });

    it('readScope gives every task with the PWA field names, its parent, a version, and type "Summary" for a parent', async () => {
      const [parent, child] = [key(), key()];
      const writes = [create(parent, { Name: 'Scope summary' }), create(child, { Name: 'Scope child' }, parent)];
      expect(await apply(writes)).toEqual(done(writes));
      const items = await all();
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const item of items) {
        expect(item.system).toBe('plan');
        expect(Object.keys(item.fields)).toEqual(expect.arrayContaining(PLAN_FIELDS));
        expect(typeof item.fields.Name).toBe('string');
        for (const f of ['Work', 'RemainingWork', 'ActualWork', 'Duration']) expect(String(item.fields[f])).toMatch(HOURS);
        expect(typeof item.fields.PercentComplete).toBe('number');
        expect(typeof item.fields.Notes).toBe('string');
        expect(typeof item.fields.ResourceNames).toBe('string');
        expect(String(item.version)).not.toBe('');
        expect(item.type).toBe(items.some((i) => i.parentKey === item.key) ? 'Summary' : 'Task');
      }
      const byKey = new Map(items.map((i) => [i.key, i]));
      expect(byKey.get(parent)).toMatchObject({ type: 'Summary', parentKey: null });
      expect(byKey.get(child)).toMatchObject({ type: 'Task', parentKey: parent, fields: expect.objectContaining({ Name: 'Scope child' }) });
    });

    it('readByKeys returns the given tasks and omits missing ones', async () => {
      const [a, b] = [key(), key()];
      await apply([create(a, { Name: 'Read A' }), create(b, { Name: 'Read B' })]);
      const items = await side.readByKeys(f.projectId, [a, key(), b]);
      expect(items.map((i) => i.key).sort()).toEqual([a, b].sort());
    });

    it('a created task holds what Project keeps: name, dates, notes, Work and % complete written; remaining and actual work computed; resources not written', async () => {
      const k = key();
      const writes = [create(k, {
        Name: 'Created with everything', Start: '2026-04-06T08:00:00', Finish: '2026-04-08T17:00:00', Notes: 'Some notes',
        Work: '12h', PercentComplete: 25, RemainingWork: '2h', ActualWork: '1h', ResourceNames: 'Chen Wu',
      })];
      expect(await apply(writes)).toEqual(done(writes));
      const item = await read(k);
      expect(item).toMatchObject({ key: k, system: 'plan', type: 'Task', parentKey: null });
      expect(item.fields).toMatchObject({
        Name: 'Created with everything', Start: '2026-04-06T08:00:00', Finish: '2026-04-08T17:00:00', Notes: 'Some notes',
        Work: '12h', PercentComplete: 25, RemainingWork: '9h', ActualWork: '3h', ResourceNames: '',
      });
    });

    it('a task created with only a name gets dates, no work, 0 % and empty notes and resources', async () => {
      const k = key();
      await apply([create(k, { Name: 'Bare' })]);
      const { fields } = await read(k);
      expect(fields.Start).toMatch(SITE_LOCAL);
      expect(fields.Finish).toMatch(SITE_LOCAL);
      expect(String(fields.Finish) >= String(fields.Start)).toBe(true);
      expect(fields).toMatchObject({ Name: 'Bare', Work: '0h', RemainingWork: '0h', ActualWork: '0h', PercentComplete: 0, Notes: '', ResourceNames: '' });
    });

    it('create uses the given key; a rerun with the same key counts as done and neither makes a twin nor rewrites the task', async () => {
      const k = key();
      const first = [create(k, { Name: 'Exactly once', Work: '4h' })];
      expect(await apply(first)).toEqual(done(first));
      const rerun = [create(k, { Name: 'Exactly once (rerun)', Work: '8h' })];
      expect(await apply(rerun)).toEqual(done(rerun));
      const items = (await all()).filter((i) => i.key === k || String(i.fields.Name).startsWith('Exactly once'));
      expect(items).toHaveLength(1);
      expect(items[0]!.fields).toMatchObject({ Name: 'Exactly once', Work: '4h' });
    });

    it('update with the current version is done, the values read back, and remaining and actual work follow Work and % complete', async () => {
      const k = key();
      await apply([create(k, { Name: 'To update', Start: '2026-04-06T08:00:00', Finish: '2026-04-06T17:00:00' })]);
      const before = await read(k);
      const writes: PlanWrite[] = [{ kind: 'update', opId: opId(), key: k, expectedVersion: before.version, fields: { Name: 'Updated', Work: '20h', PercentComplete: 50, RemainingWork: '1h', Notes: 'new notes', Finish: '2026-04-09T17:00:00' } }];
      expect(await apply(writes)).toEqual(done(writes));
      const after = await read(k);
      expect(after.fields).toMatchObject({ Name: 'Updated', Work: '20h', PercentComplete: 50, RemainingWork: '10h', ActualWork: '10h', Notes: 'new notes', Start: '2026-04-06T08:00:00', Finish: '2026-04-09T17:00:00' });
    });

    it('work done is kept as the plan system keeps it: % complete sets actual work; a new Work keeps the actual work (Project) or the % complete (Planner premium)', async () => {
      const k = key();
      await apply([create(k, { Name: 'Work kept', Work: '10h' })]);
      const update = async (fields: Record<string, FieldValue>) => {
        const w: PlanWrite = { kind: 'update', opId: opId(), key: k, expectedVersion: (await read(k)).version, fields };
        expect(await apply([w])).toEqual(done([w]));
        return (await read(k)).fields;
      };
      expect(await update({ PercentComplete: 50 })).toMatchObject({ Work: '10h', ActualWork: '5h', RemainingWork: '5h', PercentComplete: 50 });
      if ((f.system?.workChange ?? 'keeps-actual-work') === 'keeps-actual-work') {
        expect(await update({ Work: '20h' })).toMatchObject({ Work: '20h', ActualWork: '5h', RemainingWork: '15h' });
        expect(await update({ Work: '2h' })).toMatchObject({ Work: '5h', ActualWork: '5h', RemainingWork: '0h' });
      } else {
        expect(await update({ Work: '20h' })).toMatchObject({ Work: '20h', ActualWork: '10h', RemainingWork: '10h', PercentComplete: 50 });
        expect(await update({ Work: '2h' })).toMatchObject({ Work: '2h', ActualWork: '1h', RemainingWork: '1h', PercentComplete: 50 });
      }
    });

    versionCheck(`every published change makes a new version: a write against a version read before an update is "stale", even within the same second${versionNote}`, async () => {
      const k = key();
      await startOfSecond();
      await apply([create(k, { Name: 'Versioned' })]);
      const v1 = (await read(k)).version;
      const first: PlanWrite[] = [{ kind: 'update', opId: opId(), key: k, expectedVersion: v1, fields: { Name: 'Versioned 2' } }];
      expect(await apply(first)).toEqual(done(first));
      expect((await read(k)).version).not.toEqual(v1);
      const lost: PlanWrite[] = [{ kind: 'update', opId: opId(), key: k, expectedVersion: v1, fields: { Name: 'Lost update' } }];
      expect(await apply(lost)).toEqual([{ opId: lost[0]!.opId, status: 'stale' }]);
      expect((await read(k)).fields.Name).toBe('Versioned 2');
    });

    versionCheck(`a summary gets a new version when a subtask changes its roll-up${versionNote}`, async () => {
      const [p, c] = [key(), key()];
      await startOfSecond();
      await apply([create(p, { Name: 'Versioned summary' }), create(c, { Name: 'Versioned child', Work: '4h' }, p)]);
      const before = await read(p);
      await apply([{ kind: 'update', opId: opId(), key: c, expectedVersion: (await read(c)).version, fields: { Work: '6h' } }]);
      const after = await read(p);
      expect(after.fields.Work).toBe('6h');
      expect(after.version).not.toEqual(before.version);
    });

    it('a new Start without a Finish keeps the task\'s duration: Project moves the Finish with it', async () => {
      const k = key();
      await apply([create(k, { Name: 'Three days', Start: '2026-04-06T08:00:00', Finish: '2026-04-08T17:00:00' })]);
      const writes: PlanWrite[] = [{ kind: 'update', opId: opId(), key: k, expectedVersion: (await read(k)).version, fields: { Start: '2026-04-13T08:00:00' } }];
      expect(await apply(writes)).toEqual(done(writes));
      expect((await read(k)).fields).toMatchObject({ Start: '2026-04-13T08:00:00', Finish: '2026-04-15T17:00:00' });
    });

    it('update with a stale version is "stale" and writes nothing; the other writes of the batch still land', async () => {
      const [a, b] = [key(), key()];
      await apply([create(a, { Name: 'Stale target' }), create(b, { Name: 'Fresh target' })]);
      const current = await read(b);
      const writes: PlanWrite[] = [
        { kind: 'update', opId: opId(), key: a, expectedVersion: 'an-older-version', fields: { Name: 'Should not land' } },
        { kind: 'update', opId: opId(), key: b, expectedVersion: current.version, fields: { Name: 'Landed' } },
      ];
      expect(await apply(writes)).toEqual([{ opId: writes[0]!.opId, status: 'stale' }, { opId: writes[1]!.opId, status: 'done' }]);
      expect((await read(a)).fields.Name).toBe('Stale target');
      expect((await read(b)).fields.Name).toBe('Landed');
    });

    it('update moves a task under another parent (which becomes a summary) and back to the top level, where the plan system allows it', async () => {
      const [p, c] = [key(), key()];
      await apply([create(p, { Name: 'New parent' }), create(c, { Name: 'Mover' })]);
      const moved = [{ kind: 'update', opId: opId(), key: c, expectedVersion: (await read(c)).version, fields: {}, parentKey: p } as PlanWrite];
      expect(await apply(moved)).toEqual(done(moved));
      expect((await read(c)).parentKey).toBe(p);
      expect((await read(p)).type).toBe('Summary');
      const back = [{ kind: 'update', opId: opId(), key: c, expectedVersion: (await read(c)).version, fields: {}, parentKey: null } as PlanWrite];
      if ((f.system?.toTopLevel ?? 'moves') === 'refused') {
        await expect(apply(back)).rejects.toThrow(/top level/);
        expect((await read(c)).parentKey).toBe(p);
        expect((await read(p)).type).toBe('Summary');
        return;
      }
      expect(await apply(back)).toEqual(done(back));
      expect((await read(c)).parentKey).toBeNull();
      expect((await read(p)).type).toBe('Task');
    });

    it('a summary rolls up from its subtasks: Work is their sum, dates span theirs, % complete is weighted by work; a Work written on it does not stick', async () => {
      const [p, a, b] = [key(), key(), key()];
      await apply([
        create(p, { Name: 'Roll-up summary', Work: '100h' }),
        create(a, { Name: 'Roll-up A', Start: '2026-04-06T08:00:00', Finish: '2026-04-07T17:00:00', Work: '10h', PercentComplete: 50 }, p),
        create(b, { Name: 'Roll-up B', Start: '2026-04-08T08:00:00', Finish: '2026-04-10T17:00:00', Work: '30h' }, p),
      ]);
      const summary = await read(p);
      expect(summary).toMatchObject({ type: 'Summary', fields: expect.objectContaining({ Work: '40h', Start: '2026-04-06T08:00:00', Finish: '2026-04-10T17:00:00', PercentComplete: 13 }) });

      const write = [{ kind: 'update', opId: opId(), key: p, expectedVersion: summary.version, fields: { Work: '999h' } } as PlanWrite];
      expect(await apply(write)).toEqual(done(write));
      expect((await read(p)).fields.Work).toBe('40h');

      const child = await read(b);
      await apply([{ kind: 'update', opId: opId(), key: b, expectedVersion: child.version, fields: { Work: '50h', Finish: '2026-04-13T17:00:00' } }]);
      expect((await read(p)).fields).toMatchObject({ Work: '60h', Finish: '2026-04-13T17:00:00' });
    });

    it('delete with the current version removes the task in the same cycle; with a stale version, or for a task already gone, it is "stale"', async () => {
      const [a, b] = [key(), key()];
      await apply([create(a, { Name: 'Delete me' }), create(b, { Name: 'Keep me' })]);
      const current = await read(a);
      const stale: PlanWrite[] = [{ kind: 'delete', opId: opId(), key: b, expectedVersion: 'an-older-version' }];
      expect(await apply(stale)).toEqual([{ opId: stale[0]!.opId, status: 'stale' }]);
      expect(await side.readByKeys(f.projectId, [b])).toHaveLength(1);

      const del: PlanWrite[] = [{ kind: 'delete', opId: opId(), key: a, expectedVersion: current.version }];
      expect(await apply(del)).toEqual(done(del));
      expect(await side.readByKeys(f.projectId, [a])).toEqual([]);
      expect((await all()).some((i) => i.key === a)).toBe(false);

      const again: PlanWrite[] = [{ kind: 'delete', opId: opId(), key: a, expectedVersion: current.version }];
      expect(await apply(again)).toEqual([{ opId: again[0]!.opId, status: 'stale' }]);
    });

    it('deleting a summary deletes its subtasks with it (as Project does)', async () => {
      const [p, c] = [key(), key()];
      await apply([create(p, { Name: 'Doomed summary' }), create(c, { Name: 'Doomed child' }, p)]);
      const del: PlanWrite[] = [{ kind: 'delete', opId: opId(), key: p, expectedVersion: (await read(p)).version }];
      expect(await apply(del)).toEqual(done(del));
      expect(await side.readByKeys(f.projectId, [p, c])).toEqual([]);
    });

    it('a text custom field round-trips; one the site lacks fails the whole batch and nothing is written', async () => {
      const k = key();
      await apply([create(k, { Name: 'Custom', [f.textCustomField]: 'some risk' })]);
      expect((await read(k)).fields[f.textCustomField]).toBe('some risk');

      const [x, y] = [key(), key()];
      await expect(apply([create(x, { Name: 'Fine' }), create(y, { Name: 'Bad field', 'No Such Field': 'x' })])).rejects.toThrow();
      expect(await side.readByKeys(f.projectId, [x, y])).toEqual([]);
    });
  });
}
