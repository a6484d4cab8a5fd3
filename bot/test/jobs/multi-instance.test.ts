import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
 * at once; each must complete and be reported exactly once. The process running the "slow"
 * integration is either killed (SIGKILL) mid-run, or paused (SIGSTOP) past the lease TTL and
 * resumed (SIGCONT) after another instance has taken over and finished it: the paused holder
 * wakes up mid-work believing it holds the lease, and only fencing stops it completing twice.
 * Every wait is for a state, with generous deadlines, so a loaded machine makes it slower, not red.
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
  return readdirSync(dir).filter((name) => name.includes('__')).flatMap((name) => {
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

  let round = 0;
  /** Seeds 50 due integrations (fresh tenants), starts three instances and waits for the slow run to start. */
  async function scenario(): Promise<{ keys: { tenantId: string; integrationId: string }[]; outDir: string; started: Instance[]; victim: Instance; victimPid: number }> {
    round++;
    // Every integration is due now: a daily schedule whose time was ten minutes ago (UTC).
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const time = tenMinutesAgo.toISOString().slice(11, 16);
    const book = createCosmosScheduleBook(store.integrations);
    const keys: { tenantId: string; integrationId: string }[] = [];
    for (let t = 0; t < TENANTS; t++) {
      const tenantId = tenant(`r${round}t${t}`);
      for (let i = 0; i < PER_TENANT; i++) {
        const integrationId = t === 0 && i === 0 ? SLOW : `int-${t}-${i}`;
        await store.integrations.create(tenantId, { ...sampleIntegration(`Project ${t}-${i}`), id: integrationId });
        const entry = await book.set({ tenantId, integrationId }, { kind: 'daily', time, timeZone: 'UTC' }, new Date('2025-01-01T00:00:00Z'), new Date(tenMinutesAgo.getTime() - 60_000));
        expect(Date.parse(entry.state.nextRunAt!)).toBeLessThanOrEqual(Date.now());
        keys.push({ tenantId, integrationId });
      }
    }
    const outDir = join(dataDir, `runs-${round}`);
    await mkdir(outDir);
    const config = { endpoint: db.endpoint, key: db.key, database: 'planbridge', secretKey: randomBytes(32).toString('base64'), outDir, slowIntegration: SLOW, leaseTtlMs: 2_000, heartbeatMs: 400, intervalMs: 200 };
    const started = ['a', 'b', 'c'].map((name) => startInstance(name, { ...config, dataDir: join(dataDir, `${name}-${round}`) }));
    instances.push(...started);
    // The slow run starts somewhere and blocks; everything else completes and is reported meanwhile.
    const slowStarted = (): RegExpExecArray | null => /slow-started (\d+)/.exec(started.map((i) => i.output).join(''));
    await until(() => slowStarted() !== null, 'the slow run to start', started);
    const victimPid = Number(slowStarted()![1]);
    const victim = started.find((i) => i.proc.pid === victimPid)!;
    await until(() => phase(outDir, 'done').length >= keys.length - 1 && phase(outDir, 'report').length >= keys.length - 1, '49 completions and reports', started);
    return { keys, outDir, started, victim, victimPid };
  }

  const phase = (dir: string, name: string): RunFile[] => runFiles(dir).filter((f) => f.phase === name);
  const ids = (files: RunFile[]): string[] => files.map((f) => `${f.tenantId}/${f.integrationId}`).sort();
  const slowDone = (dir: string): RunFile[] => phase(dir, 'done').filter((f) => f.integrationId === SLOW);

  /** What both cases must end with: one completion and one report per integration, the slow one by a successor. */
  async function expectExactlyOnce(s: Awaited<ReturnType<typeof scenario>>): Promise<void> {
    const files = runFiles(s.outDir);
    const expected = s.keys.map((k) => `${k.tenantId}/${k.integrationId}`).sort();
    expect(ids(files.filter((f) => f.phase === 'done'))).toEqual(expected);
    expect(ids(files.filter((f) => f.phase === 'report'))).toEqual(expected);
    // The slow integration was started by the victim and finished, as a resume, by another process.
    expect(files.some((f) => f.integrationId === SLOW && f.phase === 'started' && f.pid === s.victimPid)).toBe(true);
    const resumedRun = slowDone(s.outDir)[0]!;
    expect(resumedRun).toMatchObject({ resumed: true, takenOverFrom: `${['a', 'b', 'c'][s.started.indexOf(s.victim)]}:${s.victimPid}` });
    expect(resumedRun.pid).not.toBe(s.victimPid);
    // Every integration started at least once. (Not "exactly once": on a starved machine a holder can
    // lose a lease mid-run, and its successor then starts the same slot again; only completions count.)
    expect(new Set(ids(files.filter((f) => f.phase === 'started')))).toEqual(new Set(expected));
    // And every schedule has moved on to tomorrow.
    const book = createCosmosScheduleBook(store.integrations);
    for (const key of s.keys) {
      const entry = await book.get(key);
      expect(Date.parse(entry!.state.nextRunAt!)).toBeGreaterThan(Date.now());
      expect(entry!.state.lastRun?.outcome).toBe('succeeded');
    }
  }

  /** Several more scans by every live instance, to give any duplicate the chance to show. Never a pass condition. */
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 1_500));

  async function stopAll(live: Instance[]): Promise<void> {
    for (const i of live) i.proc.kill('SIGTERM');
    expect(await Promise.all(live.map((i) => i.exited))).toEqual(live.map(() => 0));
  }

  it('50 due integrations each run exactly once, and a killed holder\'s run is resumed exactly once', async () => {
    const s = await scenario();
    s.victim.proc.kill('SIGKILL');
    await s.victim.exited;
    await until(() => slowDone(s.outDir).length > 0 && phase(s.outDir, 'report').length >= s.keys.length, 'the slow run to be resumed and reported', s.started);
    await settle();
    await expectExactlyOnce(s);
    // Only the slow integration's killed holder left a started run without completing it.
    expect(phase(s.outDir, 'started').filter((f) => f.integrationId === SLOW).length).toBeGreaterThanOrEqual(2);
    // The survivors shut down cleanly on SIGTERM.
    await stopAll(s.started.filter((i) => i !== s.victim));
  }, 180_000);

  it('a holder paused past its lease (SIGSTOP) and resumed after a takeover completes nothing and reports nothing', async () => {
    const s = await scenario();
    s.victim.proc.kill('SIGSTOP');
    try {
      // The lease lapses (2 s), a survivor's scan takes it over, resumes the slot and reports it.
      await until(() => slowDone(s.outDir).length > 0 && phase(s.outDir, 'report').length >= s.keys.length, 'a survivor to take over, finish and report the slow run', s.started);
      // The victim wakes up mid-work, still believing it holds the lease, and is let through to its side effect.
      await writeFile(join(s.outDir, 'go'), '');
    } finally {
      s.victim.proc.kill('SIGCONT');
    }
    const ended = (): RegExpExecArray | null => new RegExp(`slow-ended ${s.victimPid} (\\w+)`).exec(s.victim.output);
    await until(() => ended() !== null, 'the resumed holder to reach its side effect', s.started);
    await settle();
    await expectExactlyOnce(s);
    // It was its fence that stopped it (its abort signal was never consulted).
    expect(ended()![1]).toBe('LeaseLostError');
    // The woken holder stays healthy: it shuts down cleanly with the others.
    await stopAll(s.started);
  }, 180_000);
});
