/**
 * A loopback proxy in front of the Graph simulator, for the model-based test of Outlook events.
 * It records every request PlanBridge sends (so the oracle can tell which writes reached Graph,
 * and when), and on demand lets a write land and then drops its answer: the connection closes
 * after the service acted, which is the case `transactionId` and etags exist for. The simulator's
 * own faults (429, 503, reset) strike before it acts; this one strikes after.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  readonly seq: number;
  readonly method: string;
  /** Path below `/v1.0`, decoded, without the query. */
  readonly path: string;
  readonly body: string;
  /** The status relayed, 'dropped' when the answer was lost on purpose, 0 while in flight. */
  status: number | 'dropped' | 'aborted';
}

export interface LostAnswers {
  readonly method: 'POST' | 'PATCH';
  /** Matched against the decoded path: `/events` (creates), `/cancel` (cancels), `/events/` (updates). */
  readonly pathEnds?: 'events' | 'cancel';
  count: number;
}

export interface GraphProxy {
  /** What a client takes as its Graph base URL. */
  readonly apiUrl: string;
  readonly log: readonly ProxiedRequest[];
  /** Requests forwarded whose answer has not come back yet. */
  inFlight(): number;
  /** The next `count` matching requests are forwarded, and their answers dropped. */
  loseAnswers(rule: LostAnswers): void;
  clearRules(): void;
  close(): Promise<void>;
}

const WRITES = new Set(['POST', 'PATCH', 'DELETE']);
export const isWrite = (r: ProxiedRequest): boolean => WRITES.has(r.method) && r.path !== '/$batch';

export async function startGraphProxy(target: string): Promise<GraphProxy> {
  const upstream = new URL(target);
  const log: ProxiedRequest[] = [];
  let rules: LostAnswers[] = [];
  let open = 0;

  const matches = (rule: LostAnswers, method: string, path: string): boolean => {
    if (rule.count <= 0 || rule.method !== method) return false;
    const last = path.split('/').filter(Boolean).at(-1)?.toLowerCase();
    return rule.pathEnds ? last === rule.pathEnds : last !== 'events' && last !== 'cancel';
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', upstream);
      const method = (req.method ?? 'GET').toUpperCase();
      const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/i, ''));
      const entry: ProxiedRequest = { seq: log.length, method, path, body: body.toString('utf8'), status: 0 };
      log.push(entry);
      const rule = rules.find((r) => matches(r, method, path));
      if (rule) rule.count -= 1;
      open += 1;
      const headers = { ...req.headers, host: upstream.host };
      const forward = request({ host: upstream.hostname, port: upstream.port, method, path: url.pathname + url.search, headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          open -= 1;
          if (rule) {
            entry.status = 'dropped';
            res.socket?.destroy();
            return;
          }
          entry.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(parts));
        });
      });
      forward.on('error', () => {
        open -= 1;
        entry.status = 'aborted';
        res.socket?.destroy();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${port}/v1.0`,
    log,
    inFlight: () => open,
    loseAnswers: (rule) => void rules.push({ ...rule }),
    clearRules: () => { rules = []; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
