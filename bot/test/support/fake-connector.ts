import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  method: 'POST' | 'PUT';
  conversationId: string;
  activityId?: string;
  /** The activity id the connector assigned (POST) or the one updated (PUT). */
  id: string;
  authorization?: string;
  body: {
    type?: string;
    text?: string;
    attachments?: Array<{ contentType: string; content: Record<string, unknown> }>;
    [key: string]: unknown;
  };
}

/**
 * A local stand-in for the Bot Connector service: it accepts the bot's replies and updates
 * (the same REST routes Teams' connector serves) and records them for assertions.
 */
export class FakeConnector {
  readonly activities: RecordedActivity[] = [];
  private waiters: Array<() => void> = [];
  private server?: Server;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (reply) => {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body));
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Activities sent to one conversation, in order. */
  for(conversationId: string): RecordedActivity[] {
    return this.activities.filter((a) => a.conversationId === conversationId);
  }

  /** Resolves when `count` activities have been recorded for the conversation, or fails after `ms`. */
  async waitFor(conversationId: string, count: number, ms = 10_000): Promise<RecordedActivity[]> {
    const deadline = Date.now() + ms;
    while (this.for(conversationId).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`expected ${count} activities in ${conversationId}, got ${this.for(conversationId).length}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.for(conversationId);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
    if (!match) return { status: 404, body: { error: { code: 'NotFound', message: req.url } } };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as RecordedActivity['body'];
    const conversationId = decodeURIComponent(match[1]!);
    const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const method = req.method === 'PUT' ? 'PUT' : 'POST';
    const id = method === 'PUT' && activityId ? activityId : `reply-${++this.counter}`;
    this.activities.push({ method, conversationId, activityId, id, authorization: req.headers.authorization, body });
    for (const wake of this.waiters.splice(0)) wake();
    return { status: 200, body: { id } };
  }
}

export function cardOf(activity: RecordedActivity): Record<string, unknown> | undefined {
  return activity.body.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All visible text of a card, flattened, for "the user sees X" assertions. */
export function cardText(card: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if ((key === 'text' || key === 'title') && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk(card);
  return parts.join('\n');
}
