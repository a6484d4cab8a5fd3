import { startAdoSimulator } from '../../../sim/ado/server.js';
import { createAdoSide } from '../../src/adapters/ado-side.js';
import { connectorFor } from '../connectors/ado/harness.js';
import { MemoryAdo } from '../sync/support/memory-ado.js';
import { describeAdoSideContract } from './ado-side.contract.js';

/** The AdoSide contract against every implementation: production (connector + simulator) and the engine tests' double. */
describeAdoSideContract('createAdoSide over the ADO connector against sim/ado', async () => {
  const sim = await startAdoSimulator({ port: 0 });
  return { side: createAdoSide(connectorFor(sim)), project: 'Phoenix', otherProject: 'Atlas', dispose: () => sim.close() };
});

describeAdoSideContract('MemoryAdo (test double)', async () => ({
  side: new MemoryAdo(), project: 'Phoenix', otherProject: 'Atlas', dispose: async () => undefined,
}));
