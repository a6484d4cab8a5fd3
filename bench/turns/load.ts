import { Agent, request } from 'node:http';
import { percentile } from '../options.js';
import { ADA, cardActionActivity, messageActivity, TENANT } from './activities.js';
import type { CountingConnector } from './connector.js';
import type { CardsByKind, TurnTarget } from './targets.js';

/** What one turn is: a chat command (answered by a posted reply) or a card action (answered in the invoke response). */
export type TurnKind = 'help' | 'status' | 'connections' | 'card';

export interface Load {
  kind: TurnKind;
  conversations: number;
  /** Turns per conversation, one at a time: the next is sent when the previous was answered. */
  turns: number;
  /** Unmeasured turns per conversation first (JIT, first reference write, connection pools). */
  warmup: number;
}

export interface LoadResult {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50: number;
  p95: number;
}

/** Runs the load and returns its figures; any failed turn (non-200, wrong answer, lost reply) throws. */
export async function drive(target: TurnTarget, connector: CountingConnector, load: Load, tag: string): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const ids = Array.from({ length: load.conversations }, (_, i) => `a:bench-${tag}-${i}`);
  const turn = (conversationId: string) => oneTurn(target.url, agent, connector, load.kind, conversationId);
  try {
    await Promise.all(ids.map(async (id) => { for (let i = 0; i < load.warmup; i++) await turn(id); }));
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(ids.map(async (id) => {
      for (let i = 0; i < load.turns; i++) latencies.push(await turn(id));
    }));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { turns: latencies.length, seconds, turnsPerSecond: latencies.length / seconds, p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) };
  } finally {
    agent.destroy();
  }
}

const TEXT: Record<Exclude<TurnKind, 'card'>, string> = { help: 'help', status: 'status', connections: 'connections' };

/** The card a bot answers each kind of turn with: one turn of each, in a conversation of its own. */
export async function captureCards(target: TurnTarget, connector: CountingConnector): Promise<CardsByKind> {
  const agent = new Agent({ keepAlive: false });
  const o = { serviceUrl: connector.url, conversationId: 'a:bench-capture', tenantId: TENANT, fromId: ADA.id };
  const cardOf = (body: string, what: string): Record<string, unknown> => {
    const parsed = JSON.parse(body) as { attachments?: Array<{ content?: Record<string, unknown> }>; value?: Record<string, unknown> };
    const card = parsed.attachments?.[0]?.content ?? parsed.value;
    if (card?.type !== 'AdaptiveCard') throw new Error(`"${what}" was not answered with a card: ${body.slice(0, 200)}`);
    return card;
  };
  try {
    const cards: Partial<CardsByKind> = {};
    for (const kind of ['help', 'status', 'connections'] as const) {
      const [body] = await Promise.all([connector.nextBody(o.conversationId), post(target.url, agent, messageActivity(TEXT[kind], o))]);
      cards[kind] = cardOf(body, kind);
    }
    cards.card = cardOf(await post(target.url, agent, cardActionActivity('conn.list', { t: TENANT }, { ...o, fromName: ADA.name, aadObjectId: ADA.aadObjectId, replyToId: 'card-1' })), 'conn.list');
    return cards as CardsByKind;
  } finally {
    agent.destroy();
  }
}

/** One turn's latency in ms: from sending the activity until the answer arrived. */
async function oneTurn(url: string, agent: Agent, connector: CountingConnector, kind: TurnKind, conversationId: string): Promise<number> {
  const o = { serviceUrl: connector.url, conversationId, tenantId: TENANT, fromId: ADA.id };
  const started = performance.now();
  if (kind === 'card') {
    // conn.list re-renders the connections card in place (Action.Execute).
    const body = await post(url, agent, cardActionActivity('conn.list', { t: TENANT }, { ...o, fromName: ADA.name, aadObjectId: ADA.aadObjectId, replyToId: 'card-1' }));
    const type = (JSON.parse(body) as { type?: string }).type;
    if (type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`card action answered ${body.slice(0, 200)}`);
    return performance.now() - started;
  }
  const expected = connector.count(conversationId) + 1;
  await Promise.all([connector.waitFor(conversationId, expected), post(url, agent, messageActivity(TEXT[kind], o))]);
  return performance.now() - started;
}

function post(url: string, agent: Agent, activity: unknown): Promise<string> {
  const payload = JSON.stringify(activity);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
