import { describe, expect, it } from 'vitest';
import { typeForOutline } from '../../src/sync/hierarchy.js';
import { linkIdFor, markerFor, planKeyFor } from '../../src/sync/ids.js';
import type { CreationOption } from '../../src/sync/model.js';
import type { CreateOp } from '../../src/sync/plan.js';
import { PROCESSES, PROCESS_NAMES } from '../../src/sync/processes.js';
import { World, integrationFor } from './support/fixtures.js';

const creates = (ops: readonly { kind: string }[]) => ops.filter((o): o is CreateOp => o.kind === 'create');
const OPTIONS: CreationOption[] = ['itemOnly', 'withSubFeatures', 'withSubFeaturesAndStories', 'withAllSubItems'];

describe.each(PROCESS_NAMES)('hierarchy and creation (%s)', (process) => {
  const p = PROCESSES[process];
  const L = p.levels.length;

  it('maps outline levels to the process levels and leaf tasks to the leaf type', () => {
    const integration = integrationFor(process);
    p.levels.forEach((level, depth) => expect(typeForOutline(integration, depth, true)).toBe(level));
    expect(typeForOutline(integration, L + 2, true)).toBe(p.levels.at(-1));
    expect(typeForOutline(integration, 0, false)).toBe(p.leafType);
  });

  /** A plan chain: one summary per level, then a leaf task. */
  function planChain(world: World): string[] {
    const keys: string[] = [];
    let parent: string | null = null;
    for (let i = 0; i <= L; i++) {
      parent = world.plan.seed({ Name: `level ${i}`, PercentComplete: 0 }, parent);
      keys.push(parent);
    }
    return keys;
  }

  it.each(OPTIONS)('creates in ADO following the creation option %s', async (option) => {
    const world = new World(integrationFor(process, { creation: option, direction: 'planToAdo' }));
    planChain(world);
    const types = creates((await world.preview()).operations).sort((a, b) => a.level - b.level).map((o) => o.type);
    const expected = {
      itemOnly: [p.levels[0]],
      withSubFeatures: p.levels.slice(0, Math.max(1, L - 1)),
      withSubFeaturesAndStories: [...p.levels],
      withAllSubItems: [...p.levels, p.leafType],
    }[option];
    expect(types).toEqual(expected);
  });

  it.each(OPTIONS)('imports from ADO following the creation option %s', async (option) => {
    const world = new World(integrationFor(process, { creation: option, direction: 'adoToPlan' }));
    let parent: string | null = null;
    for (const type of [...p.levels, p.leafType]) parent = world.ado.seed(type, { 'System.Title': type, 'System.State': p.states[0]! }, parent);
    const types = creates((await world.preview()).operations).sort((a, b) => a.level - b.level).map((o) => o.type);
    const expected = {
      itemOnly: [p.levels[0]],
      withSubFeatures: p.levels.slice(0, Math.max(1, L - 1)),
      withSubFeaturesAndStories: [...p.levels],
      withAllSubItems: [...p.levels, p.leafType],
    }[option];
    expect(types).toEqual(expected);
  });

  it('creates parents before children and links them in ADO', async () => {
    const world = new World(integrationFor(process));
    const keys = planChain(world);
    await world.sync();
    const adoOf = (k: string) => world.links.find((l) => l.planKey === k)!.adoKey;
    for (let i = 1; i < keys.length; i++) expect(world.ado.items.get(adoOf(keys[i]!))!.parentKey).toBe(adoOf(keys[i - 1]!));
  });

  it('reports a parent moved in the plan as a hierarchy mismatch, preset towards the plan', async () => {
    const world = new World(integrationFor(process));
    const a = world.plan.seed({ Name: 'A' });
    const b = world.plan.seed({ Name: 'B' });
    const child = world.plan.seed({ Name: 'child' }, a);
    await world.sync();
    world.plan.edit(child, { Name: 'child renamed' }, b);
    const plan = await world.preview();
    expect(plan.hierarchy).toEqual([expect.objectContaining({ planKey: child, planParent: b, choice: 'plan' })]);
    // The field change is a separate update; the parent change joins it only on approval.
    expect(plan.operations.filter((o) => o.kind === 'update')).toEqual([expect.not.objectContaining({ parent: expect.anything() })]);
    await world.sync();
    const adoOf = (k: string) => world.links.find((l) => l.planKey === k)!.adoKey;
    expect(world.ado.items.get(adoOf(child))!.parentKey).toBe(adoOf(b));
    expect((await world.preview()).hierarchy).toEqual([]);
  });

  it('can resolve a mismatch towards ADO instead, and leaves it open when both sides moved and nobody chose', async () => {
    const world = new World(integrationFor(process));
    const a = world.plan.seed({ Name: 'A' });
    const b = world.plan.seed({ Name: 'B' });
    const c = world.plan.seed({ Name: 'C' });
    const child = world.plan.seed({ Name: 'child' }, a);
    await world.sync();
    const adoOf = (k: string) => world.links.find((l) => l.planKey === k)!.adoKey;
    world.plan.edit(child, {}, b);
    const first = await world.preview();
    await world.sync({ hierarchy: { [first.hierarchy[0]!.id]: 'ado' } });
    expect(world.plan.tasks.get(child)!.parentKey).toBe(a);

    world.plan.edit(child, {}, b);
    world.ado.edit(adoOf(child), {}, adoOf(c));
    const both = await world.preview();
    expect(both.hierarchy).toEqual([expect.objectContaining({ choice: null })]);
    const { outcome } = await world.sync();
    expect(outcome.results).toEqual([]);
    expect((await world.preview()).hierarchy).toHaveLength(1);
  });
});

