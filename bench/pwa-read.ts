import { PwaConnector } from '../bot/src/connectors/pwa/connector.js';
import { PWA_MAX_IN_FLIGHT } from '../bot/src/connectors/pwa/limits.js';
import { SERVER_PAGE_SIZE } from '../sim/pwa/odata.js';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator } from '../sim/pwa/server.js';
import { writerOf, type BenchOptions } from './options.js';

/**
 * Reads a 5,000-task, 5-level project through the PWA connector with 50 ms of simulated latency
 * per request, and prints requests made against the minimum, wall time and peak RSS.
 */
export const smoke: BenchOptions = { smoke: true };

export interface PwaReadResult {
  readonly tasksRead: number;
  readonly tasks: number;
  readonly taskPages: number;
  readonly minimumPages: number;
  readonly wallMs: number;
}

export async function run(options: BenchOptions = {}): Promise<PwaReadResult> {
  const TASKS = options.smoke ? 250 : 5000;
  const LATENCY_MS = options.smoke ? 2 : 50;
  const sim = await startPwaSimulator({ latencyMs: LATENCY_MS, seed: 'empty', bigProject: { name: `Benchmark ${TASKS}`, tasks: TASKS, levels: 5 } });
  try {
    const project = sim.state.projects[0]!;
    const connector = new PwaConnector({ siteUrl: sim.url, auth: { kind: 'oauth', getAccessToken: async () => PWA_DEMO_CREDENTIALS.bearerToken } });
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
    (globalThis as { gc?: () => void }).gc?.();
    sim.clearRequests();
    const started = performance.now();
    const tasks = await connector.readTasks(project.Id);
    const wallMs = performance.now() - started;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const taskPages = sim.requests.filter((r) => r.path.includes('/Tasks')).length;
    const minimumPages = Math.ceil(TASKS / SERVER_PAGE_SIZE);
    const overhead = sim.requests.length - taskPages;
    // Floor with PWA_MAX_IN_FLIGHT pages at once: the first page alone (it shows the page size), the
    // rest in full windows, plus the metadata requests that go before (project, fields) one by one.
    const floorMs = (1 + Math.ceil((minimumPages - 1) / PWA_MAX_IN_FLIGHT) + overhead) * LATENCY_MS;
    const ratio = wallMs / floorMs;
    const lines = [
      `project: ${TASKS} tasks, 5 outline levels; latency ${LATENCY_MS} ms per request; server page size ${SERVER_PAGE_SIZE}`,
      `tasks read: ${tasks.length} (max outline level ${Math.max(...tasks.map((t) => t.outlineLevel))})`,
      `requests: ${sim.requests.length} total = ${taskPages} task pages (minimum ${minimumPages}) + ${overhead} for project, links and custom-field metadata`,
      `wall time: ${wallMs.toFixed(0)} ms; floor with ${PWA_MAX_IN_FLIGHT} pages in flight ${floorMs} ms; ${ratio.toFixed(2)}x the floor (target <= 1.5x) ${ratio <= 1.5 ? 'MET' : 'MISSED'}`,
      `  (sequential pages would have a floor of ${(sim.requests.length * LATENCY_MS).toFixed(0)} ms)`,
      `peak RSS: ${(peakRss / 1024 / 1024).toFixed(1)} MiB (simulator and connector in one process)`,
    ];
    for (const line of lines) writerOf(options)(line);
    return { tasksRead: tasks.length, tasks: TASKS, taskPages, minimumPages, wallMs };
  } finally {
    await sim.close();
  }
}
