import type { BotSeams } from '../../bot/src/bot.js';
import { startDataverseSimulator, type DataverseSimulator, type DataverseSimulatorOptions } from '../../sim/dataverse/server.js';
import { startPlaygroundWorld, type PlaygroundWorld } from './world.js';

/** A Playground world with Planner premium: the Dataverse simulator beside the ADO and PWA ones. */
export interface PlannerPlaygroundWorld extends PlaygroundWorld {
  dataverse: DataverseSimulator;
}

/**
 * Starts the Dataverse simulator (demo seed, on a free port, operation sets Pending for a short
 * 200 ms unless told otherwise), then the usual world: bot, ADO and PWA simulators, the Agents
 * Playground and a browser page. Closing stops the world, then the simulator; whatever started is
 * stopped also when a later step fails.
 */
export async function startPlannerPlaygroundWorld(seams: BotSeams = {}, dataverseOptions: DataverseSimulatorOptions = {}): Promise<PlannerPlaygroundWorld> {
  const dataverse = await startDataverseSimulator({ executionDelayMs: 200, ...dataverseOptions, port: 0 });
  let world: PlaygroundWorld;
  try {
    world = await startPlaygroundWorld(seams);
  } catch (err) {
    await dataverse.close().catch(() => undefined);
    throw err;
  }
  return {
    ...world,
    dataverse,
    async close() {
      await world.close();
      await dataverse.close().catch(() => undefined);
    },
  };
}
