import { Worker, type MessagePort } from 'node:worker_threads';

/**
 * The little protocol between a benchmark and a simulator on its own thread (a real server is
 * another machine, so a benchmark must not pay for the simulator's CPU time): the worker posts its
 * start-up reply with id 0, then answers each `{ id, command }` with `{ id, ...answer }`.
 */
export type ThreadReply = { id: number } & Record<string, unknown>;

export interface SimulatorThread {
  /** What the worker said once it was listening. */
  started: ThreadReply;
  ask(command: string): Promise<ThreadReply>;
  terminate(): Promise<void>;
}

export async function startSimulatorThread(entry: URL, workerData: Record<string, unknown>): Promise<SimulatorThread> {
  const worker = new Worker(entry, { workerData });
  let next = 1;
  const pending = new Map<number, { resolve: (r: ThreadReply) => void; reject: (err: Error) => void }>();
  // One error and one exit handler for every call: a dead worker fails what waits on it, never hangs it.
  const failAll = (err: Error) => {
    for (const waiting of pending.values()) waiting.reject(err);
    pending.clear();
  };
  worker.on('message', (r: ThreadReply) => { pending.get(r.id)?.resolve(r); pending.delete(r.id); });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the simulator thread exited with code ${code}`)));
  const ask = (id: number, command?: string): Promise<ThreadReply> => new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    if (command) worker.postMessage({ id, command });
  });
  const started = await ask(0);
  return {
    started,
    ask: (command) => ask(next++, command),
    terminate: async () => { await worker.terminate(); },
  };
}

/** Worker side: answers commands with `handlers`, after posting `started` (id 0). */
export function serveSimulatorThread(port: MessagePort, started: Record<string, unknown>, handlers: Record<string, () => unknown>): void {
  port.on('message', (m: { id: number; command: string }) => {
    const handler = handlers[m.command];
    void Promise.resolve(handler?.()).then((answer) => port.postMessage({ id: m.id, ...(answer as Record<string, unknown> | undefined) }));
  });
  port.postMessage({ id: 0, ...started });
}
