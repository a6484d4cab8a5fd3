import { AdoConnector } from '../bot/src/connectors/ado/connector.js';
import type { AdoWorkItem } from '../bot/src/connectors/ado/types.js';
import { BATCH_MAX_IDS, DEFAULT_MAX_IN_FLIGHT, WIQL_MAX_RESULTS } from '../bot/src/connectors/ado/limits.js';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulatorOptions } from '../sim/ado/server.js';
import { startAdoSimulatorThread, type ThreadedAdoSimulator } from '../sim/ado/thread.js';
import { median, readLines, timedRead, writerOf, type BenchOptions, type TimedRead } from './options.js';

/**
 * Reads a 10,000-item, 4-level project through the ADO connector with 50 ms of simulated latency
 * per request, and prints requests, wall time and peak RSS beside the minimum possible. Then reads
 * a sample the naive way (one GET per item, one at a time) and extrapolates what a simple tool costs.
 */
const SIZES = { items: 10_000, latencyMs: 50, naiveSample: 200, rounds: 5 };
const SMOKE_SIZES = { items: 450, latencyMs: 2, naiveSample: 5, rounds: 2 };
const LEVELS = 4;

export const smoke: BenchOptions = { smoke: true };

export interface AdoReadResult {
  readonly items: number;
  readonly itemsRead: number;
  readonly requests: number;
  readonly minimumRequests: number;
  readonly wallMs: number;
}

export async function run(options: BenchOptions = {}): Promise<AdoReadResult> {
  const { items: ITEMS, latencyMs: LATENCY_MS, naiveSample: NAIVE_SAMPLE, rounds: ROUNDS } = options.smoke ? SMOKE_SIZES : SIZES;
  // The simulator runs on its own thread, as a real server would run elsewhere; that thread needs
  // dist/, so the smoke test (run from source) keeps it in this thread.
  const simOptions: AdoSimulatorOptions = { seed: 'empty', latencyMs: LATENCY_MS, bigProject: { name: 'Bench', items: ITEMS, levels: LEVELS } };
  const sim = options.smoke ? await sameThread(simOptions) : await startAdoSimulatorThread(simOptions);
  try {
    // Several reads, each by a new connector (its own discovery), as each run of a sync would read.
    const reads: TimedRead<AdoWorkItem[]>[] = [];
    let requests: readonly { method: string; path: string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const connector = new AdoConnector({ url: sim.url, pat: ADO_DEMO_PATS.fullAccess, localMode: true });
      await sim.clearRequests();
      reads.push(await timedRead(() => connector.readScope([{ project: 'Bench' }])));
      requests = await sim.requests();
      await connector.dispose();
    }
    const items = reads.at(-1)!.result;
    const wallMs = median(reads.map((r) => r.wallMs));
    const peakRss = Math.max(...reads.map((r) => r.peakRss));

    const discovery = requests.filter((r) => r.method === 'OPTIONS' || r.path.includes('ResourceAreas')).length;
    const wiqlPages = requests.filter((r) => r.path.includes('/wiql')).length;
    const batches = requests.filter((r) => r.path.includes('workItemsBatch')).length;
    const minDiscovery = 3; // OPTIONS Location, GET ResourceAreas, OPTIONS wit
    const minWiql = Math.floor(ITEMS / WIQL_MAX_RESULTS) + 1;
    const minBatches = Math.ceil(ITEMS / BATCH_MAX_IDS);
    const minimum = minDiscovery + minWiql + minBatches;
    const floorMs = (minDiscovery + minWiql + Math.ceil(minBatches / DEFAULT_MAX_IN_FLIGHT)) * LATENCY_MS;
    // The connector sends OPTIONS wit beside the resource-area lookup (wit-client.ts), so its own
    // chain is one round trip shorter than the floor above assumes; shown too, not to flatter.
    const overlappedFloorMs = floorMs - LATENCY_MS;
    const byId = new Map(items.map((i) => [i.id, i]));
    const depth = (id: number): number => { const p = byId.get(id)?.parentId; return p ? 1 + depth(p) : 1; };
    const maxDepth = Math.max(...items.map((i) => depth(i.id)));

    // The naive way: one GET per item, one after another.
    const ids = items.slice(0, NAIVE_SAMPLE).map((i) => i.id);
    const naive = new AdoConnector({ url: sim.url, pat: ADO_DEMO_PATS.fullAccess, localMode: true, maxInFlight: 1 });
    await naive.readByIds([ids[0]!]); // discovery, not counted
    const naiveStart = performance.now();
    for (const id of ids) await naive.readByIds([id]);
    const naivePerItemMs = (performance.now() - naiveStart) / NAIVE_SAMPLE;
    const naiveMs = naivePerItemMs * ITEMS;
    const naiveRequests = minDiscovery + minWiql + ITEMS;

    await naive.dispose();
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const lines = [
      `project: ${ITEMS} work items, ${LEVELS} levels (Epic > Feature > User Story > Task); ${LATENCY_MS} ms latency per request; ${DEFAULT_MAX_IN_FLIGHT} requests in flight`,
      `items read: ${items.length}, with parent ids to depth ${maxDepth}`,
      `requests: ${requests.length} = ${discovery} discovery + ${wiqlPages} WIQL + ${batches} batch reads; minimum ${minimum} = ${minDiscovery} + ${minWiql} + ceil(${ITEMS}/${BATCH_MAX_IDS})`,
      `latency floor ${s(floorMs)} (${minDiscovery + minWiql} sequential + ${Math.ceil(minBatches / DEFAULT_MAX_IN_FLIGHT)} rounds of ${DEFAULT_MAX_IN_FLIGHT})`,
      ...readLines(reads, floorMs, 1.3, s),
      `with OPTIONS wit beside the resource-area lookup the client's own floor is ${s(overlappedFloorMs)} (${minDiscovery + minWiql - 1} sequential + the same rounds): median ${(wallMs / overlappedFloorMs).toFixed(2)}x`,
      `peak RSS: ${(peakRss / 1024 / 1024).toFixed(1)} MiB (one process: connector plus the simulator thread holding the ${ITEMS} items; target < 250 MB)`,
      `naive (one GET per item, sequential): ${naivePerItemMs.toFixed(1)} ms per item measured on ${NAIVE_SAMPLE} items -> ~${naiveRequests} requests and ~${s(naiveMs)} for ${ITEMS} items; ${(naiveRequests / requests.length).toFixed(0)}x the requests and ${(naiveMs / wallMs).toFixed(0)}x the time of the batched read`,
    ];
    for (const line of lines) writerOf(options)(line);
    return { items: ITEMS, itemsRead: items.length, requests: requests.length, minimumRequests: minimum, wallMs };
  } finally {
    await sim.close();
  }
}

async function sameThread(options: AdoSimulatorOptions): Promise<ThreadedAdoSimulator> {
  const sim = await startAdoSimulator({ ...options, port: 0 });
  return { url: sim.url, requests: async () => sim.requests, clearRequests: async () => sim.clearRequests(), close: () => sim.close() };
}
