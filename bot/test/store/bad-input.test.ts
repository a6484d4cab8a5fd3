import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createLogger } from '../../src/log.js';
import { connectCosmos, type CosmosConnection } from '../../src/store/connect.js';
import { conversationSchema, createConversationRepository } from '../../src/store/conversations.js';
import { DocumentCollection } from '../../src/store/document-collection.js';
import { compositeId, decodeId, encodeId, MAX_ID_LENGTH } from '../../src/store/ids.js';
import { SchemaError } from '../../src/store/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { startEmbeddedCosmos } from '../../src/store/embedded/embedded-server.js';
import { REMOTE, tenant } from './support.js';

describe('id encoding', () => {
  it('never emits a character Cosmos forbids, and round-trips', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }), (key) => {
      const id = encodeId(key);
      expect(id).not.toMatch(/[/\\?#]/);
      expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
      if (!id.startsWith('~~')) expect(decodeId(id)).toBe(key);
    }));
  });

  it('keeps distinct keys distinct, including ones that look like encodings', () => {
    const keys = ['a/b', 'a~2Fb', 'a%2Fb', 'a\\b', 'a?b', 'a#b', 'a b', 'a:b'];
    expect(new Set(keys.map(encodeId)).size).toBe(keys.length);
    expect(compositeId('task', 'a:b')).not.toBe(compositeId('task:a', 'b'));
  });

  it('hashes over-long keys deterministically', () => {
    const long = 'x/'.repeat(200);
    expect(encodeId(long)).toMatch(/^~~[0-9a-f]{64}$/);
    expect(encodeId(long)).toBe(encodeId(long));
    expect(encodeId(long)).not.toBe(encodeId(`${long}y`));
  });
});

describe('documents from other schema versions', () => {
  let connection: CosmosConnection;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-schema-'));
    connection = await connectCosmos(
      REMOTE ? { endpoint: process.env.COSMOS_ENDPOINT, key: process.env.COSMOS_KEY || undefined, database: `planbridge-test-${randomUUID().slice(0, 8)}` } : { database: 'planbridge' },
      dataDir, createLogger({ level: 'silent' }));
  });
  afterAll(async () => {
    if (REMOTE) await connection.database.delete();
    await connection?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reads an older conversation document and writes the current shape on the next save', async () => {
    const tenantId = tenant();
    const ref = { serviceUrl: 'https://smba.example/', channelId: 'msteams', bot: { id: '28:b' }, conversation: { id: 'a:old', conversationType: 'personal' } };
    // Version 0: no schemaVersion, reference kept under `ref`.
    await connection.containers.conversations.items.create({ id: encodeId('a:old'), tenantId, pk: encodeId(tenantId), ref });
    const repo = createConversationRepository(new DocumentCollection(connection.containers.conversations, conversationSchema));
    const read = await repo.get(tenantId, 'a:old');
    expect(read).toMatchObject({ schemaVersion: 1, conversationId: 'a:old', reference: ref });
    await repo.save(tenantId, { ...ref, serviceUrl: 'https://smba.example/new/' } as never);
    const { resource } = await connection.containers.conversations.item(encodeId('a:old'), encodeId(tenantId)).read();
    expect(resource).toMatchObject({ schemaVersion: 1, reference: { serviceUrl: 'https://smba.example/new/' } });
    expect(resource).not.toHaveProperty('ref');
  });

  it('refuses a document written by a newer release instead of misreading it', async () => {
    const tenantId = tenant();
    await connection.containers.conversations.items.create({ id: 'future', tenantId, pk: encodeId(tenantId), schemaVersion: 99, conversationId: 'future', reference: {} });
    const repo = createConversationRepository(new DocumentCollection(connection.containers.conversations, conversationSchema));
    await expect(repo.get(tenantId, 'future')).rejects.toThrow(SchemaError);
    await expect(repo.get(tenantId, 'future')).rejects.toThrow(/schema version 99, newer than this build reads \(1\); upgrade PlanBridge/);
  });
});

describe.skipIf(REMOTE)('containers created elsewhere', () => {
  it('refuses a container partitioned on another path, saying how to fix it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-pk-'));
    const logger = createLogger({ level: 'silent' });
    const server = await startEmbeddedCosmos({ dataDir, logger });
    try {
      const client = new CosmosClient({ endpoint: server.endpoint, key: server.key, connectionPolicy: { enableEndpointDiscovery: false } });
      const { database } = await client.databases.createIfNotExists({ id: 'planbridge' });
      await database.containers.createIfNotExists({ id: 'links', partitionKey: { paths: ['/tenantId'] } });
      client.dispose();
      await expect(connectCosmos({ endpoint: server.endpoint, key: server.key, database: 'planbridge' }, dataDir, logger))
        .rejects.toThrow(/container "links" is partitioned on \/tenantId, but PlanBridge needs \/pk; .*recreate the container/);
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
