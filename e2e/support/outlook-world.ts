import type { BotSeams } from '../../bot/src/bot.js';
import { startGraphSimulator, type GraphSimulator, type GraphSimulatorOptions } from '../../sim/graph/server.js';
import { startPlaygroundWorld, type PlaygroundWorld } from './world.js';

/** A Playground world with Outlook: the Microsoft Graph simulator beside the ADO and PWA ones. */
export interface OutlookPlaygroundWorld extends PlaygroundWorld {
  graph: GraphSimulator;
}

/**
 * Starts the Graph simulator (demo seed: the mailbox of Demo PM and the directory of the people the
 * PWA demo assigns, on a free port), then the usual world: bot, ADO and PWA simulators, the Agents
 * Playground and a browser page. Closing stops the world, then the simulator; whatever started is
 * stopped also when a later step fails.
 */
export async function startOutlookPlaygroundWorld(seams: BotSeams = {}, graphOptions: GraphSimulatorOptions = {}): Promise<OutlookPlaygroundWorld> {
  const graph = await startGraphSimulator({ ...graphOptions, port: 0 });
  let world: PlaygroundWorld;
  try {
    world = await startPlaygroundWorld(seams);
  } catch (err) {
    await graph.close().catch(() => undefined);
    throw err;
  }
  return {
    ...world,
    graph,
    async close() {
      await world.close();
      await graph.close().catch(() => undefined);
    },
  };
}
