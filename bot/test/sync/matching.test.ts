import { describe, expect, it } from 'vitest';
import { approvePlan, type PlanChoices } from '../../src/sync/approve.js';
import { buildPlan } from '../../src/sync/build-plan.js';
import { adoIdOf, normalizeTitle } from '../../src/sync/matching.js';
import type { Integration } from '../../src/sync/model.js';
import type { CreateOp, MatchProposal, Operation, SyncPlan } from '../../src/sync/plan.js';
import { World, integrationFor } from './support/fixtures.js';

/**
 * Matching what already exists on a first sync: certain links by the ADO id a task holds,
 * proposals by title and level under linked (or proposed) parents, and the creations that depend
 * on each decision. The plan must be the same whichever way it is built, and approval must contain
 * either the link or the creations, never both.
 */

const titleOf = (op: Operation): string => (op.kind === 'create' ? String(op.fields['System.Title'] ?? op.fields['Name']) : op.id);
const creates = (ops: readonly Operation[], side: 'ado' | 'plan'): string[] =>
  ops.filter((o): o is CreateOp => o.kind === 'create' && o.side === side).map(titleOf).sort();
const byTitle = (plan: SyncPlan, title: string): MatchProposal => plan.matches!.find((m) => m.planTitle === title)!;

function approve(plan: SyncPlan, choices: PlanChoices = {}): readonly Operation[] {
  const a = approvePlan(plan, plan.hash, choices);
  if (!a.ok) throw new Error(a.problem);
  return a.plan.operations;
}

/** Apollo's plan and a Phoenix backlog that already holds part of it, typed by hand. */
function overlap(overrides: Partial<Integration> = {}): World {
  const world = new World(integrationFor('Agile', overrides));
  const build = world.plan.seed({ Name: 'Build' });
  const backend = world.plan.seed({ Name: 'Backend' }, build);
  world.plan.seed({ Name: 'Design API contract' }, backend);
  world.plan.seed({ Name: 'Implement endpoints' }, backend);
  world.plan.seed({ Name: 'Launch' });
  const epic = world.ado.seed('Epic', { 'System.Title': 'build' });
  const feature = world.ado.seed('Feature', { 'System.Title': 'Back-end' }, epic);
  world.ado.seed('Task', { 'System.Title': 'Design  API contract.' }, feature);
  world.ado.seed('Task', { 'System.Title': 'Load tests' }, feature);
  world.ado.seed('Epic', { 'System.Title': 'Online ordering' });
  return world;
}

describe('normalized titles', () => {
  it('ignore case, whitespace and punctuation', () => {
    expect(normalizeTitle('  Check-out: Phase 1 ')).toBe(normalizeTitle('checkout phase1'));
    expect(normalizeTitle('Café')).toBe(normalizeTitle('CAFÉ'));
    expect(normalizeTitle('Checkout')).not.toBe(normalizeTitle('Checkouts'));
    expect(normalizeTitle('---')).toBe('');
  });
});

describe('the ADO Work Item ID field', () => {
  it('reads numbers and numeric strings, nothing else', () => {
    const task = (v: unknown) => ({ key: 't', system: 'plan' as const, type: 'Task', parentKey: null, fields: { 'ADO Work Item ID': v as never }, version: 1 });
    expect([12, '12', ' 12 ', '12.0', 0, -3, '12a', '', null, 1.5].map((v) => adoIdOf(task(v)))).toEqual(['12', '12', '12', '12', null, null, null, null, null, null]);
  });

  it('links a task to the work item it names, for certain, and diffs the pair in the same run', async () => {
    const world = new World(integrationFor('Agile'));
    const task = world.plan.seed({ Name: 'Pay with a saved card', 'ADO Work Item ID': 0 });
    const item = world.ado.seed('Task', { 'System.Title': 'Saved-card payments' });
    world.plan.edit(task, { 'ADO Work Item ID': String(item) });
    const plan = await world.preview();
    expect(plan.operations.filter((o) => o.kind === 'link')).toEqual([expect.objectContaining({ planKey: task, adoKey: item, reason: 'ado-id' })]);
    expect(plan.matches).toBeUndefined();
    expect(plan.counts).toMatchObject({ link: 1, createAdo: 0, createPlan: 0 });
    // A new link without a baseline: titles differ, both ways -> a conflict to settle now.
    expect(plan.conflicts.map((c) => c.planField)).toContain('Name');
  });

  it('links neither of two tasks that hold the same id, and says why', async () => {
    const world = new World(integrationFor('Agile'));
    const item = world.ado.seed('Task', { 'System.Title': 'Copied' });
    world.plan.seed({ Name: 'Copied', 'ADO Work Item ID': Number(item) });
    world.plan.seed({ Name: 'Copied (2)', 'ADO Work Item ID': Number(item) });
    const plan = await world.preview();
    expect(plan.operations.filter((o) => o.kind === 'link')).toEqual([]);
    expect(plan.warnings.join('\n')).toMatch(new RegExp(`all hold ADO Work Item ID ${item}`));
    // Not certain, but the title still matches exactly one of them: proposed, not linked.
    expect(plan.matches?.map((m) => m.planTitle)).toEqual(['Copied']);
  });
});

