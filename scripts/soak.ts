import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBot, type RunningBot } from '../bot/src/bot.js';
import { loadConfig } from '../bot/src/config.js';
import { createLogger } from '../bot/src/log.js';
import { ADO_DEMO_PATS, startAdoSimulator } from '../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator } from '../sim/pwa/server.js';
import { connectorFor as adoConnector } from '../bot/test/connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../bot/test/connectors/pwa/harness.js';
import { cardActionActivity, messageActivity, TENANT } from '../bot/test/support/activities.js';
import { FakeConnector, cardOf, cardText } from '../bot/test/support/fake-connector.js';
import { actionsOf, button, inputsOf } from '../bot/test/support/journey.js';

/**
 * `npm run soak -- --minutes N` (default 2): one real bot with the ADO and PWA simulators and a
 * fake Bot Connector in this process, under a mixed load until the time is up:
 * - chat turns (help, status, connections) in several conversations at once;
 * - "sync Apollo" both ways with edits made in both simulators first: preview, approve, report;
 * - scheduled runs: after each approval, a plan edit and a tick of the bot's own scheduler with
 *   Apollo's slot pulled forward to now (a schedule far shorter than hourly), applying automatically.
 * The database runs in its own process (as `npm run cosmos:local`), so stored runs, which rightly
 * accumulate, do not count as this process's growth. Every 15 s it prints RSS, heap and active
 * handles after a gc; at the end it compares the growth rate over the last third with the first.
 */
const { values } = parseArgs({ options: { minutes: { type: 'string', default: '2' } }, strict: false });
const MINUTES = Number(values.minutes);
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const counts = { turns: 0, previews: 0, approvals: 0, scheduled: 0, errors: 0 };
const THINK_MS = 100;

/** A free loopback port for the database process (cosmos-local wants a fixed one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startDatabase(dataDir: string): Promise<{ endpoint: string; key: string; child: ChildProcess }> {
  const port = await freePort();
  const entry = fileURLToPath(new URL('./cosmos-local.js', import.meta.url));
  const child = fork(entry, ['--port', String(port)], { env: { ...process.env, PLANBRIDGE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the database process exited (${code})`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      const endpoint = /COSMOS_ENDPOINT=(\S+)/.exec(text)?.[1];
      const key = /COSMOS_KEY=(\S+)/.exec(text)?.[1];
      if (endpoint && key) resolve({ endpoint, key, child });
    });
  });
}

/** A Teams user in one conversation: says things, clicks buttons, waits for cards. */
class Chat {
  constructor(private readonly bot: RunningBot, private readonly connector: FakeConnector, readonly conversationId: string) {}

  private async post(activity: unknown): Promise<string> {
    const res = await fetch(`${this.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.slice(0, 200)}`);
    return body;
  }

  private posts(): number {
    return this.connector.for(this.conversationId).filter((a) => a.method === 'POST').length;
  }

  /** Sends a message; the first reply's card and id. */
  async say(text: string): Promise<{ card: Record<string, unknown>; id: string }> {
    const before = this.posts();
    await this.post(messageActivity(text, { serviceUrl: this.connector.url, conversationId: this.conversationId }));
    await this.connector.waitFor(this.conversationId, before + 1, 20_000);
    const reply = this.connector.for(this.conversationId).filter((a) => a.method === 'POST')[before]!;
    counts.turns++;
    return { card: cardOf(reply) ?? {}, id: reply.id };
  }

  async invoke(verb: string, data: Record<string, unknown>, replyToId?: string): Promise<{ card?: Record<string, unknown>; message?: string }> {
    const body = JSON.parse(await this.post(cardActionActivity(verb, data, { serviceUrl: this.connector.url, conversationId: this.conversationId, ...(replyToId ? { replyToId } : {}) }))) as { type: string; value: unknown };
    counts.turns++;
    return body.type === 'application/vnd.microsoft.card.adaptive' ? { card: body.value as Record<string, unknown> } : { message: String(body.value) };
  }

  async click(card: unknown, title: string, inputs: Record<string, unknown> = {}): Promise<{ card?: Record<string, unknown>; message?: string }> {
    const b = button(card, title);
    return this.invoke(b.verb, { ...b.data, ...inputs });
  }

