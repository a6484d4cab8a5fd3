import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Bot Connector as the load generator sees it: accepts the bots' replies and wakes whoever
 * waits for the n-th reply in a conversation. Unlike the test FakeConnector it keeps counts, not
 * bodies, so 50 conversations × many turns stay O(1) per reply.
 */
export class CountingConnector {
  private server?: Server;
  private readonly counts = new Map<string, number>();
  private readonly waiters = new Map<string, Array<{ n: number; wake: () => void }>>();
  private ids = 0;
  /** Conversations whose next reply's body someone waits for (`nextBody`). */
  private readonly captures = new Map<string, (body: string) => void>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      const conversationId = match ? decodeURIComponent(match[1]!) : '';
      const capture = req.method === 'POST' ? this.captures.get(conversationId) : undefined;
      const chunks: Buffer[] = [];
      if (capture) req.on('data', (c: Buffer) => chunks.push(c));
      else req.resume();
      req.on('end', () => {
        if (!match) {
          res.statusCode = 404;
          res.end();
          return;
        }
        res.setHeader('content-type', 'application/json');
        res.end(`{"id":"reply-${++this.ids}"}`);
        if (capture) {
          this.captures.delete(conversationId);
          capture(Buffer.concat(chunks).toString('utf8'));
        }
        if (req.method === 'POST') this.record(conversationId);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  /** Replies posted to the conversation so far. */
  count(conversationId: string): number {
    return this.counts.get(conversationId) ?? 0;
  }

  /** Resolves once the conversation has `n` replies; rejects after `ms` so a lost reply is a failure, not a hang. */
  waitFor(conversationId: string, n: number, ms = 30_000): Promise<void> {
    if (this.count(conversationId) >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply #${n} in ${conversationId} within ${ms} ms`)), ms);
      const list = this.waiters.get(conversationId) ?? [];
      list.push({ n, wake: () => { clearTimeout(timer); resolve(); } });
      this.waiters.set(conversationId, list);
    });
  }

  /** The body of the next reply posted to the conversation (the load keeps only counts). */
  nextBody(conversationId: string): Promise<string> {
    return new Promise((resolve) => this.captures.set(conversationId, resolve));
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeAllConnections(); // keep-alive sockets from the bots would hold close() open
    await closed;
  }

  private record(conversationId: string): void {
    const n = this.count(conversationId) + 1;
    this.counts.set(conversationId, n);
    const list = this.waiters.get(conversationId);
    if (!list) return;
    const due = list.filter((w) => w.n <= n);
    if (due.length === 0) return;
    this.waiters.set(conversationId, list.filter((w) => w.n > n));
    for (const w of due) w.wake();
  }
}
