import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startBot } from './bot.js';
import { VERSION } from './version.js';

/** Process entry point: read config, start, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`PlanBridge cannot start.\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  if (config.auth.mode === 'local') {
    logger.warn(`LOCAL MODE: no CLIENT_ID set, so activities are NOT authenticated; listening on ${config.host} only.`);
  }
  const bot = await startBot(config, logger);
  logger.info({ version: VERSION, url: bot.url, auth: config.auth.mode, store: bot.store.mode }, `PlanBridge listening on ${bot.url} (POST /api/messages, GET /healthz)`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    bot.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`PlanBridge failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