  /** The card message `id` was last updated to, once its text matches. */
  async until(id: string, match: RegExp, ms = 30_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const last = this.connector.for(this.conversationId).filter((a) => a.method === 'PUT' && a.activityId === id).at(-1);
      if (last && match.test(cardText(cardOf(last)))) return cardOf(last)!;
      if (Date.now() > deadline) throw new Error(`message ${id} never matched ${match}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const presets = (card: unknown): Record<string, string> =>
  Object.fromEntries(inputsOf(card).filter((i) => typeof i.id === 'string' && i.value !== undefined).map((i) => [i.id as string, String(i.value)]));

/** Least-squares slope of (t, y), y per minute. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const num = points.reduce((s, p) => s + (p[0] - mt) * (p[1] - my), 0);
  const den = points.reduce((s, p) => s + (p[0] - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60_000;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-soak-'));
  const db = await startDatabase(join(dataDir, 'db'));
  const connector = await new FakeConnector().start();
  const [ado, pwa] = await Promise.all([startAdoSimulator({ port: 0 }), startPwaSimulator({ port: 0, queueJobMs: 0 })]);
  const config = loadConfig({ PORT: '0', PLANBRIDGE_DATA_DIR: join(dataDir, 'bot'), COSMOS_ENDPOINT: db.endpoint, COSMOS_KEY: db.key, PLANBRIDGE_SECRET_KEY: randomBytes(32).toString('base64') });
  // Logs are written and dropped: a soak of the bot, not of a log collector. 'manual': ticked below.
  const bot = await startBot(config, createLogger({ level: 'info', destination: { write: () => true } as unknown as NodeJS.WritableStream }), { scheduler: 'manual' });
  const stop: Array<() => Promise<unknown>> = [() => bot.stop(), () => connector.stop(), () => ado.close(), () => pwa.close()];
  try {
    // Set up as a user would: connect both systems, link Apollo two-way, schedule it, apply automatically.
    const owner = new Chat(bot, connector, `a:soak-owner-${Date.now()}`);
    await owner.click((await owner.say('connect ado')).card, 'Connect', { url: ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
    await owner.click((await owner.say('connect pwa')).card, 'Connect', { url: pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA' });
    const link = (await owner.say('link project Apollo to ADO project Phoenix')).card;
    const linked = await owner.click(link, 'Create integration', { ...presets(link), direction: 'two-way' });
    if (!linked.card) throw new Error(`link failed: ${linked.message}`);
    const integrationId = (await bot.store.integrations.list(TENANT)).items[0]!.id;
    await owner.say('schedule Apollo hourly');
    await owner.invoke('schedule.policy', { integrationId, t: TENANT, approval: 'auto-when-clean' });
    const plan = pwaConnector(pwa, 'onprem', 'nometadata');
    const adoApi = adoConnector(ado);
    const apollo = pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const taskId = (name: string) => apollo.tasks.find((t) => t.Name.startsWith(name))!.Id;

    /** "sync Apollo", approve the preview, wait for the report. */
    const syncAndApprove = async (): Promise<void> => {
      const progress = await owner.say('sync Apollo');
      const preview = await owner.until(progress.id, /^(Preview|Apollo ↔ Phoenix is in step|Nothing to sync)/);
      counts.previews++;
      const approve = actionsOf(preview).find((a) => a.verb === 'sync.approve');
      if (!approve) return; // in step: nothing to approve
      await owner.invoke('sync.approve', approve.data, progress.id);
      await owner.until(progress.id, /^Synced/);
      await bot.background.drain();
      counts.approvals++;
    };
    await syncAndApprove(); // the first sync creates Apollo in ADO

    let round = 0;
    /** One round of the sync cycle: edit both sides, approve a preview, then a scheduled run after a plan edit. */
    const syncRound = async (): Promise<void> => {
      round++;
      await plan.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: taskId('Design API contract'), name: `Design API contract ${round}` }] });
      const item = [...ado.state.items.values()].find((w) => String(w.fields['System.Title']).startsWith('Data migration') && !w.deleted)!;
      await adoApi.update({ id: item.id, expectedRev: item.rev, fields: { 'System.Title': `Data migration ${round}` } });
      await syncAndApprove();
      await plan.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: taskId('Requirements'), name: `Requirements ${round}` }] });
      await bot.store.integrations.update(TENANT, integrationId, (doc) => ({ scheduling: { ...doc.scheduling!, nextRunAt: new Date().toISOString() } }));
      const report = await bot.scheduler.tick();
      counts.scheduled += report.outcomes.succeeded;
      if (report.outcomes.failed + report.outcomes.error > 0) counts.errors++;
    };
    const chats = Array.from({ length: 5 }, (_, i) => new Chat(bot, connector, `a:soak-chat-${i}-${Date.now()}`));
    // A user's pace, not a flood: each chat waits THINK_MS between turns.
    const chatRound = (): Promise<unknown> => Promise.all(chats.map(async (c) => {
      for (const text of ['help', 'status', 'connections']) {
        await c.say(text);
        await new Promise((r) => setTimeout(r, THINK_MS));
      }
    }));

    const samples: Array<{ t: number; rss: number; heap: number; handles: number }> = [];
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    const sample = (): void => {
      gc();
      const m = process.memoryUsage();
      samples.push({ t: Date.now(), rss: m.rss, heap: m.heapUsed, handles: process.getActiveResourcesInfo().length });
    };
    const print = (label?: string): void => {
      sample();
      const s = samples.at(-1)!;
      const dbRss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${db.child.pid}/status`, 'utf8'))?.[1];
      out(`[${label ?? `${((s.t - startedAt) / 1000).toFixed(0).padStart(4)} s`}] RSS ${mb(s.rss)} MB, heap used ${mb(s.heap)} MB, active handles ${s.handles}; turns ${counts.turns}, previews ${counts.previews}, approvals ${counts.approvals}, scheduled runs ${counts.scheduled}, errors ${counts.errors}${dbRss ? ` (database process RSS ${(Number(dbRss) / 1024).toFixed(1)} MB)` : ''}`);
    };
    out(`soak: ${MINUTES} min of chat turns in ${chats.length + 1} conversations, sync previews and approvals both ways, a scheduled run after each approval; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const startedAt = Date.now();
    const endAt = startedAt + MINUTES * 60_000;
    print();
    // A gc'd sample every 5 s for the slopes; every third one printed (every 15 s).
    let ticks = 0;
    const sampler = setInterval(() => (++ticks % 3 === 0 ? print() : sample()), 5_000);
    /** Drops the connector's record of these conversations (their waits are over) and the simulators' request logs. */
    const forget = (conversations: Set<string>): void => {
      const kept = connector.activities.filter((a) => !conversations.has(a.conversationId));
      connector.activities.splice(0, connector.activities.length, ...kept);
      ado.clearRequests();
      pwa.clearRequests();
    };
    const loop = async (name: string, step: () => Promise<unknown>, conversations: Set<string>): Promise<void> => {
      while (Date.now() < endAt) {
        await step().catch((err: unknown) => {
          counts.errors++;
          out(`  ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        // The harness's own records would otherwise grow with the load and hide the bot's figure.
        forget(conversations);
      }
    };
    await Promise.all([loop('sync', syncRound, new Set([owner.conversationId])), loop('chat', chatRound, new Set(chats.map((c) => c.conversationId)))]);
    clearInterval(sampler);
    print(' end ');
    verdict(samples, startedAt);
  } finally {
    for (const s of stop) await s().catch(() => undefined);
    db.child.kill('SIGTERM');
    await new Promise((r) => db.child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Growth flattened: the last third's slope (gc'd samples) is at most a quarter of the first
 * third's (warm-up: caches, JIT, pools), or under a floor that is noise (RSS 2 MB/min, heap 1 MB/min).
 */
function verdict(samples: Array<{ t: number; rss: number; heap: number; handles: number }>, startedAt: number): void {
  const third = Math.max(2, Math.floor(samples.length / 3));
  const first = samples.slice(0, third);
  const last = samples.slice(-third);
  const MB = 1024 * 1024;
  if (MINUTES < 2) out('(under 2 minutes the thirds are too short to tell warm-up from growth; use --minutes 2 or more)');
  const judge = (label: string, pick: (s: (typeof samples)[number]) => number, unit: string, scale: number, floor: number): boolean => {
    const a = slope(first.map((s) => [s.t - startedAt, pick(s)])) / scale;
    const b = slope(last.map((s) => [s.t - startedAt, pick(s)])) / scale;
    const ok = b <= Math.max(a / 4, floor);
    out(`${label}: ${a.toFixed(2)} ${unit}/min over the first third, ${b.toFixed(2)} ${unit}/min over the last third -> ${ok ? 'flattened' : 'STILL GROWING'}`);
    return ok;
  };
  const results = [
    judge('RSS', (s) => s.rss, 'MB', MB, 2),
    judge('heap used', (s) => s.heap, 'MB', MB, 1),
    judge('active handles', (s) => s.handles, 'handles', 1, 1),
  ];
  out(`counts: ${JSON.stringify(counts)}`);
  out(results.every(Boolean) && counts.errors === 0 ? 'soak: growth flattened, no errors' : 'soak: FAILED (see above)');
  if (!results.every(Boolean) || counts.errors > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
