import { spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/index.js';
import { REMOTE } from './support.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dist = join(root, 'dist');
const child = fileURLToPath(new URL('./fixtures/store-child.mjs', import.meta.url));
const node = existsSync(join(root, 'node_modules/.bin/node')) ? join(root, 'node_modules/.bin/node') : process.execPath;
const COUNT = 40;

/** The child runs the compiled store; a stale build would test old code, so refuse it clearly. */
function assertBuildIsFresh(): void {
  const built = join(dist, 'bot/src/store/index.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npx tsc -p tsconfig.json\` (npm test builds first)`);
  const builtAt = statSync(built).mtimeMs;
  const sources = join(root, 'bot/src/store');
  const newer = walk(sources).filter((f) => f.endsWith('.ts') && statSync(f).mtimeMs > builtAt);
  if (newer.length > 0) throw new Error(`dist/ is older than ${newer[0]}: run \`npx tsc -p tsconfig.json\` (npm test builds first)`);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

interface ChildRun {
  output: Promise<string>;
  waitFor(text: string): Promise<void>;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

function runChild(dataDir: string, tenantId: string, mode: 'graceful' | 'hang'): ChildRun {
  const proc = spawn(node, [child, dist, dataDir, tenantId, String(COUNT), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters) if (out.includes(w.text)) w.resolve();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((res) => proc.on('exit', (code) => res(code)));
  return {
    output: exited.then(() => out + err),
    exited,
    waitFor: (text) => new Promise<void>((res, rej) => {
      if (out.includes(text)) return res();
      waiters.push({ text, resolve: res });
      void exited.then((code) => rej(new Error(`child exited (${code}) before "${text}": ${out}${err}`)));
    }),
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

async function expectWrittenData(store: Store, tenantId: string): Promise<void> {
  expect((await store.conversations.get(tenantId, 'conv-0'))?.reference.serviceUrl).toBe('https://smba.example/rewritten');
  for (let i = 1; i < COUNT - 1; i++) {
    expect((await store.conversations.get(tenantId, `conv-${i}`))?.reference.serviceUrl).toBe(`https://smba.example/${i}`);
  }
  expect(await store.conversations.get(tenantId, `conv-${COUNT - 1}`), 'an acknowledged delete stays deleted').toBeUndefined();
}

describe.skipIf(REMOTE)('embedded database persistence across process restarts', () => {
  let dataDir: string;
  let store: Store | undefined;
  beforeAll(() => assertBuildIsFresh());
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  const reopen = async () => {
    store = await openStore({ cosmos: { database: 'planbridge' }, dataDir, logger: createLogger({ level: 'silent' }) });
    return store;
  };

  it('keeps every acknowledged write after a graceful stop', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-persist-'));
    const run = runChild(dataDir, 'tenant-a', 'graceful');
    expect(await run.exited, await run.output).toBe(0);
    expect(await run.output).toContain('closed');
    await expectWrittenData(await reopen(), 'tenant-a');
  });

  it('keeps every acknowledged write after kill -9', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-persist-'));
    const run = runChild(dataDir, 'tenant-b', 'hang');
    await run.waitFor(`acknowledged ${COUNT}`);
    await run.kill9();
    expect(existsSync(join(dataDir, 'cosmos', 'LOCK')), 'the killed process left its lock behind').toBe(true);
    const reopened = await reopen();
    await expectWrittenData(reopened, 'tenant-b');
    // And it keeps working: a new write after recovery survives another restart.
    await reopened.conversations.remove('tenant-b', 'conv-1');
    await reopened.close();
    const again = await reopen();
    expect(await again.conversations.get('tenant-b', 'conv-1')).toBeUndefined();
    expect(await again.conversations.get('tenant-b', 'conv-2')).toBeDefined();
  });

  it('refuses a second process on the same data dir with an actionable error', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-persist-'));
    const run = runChild(dataDir, 'tenant-c', 'hang');
    try {
      await run.waitFor(`acknowledged ${COUNT}`);
      await expect(reopen()).rejects.toThrow(/already in use by process \d+.*COSMOS_ENDPOINT/);
    } finally {
      await run.kill9();
    }
  });
});
