import { PwaConnector } from '../bot/src/connectors/pwa/connector.js';
import type { PlanTask } from '../bot/src/connectors/ppm.js';
import { PWA_MAX_IN_FLIGHT } from '../bot/src/connectors/pwa/limits.js';
import { SERVER_PAGE_SIZE } from '../sim/pwa/odata.js';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator } from '../sim/pwa/server.js';
import { median, readLines, timedRead, writerOf, type BenchOptions, type TimedRead } from './options.js';
import { startPwaSimulatorThread, type ThreadedPwaSimulator } from '../sim/pwa/thread.js';

/**
 * Reads a 5,000-task, 5-level project through the PWA connector with 50 ms of simulated latency
 * per request, and prints requests made against the minimum, wall time and peak RSS. The simulator
 * runs on its own thread: rendering 5,000 tasks is the server's work, not the connector's.
 */
export const smoke: BenchOptions = { smoke: true };

export interface PwaReadResult {
  readonly tasksRead: number;
  readonly tasks: number;
  readonly taskPages: number;
  readonly minimumPages: number;
  readonly wallMs: number;
}

/** On its own thread for the real figures (it needs dist/); in this thread for the smoke run, which vitest runs from source. */
async function startSimulator(tasks: number, latencyMs: number, smoke: boolean): Promise<ThreadedPwaSimulator> {
  const options = { latencyMs, seed: 'empty' as const, bigProject: { name: `Benchmark ${tasks}`, tasks, levels: 5 } };
  if (!smoke) return startPwaSimulatorThread(options);
  const sim = await startPwaSimulator(options);
  return {
    url: sim.url, projectId: sim.state.projects[0]!.Id,
    requestPaths: async () => sim.requests.map((r) => r.path),
    clearRequests: async () => sim.clearRequests(),
    close: () => sim.close(),
  };
}

export async function run(options: BenchOptions = {}): Promise<PwaReadResult> {
  const smoke = options.smoke === true;
  const TASKS = smoke ? 250 : 5000;
  const LATENCY_MS = smoke ? 2 : 50;
  const ROUNDS = smoke ? 2 : 5;
  const sim = await startSimulator(TASKS, LATENCY_MS, smoke);
  try {
    // Several reads, each by a new connector, as each run of a sync reads.
    const reads: TimedRead<PlanTask[]>[] = [];
    let requests: readonly string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const connector = new PwaConnector({ siteUrl: sim.url, auth: { kind: 'oauth', getAccessToken: async () => PWA_DEMO_CREDENTIALS.bearerToken } });
      await sim.clearRequests();
      reads.push(await timedRead(() => connector.readTasks(sim.projectId)));
      requests = await sim.requestPaths();
    }
    const tasks = reads.at(-1)!.result;
    const wallMs = median(reads.map((r) => r.wallMs));
    const peakRss = Math.max(...reads.map((r) => r.peakRss));
    const taskPages = requests.filter((path) => path.includes('/Tasks')).length;
    const minimumPages = Math.ceil(TASKS / SERVER_PAGE_SIZE);
    const overhead = requests.length - taskPages;
    // Floor with PWA_MAX_IN_FLIGHT pages at once: one round for the metadata (project, entity types
    // and custom fields are independent; the task $select needs the fields), the first page alone (it
    // shows the page size), then the rest PWA_MAX_IN_FLIGHT at a time. The links are read beside the tasks.
    const floorMs = (1 + 1 + Math.ceil((minimumPages - 1) / PWA_MAX_IN_FLIGHT)) * LATENCY_MS;
    const lines = [
      `project: ${TASKS} tasks, 5 outline levels; latency ${LATENCY_MS} ms per request; server page size ${SERVER_PAGE_SIZE}`,
      `tasks read: ${tasks.length} (max outline level ${Math.max(...tasks.map((t) => t.outlineLevel))})`,
      `requests: ${requests.length} total = ${taskPages} task pages (minimum ${minimumPages}) + ${overhead} for project, links and custom-field metadata`,
      `floor ${floorMs} ms (1 metadata round + the first page + ${PWA_MAX_IN_FLIGHT} pages in flight)`,
      ...readLines(reads, floorMs, 1.5, (ms) => `${ms.toFixed(0)} ms`),
      `  (sequential pages would have a floor of ${(requests.length * LATENCY_MS).toFixed(0)} ms)`,
      `peak RSS: ${(peakRss / 1024 / 1024).toFixed(1)} MiB (one process: the connector plus the simulator${smoke ? '' : "'s thread holding the plan"})`,
    ];
    for (const line of lines) writerOf(options)(line);
    return { tasksRead: tasks.length, tasks: TASKS, taskPages, minimumPages, wallMs };
  } finally {
    await sim.close();
  }
}
