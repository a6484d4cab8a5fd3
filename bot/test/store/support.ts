import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';
import { openStore, type NewIntegration, type Store, type StoreOptions } from '../../src/store/index.js';

/**
 * A store for one test file: the embedded server in a fresh temp data dir, or, when
 * COSMOS_ENDPOINT is set, that account with a database of its own (deleted afterwards).
 * Log lines are captured so tests can check what was (not) logged.
 */
export interface TestStore {
  store: Store;
  dataDir: string;
  logger: Logger;
  logText(): string;
  /** Options to reopen the same database (e.g. after close). */
  options: StoreOptions;
  /** Closes the store, drops a remote test database and removes the temp dir. */
  dispose(): Promise<void>;
}

export const REMOTE = process.env.COSMOS_ENDPOINT !== undefined && process.env.COSMOS_ENDPOINT !== '';

export async function openTestStore(extra: Partial<StoreOptions> = {}): Promise<TestStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-store-'));
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  const options: StoreOptions = {
    cosmos: REMOTE
      ? { endpoint: process.env.COSMOS_ENDPOINT, key: process.env.COSMOS_KEY || undefined, database: `planbridge-test-${randomUUID().slice(0, 8)}` }
      : { database: 'planbridge' },
    dataDir,
    logger,
    ...extra,
  };
  let store: Store;
  try {
    store = await openStore(options);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    store,
    dataDir,
    logger,
    logText: () => lines.join(''),
    options,
    async dispose() {
      await store.close();
      if (REMOTE) await dropRemoteDatabase(options);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function dropRemoteDatabase(options: StoreOptions): Promise<void> {
  const { CosmosClient } = await import('@azure/cosmos');
  const { DefaultAzureCredential } = await import('@azure/identity');
  const client = new CosmosClient({
    endpoint: options.cosmos.endpoint!,
    ...(options.cosmos.key ? { key: options.cosmos.key } : { aadCredentials: new DefaultAzureCredential() }),
  });
  try {
    await client.database(options.cosmos.database).delete();
  } finally {
    client.dispose();
  }
}

/** Unique tenant ids per test, so tests in one database never see each other's data. */
export const tenant = (label = 't'): string => `${label}-${randomUUID()}`;

/** A complete integration as a user would set one up. */
export const sampleIntegration = (name: string, extra: Partial<NewIntegration> = {}): NewIntegration => ({
  name,
  planConnectionId: 'pwa-conn',
  planProjectId: 'b7c2b5a4-0000-4000-8000-000000000001',
  adoConnectionId: 'ado-conn',
  adoProjects: ['Apollo'],
  direction: 'two-way',
  mapping: [{ id: 'title', planField: 'Name', adoField: 'System.Title', direction: 'two-way', enabled: true }],
  hierarchy: { levels: ['Epic', 'Feature', 'User Story'], leafType: 'Task' },
  schedule: { frequency: 'weekly', time: '09:00', weekday: 1, startDate: '2025-01-06', timeZone: 'Europe/Berlin' },
  notifications: { conversationId: '19:abc@thread.tacv2', onFailure: true, onSuccess: false },
  ...extra,
});
