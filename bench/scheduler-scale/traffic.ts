import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';

/**
 * Counts the requests the embedded Cosmos server receives, from inside its process (Node's
 * `http.server.request.start` channel), so the figure is what the store really sent, whatever the
 * SDK does behind one call. "Finding due work" is everything a `listDue` costs: the query itself,
 * the query plan the SDK asks for first, and partition key ranges of the integrations container.
 */
export interface Traffic {
  readonly scan: number;
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
  stop(): void;
}

const header = (req: IncomingMessage, name: string): string => String(req.headers[name] ?? '').toLowerCase();

/** A short label per request: `query integrations`, `PUT leases docs`, ... */
export function requestKind(req: IncomingMessage): string {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const coll = /\/colls\/([^/]+)/.exec(path)?.[1] ?? '-';
  const what = /\/pkranges/.test(path) ? 'pkranges' : /\/docs/.test(path) ? 'docs' : 'meta';
  if (header(req, 'x-ms-cosmos-is-query-plan-request') === 'true') return `query-plan ${coll}`;
  if (header(req, 'x-ms-documentdb-isquery') === 'true' || header(req, 'content-type').startsWith('application/query+json')) return `query ${coll}`;
  return `${req.method} ${coll} ${what}`;
}

const isScan = (kind: string): boolean => (kind.startsWith('query') && kind.endsWith(' integrations')) || kind === 'GET integrations pkranges';

/** Counts requests arriving at the server listening on `port` in this process. */
export function countTraffic(port: number): Traffic {
  const byKind: Record<string, number> = {};
  let scan = 0;
  let total = 0;
  const onRequest = (message: unknown): void => {
    const req = (message as { request: IncomingMessage }).request;
    if (req.socket.localPort !== port) return;
    const kind = requestKind(req);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    total++;
    if (isScan(kind)) scan++;
  };
  subscribe('http.server.request.start', onRequest);
  return {
    get scan() { return scan; },
    get total() { return total; },
    byKind,
    stop: () => unsubscribe('http.server.request.start', onRequest),
  };
}
