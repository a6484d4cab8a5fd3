import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serveSimulatorThread, startSimulatorThread } from '../thread-rpc.js';
import { startAdoSimulator, type AdoSimulatorOptions, type RequestRecord } from './server.js';

/**
 * The simulator on its own thread, so a benchmark measures the client rather than the simulator's
 * CPU time (a real ADO is another machine). Runs from the compiled `dist/` build.
 */
export interface ThreadedAdoSimulator {
  url: string;
  requests(): Promise<RequestRecord[]>;
  clearRequests(): Promise<void>;
  close(): Promise<void>;
}

export async function startAdoSimulatorThread(options: AdoSimulatorOptions = {}): Promise<ThreadedAdoSimulator> {
  const thread = await startSimulatorThread(new URL(import.meta.url), { adoSimulator: options });
  return {
    url: String(thread.started.url),
    requests: async () => ((await thread.ask('requests')).requests as RequestRecord[] | undefined) ?? [],
    clearRequests: async () => { await thread.ask('clear'); },
    close: async () => { await thread.ask('close'); await thread.terminate(); },
  };
}

const request = (workerData as { adoSimulator?: AdoSimulatorOptions } | null)?.adoSimulator;
if (!isMainThread && parentPort && request) {
  const sim = await startAdoSimulator(request);
  serveSimulatorThread(parentPort, { url: sim.url }, {
    requests: () => ({ requests: sim.requests }),
    clear: () => { sim.clearRequests(); },
    close: () => sim.close(),
  });
}
