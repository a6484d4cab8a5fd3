import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { App } from '@microsoft/teams.apps';
import { ConsoleLogger, type LogLevel } from '@microsoft/teams.common';
import { startBot } from '../../bot/src/bot.js';
import { loadConfig } from '../../bot/src/config.js';
import { RestifyAdapter } from '../../bot/src/http/restify-adapter.js';
import { createRestifyServer } from '../../bot/src/http/server.js';
import { createLogger } from '../../bot/src/log.js';
import { ADA, TENANT } from './activities.js';

/** A bot under load: where to POST activities, and how to stop it. */
export interface TurnTarget {
  url: string;
  stop(): Promise<void>;
  /** The bot's process, when it runs in one of its own (spawnTarget). */
  pid?: number;
}

/** `bare-card`: the bare bot answering with PlanBridge's own cards (see `startBareBot`). */
export type TargetKind = 'bare' | 'bare-card' | 'planbridge';

/** PlanBridge's answer to each kind of turn, as `captureCards` (load.ts) read it. */
export type CardsByKind = Record<'help' | 'status' | 'connections' | 'card', Record<string, unknown>>;

/** Logs are formatted as in production but go nowhere, so the bench's output stays readable. */
const nowhere = (): Writable => new Writable({ write: (_c, _e, done) => done() });

/**
 * The bare Teams SDK bot: a minimal App that echoes text and answers card actions with a fixed
 * card, hosted on the same restify server and adapter as PlanBridge, with the SDK's own logger.
 * With `cards` it answers each command and the card action with PlanBridge's card for it instead,
 * held as objects as PlanBridge holds its rendered cards: what the SDK costs to carry those cards,
 * so the gap to PlanBridge is PlanBridge's own work.
 */
export async function startBareBot(sdkLogLevel: LogLevel = 'info', cards?: CardsByKind): Promise<TurnTarget> {
  const logger = createLogger({ level: 'silent' });
  const server = createRestifyServer(logger, { version: 'bare', startedAt: Date.now(), authMode: 'local', store: async () => ({ reachable: true, mode: 'none' }) });
  const app = new App({
    httpServerAdapter: new RestifyAdapter(server, logger, '127.0.0.1'),
    dangerouslyAllowUnauthenticatedRequests: true,
    logger: new ConsoleLogger('@teams/app', { level: sdkLogLevel }),
  });
  app.on('message', async (ctx) => {
    const text = ctx.activity.text ?? '';
    const card = cards?.[text as keyof CardsByKind];
    if (card) await ctx.send({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
    else await ctx.send(text);
  });
  app.on('card.action', async () => ({
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: (cards?.card ?? { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Done' }] }) as never,
  } as const));
  await app.start('0');
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/api/messages`, stop: () => app.stop() };
}

/** PlanBridge as `npm start` runs it in local mode (info logs, scheduler on), with a tenant that has data. */
export async function startPlanBridge(): Promise<TurnTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-bench-turns-'));
  const config = loadConfig({ PORT: '0', PLANBRIDGE_DATA_DIR: dataDir });
  const bot = await startBot(config, createLogger({ level: config.logLevel, destination: nowhere() }));
  await seed(bot.store);
  return {
    url: `${bot.url}/api/messages`,
    async stop() {
      await bot.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A few connections and integrations, so `status`, `connections` and the card action read real documents. */
async function seed(store: Awaited<ReturnType<typeof startBot>>['store']): Promise<void> {
  const owner = { id: ADA.id, aadObjectId: ADA.aadObjectId, name: ADA.name };
  const ado = await store.connections.create(TENANT, { kind: 'ado', name: 'Contoso ADO', url: 'https://dev.azure.com/contoso', auth: { type: 'pat' }, secret: 'bench-pat', owner });
  const pwa = await store.connections.create(TENANT, { kind: 'pwa', name: 'Contoso PWA', url: 'https://contoso.sharepoint.com/sites/pwa', auth: { type: 'basic', username: 'bench' }, secret: 'bench-password', owner });
  for (const name of ['Apollo', 'Gemini', 'Mercury']) {
    await store.integrations.create(TENANT, {
      name, planConnectionId: pwa.id, planProjectId: name, adoConnectionId: ado.id, adoProjects: [name], direction: 'two-way', mapping: [],
      hierarchy: { levels: [], leafType: 'Task' }, notifications: { onFailure: true, onSuccess: false },
    });
  }
}

export interface SpawnOptions {
  /** Extra Node flags, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** Prefix for the command line, e.g. ['taskset', '-c', '1'] (cores.ts). */
  prefix?: string[];
  /** For `bare-card`: the JSON file of PlanBridge's cards (captureCards). */
  cardsFile?: string;
  /** The child entry to run; defaults to bot-process.js beside this file. The A/B driver (ab.ts) points it at another build. */
  entry?: string;
}

/** Starts a target in its own Node process, so the bot never shares an event loop with the load generator. */
export async function spawnTarget(kind: TargetKind, options: SpawnOptions = {}): Promise<TurnTarget> {
  const entry = options.entry ?? new URL('./bot-process.js', import.meta.url).pathname;
  const [command, ...args] = [...(options.prefix ?? []), process.execPath, ...(options.nodeArgs ?? []), entry, kind, ...(options.cardsFile ? [options.cardsFile] : [])];
  const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url?: string }) => (m.url ? resolve(m.url) : reject(new Error(`${kind} bot did not start`))));
    child.once('exit', (code) => reject(new Error(`${kind} bot exited with ${code} before it started`)));
  });
  return {
    url,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
