import { createRequire } from 'node:module';
import type * as AccountModule from '@vercel/cosmosdb-server/lib/account/index.js';
import type * as CollectionModule from '@vercel/cosmosdb-server/lib/account/collection.js';

// The package is CommonJS; from ESM its `export default` classes sit under `.default`.
export type Account = InstanceType<typeof AccountModule.default.default>;
type Collection = InstanceType<typeof CollectionModule.default.default>;

/**
 * Reads and rebuilds the in-memory state of @vercel/cosmosdb-server's Account. The server keeps
 * everything in memory; these entries are what the journal and the snapshot store. Each entry
 * states the whole resulting state of one thing, so applying an entry twice is harmless.
 */
export type StateEntry =
  | { t: 'db'; def: Record<string, unknown> }
  | { t: 'dropdb'; db: string }
  | { t: 'coll'; db: string; def: Record<string, unknown>; docs: Record<string, unknown>[] }
  | { t: 'dropcoll'; db: string; coll: string }
  | { t: 'doc'; db: string; coll: string; doc: Record<string, unknown> }
  | { t: 'del'; db: string; coll: string; id: string; pk: unknown };

type PartitionValue = Parameters<Collection['document']>[1];

const require = createRequire(import.meta.url);
const AccountClass = (require('@vercel/cosmosdb-server/lib/account/index.js') as typeof AccountModule.default).default;

export function newAccount(host: string, port: number): Account {
  return new AccountClass(host, port);
}

/** System properties the server assigns; stripped before re-creating a resource. */
const SYSTEM_KEYS = ['_rid', '_self', '_etag', '_ts', '_attachments', '_docs', '_sprocs', '_triggers', '_udfs', '_conflicts'];

function withoutSystem(data: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...data };
  for (const k of SYSTEM_KEYS) delete copy[k];
  return copy;
}

function liveCollection(account: Account, db: string, coll: string): Collection | undefined {
  const database = account.database(db);
  if (!database.read()) return undefined;
  const collection = database.collection(coll);
  return collection.read() ? collection : undefined;
}

/** Current state of one document, as a journal entry. */
export function documentEntry(account: Account, db: string, coll: string, id: string, pk: unknown): StateEntry | undefined {
  const collection = liveCollection(account, db, coll);
  if (!collection) return undefined;
  const doc = collection.document(id, pk as PartitionValue).read() as Record<string, unknown> | undefined;
  return doc ? { t: 'doc', db, coll, doc } : { t: 'del', db, coll, id, pk };
}

/** The partition value the server files a document under (its partition key path's value). */
export function partitionOf(account: Account, db: string, coll: string, doc: Record<string, unknown>): unknown {
  return liveCollection(account, db, coll)?.documents._getPartition(doc);
}

export function collectionEntry(account: Account, db: string, coll: string): StateEntry {
  const collection = liveCollection(account, db, coll);
  if (!collection) return { t: 'dropcoll', db, coll };
  const docs = [...collection.documents._data.values()].map((d) => d.read() as Record<string, unknown>);
  return { t: 'coll', db, def: collection.read() as Record<string, unknown>, docs };
}

export function databaseEntry(account: Account, db: string): StateEntry {
  const database = account.database(db);
  const def = database.read() as Record<string, unknown> | undefined;
  return def ? { t: 'db', def } : { t: 'dropdb', db };
}

/** Every database, collection and document, in an order `applyEntry` can replay. */
export function* dumpAccount(account: Account): Generator<StateEntry> {
  for (const database of account.databases._data.values()) {
    const dbDef = database.read() as Record<string, unknown>;
    yield { t: 'db', def: dbDef };
    const db = dbDef.id as string;
    for (const collection of database.collections._data.values()) {
      const def = collection.read() as Record<string, unknown>;
      yield { t: 'coll', db, def, docs: [] };
      for (const doc of collection.documents._data.values()) yield { t: 'doc', db, coll: def.id as string, doc: doc.read() as Record<string, unknown> };
    }
  }
}

export function applyEntry(account: Account, entry: StateEntry): void {
  switch (entry.t) {
    case 'db': {
      const id = entry.def.id as string;
      if (!account.database(id).read()) account.databases.create(withoutSystem(entry.def));
      return;
    }
    case 'dropdb':
      if (account.database(entry.db).read()) account.databases.delete(entry.db, entry.db as PartitionValue);
      return;
    case 'coll': {
      const database = account.database(entry.db);
      if (!database.read()) account.databases.create({ id: entry.db });
      const id = entry.def.id as string;
      if (database.collection(id).read() || account.database(entry.db).collection(id).read()) {
        account.database(entry.db).collections.delete(id, id as PartitionValue);
      }
      const collection = account.database(entry.db).collections;
      collection.create(withoutSystem(entry.def));
      for (const doc of entry.docs) putDocument(account, entry.db, id, doc);
      return;
    }
    case 'dropcoll': {
      const database = account.database(entry.db);
      if (database.read() && database.collection(entry.coll).read()) database.collections.delete(entry.coll, entry.coll as PartitionValue);
      return;
    }
    case 'doc':
      putDocument(account, entry.db, entry.coll, entry.doc);
      return;
    case 'del': {
      const collection = liveCollection(account, entry.db, entry.coll);
      if (collection?.document(entry.id, entry.pk as PartitionValue).read()) collection.documents.delete(entry.id, entry.pk as PartitionValue);
      return;
    }
  }
}

/** Re-creates a document keeping its etag and timestamp, so etags held by clients stay valid. */
function putDocument(account: Account, db: string, coll: string, doc: Record<string, unknown>): void {
  const collection = liveCollection(account, db, coll);
  if (!collection) throw new Error(`persisted document ${String(doc.id)} belongs to missing collection ${db}/${coll}`);
  const pk = collection.documents._getPartition(doc);
  const id = doc.id as string;
  if (collection.document(id, pk).read()) collection.documents.delete(id, pk);
  const stored = collection.documents.create(withoutSystem(doc)) as Record<string, unknown>;
  if (typeof doc._etag === 'string') stored._etag = doc._etag;
  if (typeof doc._ts === 'number') stored._ts = doc._ts;
}
