import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPwaSimulator, type PwaSimulator } from '../../../sim/pwa/server.js';
import { createPlanSide } from '../../src/adapters/plan-side.js';
import { buildPlan } from '../../src/sync/build-plan.js';
import type { Integration, Item } from '../../src/sync/model.js';
import type { CreateOp } from '../../src/sync/plan.js';
import { connectorFor } from '../connectors/pwa/harness.js';
import { integrationFor } from './support/fixtures.js';

/**
 * The engine over the production plan side, on a plan in flight ("Orion Network Upgrade"):
 * the work ADO receives is what Project holds, an inactive task is not created, and every task
 * carries its dependencies as data.
 */
describe('engine on a plan with actuals, dependencies and an inactive task', () => {
  let sim: PwaSimulator;
  let planItems: Item[];
  let integration: Integration;

  beforeAll(async () => {
    sim = await startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'orion' });
    const connector = connectorFor(sim, 'oauth', 'nometadata');
    const orion = (await connector.findProjects('Orion'))[0]!.project;
    const base = integrationFor('Agile');
    integration = { ...base, id: 'int-orion', scope: { ...base.scope, plan: { projectId: orion.id, tasks: 'all' } } };
    planItems = await createPlanSide(connector).readScope(integration.scope.plan);
  });
  afterAll(async () => sim?.close());

  const named = (name: string): Item => planItems.find((i) => i.fields.Name === name)!;

  it('creates work items with the estimate, remaining and completed work Project reports', () => {
    const plan = buildPlan({ integration, planItems, adoItems: [], links: [] });
    const creates = plan.operations.filter((o): o is CreateOp => o.kind === 'create' && o.side === 'ado');
    const switches = creates.find((c) => c.fields['System.Title'] === 'Install core switches')!;
    expect(switches.fields).toMatchObject({
      'Microsoft.VSTS.Scheduling.OriginalEstimate': 96, 'Microsoft.VSTS.Scheduling.RemainingWork': 60, 'Microsoft.VSTS.Scheduling.CompletedWork': 36,
    });
  });

  it('does not create the inactive task, and says so', () => {
    const plan = buildPlan({ integration, planItems, adoItems: [], links: [] });
    const titles = plan.operations.filter((o): o is CreateOp => o.kind === 'create').map((c) => c.fields['System.Title']);
    expect(titles).toContain('Configure VLANs');
    expect(titles).not.toContain('Legacy firewall migration');
    expect(plan.warnings).toContain('Plan task "Legacy firewall migration" is inactive in Project, so it was not created in ADO.');
    expect(plan.counts.createAdo).toBe(planItems.length - 1);
  });

  it('carries dependencies as data on the successor, keyed by the predecessor task', () => {
    expect(named('Install core switches').dependsOn).toEqual([{ key: named('Order hardware').key, kind: 'finish-to-start' }]);
    expect(named('Configure VLANs').dependsOn).toEqual([{ key: named('Install core switches').key, kind: 'start-to-start' }]);
    expect(named('Site survey').dependsOn).toBeUndefined();
    expect(named('Legacy firewall migration').inactive).toBe(true);
    expect(named('Install core switches').inactive).toBeUndefined();
  });
});
