import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
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

type Reply = { id: number; url?: string; requests?: RequestRecord[] };

export async function startAdoSimulatorThread(options: AdoSimulatorOptions = {}): Promise<ThreadedAdoSimulator> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { adoSimulator: options } });
  let next = 1;
  const pending = new Map<number, (r: Reply) => void>();
  worker.on('message', (r: Reply) => { pending.get(r.id)?.(r); pending.delete(r.id); });
  const ask = (command: string): Promise<Reply> => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, resolve);
    worker.postMessage({ id, command });
    worker.once('error', reject);
  });
  const started = await new Promise<Reply>((resolve, reject) => {
    pending.set(0, resolve);
    worker.once('error', reject);
  });
  return {
    url: started.url!,
    requests: async () => (await ask('requests')).requests ?? [],
    clearRequests: async () => { await ask('clear'); },
    close: async () => { await ask('close'); await worker.terminate(); },
  };
}

const request = (workerData as { adoSimulator?: AdoSimulatorOptions } | null)?.adoSimulator;
if (!isMainThread && parentPort && request) {
  const port = parentPort;
  const sim = await startAdoSimulator(request);
  port.on('message', (m: { id: number; command: string }) => {
    if (m.command === 'requests') port.postMessage({ id: m.id, requests: sim.requests });
    else if (m.command === 'clear') { sim.clearRequests(); port.postMessage({ id: m.id }); }
    else if (m.command === 'close') void sim.close().then(() => port.postMessage({ id: m.id }));
  });
  port.postMessage({ id: 0, url: sim.url });
}
