import { startInstance, type InstanceConfig } from './instance.js';

/**
 * A scheduler instance in its own process (the benchmark's default): `node child.js <config JSON>`
 * with an IPC channel. Sends `{ events }` batches, `{ ready }` once scanning, and `{ stopped }`
 * after the message `stop` has let its runs end.
 */
const send = (message: unknown): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));
const config = JSON.parse(process.argv[2]!) as InstanceConfig;
const instance = await startInstance(config, (events) => void send({ events }));
await send({ ready: true });
process.on('message', (message) => {
  if (message !== 'stop') return;
  instance.stop().then(() => send({ stopped: true })).then(() => process.exit(0), (err: unknown) => {
    process.stderr.write(`instance ${config.name} could not stop: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
});
