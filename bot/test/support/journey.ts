/**
 * Drives the bot like a Teams user: say a command, click a button on the card that came back
 * (with what was typed into its inputs), and read what the user then sees. Both simulators, the
 * real bot over HTTP, the embedded store and the fake Bot Connector.
 */
import { randomUUID } from 'node:crypto';
import type { BotSeams } from '../../src/bot.js';
import { startAdoSimulator, type AdoSimulator, type AdoSimulatorOptions } from '../../../sim/ado/server.js';
import { startPwaSimulator, type PwaSimulator } from '../../../sim/pwa/server.js';
import { startDataverseSimulator, type DataverseSimulator, type DataverseSimulatorOptions } from '../../../sim/dataverse/server.js';
import { Writable } from 'node:stream';
import { createLiveSystems } from '../../src/adapters/live-systems.js';
import { createLogger } from '../../src/log.js';
import { cardActionActivity, messageActivity, TENANT, type InvokeOptions } from './activities.js';
import { FakeConnector, cardOf, cardText, type RecordedActivity } from './fake-connector.js';
import { lintCard } from '../cards/card-lint.js';
import { startTestBot, type TestBot } from './test-bot.js';

export type Card = Record<string, unknown>;

export interface ActionButton {
  title: string;
  verb: string;
  data: Record<string, unknown>;
}

/** Every Action.Execute on a card (including inside show-cards), in document order. */
export function actionsOf(card: unknown): ActionButton[] {
  const found: ActionButton[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'Action.Execute' && typeof o.verb === 'string') found.push({ title: String(o.title), verb: o.verb, data: (o.data ?? {}) as Record<string, unknown> });
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return found;
}

/** The first button with this title (and, when given, whose data holds every `where` entry). */
export function button(card: unknown, title: string, where: Record<string, unknown> = {}): ActionButton {
  const all = actionsOf(card);
  const hit = all.find((a) => a.title === title && Object.entries(where).every(([k, v]) => a.data[k] === v));
  if (!hit) throw new Error(`no button "${title}" on the card; buttons: ${all.map((a) => a.title).join(', ')}\n${cardText(card)}`);
  return hit;
}

/** Input ids on a card, for assertions such as "the PAT field is empty". */
export function inputsOf(card: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.')) found.push(o);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return found;
}

export type InvokeReply = { card: Card; message?: undefined } | { message: string; card?: undefined };

export interface Person {
  id: string;
  name: string;
  aadObjectId: string;
}

export const ADA: Person = { id: '29:user-ada', name: 'Ada Lovelace', aadObjectId: '00000000-0000-4000-8000-0000000000a1' };
export const GRACE: Person = { id: '29:user-grace', name: 'Grace Hopper', aadObjectId: '00000000-0000-4000-8000-0000000000b2' };

export class Journey {
  connector!: FakeConnector;
  bot!: TestBot;
  ado!: AdoSimulator;
  pwa!: PwaSimulator;
  /** Planner premium's Dataverse environment, when the journey asked for it. */
  dataverse?: DataverseSimulator;
  conversationId = `a:journey-${randomUUID()}`;
  conversationType: 'personal' | 'groupChat' | 'channel' = 'personal';

