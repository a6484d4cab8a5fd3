import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { BotSeams } from '../../bot/src/bot.js';
import { startTestBot, type TestBot } from '../../bot/test/support/test-bot.js';
import { startAdoSimulator, type AdoSimulator } from '../../sim/ado/server.js';
import { startPwaSimulator, type PwaSimulator } from '../../sim/pwa/server.js';
import { launchOfflineBrowser, type OfflineBrowserOptions } from './browser.js';
import { startPlayground, type RunningPlayground } from './playground.js';

/** Where every browser test saves its screenshots (git-ignored). */
export const SHOTS = fileURLToPath(new URL('../../artifacts/e2e/', import.meta.url));

/** Everything a Playground test drives: the real bot, the simulators, the Playground and one browser page. */
export interface PlaygroundWorld {
  bot: TestBot;
  ado: AdoSimulator;
  pwa: PwaSimulator;
  playground: RunningPlayground;
  page: Page;
  close(): Promise<void>;
}

/** What a world may change beyond the bot's seams. */
export interface PlaygroundWorldOptions {
  /** Extra bot settings (e.g. PORT, PWA_OAUTH_AUTHORITY), over the test bot's own. */
  env?: Record<string, string>;
  browser?: OfflineBrowserOptions;
}

export async function startPlaygroundWorld(seams: BotSeams = {}, options: PlaygroundWorldOptions = {}): Promise<PlaygroundWorld> {
  await mkdir(SHOTS, { recursive: true });
  // Whatever started is stopped, also when a later step fails (no Chromium, Playground timeout).
  const started: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of started.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    const [ado, pwa, bot] = await Promise.all([startAdoSimulator({ port: 0 }), startPwaSimulator({ port: 0, queueJobMs: 0 }), startTestBot(options.env ?? {}, seams)]);
    started.push(() => ado.close(), () => pwa.close(), () => bot.close());
    const playground = await startPlayground(`${bot.bot.url}/api/messages`);
    started.push(() => playground.close());
    const browser = await launchOfflineBrowser(options.browser);
    started.push(() => browser.close());
    const page = await browser.context.newPage();
    return { bot, ado, pwa, playground, page, close };
  } catch (err) {
    await close();
    throw err;
  }
}
