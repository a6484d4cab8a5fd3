import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationReference } from '@microsoft/teams.api';
import { createLogger } from '../bot/src/log.js';
import { connectCosmos } from '../bot/src/store/connect.js';
import { openStore } from '../bot/src/store/index.js';
import { writerOf, type BenchOptions } from './options.js';

/**
 * Point read/write rates of the store against the embedded database (journaled to disk),
 * sequentially and with 32 requests in flight. Raw = one SDK call per operation; the store
 * rows include the repository's own reads (save = read + create/replace).
 */
const SIZES = { sequential: 2000, concurrent: 4000 };
const SMOKE_SIZES = { sequential: 40, concurrent: 80 };
const IN_FLIGHT = 32;

export const smoke: BenchOptions = { smoke: true };

export interface StoreResult {
  /** Operations timed, over every row. */
  readonly operations: number;
  /** Point reads that found their document (each one must). */
  readonly pointReadsFound: number;
  readonly pointReads: number;
  /** links.getByWorkItem calls that found the link (each one must). */
  readonly linkReadsFound: number;
}

let write: (line: string) => void = writerOf({});
let operations = 0;

async function measure(label: string, count: number, inFlight: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  operations += count;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
  write(`${label.padEnd(50)} ${String(Math.round(count / seconds)).padStart(6)} ops/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   (${count} ops, ${inFlight} in flight)`);
}

export async function run(options: BenchOptions = {}): Promise<StoreResult> {
  const { sequential: SEQUENTIAL, concurrent: CONCURRENT } = options.smoke ? SMOKE_SIZES : SIZES;
  write = writerOf(options);
  operations = 0;
  let pointReads = 0;
  let pointReadsFound = 0;
  let linkReadsFound = 0;
  const dataDir = await mkdtemp(join(tmpdir(), 'planbridge-bench-'));
  const logger = createLogger({ level: 'silent' });
  try {
    const connection = await connectCosmos({ database: 'bench' }, dataDir, logger);
    const container = connection.containers.conversations;
    // Every container is partitioned on /pk: without it the point reads below would read nothing.
    const doc = (i: number, prefix: string) => ({ id: `${prefix}-${i}`, pk: 'bench-tenant', tenantId: 'bench-tenant', schemaVersion: 1, payload: 'x'.repeat(600) });
    await measure('raw point create, sequential', SEQUENTIAL, 1, (i) => container.items.create(doc(i, 'seq')));
    await measure('raw point create, concurrent', CONCURRENT, IN_FLIGHT, (i) => container.items.create(doc(i, 'par')));
    const found = async (read: Promise<{ resource?: unknown }>) => {
      pointReads++;
      if (!(await read).resource) throw new Error('a point read found nothing: the benchmark would measure misses');
      pointReadsFound++;
    };
    await measure('raw point read, sequential', SEQUENTIAL, 1, (i) => found(container.item(`seq-${i % SEQUENTIAL}`, 'bench-tenant').read()));
    await measure('raw point read, concurrent', CONCURRENT, IN_FLIGHT, (i) => found(container.item(`par-${i}`, 'bench-tenant').read()));
    await measure('raw replace with IfMatch, sequential', SEQUENTIAL, 1, async (i) => {
      const { resource } = await container.item(`seq-${i}`, 'bench-tenant').read();
      await container.item(`seq-${i}`, 'bench-tenant').replace({ ...resource, n: i }, { accessCondition: { type: 'IfMatch', condition: resource!._etag as string } });
    });
    const rss = process.memoryUsage().rss;
    await connection.close();
    write(`(RSS after ${SEQUENTIAL + CONCURRENT} documents: ${Math.round(rss / 1e6)} MB)`);

    const store = await openStore({ cosmos: { database: 'bench-store' }, dataDir: join(dataDir, 'store'), logger });
    const ref = (i: number): ConversationReference => ({ serviceUrl: 'https://smba.example/', channelId: 'msteams', bot: { id: '28:b', name: 'PlanBridge', role: 'bot' }, conversation: { id: `a:${i}`, conversationType: 'personal' } });
    await measure('store conversations.save (new), sequential', SEQUENTIAL, 1, (i) => store.conversations.save('t', ref(i)));
    await measure('store conversations.get, concurrent', CONCURRENT, IN_FLIGHT, (i) => store.conversations.get('t', `a:${i % SEQUENTIAL}`));
    const links = Math.floor(CONCURRENT / 8);
    for (let i = 0; i < links; i++) await store.links.create('t', { integrationId: 'i', planTaskId: randomUUID(), workItemId: i });
    await measure('store links.getByWorkItem (2 reads), concurrent', CONCURRENT, IN_FLIGHT, async (i) => {
      if (!(await store.links.getByWorkItem('t', 'i', i % links))) throw new Error(`no link for work item ${i % links}: the benchmark would measure misses`);
      linkReadsFound++;
    });
    const started = performance.now();
    await store.close();
    write(`close (snapshot of ${SEQUENTIAL + 2 * links} documents + fsync): ${Math.round(performance.now() - started)} ms`);
    return { operations, pointReads, pointReadsFound, linkReadsFound };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
