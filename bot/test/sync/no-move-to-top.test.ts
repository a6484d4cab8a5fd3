import { describe, expect, it } from 'vitest';
import { PLANNER_WRITE_LIMITS } from '../../src/connectors/planner/write-limits.js';
import { buildPlan } from '../../src/sync/build-plan.js';
import type { Item, Link } from '../../src/sync/model.js';
import { NO_SIDE_LIMITS } from '../../src/sync/write-limits.js';
import { integrationFor } from './support/fixtures.js';

/**
 * A plan system that cannot move a task back to the top level (Planner premium) is never offered
 * a change that needs it: the choice would fail on every run (found by the model-based test).
 */
describe('a plan side that cannot move a task to the top level', () => {
  const integration = integrationFor('Agile', { direction: 'adoToPlan' });
  const task = (key: string, name: string, parentKey: string | null, type = 'Task'): Item => ({ key, system: 'plan', type, parentKey, fields: { Name: name }, version: '1' });
  const workItem = (key: string, title: string, parentKey: string | null, type = 'User Story'): Item => ({ key, system: 'ado', type, parentKey, fields: { 'System.Title': title, 'System.WorkItemType': type, 'System.TeamProject': 'Apollo' }, version: 1 });
  const link = (id: string, planKey: string, adoKey: string, planParent: string | null, adoParent: string | null): Link => ({
    id, planKey, adoKey, baseline: { fields: {}, planParent, adoParent },
  });
  // Checkout (a summary with a subtask) was deleted in ADO; its story lost its parent there.
  const planItems = [task('p1', 'Checkout', null, 'Summary'), task('p2', 'Card form', 'p1')];
  const adoItems = [workItem('2', 'Card form', null)];
  const links = [link('l1', 'p1', '1', null, null), link('l2', 'p2', '2', 'p1', '1')];
  const limits = (plan: typeof PLANNER_WRITE_LIMITS | undefined) => (plan ? { plan, ado: NO_SIDE_LIMITS.ado } : NO_SIDE_LIMITS);

  it('does not propose following ADO to "no parent", and says why the pair waits', () => {
    const planner = buildPlan({ integration, planItems, adoItems, links, limits: limits(PLANNER_WRITE_LIMITS) });
    expect(planner.hierarchy).toEqual([]);
    expect(planner.operations.some((op) => op.kind === 'update' && op.side === 'plan' && op.parent === null)).toBe(false);
    expect(planner.warnings.join('\n')).toMatch(/"Card form" has no parent in ADO any more, but Planner premium cannot move a task back to the top level/);
    // Project Web App can: the same pair is a mismatch there, resolvable towards ADO.
    const pwa = buildPlan({ integration, planItems, adoItems, links, limits: limits(undefined) });
    expect(pwa.hierarchy.map((h) => h.resolutions.ado?.parent)).toEqual([null]);
  });

  it('does not offer to delete a summary whose subtasks would have to move to the top level', () => {
    const planner = buildPlan({ integration, planItems, adoItems, links, limits: limits(PLANNER_WRITE_LIMITS) });
    const deletion = planner.deletions.find((d) => d.survivor?.key === 'p1')!;
    expect(deletion.allowed).toEqual(['keep', 'unlink']);
    expect(planner.warnings.join('\n')).toMatch(/"Checkout" was deleted in ADO, but deleting it in the plan would take its subtasks with it/);
    const pwa = buildPlan({ integration, planItems, adoItems, links, limits: limits(undefined) });
    expect(pwa.deletions.find((d) => d.survivor?.key === 'p1')!.allowed).toContain('propagate');
  });
});
