import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosmosClient, type Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { connectCosmos, type CosmosConnection } from '../../src/store/connect.js';
import { connectionSchema, createConnectionRepository, type ConnectionDocument } from '../../src/store/connections.js';
import { DocumentCollection } from '../../src/store/document-collection.js';
import { NO_QUERY_PLANS, startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded/embedded-server.js';
import { openStore, type Store } from '../../src/store/index.js';
import { QueryCache } from '../../src/store/query-cache.js';
import { SecretBox, keyringOf } from '../../src/store/secrets/secret-box.js';
import { openTestStore, REMOTE, tenant, type TestStore } from './support.js';

const logger = createLogger({ level: 'silent' });

/** A kept page of plain values, sized by its JSON as the store sizes a server's answer. */
const kept = (...items: unknown[]) => ({ items });
const put = (cache: QueryCache, container: string, partition: string | undefined, key: string, items: unknown[], generation = 0) =>
  cache.set(container, partition, key, kept(...items), JSON.stringify(items).length, generation);
const itemsOf = (cache: QueryCache, key: string) => cache.get(key)?.items;

describe('QueryCache', () => {
  it('drops the written partition and every cross-partition result of that container, nothing else', () => {
    const cache = new QueryCache();
    put(cache, 'runs', '"a"', 'k-a', [1]);
    put(cache, 'runs', '"b"', 'k-b', [2]);
    put(cache, 'runs', undefined, 'k-all', [1, 2]);
    put(cache, 'links', '"a"', 'k-links', [3]);
    cache.invalidate('runs', '"a"');
    expect([itemsOf(cache, 'k-a'), itemsOf(cache, 'k-b'), itemsOf(cache, 'k-all'), itemsOf(cache, 'k-links')]).toEqual([undefined, [2], undefined, [3]]);
  });

  it('does not keep a result read across a write to its container', () => {
    const cache = new QueryCache();
    const before = cache.generation('connections');
    cache.invalidate('connections', '"other-tenant"'); // a write finished while the query was out
    put(cache, 'connections', '"t"', 'k', [], before);
    expect(cache.get('k')).toBeUndefined();
    put(cache, 'connections', '"t"', 'k', [], cache.generation('connections'));
    expect(itemsOf(cache, 'k')).toEqual([]);
  });

  it('keeps within its size, least recently used out first, and skips big results', () => {
    const cache = new QueryCache({ maxChars: 30, maxEntryChars: 12 });
    const ten = ['x'.repeat(6)]; // ["xxxxxx"]: 10 characters of JSON
    put(cache, 'c', '"p"', 'a', ten);
    put(cache, 'c', '"p"', 'b', ten);
    expect(cache.get('a')).toBeDefined(); // now b is the least recently used
    put(cache, 'c', '"p"', 'c', ten);
    put(cache, 'c', '"p"', 'd', ten);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.get('d')].map(Boolean)).toEqual([true, false, true, true]);
    put(cache, 'c', '"p"', 'big', ['x'.repeat(9)]); // 13 characters
    expect(cache.get('big')).toBeUndefined();
  });

  it('does not use an entry past its age', () => {
    let now = 0;
    const cache = new QueryCache({ maxAgeMs: 1000, now: () => now });
    put(cache, 'c', '"p"', 'k', []);
    now = 1000;
    expect(itemsOf(cache, 'k')).toEqual([]);
    now = 1001;
    expect(cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('query results kept by the store (embedded mode)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const ado = { kind: 'ado' as const, url: 'https://dev.azure.com/contoso', auth: { type: 'pat' as const } };

  it('every write through the store shows in the next list: create, update, secret, remove', async () => {
    const tenantId = tenant();
    const names = async () => (await t.store.connections.list(tenantId)).map((c) => `${c.name}:${c.sharing?.mode ?? 'owner'}`);
    expect(await names()).toEqual([]);
    const a = await t.store.connections.create(tenantId, { ...ado, name: 'a' });
    expect(await names()).toEqual(['a:owner']);
    await t.store.connections.update(tenantId, a.id, () => ({ sharing: { mode: 'people', people: [{ id: '29:bob' }] } }));
    expect(await names()).toEqual(['a:people']);
    await t.store.connections.update(tenantId, a.id, () => ({ sharing: { mode: 'owner' } }));
    expect(await names()).toEqual(['a:owner']);
    const before = (await t.store.connections.list(tenantId))[0]!.etag;
    await t.store.connections.setSecret(tenantId, a.id, 'new-pat-value');
    expect((await t.store.connections.list(tenantId))[0]!.etag).not.toBe(before);
    await t.store.connections.remove(tenantId, a.id);
    expect(await names()).toEqual([]);
  });

  it('an integration update shows in the next list at once; other tenants are unaffected', async () => {
    const tenantId = tenant();
    const other = tenant();
    const first = await t.store.integrations.create(tenantId, { name: 'A', planConnectionId: 'p', planProjectId: 'A', adoConnectionId: 'a', adoProjects: ['A'], direction: 'two-way', mapping: [], hierarchy: { levels: [], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false } });
    expect((await t.store.integrations.list(other)).items).toEqual([]);
    expect((await t.store.integrations.list(tenantId)).items.map((i) => i.name)).toEqual(['A']);
    await t.store.integrations.update(tenantId, first.id, () => ({ name: 'A2' }));
    expect((await t.store.integrations.list(tenantId)).items.map((i) => i.name)).toEqual(['A2']);
    expect((await t.store.integrations.list(other)).items).toEqual([]);
  });

  it('a kept first page still pages on, and shows a write at once', async () => {
    const tenantId = tenant();
    const integration = (name: string) => ({ name, planConnectionId: 'p', planProjectId: name, adoConnectionId: 'a', adoProjects: [name], direction: 'two-way' as const, mapping: [], hierarchy: { levels: [], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false } });
    for (const name of ['A', 'B', 'C']) await t.store.integrations.create(tenantId, integration(name));
    const names = async () => {
      const out: string[] = [];
      let continuation: string | undefined;
      do {
        const page = await t.store.integrations.list(tenantId, { pageSize: 2, continuation });
        out.push(...page.items.map((i) => i.name));
        continuation = page.continuation;
      } while (continuation);
      return out;
    };
    expect(await names()).toEqual(['A', 'B', 'C']);
    expect(await names()).toEqual(['A', 'B', 'C']); // the first page from the cache, its token still good
    await t.store.integrations.create(tenantId, integration('AA'));
    expect(await names()).toEqual(['A', 'AA', 'B', 'C']);
  });

  it('hands out frozen documents: a caller cannot change what the next list returns, and its own array is its own', async () => {
    const tenantId = tenant();
    await t.store.connections.create(tenantId, { ...ado, name: 'kept' });
    const first = await t.store.connections.list(tenantId);
    expect(() => { first[0]!.name = 'changed by a caller'; }).toThrow(TypeError);
    expect(() => { (first[0]!.auth as { type: string }).type = 'basic'; }).toThrow(TypeError);
    first.push({ ...first[0]!, name: 'added by a caller' });
    const second = await t.store.connections.list(tenantId);
    expect(second.map((c) => c.name)).toEqual(['kept']);
    expect(second[0]!.auth.type).toBe('pat');
    // A change is a new object built around the frozen one.
    expect({ ...second[0]!, name: 'renamed' }.name).toBe('renamed');
  });

  it('projected rows are frozen too', async () => {
    const tenantId = tenant();
    const i = await t.store.integrations.create(tenantId, { name: 'P', planConnectionId: 'p', planProjectId: 'P', adoConnectionId: 'a', adoProjects: ['P'], direction: 'two-way', mapping: [], hierarchy: { levels: [], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false } });
    await t.store.runs.start(tenantId, { integrationId: i.id, trigger: { kind: 'chat', key: `k-${i.id}` } });
    const [row] = (await t.store.runs.summaries(tenantId, i.id)).items;
    expect(Object.isFrozen(row)).toBe(true);
    expect(Object.isFrozen(row!.approvals)).toBe(true);
  });
});

describe('DocumentCollection with a QueryCache', () => {
  let connection: CosmosConnection;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-query-cache-'));
    connection = await connectCosmos(
      REMOTE ? { endpoint: process.env.COSMOS_ENDPOINT, key: process.env.COSMOS_KEY || undefined, database: `planbridge-test-${randomUUID().slice(0, 8)}` } : { database: 'planbridge' },
      dataDir, logger);
  });
  afterAll(async () => {
    if (REMOTE) await connection.database.delete();
    await connection?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The container, with queries held until `release` is called (a slow query that a write overtakes). */
  function heldQueries(container: Container) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const items = new Proxy(container.items, {
      get(target, prop) {
        if (prop !== 'query') return Reflect.get(target, prop) as unknown;
        return (...args: Parameters<Container['items']['query']>) => {
          const iterator = target.query(...args);
          return { fetchNext: async () => { const page = await iterator.fetchNext(); await gate; return page; } };
        };
      },
    });
    return { container: new Proxy(container, { get: (target, prop) => (prop === 'items' ? items : Reflect.get(target, prop) as unknown) }), release };
  }

  it('a query answered before a write but finished after it is not kept', async () => {
    const cache = new QueryCache();
    const box = new SecretBox(keyringOf(Buffer.alloc(32, 7)));
    const writer = createConnectionRepository(new DocumentCollection<ConnectionDocument>(connection.containers.connections, connectionSchema, cache), box);
    const held = heldQueries(connection.containers.connections);
    const slowReader = createConnectionRepository(new DocumentCollection<ConnectionDocument>(held.container, connectionSchema, cache), box);
    const tenantId = tenant();
    const c = await writer.create(tenantId, { kind: 'ado', name: 'before', url: 'https://dev.azure.com/x', auth: { type: 'pat' } });
    const slow = slowReader.list(tenantId);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the query has its (old) answer by now
    await writer.update(tenantId, c.id, () => ({ name: 'after' }));
    held.release();
    expect((await slow).map((x) => x.name)).toEqual(['before']);
    expect((await writer.list(tenantId)).map((x) => x.name)).toEqual(['after']);
  });
});

describe('query plans on the embedded server', () => {
  it('refuses the plan the SDK asks for beside each query, unread, and the query still answers', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-query-plan-'));
    const server = await startEmbeddedCosmos({ dataDir, logger });
    try {
      const client = new CosmosClient({ endpoint: server.endpoint, key: server.key, connectionPolicy: { enableEndpointDiscovery: false } });
      const { database } = await client.databases.createIfNotExists({ id: 'db' });
      const { container } = await database.containers.createIfNotExists({ id: 'c', partitionKey: { paths: ['/pk'] } });
      await container.items.create({ id: 'a', pk: 'p', n: 1 });
      const plan = await fetch(`${server.endpoint}/dbs/db/colls/c/docs`, {
        method: 'POST',
        headers: { 'content-type': 'application/query+json', 'x-ms-cosmos-is-query-plan-request': 'True', 'x-ms-documentdb-isquery': 'True' },
        body: JSON.stringify({ query: 'SELECT * FROM c' }),
      });
      expect(plan.status).toBe(400);
      expect(await plan.json()).toMatchObject({ message: NO_QUERY_PLANS });
      const { resources } = await container.items.query({ query: 'SELECT * FROM c WHERE c.n = 1 ORDER BY c.id' }, { partitionKey: 'p' }).fetchNext();
      expect(resources.map((r: { id: string }) => r.id)).toEqual(['a']);
      client.dispose();
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('two instances on one database (COSMOS_ENDPOINT)', () => {
  let server: EmbeddedCosmos;
  let dataDir: string;
  const stores: Store[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-two-instances-'));
    server = await startEmbeddedCosmos({ dataDir: join(dataDir, 'server'), logger });
    for (const name of ['a', 'b']) {
      stores.push(await openStore({ cosmos: { endpoint: server.endpoint, key: server.key, database: 'planbridge' }, dataDir: join(dataDir, name), secretKey: Buffer.alloc(32, 3).toString('base64'), logger }));
    }
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps no results, so one instance sees the other\'s writes (sharing changes included) at once', async () => {
    const [a, b] = stores as [Store, Store];
    expect(a.mode).toBe('remote');
    const tenantId = tenant();
    expect(await b.connections.list(tenantId)).toEqual([]);
    const c = await a.connections.create(tenantId, { kind: 'ado', name: 'shared later', url: 'https://dev.azure.com/x', auth: { type: 'pat' } });
    expect((await b.connections.list(tenantId)).map((x) => x.sharing?.mode ?? 'owner')).toEqual(['owner']);
    await a.connections.update(tenantId, c.id, () => ({ sharing: { mode: 'people', people: [{ id: '29:bob' }] } }));
    expect((await b.connections.list(tenantId)).map((x) => x.sharing?.mode)).toEqual(['people']);
    await a.connections.remove(tenantId, c.id);
    expect(await b.connections.list(tenantId)).toEqual([]);
  });
});
