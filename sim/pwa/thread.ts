import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serveSimulatorThread, startSimulatorThread } from '../thread-rpc.js';
import { startPwaSimulator, type PwaSimulatorOptions } from './server.js';

/**
 * The PWA simulator on its own thread, so a benchmark measures the connector rather than the
 * simulator rendering thousands of tasks (a real Project Server is another machine). Runs from the
 * compiled `dist/` build.
 */
export interface ThreadedPwaSimulator {
  url: string;
  /** The first project's id (the benchmark's big project). */
  projectId: string;
  /** Paths of the requests served since the last clear. */
  requestPaths(): Promise<string[]>;
  clearRequests(): Promise<void>;
  close(): Promise<void>;
}

export async function startPwaSimulatorThread(options: PwaSimulatorOptions = {}): Promise<ThreadedPwaSimulator> {
  const thread = await startSimulatorThread(new URL(import.meta.url), { pwaSimulator: options });
  return {
    url: String(thread.started.url),
    projectId: String(thread.started.projectId),
    requestPaths: async () => ((await thread.ask('requests')).paths as string[] | undefined) ?? [],
    clearRequests: async () => { await thread.ask('clear'); },
    close: async () => { await thread.ask('close'); await thread.terminate(); },
  };
}

const request = (workerData as { pwaSimulator?: PwaSimulatorOptions } | null)?.pwaSimulator;
if (!isMainThread && parentPort && request) {
  const sim = await startPwaSimulator(request);
  serveSimulatorThread(parentPort, { url: sim.url, projectId: sim.state.projects[0]?.Id ?? '' }, {
    requests: () => ({ paths: sim.requests.map((r) => r.path) }),
    clear: () => { sim.clearRequests(); },
    close: () => sim.close(),
  });
}
