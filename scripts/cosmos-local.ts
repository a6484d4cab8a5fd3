import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../bot/src/config.js';
import { createLogger } from '../bot/src/log.js';
import { startEmbeddedCosmos } from '../bot/src/store/embedded/embedded-server.js';

/**
 * Runs the embedded Cosmos-compatible database on its own, on a fixed loopback port, persisted
 * under PLANBRIDGE_DATA_DIR, so several bot processes can share one database:
 *   node dist/scripts/cosmos-local.js [--port 8181] [--host 127.0.0.1]
 * then start each bot with the COSMOS_ENDPOINT and COSMOS_KEY it prints.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8181' }, host: { type: 'string', default: '127.0.0.1' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port number`);
  if (!['127.0.0.1', 'localhost', '::1'].includes(values.host)) throw new Error('--host must be a loopback address: the embedded database has no authentication');
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const db = await startEmbeddedCosmos({ dataDir: config.dataDir, host: values.host, port, logger });
  process.stdout.write(`Embedded Cosmos DB listening, data in ${db.dir}\n  COSMOS_ENDPOINT=${db.endpoint}\n  COSMOS_KEY=${db.key}\nCtrl+C saves and stops it.\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    db.close().then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`could not save cleanly: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
