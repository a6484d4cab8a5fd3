import type { Container, ItemDefinition, PartitionKey, SqlQuerySpec } from '@azure/cosmos';
import {
  ConcurrencyError, DocumentTooLargeError, DuplicateError, cosmosStatus,
} from './errors.js';
import { deepFreeze } from '../deep-freeze.js';
import type { QueryCache } from './query-cache.js';
import { upgradeDocument, type DocumentSchema } from './schema.js';

/** Cosmos DB allows 2 MB per item including system properties; we keep a margin for those. */
export const MAX_DOCUMENT_BYTES = 2_000_000;
/** Attempts of a read-modify-write before a 412 is surfaced as ConcurrencyError. */
export const MAX_UPDATE_ATTEMPTS = 40;

/** Every document has these; `etag` is the Cosmos `_etag` of the version that was read. */
export interface BaseDocument {
  id: string;
  tenantId: string;
  /** Partition key value (see containers.ts). */
  pk: string;
  schemaVersion: number;
}
export type Stored<T> = T & { readonly etag: string };

export interface Page<T> {
  /** From a query: each item is frozen (copy it to change it); the array itself is the caller's. */
  items: T[];
  /** Present when more items follow; pass it back to get the next page. */
  continuation?: string;
}
export interface PageRequest {
  pageSize?: number;
  continuation?: string;
}

const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_ts', '_attachments'];

/**
 * Typed access to one container. Reads are point reads by id + partition key and check the
 * tenant; every query filters on `c.tenantId` itself (never trusting the partition option alone).
 * Writes are size-checked before the SDK sees them; updates are etag-conditional.
 *
 * With a `cache` (embedded mode only, see query-cache.ts) first pages of queries are kept until
 * a write to their partition; every write must therefore go through this class.
 */
export class DocumentCollection<T extends BaseDocument> {
  constructor(readonly container: Container, readonly schema: DocumentSchema<T>, private readonly cache?: QueryCache) {}

  private get kind(): string {
    return this.schema.kind;
  }

  async read(tenantId: string, id: string, pk: PartitionKey): Promise<Stored<T> | undefined> {
    try {
      const { resource } = await this.container.item(id, pk).read<ItemDefinition>();
      return resource ? this.fromCosmos(tenantId, resource) : undefined;
    } catch (err) {
      if (cosmosStatus(err) === 404) return undefined;
      throw err;
    }
  }

  /** Creates a document whose id must be unique; a taken id is a DuplicateError, never an overwrite. */
  async create(doc: T): Promise<Stored<T>> {
    const body = stripEtag(doc);
    this.checkSize(body);
    try {
      const { resource } = await this.container.items.create<ItemDefinition>(body as unknown as ItemDefinition);
      return this.fromCosmos(doc.tenantId, resource!)!;
    } catch (err) {
      if (cosmosStatus(err) === 409) throw new DuplicateError(this.kind, doc.id);
      throw err;
    } finally {
      this.written(doc.pk); // also after a failure: the write may have happened all the same
    }
  }

  /** Replaces the version with `etag`; a 412 (someone else wrote first) is a ConcurrencyError. */
  async replace(doc: T, etag: string, pk: PartitionKey): Promise<Stored<T>> {
    const body = stripEtag(doc);
    this.checkSize(body);
    try {
      const { resource } = await this.container.item(doc.id, pk).replace<ItemDefinition>(body as unknown as ItemDefinition, { accessCondition: { type: 'IfMatch', condition: etag } });
      return this.fromCosmos(doc.tenantId, resource!)!;
    } catch (err) {
      const status = cosmosStatus(err);
      if (status === 412 || status === 404) throw new ConcurrencyError(this.kind, doc.id, status === 404 ? 'it was deleted meanwhile' : undefined);
      throw err;
    } finally {
      this.written(pk);
    }
  }

