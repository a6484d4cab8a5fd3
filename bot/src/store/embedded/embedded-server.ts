import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import {
  applyEntry, collectionEntry, databaseEntry, documentEntry, dumpAccount, newAccount, partitionOf,
  type Account, type StateEntry,
} from './account-state.js';
import { DataDirLock } from './data-dir-lock.js';
import { Journal, loadState } from './journal.js';

/**
 * The embedded Cosmos-compatible database: @vercel/cosmosdb-server's account and routes behind
 * our own HTTP handler, so that every acknowledged change is journaled (see journal.ts) before
 * its response leaves. Plain HTTP on loopback: nothing off the machine can reach it, and the
 * SDK needs no TLS workarounds.
 */
export interface EmbeddedCosmos {
  /** e.g. http://127.0.0.1:53211 */
  readonly endpoint: string;
  /** The server ignores auth; the SDK needs some base64 key. */
  readonly key: string;
  readonly dir: string;
  /** Writes a snapshot and empties the journal. */
  compact(): void;
  close(): Promise<void>;
}

export interface EmbeddedCosmosOptions {
  /** PLANBRIDGE_DATA_DIR; the database lives in `<dataDir>/cosmos`. */
  dataDir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  logger: Logger;
  /** Journal entries after which the state is compacted into a new snapshot. */
  compactAfter?: number;
}

export const EMBEDDED_KEY = Buffer.from('planbridge-embedded-cosmos').toString('base64');

type RouteHandler = (account: Account, req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => unknown;

const require = createRequire(import.meta.url);
const routeRequest = (require('@vercel/cosmosdb-server/lib/routes.js') as { default: (req: IncomingMessage) => [Record<string, string>, RouteHandler] | undefined }).default;
const { parsePartitionKey } = require('@vercel/cosmosdb-server/lib/utils/get-partition-from-header.js') as { parsePartitionKey(header: unknown, fallback: string): unknown };

export async function startEmbeddedCosmos(options: EmbeddedCosmosOptions): Promise<EmbeddedCosmos> {
  const { logger } = options;
  const dir = join(options.dataDir, 'cosmos');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = DataDirLock.acquire(dir);
  let journal: Journal | undefined;
  try {
    const host = options.host ?? '127.0.0.1';
    const server = createServer({ keepAlive: true });
    await listen(server, host, options.port ?? 0);
    const { port } = server.address() as AddressInfo;
    const account = newAccount(host, port);

    const loaded = loadState(dir);
    for (const entry of loaded.entries) applyEntry(account, entry);
    if (loaded.tornTail) logger.warn({ dir }, 'embedded database: skipped a partly written last journal line (the process was killed mid-write; that change was never acknowledged)');
    journal = new Journal(dir);
    const open = journal;
    if (loaded.journalEntries > 0) open.compact(dumpAccount(account));
    logger.info({ dir, replayed: loaded.entries.length }, 'embedded database loaded');

    const compactAfter = options.compactAfter ?? 20_000;
    const record = (entry: StateEntry | undefined) => {
      if (!entry) return;
      open.append(entry);
      if (open.pending >= compactAfter) open.compact(dumpAccount(account));
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void handle(account, req, res, record, logger);
    });

    let closing: Promise<void> | undefined;
    return {
      endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      key: EMBEDDED_KEY,
      dir,
      compact: () => open.compact(dumpAccount(account)),
      close: () => (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        open.compact(dumpAccount(account));
        open.close();
        lock.release();
        logger.info({ dir }, 'embedded database stopped and saved');
      })()),
    };
  } catch (err) {
    journal?.close();
    lock.release();
    throw err;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function handle(account: Account, req: IncomingMessage, res: ServerResponse, record: (e: StateEntry | undefined) => void, logger: Logger): Promise<void> {
  let body: unknown;
  const planRequest = isQueryPlanRequest(req);
  const route = planRequest ? undefined : routeRequest(req);
  if (planRequest) {
    // The SDK asks for a query plan beside every query and uses it only when the query itself
    // fails asking for one, which this single-partition server never does. The routes would run
    // the query a second time to answer it, so it is refused unread instead (see NO_QUERY_PLANS).
    req.resume();
    await new Promise((resolve) => req.once('end', resolve).once('error', resolve));
    res.statusCode = 400;
    body = { code: 'BadRequest', message: NO_QUERY_PLANS };
  } else if (!route) {
    res.statusCode = 400;
    body = { message: 'no route' };
  } else {
    const [params, handler] = route;
    try {
      body = await handler(account, req, res, params);
      if (res.statusCode >= 200 && res.statusCode < 300 && isMutation(req)) record(changedState(account, req, params, body));
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err), method: req.method }, 'embedded database request failed');
      res.statusCode = 500;
      body = { message: err instanceof Error ? err.message : 'internal error' };
    }
  }
  if (res.statusCode > 399 && typeof body === 'object' && body !== null && !('message' in body)) (body as Record<string, unknown>).message = '';
  const etag = typeof body === 'object' && body !== null ? (body as { _etag?: unknown })._etag : undefined;
  if (typeof etag === 'string') res.setHeader('etag', etag);
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export const NO_QUERY_PLANS = 'The embedded database does not make query plans; queries run as they are.';

function isQueryPlanRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && header(req, 'x-ms-cosmos-is-query-plan-request')?.toLowerCase() === 'true';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isMutation(req: IncomingMessage): boolean {
  if (req.method === 'PUT' || req.method === 'PATCH' || req.method === 'DELETE') return true;
  if (req.method !== 'POST') return false;
  const isQuery = header(req, 'x-ms-documentdb-isquery')?.toLowerCase() === 'true' || header(req, 'content-type') === 'application/query+json';
  return !isQuery;
}

/** What a successful mutation changed, read back from the account so the entry is its current state. */
function changedState(account: Account, req: IncomingMessage, params: Record<string, string>, body: unknown): StateEntry | undefined {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (/\/udfs(\/|$)/.test(path)) return undefined; // user-defined functions are not persisted
  const { dbId, collId, docId } = params;
  if (dbId === undefined) {
    const id = (body as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? databaseEntry(account, id) : undefined;
  }
  if (collId === undefined) {
    const created = (body as { id?: unknown } | undefined)?.id;
    // POST /dbs/x/colls creates a collection; other mutations here change the database itself.
    return req.method === 'POST' && typeof created === 'string' ? collectionEntry(account, dbId, created) : databaseEntry(account, dbId);
  }
  if (!/\/docs(\/|$)/.test(path)) return collectionEntry(account, dbId, collId);
  if (header(req, 'x-ms-cosmos-is-batch-request')?.toLowerCase() === 'true') return collectionEntry(account, dbId, collId);
  if (req.method === 'DELETE' && docId !== undefined) {
    return documentEntry(account, dbId, collId, docId, parsePartitionKey(header(req, 'x-ms-documentdb-partitionkey'), docId));
  }
  const doc = body as Record<string, unknown> | undefined;
  if (doc && typeof doc.id === 'string') return documentEntry(account, dbId, collId, doc.id, partitionOf(account, dbId, collId, doc));
  return undefined;
}