describe('linking instead of duplicating', () => {
  it('links a work item that carries the marker of an unlinked plan task', async () => {
    const world = new World(integrationFor('Agile'));
    const task = world.plan.seed({ Name: 'Task' });
    const marker = markerFor(linkIdFor(world.integration.id, 'plan', task));
    world.ado.seed('Task', { 'System.Title': 'Task', 'System.Tags': `team; ${marker}` });
    const plan = await world.preview();
    expect(plan.operations).toEqual([expect.objectContaining({ kind: 'link', planKey: task, reason: 'marker' })]);
    await world.sync();
    expect(world.ado.items.size).toBe(1);
    expect(world.links).toHaveLength(1);
  });

  it('links a plan task that already has the id the engine gives a work item\'s task', async () => {
    const world = new World(integrationFor('Scrum'));
    const id = world.ado.seed('Task', { 'System.Title': 'Imported' });
    const planKey = planKeyFor(linkIdFor(world.integration.id, 'ado', id));
    world.plan.tasks.set(planKey, { key: planKey, parentKey: null, fields: { Name: 'Imported' }, version: 1 });
    const plan = await world.preview();
    expect(plan.operations).toEqual([expect.objectContaining({ kind: 'link', planKey, adoKey: id, reason: 'task-id' })]);
  });
});

describe('scope', () => {
  it('aggregates several ADO projects under one project task each, and creates plan tasks in the right project', async () => {
    const world = new World(integrationFor('Agile', {
      scope: { plan: { projectId: 'plan-apollo', tasks: 'all' }, ado: [{ project: 'Apollo' }, { project: 'Zeus', areaPath: 'Zeus\\Web' }] },
      hierarchy: { ...integrationFor('Agile').hierarchy, teamProjectAsTopParent: true },
    }));
    world.ado.seed('Epic', { 'System.Title': 'Apollo epic' });
    world.ado.seed('Epic', { 'System.Title': 'Zeus epic', 'System.TeamProject': 'Zeus', 'System.IterationPath': 'Zeus\\S1' });
    await world.sync();
    const tops = [...world.plan.tasks.values()].filter((t) => t.parentKey === null).map((t) => t.fields['Name']).sort();
    expect(tops).toEqual(['Apollo', 'Zeus']);
    const zeus = [...world.plan.tasks.values()].find((t) => t.fields['Name'] === 'Zeus')!;
    world.plan.seed({ Name: 'New in Zeus' }, zeus.key);
    await world.sync();
    const created = [...world.ado.items.values()].find((i) => i.fields['System.Title'] === 'New in Zeus')!;
    expect(created.fields).toMatchObject({ 'System.TeamProject': 'Zeus', 'System.AreaPath': 'Zeus\\Web' });
    expect(created.parentKey).toBeNull();
    expect(isQuiet(await world.preview())).toBe(true);
  });

  it('leaves out items outside any iteration unless asked, and plan tasks not flagged for sync', async () => {
    const base = integrationFor('Basic');
    const world = new World({ ...base, hierarchy: { ...base.hierarchy, includeOutsideIterations: false }, scope: { ...base.scope, plan: { projectId: 'p', tasks: 'flagged', flagField: 'SyncToAdo' } } });
    world.ado.seed('Issue', { 'System.Title': 'backlog only', 'System.IterationPath': 'Apollo' });
    world.ado.seed('Issue', { 'System.Title': 'in sprint' });
    world.plan.seed({ Name: 'flagged', SyncToAdo: true });
    world.plan.seed({ Name: 'private', SyncToAdo: false });
    const titles = creates((await world.preview()).operations).map((o) => o.fields['Name'] ?? o.fields['System.Title']).sort();
    expect(titles).toEqual(['flagged', 'in sprint']);
  });
});

describe('deletions', () => {
  it('reports an item deleted on one side and applies nothing without a choice', async () => {
    const world = new World(integrationFor('CMMI'));
    const task = world.plan.seed({ Name: 'Doomed' });
    await world.sync();
    world.ado.items.delete(world.links[0]!.adoKey);
    const plan = await world.preview();
    expect(plan.deletions).toEqual([expect.objectContaining({ missingOn: 'ado', survivor: expect.objectContaining({ key: task, title: 'Doomed' }), allowed: ['keep', 'unlink', 'propagate'] })]);
    expect(plan.operations).toEqual([]);
    await world.sync();
    expect(world.plan.tasks.has(task)).toBe(true);
    expect(world.links).toHaveLength(1);
  });

  it('deletes the survivor only when the user chooses to', async () => {
    const world = new World(integrationFor('CMMI'));
    const task = world.plan.seed({ Name: 'Doomed' });
    await world.sync();
    world.ado.items.delete(world.links[0]!.adoKey);
    await world.sync((plan) => ({ deletions: { [plan.deletions[0]!.id]: 'propagate' } }));
    expect(world.plan.tasks.has(task)).toBe(false);
    expect(world.links).toEqual([]);
  });
});

function isQuiet(plan: { operations: readonly unknown[]; conflicts: readonly unknown[]; hierarchy: readonly unknown[] }): boolean {
  return plan.operations.length === 0 && plan.conflicts.length === 0 && plan.hierarchy.length === 0;
}
