import type { BotSeams } from '../../bot/src/bot.js';
import { startPlaygroundWorld, type PlaygroundWorld, type PlaygroundWorldOptions } from './world.js';

/**
 * The usual Playground world (bot, ADO and PWA simulators, the Agents Playground, a browser page)
 * with one more simulator beside it, already started, under `key`. Closing stops the world, then
 * the simulator; the simulator is stopped also when the world fails to start.
 */
export async function worldWith<K extends string, S extends { close(): Promise<void> }>(key: K, simulator: S, seams: BotSeams = {}, options: PlaygroundWorldOptions = {}): Promise<PlaygroundWorld & Record<K, S>> {
  let world: PlaygroundWorld;
  try {
    world = await startPlaygroundWorld(seams, options);
  } catch (err) {
    await simulator.close().catch(() => undefined);
    throw err;
  }
  return {
    ...world,
    [key]: simulator,
    async close() {
      await world.close();
      await simulator.close().catch(() => undefined);
    },
  } as PlaygroundWorld & Record<K, S>;
}
