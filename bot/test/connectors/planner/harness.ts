import { expect } from 'vitest';
import { PlannerConnector, type PlannerConnectorOptions } from '../../../src/connectors/planner/connector.js';
import { PlanConnectorError } from '../../../src/connectors/ppm.js';
import { DATAVERSE_DEMO_CREDENTIALS, startDataverseSimulator, type DataverseSimulator, type DataverseSimulatorOptions } from '../../../../sim/dataverse/server.js';

/** A simulator for connector tests: operation sets execute at once, so polls are short. */
export function startSim(options: DataverseSimulatorOptions = {}): Promise<DataverseSimulator> {
  return startDataverseSimulator({ port: 0, executionDelayMs: 0, ...options });
}

/** A connector against the simulator with fast polling and recorded (not real) waits. */
export function plannerFor(sim: DataverseSimulator, extra: Partial<PlannerConnectorOptions> = {}): PlannerConnector & { waits: number[] } {
  const waits: number[] = [];
  const connector = new PlannerConnector({
    environmentUrl: sim.url,
    getAccessToken: async () => DATAVERSE_DEMO_CREDENTIALS.bearerToken,
    account: DATAVERSE_DEMO_CREDENTIALS.licensedAccount,
    pollIntervalMs: 2,
    operationSetTimeoutMs: 10_000,
    sleep: async (ms) => {
      waits.push(ms);
      await new Promise((r) => setTimeout(r, Math.min(ms, 5)));
    },
    ...extra,
  });
  return Object.assign(connector, { waits });
}

/** The PlanConnectorError a call rejects with (the test fails if it resolves or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<PlanConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PlanConnectorError);
  return err as PlanConnectorError;
}
