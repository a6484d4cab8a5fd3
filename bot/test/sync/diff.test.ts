import { describe, expect, it } from 'vitest';
import type { Integration } from '../../src/sync/model.js';
import { isNoop, type UpdateOp } from '../../src/sync/plan.js';
import { PROCESSES, PROCESS_NAMES, type ProcessName } from '../../src/sync/processes.js';
import { World, integrationFor } from './support/fixtures.js';

/** One plan task linked to one ADO Task after a first sync. */
async function linkedPair(process: ProcessName, overrides: Partial<Integration> = {}) {
  const world = new World(integrationFor(process, overrides));
  const planKey = world.plan.seed({ Name: 'Write spec', Work: '8h', RemainingWork: '8h', PercentComplete: 0, Start: '2025-03-10T08:00:00', Finish: '2025-03-12T17:00:00' });
  await world.sync();
  const adoKey = world.links[0]!.adoKey;
  return { world, planKey, adoKey };
}

const updates = (ops: readonly { kind: string }[]) => ops.filter((o): o is UpdateOp => o.kind === 'update');

describe.each(PROCESS_NAMES)('three-way field diff (%s)', (process) => {
  const task = PROCESSES[process].leafType;
  const states = PROCESSES[process].taskStates;

  it('creates the ADO task with mapped fields and then finds nothing to do', async () => {
    const { world, adoKey } = await linkedPair(process);
    expect(world.ado.items.get(adoKey)).toMatchObject({ type: task, fields: { 'System.Title': 'Write spec', 'System.State': states[0], 'Microsoft.VSTS.Scheduling.RemainingWork': 8 } });
    const again = await world.preview();
    expect(again.operations).toEqual([]);
  });

  it('pushes a plan-only change to ADO, with the rev as precondition', async () => {
    const { world, planKey, adoKey } = await linkedPair(process);
    // Project keeps the work already done: editing Work moves the remaining work with it.
    world.plan.edit(planKey, { Name: 'Write the spec', Work: '2d' }); // 16h; '1d' would equal the 8h already there
    const plan = await world.preview();
    expect(updates(plan.operations)).toEqual([expect.objectContaining({
      side: 'ado', key: adoKey, expectedVersion: 1, fields: expect.objectContaining({ 'System.Title': 'Write the spec', 'Microsoft.VSTS.Scheduling.RemainingWork': 16 }),
    })]);
    await world.sync();
    expect(world.ado.items.get(adoKey)!.fields['System.Title']).toBe('Write the spec');
  });

  it('pushes an ADO-only change to the plan', async () => {
    const { world, planKey, adoKey } = await linkedPair(process);
    world.ado.edit(adoKey, { 'System.State': states.at(-1)!, 'Microsoft.VSTS.Scheduling.RemainingWork': 2 });
    const plan = await world.preview();
    // Remaining work is Project's to compute: it is named in the preview, never written.
    expect(updates(plan.operations)).toEqual([expect.objectContaining({ side: 'plan', key: planKey, fields: { PercentComplete: 100 } })]);
    expect(plan.warnings.join('\n')).toMatch(/RemainingWork is not written in the plan \(Project computes it from Work and the actual work reported\)/);
    await world.sync();
    expect(world.plan.tasks.get(planKey)!.fields).toMatchObject({ PercentComplete: 100 });
    // The next run does not bring the unwritten value back as a change.
    expect(isNoop(await world.preview())).toBe(true);
  });

  it('reports a conflict with baseline, plan and ADO values when both changed differently', async () => {
    const { world, planKey, adoKey } = await linkedPair(process);
    world.plan.edit(planKey, { Name: 'Plan title' });
    world.ado.edit(adoKey, { 'System.Title': 'ADO title' });
    const plan = await world.preview();
    expect(plan.operations).toEqual([]);
    expect(plan.conflicts).toEqual([expect.objectContaining({
      planField: 'Name', adoField: 'System.Title', baseline: { plan: 'Write spec', ado: 'Write spec' }, plan: 'Plan title', ado: 'ADO title', choice: null,
    })]);
    await world.sync({ conflicts: { [plan.conflicts[0]!.id]: 'ado' } });
    expect(world.plan.tasks.get(planKey)!.fields['Name']).toBe('ADO title');
    expect((await world.preview()).conflicts).toEqual([]);
  });

  it('treats equal changes on both sides as nothing to do, and later edits still flow', async () => {
    const { world, planKey, adoKey } = await linkedPair(process);
    world.plan.edit(planKey, { Name: 'Same' });
    world.ado.edit(adoKey, { 'System.Title': 'Same' });
    const plan = await world.preview();
    expect(plan.operations).toEqual([]);
    expect(plan.conflicts).toEqual([]);
    await world.sync();
    world.plan.edit(planKey, { Name: 'Later' });
    expect((await world.preview()).conflicts).toEqual([]);
    expect(updates((await world.preview()).operations)[0]!.fields).toEqual({ 'System.Title': 'Later' });
  });

  it('one-way to ADO ignores ADO edits and lets the plan win when both changed', async () => {
    const { world, planKey, adoKey } = await linkedPair(process, { direction: 'planToAdo' });
    world.ado.edit(adoKey, { 'System.Title': 'ADO edit' });
    expect((await world.preview()).operations).toEqual([]);
    world.plan.edit(planKey, { Name: 'Plan edit' });
    const plan = await world.preview();
    expect(plan.conflicts).toEqual([]);
    expect(updates(plan.operations)).toEqual([expect.objectContaining({ side: 'ado', fields: { 'System.Title': 'Plan edit' } })]);
  });

  it('one-way to the plan ignores plan edits', async () => {
    const w = new World(integrationFor(process, { direction: 'adoToPlan' }));
    const id = w.ado.seed(task, { 'System.Title': 'From ADO', 'System.State': states[0]! });
    await w.sync();
    const key = w.links[0]!.planKey;
    w.plan.edit(key, { Name: 'Plan edit' });
    expect((await w.preview()).operations).toEqual([]);
    w.ado.edit(id, { 'System.Title': 'ADO edit' });
    expect(updates((await w.preview()).operations)).toEqual([expect.objectContaining({ side: 'plan', fields: { Name: 'ADO edit' } })]);
  });

  it('honours a rule\'s own direction', async () => {
    const base = integrationFor(process);
    const mapping = base.mapping.map((r) => (r.id === 'name' ? { ...r, direction: 'adoToPlan' as const } : r));
    const { world, planKey } = await linkedPair(process, { mapping });
    world.plan.edit(planKey, { Name: 'Renamed in plan' });
    expect((await world.preview()).operations).toEqual([]);
  });
});

describe('diff edge cases', () => {
  it('does not report format-only differences (time of day, HTML, e-mail case) as changes', async () => {
    const { world, adoKey } = await linkedPair('Agile', { timeZone: 'Europe/Berlin' });
    world.ado.edit(adoKey, { 'Microsoft.VSTS.Scheduling.StartDate': '2025-03-10T05:00:00Z' });
    expect((await world.preview()).operations).toEqual([]);
  });

  it('skips a field it cannot convert and says why', async () => {
    const { world, planKey } = await linkedPair('Agile');
    world.plan.edit(planKey, { ResourceNames: 'Carol Unknown' });
    const plan = await world.preview();
    expect(plan.operations).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringMatching(/no Azure DevOps user matches "Carol Unknown"/)]);
  });
});
