import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCosmosScheduleBook } from '../../src/jobs/index.js';
import { createLogger } from '../../src/log.js';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded/embedded-server.js';
import { openStore, type Store } from '../../src/store/index.js';
import { sampleIntegration, tenant } from '../store/support.js';

/**
 * Three bot processes share one embedded Cosmos server over loopback. 50 integrations are due
 * at once; each must run exactly once. The process running the "slow" integration is killed
 * with SIGKILL mid-run; another must resume it, once, after the lease expires.
 */
const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const dist = join(root, 'dist');
const fixture = fileURLToPath(new URL('./fixtures/scheduler-child.mjs', import.meta.url));
const node = existsSync(join(root, 'node_modules/.bin/node')) ? join(root, 'node_modules/.bin/node') : process.execPath;
const TENANTS = 5;
const PER_TENANT = 10;
const SLOW = 'int-slow';

function assertBuildIsFresh(): void {
  for (const dir of ['bot/src/jobs', 'bot/src/schedule', 'bot/src/store']) {
    for (const file of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!file.isFile() || !file.name.endsWith('.ts')) continue;
      const source = join(file.parentPath, file.name);
      const built = join(dist, source.slice(root.length + 1)).replace(/\.ts$/, '.js');
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
        throw new Error(`dist/ is older than ${source}: run \`npx tsc -p tsconfig.json\` first (npm test builds first)`);
      }
    }
  }
}

interface Instance {
  proc: ChildProcess;
  output: string;
  exited: Promise<number | null>;
}

function startInstance(name: string, config: Record<string, unknown>): Instance {
  const proc = spawn(node, [fixture, dist, JSON.stringify({ ...config, name })], { stdio: ['ignore', 'pipe', 'pipe'] });
  const instance: Instance = { proc, output: '', exited: new Promise((r) => proc.on('exit', (code) => r(code))) };
  proc.stdout!.on('data', (chunk: Buffer) => { instance.output += chunk.toString('utf8'); });
  proc.stderr!.on('data', (chunk: Buffer) => { instance.output += chunk.toString('utf8'); });
  return instance;
}

