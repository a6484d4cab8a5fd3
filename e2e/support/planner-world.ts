import type { BotSeams } from '../../bot/src/bot.js';
import { startDataverseSimulator, type DataverseSimulator, type DataverseSimulatorOptions } from '../../sim/dataverse/server.js';
import type { PlaygroundWorld } from './world.js';
import { worldWith } from './world-with.js';

/** A Playground world with Planner premium: the Dataverse simulator beside the ADO and PWA ones. */
export interface PlannerPlaygroundWorld extends PlaygroundWorld {
  dataverse: DataverseSimulator;
}

/** The Dataverse simulator (demo seed, free port, operation sets Pending a short 200 ms unless told otherwise), then the usual world. */
export async function startPlannerPlaygroundWorld(seams: BotSeams = {}, dataverseOptions: DataverseSimulatorOptions = {}): Promise<PlannerPlaygroundWorld> {
  return worldWith('dataverse', await startDataverseSimulator({ executionDelayMs: 200, ...dataverseOptions, port: 0 }), seams);
}