  /**
   * `dataverse`: also start the Dataverse simulator (operation sets run at once), and, unless the
   * seams say otherwise, the live systems poll operation sets every 10 ms instead of every 3 s.
   */
  async start(options: { bot?: boolean; seams?: BotSeams; env?: Record<string, string>; ado?: AdoSimulatorOptions; dataverse?: DataverseSimulatorOptions | true } = {}): Promise<this> {
    [this.connector, this.ado, this.pwa, this.dataverse] = await Promise.all([
      new FakeConnector().start(), startAdoSimulator({ ...options.ado, port: 0 }), startPwaSimulator({ port: 0, queueJobMs: 0 }),
      options.dataverse ? startDataverseSimulator({ executionDelayMs: 0, ...(options.dataverse === true ? {} : options.dataverse), port: 0 }) : Promise.resolve(undefined),
    ]);
    const seams: BotSeams = { ...options.seams };
    if (options.dataverse && !seams.systems) {
      const quiet = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });
      seams.systems = (store) => createLiveSystems({ connections: store.connections, logger: quiet, localMode: true, plannerPollIntervalMs: 10 });
    }
    if (options.bot !== false) this.bot = await startTestBot(options.env ?? {}, seams);
    return this;
  }

  /** Cards answered to invokes; with the connector's record, every card this journey produced. */
  private readonly invokeCards: Card[] = [];

  async stop(): Promise<void> {
    const problems = this.connector ? this.lint() : [];
    await this.bot?.close();
    await Promise.all([this.connector?.stop(), this.ado?.close(), this.pwa?.close(), this.dataverse?.close()]);
    if (problems.length > 0) throw new Error(`cards this journey produced fail the card lint:\n  ${[...new Set(problems)].join('\n  ')}`);
  }

  /** The card lint (labels, titles, schema, size) over every card sent or answered. */
  lint(): string[] {
    const sent = this.connector.activities.map((a) => cardOf(a)).filter((c): c is Card => c !== undefined);
    return [...sent, ...this.invokeCards].flatMap((card) => lintCard(card, `"${cardText(card).slice(0, 60)}"`));
  }

  /** Everything the conversation received so far. */
  get activities(): RecordedActivity[] {
    return this.connector.for(this.conversationId);
  }

  /** Sends a chat message and returns the first new message's card and id. */
  async say(text: string, as: Person = ADA): Promise<{ card: Card; id: string }> {
    const before = this.activities.filter((a) => a.method === 'POST').length;
    // In group chats and channels Teams only delivers messages that @mention the bot.
    const typed = this.conversationType === 'personal' ? text : `<at>PlanBridge</at> ${text}`;
    const res = await this.bot.post({ ...messageActivity(typed, { serviceUrl: this.connector.url, conversationId: this.conversationId, conversationType: this.conversationType, fromId: as.id }), from: { id: as.id, name: as.name, aadObjectId: as.aadObjectId } });
    if (res.status !== 200) throw new Error(`message "${text}" got HTTP ${res.status}: ${res.body}`);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const posts = this.activities.filter((a) => a.method === 'POST');
      if (posts.length > before) {
        const reply = posts[before]!;
        return { card: cardOf(reply) ?? {}, id: reply.id };
      }
      if (Date.now() > deadline) throw new Error(`no reply to "${text}"`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Sends an Action.Execute invoke and returns the invoke response as the user would see it. */
  async invoke(verb: string, data: Record<string, unknown>, options: Partial<InvokeOptions> & { as?: Person } = {}): Promise<InvokeReply> {
    const as = options.as ?? ADA;
    const res = await this.bot.post(cardActionActivity(verb, data, {
      serviceUrl: this.connector.url, conversationId: this.conversationId, conversationType: this.conversationType,
      fromId: as.id, fromName: as.name, aadObjectId: as.aadObjectId, ...options,
    }));
    if (res.status !== 200) throw new Error(`invoke ${verb} got HTTP ${res.status}: ${res.body}`);
    const body = JSON.parse(res.body) as { statusCode: number; type: string; value: unknown };
    if (body.type === 'application/vnd.microsoft.card.adaptive') {
      this.invokeCards.push(body.value as Card);
      return { card: body.value as Card };
    }
    if (body.type === 'application/vnd.microsoft.activity.message') return { message: String(body.value) };
    throw new Error(`unexpected invoke response ${res.body}`);
  }

  /** Clicks a button on a card, typing `inputs` into the card first. */
  click(card: unknown, title: string, inputs: Record<string, unknown> = {}, options: Partial<InvokeOptions> & { as?: Person; where?: Record<string, unknown> } = {}): Promise<InvokeReply> {
    const b = button(card, title, options.where);
    return this.invoke(b.verb, { ...b.data, ...inputs }, options);
  }

  /** Waits until the message `activityId` was last updated to a card matching `predicate`. */
  async waitForUpdate(activityId: string, predicate: (text: string) => boolean, ms = 20_000): Promise<Card> {
    const deadline = Date.now() + ms;
    for (;;) {
      const updates = this.activities.filter((a) => a.method === 'PUT' && a.activityId === activityId);
      const last = updates.at(-1);
      if (last && predicate(cardText(cardOf(last)))) return cardOf(last)!;
      if (Date.now() > deadline) throw new Error(`message ${activityId} never showed the expected card; last was:\n${last ? cardText(cardOf(last)) : '(no update)'}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves once background work (apply, previews started from buttons) has finished. */
  settle(): Promise<void> {
    return this.bot.bot.background.drain();
  }

  /** Every reply and update the bot sent anywhere, as one string (for "never leaks" checks). */
  everything(): string {
    return JSON.stringify(this.connector.activities.map((a) => a.body));
  }
}

export { TENANT, cardText };
