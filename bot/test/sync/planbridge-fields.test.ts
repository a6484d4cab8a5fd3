import { describe, expect, it } from 'vitest';
import { isNoop, type CreateOp, type Operation, type SyncPlan, type UpdateOp } from '../../src/sync/plan.js';
import type { Integration } from '../../src/sync/model.js';
import type { AdoScope } from '../../src/sync/model.js';
import type { WriteLimits } from '../../src/sync/write-limits.js';
import { World, integrationFor } from './support/fixtures.js';
import { MemoryAdo } from './support/memory-ado.js';

/**
 * The PlanBridge task fields: "Sync to ADO" narrows a flagged-only integration, "ADO Work Item
 * ID"/"Link" receive the linked work item in the same run (and are kept right afterwards), and
 * "ADO Work Item Type"/"ADO Project" choose what is created. Every write is in the preview, and a
 * run after a run proposes nothing.
 */

const FLAG = 'Sync to ADO';
const ID = 'ADO Work Item ID';
const LINK = 'ADO Work Item Link';
const ALL_FIELDS = [FLAG, 'ADO Work Item Type', 'ADO Project', ID, LINK];
const url = (key: string) => `https://dev.azure.com/contoso/_workitems/edit/${key}`;

/** The ADO double with what the real adapter adds: web URLs and the types each project has. */
class LinkingAdo extends MemoryAdo {
  typesByProject: Record<string, string[]> = {
    Apollo: ['Epic', 'Feature', 'User Story', 'Task', 'Bug', 'Issue'],
    Hermes: ['Epic', 'Feature', 'User Story', 'Task', 'Bug'],
  };

  workItemUrl(key: string): string {
    return url(key);
  }

  async writeLimits(scope: readonly AdoScope[]): Promise<WriteLimits> {
    return { readOnly: {}, rolledUp: {}, typesByProject: Object.fromEntries(scope.map((s) => [s.project, this.typesByProject[s.project] ?? []])) };
  }
}

function world(overrides: Partial<Integration> = {}): World & { ado: LinkingAdo } {
  return new World(integrationFor('Agile', { planTaskFields: ALL_FIELDS, ...overrides }), undefined, new LinkingAdo()) as World & { ado: LinkingAdo };
}

const flagged = { scope: { plan: { projectId: 'plan-apollo', tasks: 'flagged' as const, flagField: FLAG }, ado: [{ project: 'Apollo' }] } };
const creates = (plan: SyncPlan, side: 'ado' | 'plan'): CreateOp[] => plan.operations.filter((o): o is CreateOp => o.kind === 'create' && o.side === side);
const titled = (plan: SyncPlan, title: string): CreateOp => creates(plan, 'ado').find((o) => o.fields['System.Title'] === title)!;
const planUpdates = (ops: readonly Operation[]): UpdateOp[] => ops.filter((o): o is UpdateOp => o.kind === 'update' && o.side === 'plan');
const adoByTitle = (w: World, title: string) => [...w.ado.items.values()].find((i) => i.fields['System.Title'] === title);