  /**
   * Read-modify-write with optimistic concurrency. `change` gets the current version (or
   * undefined) and returns the new document, or `undefined` to leave it as is. A lost race (412
   * or 409) re-reads and runs `change` again, so `change` must be a pure function of its input.
   */
  async update(
    tenantId: string,
    id: string,
    pk: PartitionKey,
    change: (current: Stored<T> | undefined) => T | undefined,
  ): Promise<Stored<T> | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(tenantId, id, pk);
      const next = change(current);
      if (next === undefined) return current;
      try {
        return current ? await this.replace(next, current.etag, pk) : await this.create(next);
      } catch (err) {
        const lost = err instanceof ConcurrencyError || err instanceof DuplicateError;
        if (!lost) throw err;
        if (attempt >= MAX_UPDATE_ATTEMPTS) throw new ConcurrencyError(this.kind, id, `still contended after ${attempt} attempts; try again later`);
        await backoff(attempt);
      }
    }
  }

  /** Deletes; with `etag` only that version. Returns false when there was nothing to delete. */
  async delete(id: string, pk: PartitionKey, etag?: string): Promise<boolean> {
    try {
      await this.container.item(id, pk).delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : undefined);
      return true;
    } catch (err) {
      const status = cosmosStatus(err);
      if (status === 404) return false;
      if (status === 412) throw new ConcurrencyError(this.kind, id, 'it was changed by someone else; re-read before deleting');
      throw err;
    } finally {
      this.written(pk);
    }
  }

  /**
   * One page of a query. `where` is added to the mandatory tenant filter (parameter @tenantId);
   * `pk` scopes the query to one partition on real Cosmos (the embedded server ignores it,
   * which is why the tenant filter is always in the SQL). The documents are frozen (see
   * `fetchPage`); the array is the caller's own.
   */
  async page(tenantId: string, query: DocumentQuery, pk: PartitionKey | undefined, request: PageRequest = {}): Promise<Page<Stored<T>>> {
    return this.fetchPage(sqlOf('*', tenantId, query), pk, request, (resources) => this.allFromCosmos(tenantId, resources));
  }

  /**
   * One page of a query that returns only some fields, for lists that show a line per document
   * and must not read whole documents (a run carries its plan: up to 2 MB). `fields` maps each
   * output name to a path under `c`, e.g. `{ counts: 'plan.counts' }`; a missing path leaves its
   * name out of the row, as Cosmos does. Rows are tenant-checked like documents; they are not
   * upgraded by the schema, so project only fields every schema version has. Rows are frozen.
   */
  async project<R extends object>(tenantId: string, fields: Record<string, string>, query: DocumentQuery, pk: PartitionKey | undefined, request: PageRequest = {}): Promise<Page<R>> {
    return this.fetchPage(sqlOf(selectOf(fields), tenantId, query), pk, request, (resources) => resources.filter((r) => r.tenantId === tenantId).map(({ tenantId: _tenant, ...row }) => row as R));
  }

  /**
   * One page, converted by `convert` and deeply frozen, in every mode: query results are read,
   * never changed in place (a change is a new object given to replace or update), and frozen
   * results let the cache (embedded mode) hand the same documents to every caller. First pages
   * are served from and kept in the cache, each with its continuation token: the token only names
   * a position in the results, which stay as they were until a write drops the page.
   */
  private async fetchPage<R>({ spec, shape }: Sql, pk: PartitionKey | undefined, request: PageRequest, convert: (resources: ItemDefinition[]) => R[]): Promise<Page<R>> {
    const pageSize = Math.min(Math.max(request.pageSize ?? 100, 1), 1000);
    const cache = this.cache && !request.continuation ? this.cache : undefined;
    const partition = cache && pk !== undefined ? partitionName(pk) : undefined;
    // Container and kind are fixed per collection, the shape names the SQL text and the partition
    // is JSON, so only the parameters need writing as JSON; NUL occurs in none of them.
    const key = cache ? `${this.container.id}\0${this.kind}\0${shape}\0${pageSize}\0${partition ?? '*'}\0${JSON.stringify(spec.parameters)}` : '';
    const hit = cache?.get(key);
    if (hit !== undefined) return pageOf([...hit.items] as R[], hit.continuation);
    const generation = cache?.generation(this.container.id) ?? 0;
    const iterator = this.container.items.query<ItemDefinition>(spec, {
      maxItemCount: pageSize,
      ...(request.continuation ? { continuationToken: request.continuation } : {}),
      ...(pk !== undefined ? { partitionKey: pk } : {}),
    });
    const response = await iterator.fetchNext();
    const resources = response.resources ?? [];
    const continuation = response.hasMoreResults && response.continuationToken ? response.continuationToken : undefined;
    const items = convert(resources).map(deepFreeze);
    cache?.set(this.container.id, partition, key, pageOf(items, continuation), JSON.stringify(resources).length, generation);
    return pageOf(cache ? [...items] : items, continuation);
  }

  /** Every match, page by page. For bounded sets (one partition); big scans should page themselves. */
  async all(tenantId: string, query: DocumentQuery, pk: PartitionKey | undefined): Promise<Stored<T>[]> {
    const sql = sqlOf('*', tenantId, query);
    const convert = (resources: ItemDefinition[]) => this.allFromCosmos(tenantId, resources);
    let page = await this.fetchPage(sql, pk, { pageSize: 1000 }, convert);
    if (!page.continuation) return page.items; // one page (almost every list): its array is already the caller's
    const out = [...page.items];
    while (page.continuation) {
      page = await this.fetchPage(sql, pk, { pageSize: 1000, continuation: page.continuation }, convert);
      out.push(...page.items);
    }
    return out;
  }

  private allFromCosmos(tenantId: string, resources: ItemDefinition[]): Stored<T>[] {
    return resources.map((r) => this.fromCosmos(tenantId, r)).filter((d): d is Stored<T> => d !== undefined);
  }

  /** Drops cached results the write to partition `pk` may have changed. */
  private written(pk: PartitionKey): void {
    this.cache?.invalidate(this.container.id, partitionName(pk));
  }

  /** Refuses a document Cosmos would reject, before any request is made. */
  checkSize(doc: object): void {
    const bytes = Buffer.byteLength(JSON.stringify(doc), 'utf8');
    if (bytes > MAX_DOCUMENT_BYTES) throw new DocumentTooLargeError(this.kind, String((doc as { id?: unknown }).id), bytes, MAX_DOCUMENT_BYTES);
  }

  /** Cosmos shape -> domain shape: system fields dropped, etag kept, older schema upgraded, tenant checked. */
  fromCosmos(tenantId: string, raw: ItemDefinition): Stored<T> | undefined {
    if (raw.tenantId !== tenantId) return undefined;
    const etag = raw._etag as string;
    // Copied without the system fields, not copied and then deleted from: `delete` turns an object
    // into a slow dictionary, and this runs for every document every list returns (~5x faster).
    const plain: Record<string, unknown> = {};
    for (const key of Object.keys(raw)) {
      if (SYSTEM_FIELDS.includes(key)) continue;
      // As the spread did: an own "__proto__" key stays data, never becomes the prototype.
      if (key === '__proto__') Object.defineProperty(plain, key, { value: raw[key], enumerable: true, writable: true, configurable: true });
      else plain[key] = raw[key];
    }
    const doc = upgradeDocument(this.schema, plain);
    return { ...doc, etag };
  }
}

