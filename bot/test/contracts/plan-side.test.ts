import { startPwaSimulator } from '../../../sim/pwa/server.js';
import { createPlanSide } from '../../src/adapters/plan-side.js';
import { connectorFor } from '../connectors/pwa/harness.js';
import { MemoryPlan } from '../sync/support/memory-plan.js';
import { describePlanSideContract } from './plan-side.contract.js';

/** The PlanSide contract against every implementation: production (PWA connector + simulator) and the engine tests' double. */
describePlanSideContract('createPlanSide over the PWA connector against sim/pwa', async () => {
  const sim = await startPwaSimulator({ port: 0, queueJobMs: 0 });
  const connector = connectorFor(sim, 'onprem', 'nometadata');
  const projectId = (await connector.findProjects('Apollo'))[0]!.project.id;
  return { side: createPlanSide(connector), projectId, textCustomField: 'Risk Notes', dispose: () => sim.close() };
});

describePlanSideContract('MemoryPlan (test double)', async () => ({
  side: new MemoryPlan(), projectId: 'plan-apollo', textCustomField: 'Risk Notes', dispose: async () => undefined,
}));
