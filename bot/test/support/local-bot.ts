import { afterAll, beforeAll } from 'vitest';
import { FakeConnector } from './fake-connector.js';
import { startTestBot, type TestBot } from './test-bot.js';

export interface LocalBot {
  readonly bot: TestBot;
  readonly connector: FakeConnector;
}

/**
 * The bot in local mode with a fake Bot Connector to answer to, started before the tests of the
 * `describe` it is called in and stopped after them (no simulators: `Journey` is for journeys).
 */
export function useLocalBot(env: Record<string, string> = {}): LocalBot {
  const world = {} as { bot: TestBot; connector: FakeConnector };
  beforeAll(async () => {
    world.connector = await new FakeConnector().start();
    world.bot = await startTestBot(env);
  });
  afterAll(async () => {
    await world.bot?.close();
    await world.connector?.stop();
  });
  return world;
}
