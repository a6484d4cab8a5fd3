/**
 * The AdoSide contract: what every implementation of the engine's ADO port must do, pinned from the
 * production adapter (bot/src/adapters/ado-side.ts over the real connector against sim/ado). Run it
 * against every implementation (like botbuilder-js `storageBaseTests`), so a test double can never
 * be kinder than production.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/sync/model.js';
import type { AdoSide } from '../../src/sync/ports.js';

export interface AdoSideFixture {
  readonly side: AdoSide;
  /** A project on the Agile process (Epic, Feature, User Story, Task; first state "New"). */
  readonly project: string;
  /** Another project of the organization that has a "Task" type. */
  readonly otherProject: string;
  dispose(): Promise<void>;
}

const tagsOf = (item: Item): string[] => String(item.fields['System.Tags'] ?? '').split(';').map((t) => t.trim()).filter((t) => t !== '');

export function describeAdoSideContract(name: string, make: () => Promise<AdoSideFixture>): void {
  describe(`AdoSide contract: ${name}`, () => {
    let f: AdoSideFixture;
    let side: AdoSide;
    beforeAll(async () => {
      f = await make();
      side = f.side;
    });
    afterAll(async () => f?.dispose());

    const marker = (): string => `planbridge:pb-${randomUUID().slice(0, 20)}`;
    const read = async (key: string): Promise<Item> => {
      const [item] = await side.readByKeys([key]);
      if (!item) throw new Error(`work item ${key} is not there`);
      return item;
    };
    const create = (title: string, options: { type?: string; parentKey?: string | null; project?: string; fields?: Record<string, string | number | null> } = {}) =>
      side.create({ project: options.project ?? f.project, type: options.type ?? 'User Story', parentKey: options.parentKey ?? null, fields: { 'System.Title': title, ...options.fields }, marker: marker() });

    it('create returns a key and a version; the item reads back with its type, fields, project and marker tag', async () => {
      const m = marker();
      const created = await side.create({ project: f.project, type: 'User Story', parentKey: null, fields: { 'System.Title': 'Contract story', 'System.Description': '<div>Why</div>' }, marker: m });
      expect(created.key).toMatch(/^\d+$/);
      expect(created.version).not.toBe('');
      const item = await read(created.key);
      expect(item).toMatchObject({ key: created.key, system: 'ado', type: 'User Story', parentKey: null, version: created.version });
      expect(item.fields).toMatchObject({ 'System.Title': 'Contract story', 'System.Description': '<div>Why</div>', 'System.TeamProject': f.project });
      expect(tagsOf(item)).toEqual([m]);
    });

    it('a created item holds what ADO sets itself: the type\'s first state, the project\'s root area and iteration', async () => {
      const item = await read((await create('Defaults')).key);
      expect(item.fields).toMatchObject({ 'System.State': 'New', 'System.AreaPath': f.project, 'System.IterationPath': f.project, 'System.WorkItemType': 'User Story' });
    });

    it('the marker joins the tags given in the create request, each tag once', async () => {
      const m = marker();
      const created = await side.create({ project: f.project, type: 'Task', parentKey: null, fields: { 'System.Title': 'Tagged', 'System.Tags': 'roadmap; q3' }, marker: m });
      expect(tagsOf(await read(created.key)).sort()).toEqual(['q3', 'roadmap', m].sort());
    });

    it('refuses a create ADO refuses: no title, or a parent that does not exist', async () => {
      await expect(side.create({ project: f.project, type: 'Task', parentKey: null, fields: { 'System.Title': '' }, marker: marker() })).rejects.toThrow();
      await expect(create('Orphan', { parentKey: '987654' })).rejects.toThrow();
    });

    it('create under a parent: the child reads back with its parent, and the parent gets a new revision (the reciprocal link)', async () => {
      const parent = await create('Parent feature', { type: 'Feature' });
      const child = await create('Child story', { parentKey: parent.key });
      expect((await read(child.key)).parentKey).toBe(parent.key);
      expect((await read(parent.key)).version).not.toEqual(parent.version);
    });

    it('readByKeys returns the given items and simply omits ids that do not exist', async () => {
      const a = await create('Read A');
      const b = await create('Read B');
      const gone = await create('Read gone');
      expect((await side.remove(gone.key, gone.version)).status).toBe('done');
      const items = await side.readByKeys([a.key, '987654', gone.key, b.key]);
      expect(items.map((i) => i.key).sort()).toEqual([a.key, b.key].sort());
      expect(await side.readByKeys([])).toEqual([]);
    });

    it('findByMarkers maps each marker found to its work item and leaves out unknown markers', async () => {
      const [m1, m2, unknown] = [marker(), marker(), marker()];
      const one = await side.create({ project: f.project, type: 'Task', parentKey: null, fields: { 'System.Title': 'Marked 1' }, marker: m1 });
      const two = await side.create({ project: f.otherProject, type: 'Task', parentKey: null, fields: { 'System.Title': 'Marked 2', 'System.Tags': 'other' }, marker: m2 });
      const found = await side.findByMarkers([m1, m2, unknown]);
      expect(new Map(found)).toEqual(new Map([[m1, one.key], [m2, two.key]]));
    });

    it('update with the current version is done, returns the new version, and the values read back', async () => {
      const created = await create('Before');
      const result = await side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Title': 'After', 'Microsoft.VSTS.Scheduling.StoryPoints': 5 } });
      expect(result.status).toBe('done');
      const item = await read(created.key);
      expect(result).toEqual({ status: 'done', version: item.version });
      expect(item.version).not.toEqual(created.version);
      expect(item.fields).toMatchObject({ 'System.Title': 'After', 'Microsoft.VSTS.Scheduling.StoryPoints': 5 });
    });

    it('update with a stale version is "stale" and writes nothing', async () => {
      const created = await create('Guarded');
      const first = await side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Title': 'Guarded 2' } });
      expect(first.status).toBe('done');
      const result = await side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Title': 'Lost update' } });
      expect(result).toEqual({ status: 'stale' });
      const item = await read(created.key);
      expect(item.fields['System.Title']).toBe('Guarded 2');
      expect(item.version).toEqual(first.status === 'done' ? first.version : undefined);
    });

    it('update with a null value removes the field', async () => {
      const created = await create('Clearing', { fields: { 'System.Description': '<div>to clear</div>' } });
      const result = await side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Description': null } });
      expect(result.status).toBe('done');
      expect((await read(created.key)).fields).not.toHaveProperty('System.Description');
    });

    it('an update that changes no value is done and leaves the version as it was (ADO makes no revision)', async () => {
      const created = await create('Same');
      expect(await side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Title': 'Same' } })).toEqual({ status: 'done', version: created.version });
      expect((await read(created.key)).version).toEqual(created.version);
    });

    it('update moves the parent (both parents get a new revision), removes it with null, and leaves it with undefined', async () => {
      const p1 = await create('Parent 1', { type: 'Feature' });
      const p2 = await create('Parent 2', { type: 'Feature' });
      const child = await create('Moving story', { parentKey: p1.key });
      const [p1Before, p2Before] = [await read(p1.key), await read(p2.key)];

      const moved = await side.update({ key: child.key, expectedVersion: child.version, fields: {}, parentKey: p2.key });
      expect(moved.status).toBe('done');
      expect((await read(child.key)).parentKey).toBe(p2.key);
      expect((await read(p1.key)).version).not.toEqual(p1Before.version);
      expect((await read(p2.key)).version).not.toEqual(p2Before.version);

      const kept = await side.update({ key: child.key, expectedVersion: (await read(child.key)).version, fields: { 'System.Title': 'Moved story' } });
      expect(kept.status).toBe('done');
      expect((await read(child.key)).parentKey).toBe(p2.key);

      const removed = await side.update({ key: child.key, expectedVersion: (await read(child.key)).version, fields: {}, parentKey: null });
      expect(removed.status).toBe('done');
      expect((await read(child.key)).parentKey).toBeNull();
    });

    it('a parent change with a stale version is "stale" and leaves the parent', async () => {
      const p1 = await create('Stale parent 1', { type: 'Feature' });
      const p2 = await create('Stale parent 2', { type: 'Feature' });
      const child = await create('Stale child', { parentKey: p1.key });
      await side.update({ key: child.key, expectedVersion: child.version, fields: { 'System.Title': 'Edited meanwhile' } });
      expect(await side.update({ key: child.key, expectedVersion: child.version, fields: {}, parentKey: p2.key })).toEqual({ status: 'stale' });
      expect((await read(child.key)).parentKey).toBe(p1.key);
    });

    it('remove with a stale version is "stale" and keeps the item; with the current version it is done and the item is gone everywhere', async () => {
      const m = marker();
      const created = await side.create({ project: f.project, type: 'Task', parentKey: null, fields: { 'System.Title': 'To remove' }, marker: m });
      await side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Title': 'To remove, edited' } });
      expect(await side.remove(created.key, created.version)).toEqual({ status: 'stale' });
      const current = await read(created.key);

      expect((await side.remove(created.key, current.version)).status).toBe('done');
      expect(await side.readByKeys([created.key])).toEqual([]);
      expect((await side.readScope([{ project: f.project }])).some((i) => i.key === created.key)).toBe(false);
      expect((await side.findByMarkers([m])).has(m)).toBe(false);
    });

    it('a work item that is gone: removing it again is done; updating it is an error', async () => {
      const created = await create('Gone');
      expect((await side.remove(created.key, created.version)).status).toBe('done');
      expect((await side.remove(created.key, created.version)).status).toBe('done');
      await expect(side.update({ key: created.key, expectedVersion: created.version, fields: { 'System.Title': 'Back?' } })).rejects.toThrow();
    });

    it('readScope returns the work items of the scope\'s projects with type, parent, version and System.TeamProject, and no others', async () => {
      const epic = await create('Scope epic', { type: 'Epic' });
      const story = await create('Scope story', { parentKey: epic.key });
      const elsewhere = await create('Elsewhere', { type: 'Task', project: f.otherProject });
      const items = await side.readScope([{ project: f.project }]);
      const byKey = new Map(items.map((i) => [i.key, i]));
      expect(byKey.get(epic.key)).toMatchObject({ system: 'ado', type: 'Epic', parentKey: null, version: (await read(epic.key)).version });
      expect(byKey.get(story.key)).toMatchObject({ system: 'ado', type: 'User Story', parentKey: epic.key, version: story.version, fields: expect.objectContaining({ 'System.Title': 'Scope story' }) });
      expect(byKey.has(elsewhere.key)).toBe(false);
      for (const item of items) expect(item.fields['System.TeamProject']).toBe(f.project);
      expect(new Set(items.map((i) => i.key)).size).toBe(items.length);

      const both = await side.readScope([{ project: f.project }, { project: f.otherProject }]);
      expect(both.find((i) => i.key === elsewhere.key)).toMatchObject({ type: 'Task', fields: expect.objectContaining({ 'System.TeamProject': f.otherProject }) });
    });
  });
}
