import { AdoConnector, type AdoConnectorOptions } from '../../../src/connectors/ado/connector.js';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator, type SimMode } from '../../../../sim/ado/server.js';

export const MODES: SimMode[] = ['cloud', 'server2019'];

export function startSim(mode: SimMode): Promise<AdoSimulator> {
  return startAdoSimulator({ mode });
}

/** A connector in local mode against the simulator; waits are recorded and shortened to 2 ms. */
export function connectorFor(sim: AdoSimulator, pat: string = ADO_DEMO_PATS.fullAccess, extra: Partial<AdoConnectorOptions> = {}): AdoConnector & { waits: number[] } {
  const waits: number[] = [];
  const connector = new AdoConnector({
    url: sim.url,
    pat,
    localMode: true,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 2)));
    },
    retry: { random: () => 0.5 },
    ...extra,
  });
  return Object.assign(connector, { waits });
}
