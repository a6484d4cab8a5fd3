import { describe, expect, it } from 'vitest';
import { approvePlan } from '../../src/sync/approve.js';
import { applyPlan } from '../../src/sync/apply.js';
import { JournalUnavailable } from '../../src/sync/journaled.js';
import { buildPlan } from '../../src/sync/build-plan.js';
import type { AdoCreate } from '../../src/sync/ports.js';
import { MemoryAdo } from './support/memory-ado.js';
import { World, integrationFor } from './support/fixtures.js';

async function worldWithTree(): Promise<World> {
  const world = new World(integrationFor('Agile'));
  const epic = world.plan.seed({ Name: 'Epic' });
  const feature = world.plan.seed({ Name: 'Feature' }, epic);
  world.plan.seed({ Name: 'Task 1' }, feature);
  world.plan.seed({ Name: 'Task 2' }, feature);
  world.ado.seed('User Story', { 'System.Title': 'Story from ADO', 'System.State': 'Active' });
  return world;
}

describe('sync plan', () => {
  it('counts operations per kind and is plain JSON', async () => {
    const plan = await (await worldWithTree()).preview();
    expect(plan.counts).toMatchObject({ createAdo: 4, createPlan: 1, updateAdo: 0, conflicts: 0 });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('gives the same hash for the same input in any order, and another hash when anything changes', async () => {
    const world = await worldWithTree();
    const planItems = await world.plan.readScope();
    const adoItems = await world.ado.readScope();
    const a = buildPlan({ integration: world.integration, planItems, adoItems, links: [] });
    const b = buildPlan({ integration: world.integration, planItems: [...planItems].reverse(), adoItems, links: [] });
    expect(b.hash).toBe(a.hash);
    const edited = planItems.map((i, n) => (n === 0 ? { ...i, fields: { ...i.fields, Name: 'Epic!' } } : i));
    expect(buildPlan({ integration: world.integration, planItems: edited, adoItems, links: [] }).hash).not.toBe(a.hash);
  });

  it('binds approval to the hash the user saw and checks every choice', async () => {
    const world = await worldWithTree();
    await world.sync();
    const task = [...world.plan.tasks.values()].find((t) => t.fields['Name'] === 'Task 1')!;
    world.plan.edit(task.key, { Name: 'Plan name' });
    world.ado.edit(world.links.find((l) => l.planKey === task.key)!.adoKey, { 'System.Title': 'ADO name' });
    const plan = await world.preview();
    expect(approvePlan(plan, 'f'.repeat(64))).toEqual({ ok: false, problem: expect.stringMatching(/not the current plan/) });
    expect(approvePlan({ ...plan, conflicts: [] }, plan.hash)).toEqual({ ok: false, problem: expect.stringMatching(/altered/) });
    expect(approvePlan(plan, plan.hash, { conflicts: { 'conflict:nope:name': 'plan' } })).toEqual({ ok: false, problem: expect.stringMatching(/no conflict/) });
    expect(approvePlan(plan, plan.hash, { deletions: { x: 'keep' } })).toEqual({ ok: false, problem: expect.stringMatching(/no deletion/) });
    const approved = approvePlan(plan, plan.hash, { conflicts: { [plan.conflicts[0]!.id]: 'plan' } });
    expect(approved.ok && approved.plan.operations).toEqual([expect.objectContaining({ kind: 'update', side: 'ado', fields: { 'System.Title': 'Plan name' } })]);
    const skipped = approvePlan(plan, plan.hash);
    expect(skipped.ok && skipped.plan).toMatchObject({ operations: [], skipped: [plan.conflicts[0]!.id] });
  });
});

describe('apply', () => {
  it('writes a field nobody touched since the preview even though the item changed elsewhere', async () => {
    const world = await worldWithTree();
    await world.sync();
    const link = world.links.find((l) => world.plan.tasks.get(l.planKey)!.fields['Name'] === 'Task 1')!;
    world.plan.edit(link.planKey, { Name: 'Renamed' });
    const plan = await world.preview();
    world.ado.edit(link.adoKey, { 'System.Description': '<div>edited meanwhile</div>' });
    const approval = approvePlan(plan, plan.hash);
    if (!approval.ok) throw new Error(approval.problem);
    const outcome = await applyPlan(approval.plan, world, { runId: 'r1', integration: world.integration });
    expect(outcome.results).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(world.ado.items.get(link.adoKey)!.fields).toMatchObject({ 'System.Title': 'Renamed', 'System.Description': '<div>edited meanwhile</div>' });
  });

  it('skips an item whose written field changed since the preview, reports it, and keeps its baseline for a fresh preview', async () => {
    const world = await worldWithTree();
    await world.sync();
    const link = world.links.find((l) => world.plan.tasks.get(l.planKey)!.fields['Name'] === 'Task 1')!;
    world.plan.edit(link.planKey, { Name: 'Renamed' });
    const plan = await world.preview();
    world.ado.edit(link.adoKey, { 'System.Title': 'Retitled in ADO meanwhile', 'System.Description': '<div>edited meanwhile</div>' });
    const approval = approvePlan(plan, plan.hash);
    if (!approval.ok) throw new Error(approval.problem);
    const outcome = await applyPlan(approval.plan, world, { runId: 'r1', integration: world.integration });
    expect(outcome.results).toEqual([expect.objectContaining({ status: 'skipped-stale', reason: expect.stringMatching(/changed in ADO since the preview/) })]);
    expect(outcome.linkUpdates).toEqual([]);
    expect(world.ado.items.get(link.adoKey)!.fields['System.Title']).toBe('Retitled in ADO meanwhile');
    const fresh = await world.preview();
    // Both sides changed the title since the baseline: a conflict for a person, nothing overwritten.
    expect(fresh.conflicts.map((c) => [c.planField, c.plan, c.ado])).toEqual([['Name', 'Renamed', 'Retitled in ADO meanwhile']]);
    expect(fresh.operations.map((o) => o.kind === 'update' && o.fields)).toEqual(expect.arrayContaining([{ Notes: 'edited meanwhile' }]));
  });

  it('reports a failed create with its reason, fails its children, and records links only for what succeeded', async () => {
    const world = await worldWithTree();
    const create = world.ado.create.bind(world.ado);
    world.ado.create = async (r: AdoCreate) => {
      if (r.fields['System.Title'] === 'Feature') throw new Error('TF401320: Rule error for field Area Path');
      return create(r);
    };
    const { outcome } = await world.sync();
    const byTitle = (t: string) => outcome.results.find((r) => r.opId.startsWith('create:ado') && world.plan.tasks.get(world.links.find((l) => l.id === r.linkId)?.planKey ?? '')?.fields['Name'] === t);
    expect(outcome.counts).toEqual({ done: 2, stale: 0, failed: 3 });
    expect(outcome.results.filter((r) => r.status === 'failed').map((r) => r.reason)).toEqual(expect.arrayContaining([
      'TF401320: Rule error for field Area Path', expect.stringMatching(/parent was not created/),
    ]));
    expect(byTitle('Epic')?.status).toBe('done');
    expect(world.links).toHaveLength(2);
    // The next run proposes exactly what is still missing.
    world.ado.create = create;
    expect((await world.preview()).counts).toMatchObject({ createAdo: 3, createPlan: 0 });
  });

  it('keeps at most N requests in flight and never starts a child before its parent exists', async () => {
    const world = new World(integrationFor('Agile'), undefined, new MemoryAdo(2));
    for (let e = 0; e < 3; e++) {
      const epic = world.plan.seed({ Name: `E${e}` });
      for (let t = 0; t < 10; t++) world.plan.seed({ Name: `T${e}.${t}` }, epic);
    }
    let inFlight = 0;
    let peak = 0;
    const create = world.ado.create.bind(world.ado);
    world.ado.create = async (r: AdoCreate) => {
      peak = Math.max(peak, ++inFlight);
      try { return await create(r); } finally { inFlight--; }
    };
    const plan = await world.preview();
    const approval = approvePlan(plan, plan.hash);
    if (!approval.ok) throw new Error(approval.problem);
    const outcome = await applyPlan(approval.plan, world, { runId: 'r', integration: world.integration, adoConcurrency: 4 });
    expect(outcome.counts.failed).toBe(0);
    expect(peak).toBe(4);
    expect(world.ado.items.size).toBe(33);
  });

  it('writes the plan side in one batch per plan project', async () => {
    const world = new World(integrationFor('Scrum'));
    for (let i = 0; i < 5; i++) world.ado.seed('Product Backlog Item', { 'System.Title': `PBI ${i}`, 'System.State': 'New' });
    await world.sync();
    expect(world.plan.batches).toBe(1);
    for (const l of world.links) world.ado.edit(l.adoKey, { 'System.State': 'Done' });
    await world.sync();
    expect(world.plan.batches).toBe(2);
    expect([...world.plan.tasks.values()].map((t) => t.fields['PercentComplete'])).toEqual([100, 100, 100, 100, 100]);
  });

  it('records the intent before every create and stops when the journal cannot be written', async () => {
    const world = await worldWithTree();
    const create = world.ado.create.bind(world.ado);
    world.ado.create = async (r: AdoCreate) => {
      const intents = [...(world.journal.runs.get('r')?.values() ?? [])].map((e) => e.marker);
      expect(intents).toContain(r.marker);
      return create(r);
    };
    const plan = await world.preview();
    const approval = approvePlan(plan, plan.hash);
    if (!approval.ok) throw new Error(approval.problem);
    await applyPlan(approval.plan, world, { runId: 'r', integration: world.integration });
    expect(world.ado.items.size).toBe(5);

    const other = await worldWithTree();
    other.journal.recordIntent = async () => { throw new Error('Cosmos 503'); };
    await expect(applyPlan(approval.plan, other, { runId: 'r', integration: other.integration })).rejects.toBeInstanceOf(JournalUnavailable);
    expect(other.ado.creates).toBe(0);
  });
});