describe('proposals by title and level', () => {
  it('proposes pairs top-down, children depending on their parents, and plans no creation for them', async () => {
    const plan = await overlap().preview();
    const build = byTitle(plan, 'Build');
    const backend = byTitle(plan, 'Backend');
    const design = byTitle(plan, 'Design API contract');
    expect(plan.matches!.map((m) => [m.planTitle, m.adoTitle, m.adoType])).toEqual([
      ['Build', 'build', 'Epic'], ['Backend', 'Back-end', 'Feature'], ['Design API contract', 'Design  API contract.', 'Task'],
    ]);
    expect([build.dependsOn, backend.dependsOn, design.dependsOn]).toEqual([null, build.id, backend.id]);
    expect(build.link).toMatchObject({ kind: 'link', reason: 'title' });
    // Whatever is decided: the unrelated items on each side.
    expect(creates(plan.operations, 'ado')).toEqual(['Launch']);
    expect(creates(plan.operations, 'plan')).toEqual(['Online ordering']);
    // With Backend linked, its unmatched children cross over under it.
    expect(creates(backend.ifLinked, 'ado')).toEqual(['Implement endpoints']);
    expect(creates(backend.ifLinked, 'plan')).toEqual(['Load tests']);
    expect(backend.ifLinked.find((o) => o.side === 'ado')).toMatchObject({ level: 0, parent: { key: backend.link.adoKey } });
    // Kept apart, Build and everything below it are created on the other side, as without matching.
    expect(creates(build.ifApart, 'ado')).toEqual(['Backend', 'Build', 'Design API contract', 'Implement endpoints']);
    expect(creates(build.ifApart, 'plan')).toEqual(['Back-end', 'Design  API contract.', 'Load tests', 'build']);
    expect(plan.counts).toMatchObject({ link: 3, createAdo: 2, createPlan: 2 });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('approval holds the links or the creations, as chosen, and nothing for a pair not decided', async () => {
    const plan = await overlap().preview();
    const [build, backend, design] = ['Build', 'Backend', 'Design API contract'].map((t) => byTitle(plan, t)) as [MatchProposal, MatchProposal, MatchProposal];
    const linkAll = approve(plan, { matches: { [build.id]: 'link', [backend.id]: 'link', [design.id]: 'link' } });
    expect(linkAll.filter((o) => o.kind === 'link').length).toBe(3);
    expect(creates(linkAll, 'ado')).toEqual(['Implement endpoints', 'Launch']);
    expect(creates(linkAll, 'plan')).toEqual(['Load tests', 'Online ordering']);

    // Keeping the top pair apart keeps its children apart too, whatever was picked for them.
    const apart = approve(plan, { matches: { [build.id]: 'apart', [backend.id]: 'link', [design.id]: 'link' } });
    expect(apart.filter((o) => o.kind === 'link')).toEqual([]);
    expect(creates(apart, 'ado')).toEqual(['Backend', 'Build', 'Design API contract', 'Implement endpoints', 'Launch']);
    expect(creates(apart, 'plan')).toEqual(['Back-end', 'Design  API contract.', 'Load tests', 'Online ordering', 'build']);

    // Linked at the top, apart below: the child pair is created under the linked parents.
    const mixed = approve(plan, { matches: { [build.id]: 'link', [backend.id]: 'apart', [design.id]: 'link' } });
    expect(mixed.filter((o) => o.kind === 'link').map((o) => (o.kind === 'link' ? o.planKey : ''))).toEqual([build.link.planKey]);
    expect(creates(mixed, 'ado')).toEqual(['Backend', 'Design API contract', 'Implement endpoints', 'Launch']);
    expect(mixed.find((o) => o.kind === 'create' && o.side === 'ado' && o.fields['System.Title'] === 'Backend')).toMatchObject({ level: 0, parent: { key: build.link.adoKey } });

    // No choice: the pair and everything that depends on it waits; the rest goes ahead.
    const undecided = approvePlan(plan, plan.hash, {});
    expect(undecided.ok && undecided.plan.skipped).toEqual([build.id, backend.id, design.id]);
    expect(undecided.ok && creates(undecided.plan.operations, 'ado')).toEqual(['Launch']);
    expect(undecided.ok && undecided.plan.operations.some((o) => o.kind === 'link')).toBe(false);

    const ids = (ops: readonly Operation[]) => ops.map((o) => o.id);
    for (const ops of [linkAll, apart, mixed]) expect(new Set(ids(ops)).size).toBe(ops.length);
    expect(approvePlan(plan, plan.hash, { matches: { 'match:nope': 'link' } })).toEqual({ ok: false, problem: expect.stringMatching(/no proposed pair/) });
    expect(approvePlan(plan, plan.hash, { matches: { [build.id]: 'maybe' as never } })).toEqual({ ok: false, problem: expect.stringMatching(/link, apart or skip/) });
    expect(approvePlan({ ...plan, matches: plan.matches!.slice(1) }, plan.hash)).toEqual({ ok: false, problem: expect.stringMatching(/altered/) });
  });

  it('never guesses: two candidates with one title, a different level, or parents that are not linked, give no proposal', async () => {
    const world = new World(integrationFor('Agile'));
    world.plan.seed({ Name: 'Checkout' });
    world.ado.seed('Epic', { 'System.Title': 'Checkout' });
    world.ado.seed('Epic', { 'System.Title': 'checkout' });
    const summary = world.plan.seed({ Name: 'Payments' });
    world.plan.seed({ Name: 'Refunds' }, summary);
    world.ado.seed('Task', { 'System.Title': 'Payments' }); // a leaf where the plan has a summary
    const other = world.plan.seed({ Name: 'Elsewhere' });
    world.plan.seed({ Name: 'Cart' }, other);
    const epic = world.ado.seed('Epic', { 'System.Title': 'Orders' });
    world.ado.seed('Feature', { 'System.Title': 'Cart' }, epic); // same title, unrelated parents
    const plan = await world.preview();
    expect(plan.matches).toBeUndefined();
    expect(plan.warnings.join('\n')).toMatch(/"Checkout": a plan task and work items #\d+, #\d+ share this title/);
  });

  it('matches by the type the hierarchy would create, or leaf with leaf', async () => {
    const world = new World(integrationFor('Agile'));
    const epic = world.plan.seed({ Name: 'Orders' });
    world.plan.seed({ Name: 'Cart bug' }, epic);
    const adoEpic = world.ado.seed('Epic', { 'System.Title': 'Orders' });
    world.ado.seed('Bug', { 'System.Title': 'Cart bug' }, adoEpic);
    const plan = await world.preview();
    expect(plan.matches!.map((m) => [m.planTitle, m.adoType])).toEqual([['Orders', 'Epic'], ['Cart bug', 'Bug']]);
  });

  it('proposes under pairs linked for certain, and within a team project when projects sit on top', async () => {
    const world = overlap();
    const build = [...world.plan.tasks.values()].find((t) => t.fields['Name'] === 'Build')!.key;
    const epic = [...world.ado.items.values()].find((w) => w.fields['System.Title'] === 'build')!.key;
    world.plan.edit(build, { 'ADO Work Item ID': Number(epic) });
    const plan = await world.preview();
    expect(plan.operations.find((o) => o.kind === 'link')).toMatchObject({ planKey: build, adoKey: epic, reason: 'ado-id' });
    expect(plan.matches!.map((m) => [m.planTitle, m.dependsOn === null])).toEqual([['Backend', true], ['Design API contract', false]]);
  });

  it('is the same plan, with the same hash, for the same input in any order', async () => {
    const world = overlap();
    const planItems = await world.plan.readScope();
    const adoItems = await world.ado.readScope();
    const a = buildPlan({ integration: world.integration, planItems, adoItems, links: [] });
    const b = buildPlan({ integration: world.integration, planItems: [...planItems].reverse(), adoItems: [...adoItems].reverse(), links: [] });
    expect(b).toEqual(a);
  });

  it('in a one-way sync, proposes pairs and plans creations only towards the target', async () => {
    const plan = await overlap({ direction: 'planToAdo' }).preview();
    expect(plan.matches!.map((m) => m.planTitle)).toEqual(['Build', 'Backend', 'Design API contract']);
    expect(plan.matches!.every((m) => [...m.ifLinked, ...m.ifApart].every((o) => o.side === 'ado'))).toBe(true);
  });
});

describe('linked pairs settle on the next sync', () => {
  it('linked by title: no duplicate on either side, then fields settle like any new link, then in step', async () => {
    const world = overlap();
    const { plan: first } = await world.sync((p) => ({ matches: Object.fromEntries(p.matches!.map((m) => [m.id, 'link' as const])) }));
    expect(first.matches).toHaveLength(3);
    const names = [...world.plan.tasks.values()].map((t) => normalizeTitle(t.fields['Name']));
    const titles = [...world.ado.items.values()].map((w) => normalizeTitle(w.fields['System.Title']));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(titles).size).toBe(titles.length);
    expect(names.sort()).toEqual(titles.sort());
    expect(world.links).toHaveLength(7);
    // The titles differ in spelling: a two-way first comparison is a conflict per pair.
    const second = await world.preview();
    expect(second.matches).toBeUndefined();
    expect(second.counts).toMatchObject({ createAdo: 0, createPlan: 0, link: 0 });
    expect(second.conflicts.filter((c) => c.planField === 'Name').map((c) => c.title).sort()).toEqual(['Backend', 'Build', 'Design API contract']);
    await world.sync((p) => ({ conflicts: Object.fromEntries(p.conflicts.map((c) => [c.id, c.resolutions.plan ? 'plan' as const : c.resolutions.ado ? 'ado' as const : 'skip' as const])) }));
    const third = await world.preview();
    expect(third.operations).toEqual([]);
    expect(third.conflicts).toEqual([]);
  });
});