async function until(check: () => boolean, what: string, instances: Instance[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; instance output:\n${instances.map((i) => i.output).join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface RunFile { tenantId: string; integrationId: string; pid: number; phase: string; resumed: boolean; takenOverFrom: string | null; slot: string }

function runFiles(dir: string): RunFile[] {
  return readdirSync(dir).flatMap((name) => {
    const [tenantId, integrationId, pid] = name.split('.')[0]!.split('__') as [string, string, string];
    const raw = readFileSync(join(dir, name), 'utf8');
    // A child creates its file ('wx') and then writes it: a poll may see it still empty; the next poll reads it.
    if (raw === '') return [];
    const body = JSON.parse(raw) as { resumed: boolean; takenOverFrom: string | null; slot: string };
    return [{ tenantId, integrationId, pid: Number(pid), phase: name.split('.').pop()!, ...body }];
  });
}

describe('scheduled runs on three instances sharing one Cosmos', () => {
  let dataDir: string;
  let db: EmbeddedCosmos;
  let store: Store;
  const instances: Instance[] = [];

  beforeAll(async () => {
    assertBuildIsFresh();
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-jobs-'));
    const logger = createLogger({ level: 'silent' });
    db = await startEmbeddedCosmos({ dataDir: join(dataDir, 'server'), logger });
    store = await openStore({ cosmos: { endpoint: db.endpoint, key: db.key, database: 'planbridge' }, dataDir: join(dataDir, 'seeder'), secretKey: randomBytes(32).toString('base64'), logger });
  });

  afterAll(async () => {
    for (const i of instances) if (i.proc.exitCode === null && i.proc.signalCode === null) i.proc.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    await store?.close();
    await db?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('50 due integrations each run exactly once, and a killed holder\'s run is resumed exactly once', async () => {
    // Every integration is due now: a daily schedule whose time was ten minutes ago (UTC).
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const time = tenMinutesAgo.toISOString().slice(11, 16);
    const book = createCosmosScheduleBook(store.integrations);
    const keys: { tenantId: string; integrationId: string }[] = [];
    for (let t = 0; t < TENANTS; t++) {
      const tenantId = tenant(`t${t}`);
      for (let i = 0; i < PER_TENANT; i++) {
        const integrationId = t === 0 && i === 0 ? SLOW : `int-${t}-${i}`;
        await store.integrations.create(tenantId, { ...sampleIntegration(`Project ${t}-${i}`), id: integrationId });
        const entry = await book.set({ tenantId, integrationId }, { kind: 'daily', time, timeZone: 'UTC' }, new Date('2025-01-01T00:00:00Z'), new Date(tenMinutesAgo.getTime() - 60_000));
        expect(Date.parse(entry.state.nextRunAt!)).toBeLessThanOrEqual(Date.now());
        keys.push({ tenantId, integrationId });
      }
    }
    const outDir = join(dataDir, 'runs');
    await import('node:fs/promises').then((fs) => fs.mkdir(outDir));
    const config = { endpoint: db.endpoint, key: db.key, database: 'planbridge', secretKey: randomBytes(32).toString('base64'), outDir, slowIntegration: SLOW, leaseTtlMs: 2_000, heartbeatMs: 400, intervalMs: 200 };
    for (const name of ['a', 'b', 'c']) instances.push(startInstance(name, { ...config, dataDir: join(dataDir, name) }));

    // The slow run starts somewhere and blocks; everything else completes meanwhile.
    await until(() => /slow-started (\d+)/.test(instances.map((i) => i.output).join('')), 'the slow run to start', instances);
    const victimPid = Number(/slow-started (\d+)/.exec(instances.map((i) => i.output).join(''))![1]);
    const victim = instances.find((i) => i.proc.pid === victimPid)!;
    await until(() => runFiles(outDir).filter((f) => f.phase === 'done').length >= keys.length - 1, '49 completions', instances);

    victim.proc.kill('SIGKILL');
    await victim.exited;
    await until(() => runFiles(outDir).some((f) => f.phase === 'done' && f.integrationId === SLOW), 'the slow run to be resumed', instances);
    // Several more scans by the survivors, to give any duplicate the chance to show.
    await new Promise((r) => setTimeout(r, 1_500));

    const files = runFiles(outDir);
    const done = files.filter((f) => f.phase === 'done');
    // Exactly one completion per integration.
    expect(done.map((f) => `${f.tenantId}/${f.integrationId}`).sort()).toEqual(keys.map((k) => `${k.tenantId}/${k.integrationId}`).sort());
    // Every instance took part (the shuffle spreads the work).
    expect(new Set(done.map((f) => f.pid)).size).toBeGreaterThanOrEqual(2);
    // Only the slow integration started twice: killed once, resumed once by another process.
    const slowStarts = files.filter((f) => f.integrationId === SLOW && f.phase === 'started');
    expect(slowStarts).toHaveLength(2);
    const resumedRun = done.find((f) => f.integrationId === SLOW)!;
    expect(resumedRun).toMatchObject({ resumed: true, takenOverFrom: `${['a', 'b', 'c'][instances.indexOf(victim)]}:${victimPid}` });
    expect(resumedRun.pid).not.toBe(victimPid);
    expect(files.filter((f) => f.integrationId !== SLOW && f.phase === 'started')).toHaveLength(keys.length - 1);
    // And every schedule has moved on to tomorrow.
    for (const key of keys) {
      const entry = await book.get(key);
      expect(Date.parse(entry!.state.nextRunAt!)).toBeGreaterThan(Date.now());
      expect(entry!.state.lastRun?.outcome).toBe('succeeded');
    }

    // The survivors shut down cleanly on SIGTERM.
    const survivors = instances.filter((i) => i !== victim);
    for (const s of survivors) s.proc.kill('SIGTERM');
    expect(await Promise.all(survivors.map((s) => s.exited))).toEqual([0, 0]);
  }, 120_000);
});
