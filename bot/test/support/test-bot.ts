import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startBot, type BotSeams, type RunningBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';

export interface TestBot {
  bot: RunningBot;
  dataDir: string;
  /** Every structured log line written so far. */
  logText(): string;
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Starts the real bot in-process on an ephemeral port with its own data dir and captured logs. */
export async function startTestBot(env: Record<string, string> = {}, seams: BotSeams = {}): Promise<TestBot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-test-'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = loadConfig({ PORT: '0', PLANBRIDGE_DATA_DIR: dataDir, ...env });
  const bot = await startBot(config, createLogger({ level: 'debug', destination: sink }), seams);
  return {
    bot,
    dataDir,
    logText: () => lines.join(''),
    async post(activity, headers = {}) {
      const res = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await bot.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Matches what a leaked stack trace looks like in any reply. */
export const STACK_TRACE = /\n\s+at .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+:\d+|\.js:\d+:\d+/;