/** The filter and order of a query; the tenant filter is always added (see `page`). */
export interface DocumentQuery {
  where?: string;
  orderBy?: string;
  parameters?: SqlQuerySpec['parameters'];
}

/** A query's SQL with its parameters, and the short name of its text the cache keys by. */
interface Sql {
  spec: SqlQuerySpec;
  shape: string;
}

/**
 * Query texts, built once per shape (SELECT list, filter, order), each with a short name for the
 * query cache's key. Shapes are code, so there are a few dozen; past MAX_SHAPES (a caller building
 * filters from data) texts are built each time and named by themselves.
 */
const shapes = new Map<string, Map<string, Map<string, { text: string; shape: string }>>>();
let shapeCount = 0;
const MAX_SHAPES = 256;

function sqlOf(select: string, tenantId: string, query: DocumentQuery): Sql {
  const where = query.where ?? '';
  const orderBy = query.orderBy ?? '';
  let byWhere = shapes.get(select);
  let byOrder = byWhere?.get(where);
  let known = byOrder?.get(orderBy);
  if (!known) {
    const text = `SELECT ${select} FROM c WHERE c.tenantId = @tenantId${where ? ` AND (${where})` : ''}${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
    known = { text, shape: text };
    if (shapeCount < MAX_SHAPES) {
      known.shape = `#${++shapeCount}`;
      if (!byWhere) shapes.set(select, (byWhere = new Map()));
      if (!byOrder) byWhere.set(where, (byOrder = new Map()));
      byOrder.set(orderBy, known);
    }
  }
  return { spec: { query: known.text, parameters: [{ name: '@tenantId', value: tenantId }, ...(query.parameters ?? [])] }, shape: known.shape };
}

/** Projected names and paths are code, never input; these keep them plain identifiers anyway. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** The SELECT list of a projection; fields are module constants, so each is checked and built once. */
const selects = new WeakMap<Record<string, string>, string>();
function selectOf(fields: Record<string, string>): string {
  const known = selects.get(fields);
  if (known !== undefined) return known;
  const select = Object.entries({ ...fields, tenantId: 'tenantId' }).map(([name, path]) => {
    if (!FIELD_NAME.test(name) || !FIELD_PATH.test(path)) throw new Error(`"${name}: ${path}" is not a field PlanBridge projects`);
    return `c.${path} AS ${name}`;
  }).join(', ');
  selects.set(fields, select);
  return select;
}

function pageOf<T>(items: T[], continuation: string | undefined): Page<T> {
  return continuation ? { items, continuation } : { items };
}

/** One name per logical partition, whether the key came as `value` or `[value]`. */
function partitionName(pk: PartitionKey): string {
  return JSON.stringify(Array.isArray(pk) && pk.length === 1 ? pk[0] : pk);
}

function stripEtag<T extends object>(doc: T): T {
  if (!('etag' in doc)) return doc;
  const { etag: _etag, ...rest } = doc as T & { etag?: string };
  return rest as T;
}

/** Jittered, growing pause so contenders spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(50, attempt * 2) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}
