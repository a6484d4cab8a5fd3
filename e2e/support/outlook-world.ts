import type { BotSeams } from '../../bot/src/bot.js';
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from '../../sim/graph/server.js';
import type { PlaygroundWorld } from './world.js';
import { worldWith } from './world-with.js';

/** A Playground world with Outlook: the Microsoft Graph simulator beside the ADO and PWA ones. */
export interface OutlookPlaygroundWorld extends PlaygroundWorld {
  graph: GraphSimulator;
}

/** The Graph simulator (demo seed: Demo PM's mailbox and the people the PWA demo assigns) on a free port, then the usual world. */
export async function startOutlookPlaygroundWorld(seams: BotSeams = {}, graphOptions: GraphSimulatorOptions = {}): Promise<OutlookPlaygroundWorld> {
  return worldWith('graph', await startGraphSimulator({ ...graphOptions, port: 0 }), seams);
}
