import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bot as production runs it: the compiled `bot/src/main.js` in its own process. A crash is
 * the process exiting, and its memory is its own RSS, not the test runner's. It runs dist/ when
 * that is up to date (npm test builds first); otherwise it compiles the current sources into a
 * private folder, so a targeted run never tests stale code and never races a shared build.
 */
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const node = existsSync(join(root, 'node_modules/.bin/node')) ? join(root, 'node_modules/.bin/node') : process.execPath;

export interface BotProcess {
  url: string;
  /** Exit code or signal if the process ended on its own; undefined while it runs. */
  exited(): string | undefined;
  /** Resident set size in MB, from /proc. */
  rssMb(): number;
  /** The last lines it printed, for failure messages. */
  tail(): string;
  stop(): Promise<void>;
}

function distIsFresh(): boolean {
  const sources = join(root, 'bot/src');
  return readdirSync(sources, { recursive: true, withFileTypes: true }).every((file) => {
    if (!file.isFile() || !file.name.endsWith('.ts')) return true;
    const source = join(file.parentPath, file.name);
    const built = join(root, 'dist', source.slice(root.length + 1)).replace(/\.ts$/, '.js');
    return existsSync(built) && statSync(built).mtimeMs >= statSync(source).mtimeMs;
  });
}

/** The folder holding the compiled bot; `cleanup` removes a private build. */
async function compiledBot(): Promise<{ outDir: string; cleanup: () => Promise<void> }> {
  if (distIsFresh()) return { outDir: join(root, 'dist'), cleanup: async () => {} };
  // Inside the repository so the build finds node_modules, cards/ and package.json as dist/ does.
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  const outDir = await mkdtemp(join(root, 'node_modules/.cache/planbridge-bot-'));
  const output = await new Promise<string>((done) => {
    let text = '';
    const tsc = spawn(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json'), '--outDir', outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    tsc.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
    tsc.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')));
    // Type errors elsewhere still emit JavaScript; only a missing entry point is fatal.
    tsc.on('close', () => done(text));
  });
  if (!existsSync(join(outDir, 'bot/src/main.js'))) throw new Error(`could not compile the bot:\n${output.slice(-4000)}`);
  return { outDir, cleanup: () => rm(outDir, { recursive: true, force: true }) };
}

export async function startBotProcess(env: Record<string, string> = {}): Promise<BotProcess> {
  const build = await compiledBot();
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-fuzz-'));
  const proc: ChildProcess = spawn(node, [join(build.outDir, 'bot/src/main.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', PLANBRIDGE_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: string | undefined;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const ended = new Promise<void>((done) => proc.on('exit', (code, signal) => {
    exit = signal ?? String(code);
    done();
  }));

  const url = await new Promise<string>((found, failed) => {
    // No timing assertion: the deadline only turns a hang into a readable failure.
    const timer = setTimeout(() => failed(new Error(`the bot did not start within 60 s:\n${output}`)), 60_000);
    const look = () => {
      const match = /PlanBridge listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        proc.stdout!.off('data', look);
        found(match[1]!);
      }
    };
    proc.stdout!.on('data', look);
    void ended.then(() => failed(new Error(`the bot exited (${exit}) before listening:\n${output}`)));
  });

  return {
    url,
    exited: () => exit,
    rssMb() {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024);
    },
    tail: () => output.slice(-4000),
    async stop() {
      if (exit === undefined) {
        proc.kill('SIGTERM');
        const force = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        await ended;
        clearTimeout(force);
      }
      await rm(dataDir, { recursive: true, force: true });
      await build.cleanup();
    },
  };
}
