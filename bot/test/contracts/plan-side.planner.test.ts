import { SEED_IDS } from '../../../sim/dataverse/server.js';
import { createPlanSide } from '../../src/adapters/plan-side.js';
import { PLANNER_WRITE_LIMITS } from '../../src/connectors/planner/write-limits.js';
import { plannerFor, startSim } from '../connectors/planner/harness.js';
import { describePlanSideContract } from './plan-side.contract.js';

/**
 * The PlanSide contract over the Planner premium connector against sim/dataverse. Planner differs
 * from Project where the fixture says so: its own write limits, % complete kept when effort
 * changes (completed = effort x progress), and no move back to the top level (un-parenting is
 * blocked by the schedule APIs). The text custom field is the task's bucket.
 */
describePlanSideContract('createPlanSide over the Planner premium connector against sim/dataverse', async () => {
  const sim = await startSim();
  const connector = plannerFor(sim, { timeZone: 'UTC' });
  return {
    side: createPlanSide(connector), projectId: SEED_IDS.apollo, textCustomField: 'Bucket',
    system: { limits: PLANNER_WRITE_LIMITS, workChange: 'keeps-progress', toTopLevel: 'refused' },
    dispose: async () => { connector.close(); await sim.close(); },
  };
});