describe('"flagged tasks only"', () => {
  function outline(w: World) {
    const build = w.plan.seed({ Name: 'Build' });
    const backend = w.plan.seed({ Name: 'Backend', [FLAG]: true }, build);
    const design = w.plan.seed({ Name: 'Design API', [FLAG]: true }, backend);
    w.plan.seed({ Name: 'Implement endpoints' }, backend);
    const docs = w.plan.seed({ Name: 'Docs' }, build);
    w.plan.seed({ Name: 'Write guide', [FLAG]: true }, docs);
    w.plan.seed({ Name: 'Launch', [FLAG]: false });
    return { build, backend, design };
  }

  it('creates work items for flagged tasks only, at the level their whole outline gives them', async () => {
    const w = world(flagged);
    outline(w);
    const plan = await w.preview();
    expect(creates(plan, 'ado').map((o) => [o.fields['System.Title'], o.type]).sort()).toEqual([
      ['Backend', 'Feature'], ['Design API', 'Task'], ['Write guide', 'Task'],
    ]);
    // Unflagged summaries have no work item: Backend has no parent, Write guide none either.
    expect(titled(plan, 'Backend').parent).toBeNull();
    expect(titled(plan, 'Design API').parent).toEqual({ linkId: titled(plan, 'Backend').linkId });
    expect(titled(plan, 'Write guide').parent).toBeNull();
  });

  it('keeps a flagged summary a summary level even when none of its subtasks is flagged', async () => {
    const w = world(flagged);
    const epic = w.plan.seed({ Name: 'Payments', [FLAG]: true });
    w.plan.seed({ Name: 'Card form' }, epic);
    const plan = await w.preview();
    expect(creates(plan, 'ado').map((o) => [o.fields['System.Title'], o.type])).toEqual([['Payments', 'Epic']]);
  });

  it('converges, flags the tasks it creates from ADO, and rests a pair whose task was unflagged', async () => {
    const w = world(flagged);
    const { backend } = outline(w);
    await w.sync();
    expect(isNoop(await w.preview())).toBe(true);

    // A new work item under Backend's Feature comes into the plan flagged, so it stays in scope.
    const feature = adoByTitle(w, 'Backend')!;
    w.ado.seed('Task', { 'System.Title': 'Rate limits' }, feature.key);
    const second = await w.sync();
    expect(creates(second.plan, 'plan')[0]!.fields[FLAG]).toBe(true);
    expect(isNoop(await w.preview())).toBe(true);

    // Unflagged after linking: no deletion is proposed and nothing is written; a note says why.
    w.plan.edit(backend, { [FLAG]: false });
    const rested = await w.preview();
    expect(rested.deletions).toEqual([]);
    expect(rested.operations).toEqual([]);
    expect(rested.warnings.join('\n')).toMatch(/"Backend" is linked to #\d+ but not flagged "Sync to ADO"/);
  });
});

describe('"ADO Work Item ID" and "ADO Work Item Link"', () => {
  it('get the new work item\'s id and link in the same run, said in the preview, and the next run proposes nothing', async () => {
    const w = world();
    const epic = w.plan.seed({ Name: 'Checkout' });
    const task = w.plan.seed({ Name: 'Card form' }, epic);
    const { plan } = await w.sync();
    expect(plan.warnings).toContain('The 2 new work items\' IDs and links go into their plan tasks\' "ADO Work Item ID" and "ADO Work Item Link" fields in this same run.');
    expect(titled(plan, 'Card form').adoRefs).toMatchObject({ planKey: task, idField: ID, linkField: LINK });
    const item = adoByTitle(w, 'Card form')!;
    expect(w.plan.tasks.get(task)!.fields).toMatchObject({ [ID]: Number(item.key), [LINK]: url(item.key) });
    expect(w.plan.tasks.get(epic)!.fields[ID]).toBe(Number(adoByTitle(w, 'Checkout')!.key));
    expect(isNoop(await w.preview())).toBe(true);
  });

  it('are filled in on tasks created from work items, with the rest of the new task', async () => {
    const w = world();
    const item = w.ado.seed('User Story', { 'System.Title': 'Saved cards' });
    const { plan } = await w.sync();
    expect(creates(plan, 'plan')[0]!.fields).toMatchObject({ [ID]: Number(item), [LINK]: url(item) });
    expect(isNoop(await w.preview())).toBe(true);
  });

  it('are corrected on existing links as a previewed plan update, in any direction', async () => {
    const w = world({ direction: 'planToAdo' });
    const task = w.plan.seed({ Name: 'Card form' });
    await w.sync();
    const item = adoByTitle(w, 'Card form')!;
    w.plan.edit(task, { [ID]: 999, [LINK]: null });
    const plan = await w.preview();
    expect(planUpdates(plan.operations)).toEqual([expect.objectContaining({ key: task, fields: { [ID]: Number(item.key), [LINK]: url(item.key) } })]);
    await w.sync();
    expect(w.plan.tasks.get(task)!.fields[ID]).toBe(Number(item.key));
    expect(isNoop(await w.preview())).toBe(true);
  });

  it('are written when a pair proposed by title is linked', async () => {
    const w = world();
    const task = w.plan.seed({ Name: 'Card form' });
    const item = w.ado.seed('Task', { 'System.Title': 'Card form' });
    const { plan } = await w.sync((p) => ({ matches: Object.fromEntries((p.matches ?? []).map((m) => [m.id, 'link' as const])) }));
    expect(plan.matches![0]!.link.adoRefs).toMatchObject({ planKey: task });
    expect(w.plan.tasks.get(task)!.fields).toMatchObject({ [ID]: Number(item), [LINK]: url(item) });
    // A pair linked by title settles its other values on the next sync, as the preview says; never these.
    const next = await w.preview();
    expect(planUpdates(next.operations).flatMap((u) => Object.keys(u.fields))).not.toContain(ID);
    await w.sync((p) => ({ conflicts: Object.fromEntries(p.conflicts.map((c) => [c.id, 'plan' as const])) }));
    expect(isNoop(await w.preview())).toBe(true);
  });

  it('are left alone when the plan site does not have them', async () => {
    const w = world({ planTaskFields: ['Risk Notes'] });
    const task = w.plan.seed({ Name: 'Card form' });
    const { plan } = await w.sync();
    expect(plan.warnings.join('\n')).not.toMatch(/ADO Work Item ID/);
    expect(titled(plan, 'Card form').adoRefs).toBeUndefined();
    expect(w.plan.tasks.get(task)!.fields[ID]).toBeUndefined();
    expect(isNoop(await w.preview())).toBe(true);
  });

  it('is not written over a task edited since the preview; the next preview proposes it', async () => {
    const w = world();
    const task = w.plan.seed({ Name: 'Card form' });
    await w.sync(() => {
      w.plan.edit(task, { Notes: 'edited while the preview was open' });
      return {};
    });
    expect(w.plan.tasks.get(task)!.fields[ID]).toBeUndefined();
    const next = await w.preview();
    expect(planUpdates(next.operations).map((u) => Object.keys(u.fields))).toEqual([[ID, LINK]]);
  });
});

describe('"ADO Work Item Type" and "ADO Project"', () => {
  const twoProjects = { scope: { plan: { projectId: 'plan-apollo', tasks: 'all' as const }, ado: [{ project: 'Apollo' }, { project: 'Hermes' }] } };

  it('choose the type of the new work item when the project has it and the integration syncs it', async () => {
    const w = world();
    w.plan.seed({ Name: 'Crash on pay', 'ADO Work Item Type': 'bug' });
    w.plan.seed({ Name: 'Dark mode', 'ADO Work Item Type': 'Spaceship' });
    const { plan } = await w.sync();
    expect(titled(plan, 'Crash on pay').type).toBe('Bug');
    expect(titled(plan, 'Dark mode').type).toBe('Task');
    expect(plan.warnings.join('\n')).toMatch(/"Dark mode" asks for ADO Work Item Type "Spaceship", but Apollo has no "Spaceship" work item type; .* Types it can be: Epic, Feature, User Story, Task, Bug, Issue\./);
    expect(adoByTitle(w, 'Crash on pay')!.type).toBe('Bug');
    expect(isNoop(await w.preview())).toBe(true);
  });

  it('choose the project, for the task and what comes along with it', async () => {
    const w = world(twoProjects);
    const epic = w.plan.seed({ Name: 'Website', 'ADO Project': 'hermes' });
    w.plan.seed({ Name: 'Landing page' }, epic);
    w.plan.seed({ Name: 'Elsewhere', 'ADO Project': 'Zeus' });
    w.plan.seed({ Name: 'No issues in Hermes', 'ADO Project': 'Hermes', 'ADO Work Item Type': 'Issue' });
    const { plan } = await w.sync();
    expect(titled(plan, 'Website').project).toBe('Hermes');
    expect(titled(plan, 'Landing page').project).toBe('Hermes');
    expect(titled(plan, 'Elsewhere').project).toBe('Apollo');
    expect(titled(plan, 'No issues in Hermes').type).toBe('Task');
    const notes = plan.warnings.join('\n');
    expect(notes).toMatch(/"Elsewhere" asks for ADO Project "Zeus", which this integration does not sync \(its projects: Apollo, Hermes\)/);
    expect(notes).toMatch(/Hermes has no "Issue" work item type/);
    expect(adoByTitle(w, 'Landing page')!.fields['System.TeamProject']).toBe('Hermes');
    expect(isNoop(await w.preview())).toBe(true);
  });
});
