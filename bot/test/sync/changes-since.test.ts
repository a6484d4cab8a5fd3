/**
 * The synchronization start date in the engine: unlinked items unchanged since `changesSince` are
 * left alone (and counted in the preview), their ancestors still come along for the hierarchy,
 * linked items are never hidden, items without a modified time always take part, and modified
 * times never reach the plan or its hash.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/sync/build-plan.js';
import { linkIdFor, markerFor } from '../../src/sync/ids.js';
import type { Item } from '../../src/sync/model.js';
import type { CreateOp, SyncPlan } from '../../src/sync/plan.js';
import { World, integrationFor } from './support/fixtures.js';

const START = '2026-12-01T00:00:00.000Z';
const BEFORE = Date.parse('2026-11-10T09:00:00Z');
const AFTER = Date.parse('2026-12-03T09:00:00Z');

let now = BEFORE;
const at = (ms: number): void => {
  now = ms;
};

function world(): World {
  const w = new World(integrationFor('Agile'));
  w.plan.clock = () => new Date(now).toISOString();
  w.ado.clock = () => new Date(now).toISOString();
  return w;
}

const creates = (plan: SyncPlan, side: 'ado' | 'plan'): CreateOp[] =>
  plan.operations.filter((o): o is CreateOp => o.kind === 'create' && o.side === side);
const namesCreatedInAdo = (plan: SyncPlan): string[] => creates(plan, 'ado').map((o) => String(o.fields['System.Title'])).sort();
const namesCreatedInPlan = (plan: SyncPlan): string[] => creates(plan, 'plan').map((o) => String(o.fields['Name'])).sort();

beforeEach(() => at(BEFORE));

describe('first run with a synchronization start date', () => {
  it('leaves out unlinked items unchanged since the date on both sides and says how many', async () => {
    const w = world();
    w.plan.seed({ Name: 'Old plan task' });
    w.plan.seed({ Name: 'Another old task' });
    w.ado.seed('User Story', { 'System.Title': 'Old story', 'System.State': 'New' });
    at(AFTER);
    w.plan.seed({ Name: 'New plan task' });
    w.ado.seed('User Story', { 'System.Title': 'New story', 'System.State': 'New' });
    w.changesSince = START;

    const plan = await w.preview();
    expect(namesCreatedInAdo(plan)).toEqual(['New plan task']);
    expect(namesCreatedInPlan(plan)).toEqual(['New story']);
    expect(plan.leftOut).toEqual({ since: START, planTasks: 2, workItems: 1 });
    expect(plan.warnings[0]).toBe('2 plan tasks and 1 work item unchanged since 2026-12-01 (UTC) were left out: that is the synchronization start date. Edit one, or set an earlier start date, to bring it over.');

    // Without a start date everything takes part, and the plan says nothing about left-out items.
    w.changesSince = undefined;
    const full = await w.preview();
    expect(namesCreatedInAdo(full)).toEqual(['Another old task', 'New plan task', 'Old plan task']);
    expect(namesCreatedInPlan(full)).toEqual(['New story', 'Old story']);
    expect(full.leftOut).toBeUndefined();
  });

  it('an old item edited after the date takes part; the date is shown in the integration\'s zone', async () => {
    const w = new World(integrationFor('Agile', { timeZone: 'Europe/Berlin' }));
    w.plan.clock = () => new Date(now).toISOString();
    w.ado.clock = () => new Date(now).toISOString();
    const touched = w.plan.seed({ Name: 'Touched later' });
    w.plan.seed({ Name: 'Never touched' });
    at(AFTER);
    w.plan.edit(touched, { Notes: 'now relevant' });
    w.changesSince = '2026-11-30T23:00:00.000Z'; // midnight, 1 December, in Berlin

    const plan = await w.preview();
    expect(namesCreatedInAdo(plan)).toEqual(['Touched later']);
    expect(plan.warnings[0]).toMatch(/^1 plan task and 0 work items unchanged since 2026-12-01 \(Europe\/Berlin\) were left out/);
  });

  it('still creates the parents of an included task, but not their unchanged other children', async () => {
    const w = world();
    const epic = w.plan.seed({ Name: 'Epic' });
    const feature = w.plan.seed({ Name: 'Feature' }, epic);
    w.plan.seed({ Name: 'Old task' }, feature);
    w.plan.seed({ Name: 'Old sibling epic' });
    at(AFTER);
    const fresh = w.plan.seed({ Name: 'New task' }, feature);
    w.changesSince = START;

    const plan = await w.preview();
    const ops = creates(plan, 'ado');
    expect(ops.map((o) => [o.fields['System.Title'], o.type, o.level])).toEqual(expect.arrayContaining([['Epic', 'Epic', 0], ['Feature', 'Feature', 1], ['New task', 'Task', 2]]));
    expect(ops).toHaveLength(3);
    // The new task hangs under the Feature created in the same run: no orphan at the top.
    const featureOp = ops.find((o) => o.sourceKey === feature)!;
    expect(ops.find((o) => o.sourceKey === fresh)!.parent).toEqual({ linkId: featureOp.linkId });
    expect(plan.leftOut).toMatchObject({ planTasks: 2, workItems: 0 });

    // Applied, it converges: the next preview (same date) has nothing to do.
    await w.sync();
    expect((await w.preview()).operations).toEqual([]);
    expect([...w.ado.items.values()].map((i) => i.fields['System.Title']).sort()).toEqual(['Epic', 'Feature', 'New task']);
  });

  it('brings an old ADO Epic along when a new story under it is included', async () => {
    const w = world();
    const epic = w.ado.seed('Epic', { 'System.Title': 'Old epic', 'System.State': 'New' });
    w.ado.seed('Feature', { 'System.Title': 'Old feature', 'System.State': 'New' }, epic);
    at(AFTER);
    w.ado.seed('User Story', { 'System.Title': 'New story', 'System.State': 'New' }, epic);
    w.changesSince = START;

    const plan = await w.preview();
    expect(namesCreatedInPlan(plan)).toEqual(['New story', 'Old epic']);
    expect(plan.leftOut).toMatchObject({ planTasks: 0, workItems: 1 });
  });

  it('links an old plan task to the recent work item that carries its marker, instead of making a twin', async () => {
    const w = world();
    const task = w.plan.seed({ Name: 'Old task' });
    at(AFTER);
    // An earlier, interrupted run created this work item for the task.
    w.ado.seed('Task', { 'System.Title': 'Old task', 'System.State': 'New', 'System.Tags': markerFor(linkIdFor(w.integration.id, 'plan', task)) });
    w.changesSince = START;

    const plan = await w.preview();
    expect(plan.operations.filter((o) => o.kind === 'link')).toEqual([expect.objectContaining({ planKey: task, reason: 'marker' })]);
    expect(creates(plan, 'plan')).toEqual([]);
    expect(creates(plan, 'ado')).toEqual([]);
  });

  it('includes items with no modified time, or an unreadable one, and counts nothing as left out', async () => {
    const w = new World(integrationFor('Agile')); // no clocks: items carry no modified time
    w.plan.seed({ Name: 'Timeless task' });
    w.ado.seed('User Story', { 'System.Title': 'Timeless story', 'System.State': 'New' });
    w.changesSince = START;
    const plan = await w.preview();
    expect(namesCreatedInAdo(plan)).toEqual(['Timeless task']);
    expect(namesCreatedInPlan(plan)).toEqual(['Timeless story']);
    expect(plan.leftOut).toEqual({ since: START, planTasks: 0, workItems: 0 });
    expect(plan.warnings.filter((x) => x.includes('left out'))).toEqual([]);

    const planItems = (await w.plan.readScope()).map((i): Item => ({ ...i, modifiedAt: 'yesterday-ish' }));
    const unreadable = buildPlan({ integration: w.integration, planItems, adoItems: [], links: [], changesSince: START });
    expect(creates(unreadable, 'ado')).toHaveLength(1);
  });

  it('does not count tasks outside the scope (not flagged "Sync to ADO") as left out', async () => {
    const w = new World(integrationFor('Agile', { scope: { plan: { projectId: 'plan-apollo', tasks: 'flagged', flagField: 'Sync to ADO' }, ado: [{ project: 'Apollo' }] } }));
    w.plan.clock = () => new Date(now).toISOString();
    w.plan.seed({ Name: 'Old flagged', 'Sync to ADO': true });
    w.plan.seed({ Name: 'Old unflagged', 'Sync to ADO': false });
    w.changesSince = START;
    expect((await w.preview()).leftOut).toEqual({ since: START, planTasks: 1, workItems: 0 });
  });
});

describe('later runs (links exist)', () => {
  it('never hides a linked item: its changes, however old, are diffed; the date only applies to new items', async () => {
    const w = world();
    const task = w.plan.seed({ Name: 'Linked task' });
    const story = w.ado.seed('User Story', { 'System.Title': 'Linked story', 'System.State': 'New' });
    const gone = w.plan.seed({ Name: 'Linked, then deleted in ADO' });
    await w.sync();
    const adoOfTask = w.links.find((l) => l.planKey === task)!.adoKey;
    const planOfStory = w.links.find((l) => l.adoKey === story)!.planKey;
    const adoOfGone = w.links.find((l) => l.planKey === gone)!.adoKey;

    // Edits made before the start date, to linked items on both sides, and a deletion.
    at(Date.parse('2026-11-20T09:00:00Z'));
    w.plan.edit(task, { Name: 'Renamed in the plan' });
    w.ado.edit(story, { 'System.Title': 'Renamed in ADO' });
    w.ado.items.delete(adoOfGone);
    w.plan.seed({ Name: 'New but old task' });
    at(AFTER);
    w.plan.seed({ Name: 'New task' });
    w.changesSince = START;

    const plan = await w.preview();
    expect(plan.operations.filter((o) => o.kind === 'update').map((o) => [o.side, o.key, o.fields])).toEqual(expect.arrayContaining([
      ['ado', adoOfTask, { 'System.Title': 'Renamed in the plan' }],
      ['plan', planOfStory, { Name: 'Renamed in ADO' }],
    ]));
    expect(plan.deletions).toEqual([expect.objectContaining({ missingOn: 'ado', survivor: expect.objectContaining({ key: gone }) })]);
    expect(namesCreatedInAdo(plan)).toEqual(['New task']);
    expect(plan.leftOut).toMatchObject({ planTasks: 1, workItems: 0 });
  });

  it('keeps an old unlinked parent of a linked task, so the task is not re-parented by mistake', async () => {
    const w = world();
    const parent = w.plan.seed({ Name: 'Parent' });
    w.plan.seed({ Name: 'Child' }, parent);
    w.integration = { ...w.integration, creation: 'itemOnly' };
    await w.sync(); // itemOnly: the parent is created, its child waits
    expect(w.links).toHaveLength(1);
    await w.sync(); // now the child
    expect(w.links).toHaveLength(2);
    w.links = w.links.filter((l) => l.planKey !== parent); // the parent's link is lost: it is unlinked and old
    at(AFTER);
    w.changesSince = START;
    const plan = await w.preview();
    // Both halves of the old parent are kept, found by marker and linked again, and the child keeps its parent.
    expect(plan.operations).toEqual([expect.objectContaining({ kind: 'link', planKey: parent, reason: 'marker' })]);
    expect(plan.hierarchy).toEqual([]);
  });
});

describe('modified times are metadata', () => {
  it('never change the plan or its hash', async () => {
    const w = world();
    const epic = w.plan.seed({ Name: 'Epic' });
    w.plan.seed({ Name: 'Task' }, epic);
    w.ado.seed('User Story', { 'System.Title': 'Story', 'System.State': 'New' });
    at(AFTER);
    const planItems = await w.plan.readScope();
    const adoItems = await w.ado.readScope();
    const strip = (items: Item[]): Item[] => items.map(({ modifiedAt: _m, ...rest }) => rest);
    const shift = (items: Item[]): Item[] => items.map((i) => ({ ...i, modifiedAt: '2027-01-01T00:00:00.000Z' }));

    const base = buildPlan({ integration: w.integration, planItems, adoItems, links: [] });
    expect(buildPlan({ integration: w.integration, planItems: strip(planItems), adoItems: strip(adoItems), links: [] }).hash).toBe(base.hash);
    expect(buildPlan({ integration: w.integration, planItems: shift(planItems), adoItems: shift(adoItems), links: [] }).hash).toBe(base.hash);
    expect(JSON.stringify(base)).not.toMatch(/2026-11-10/);

    // With a start date every item here predates, re-planning with other (still older) times gives the same hash.
    const since = '2026-12-31T00:00:00.000Z';
    const a = buildPlan({ integration: w.integration, planItems, adoItems, links: [], changesSince: since });
    const older = (items: Item[]): Item[] => items.map((i) => ({ ...i, modifiedAt: '2026-06-01T00:00:00.000Z' }));
    expect(buildPlan({ integration: w.integration, planItems: older(planItems), adoItems: older(adoItems), links: [], changesSince: since }).hash).toBe(a.hash);
    expect(a.leftOut).toEqual({ since, planTasks: 2, workItems: 1 });
  });
});
