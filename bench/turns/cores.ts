import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Where the benchmark's processes run. Unpinned, the load generator and the bot under test fight
 * over the same cores, and on a 2-core machine the bare bot's throughput for the same echo moved
 * by a third within one run, more than the gap being measured. Pinned (Linux with `taskset`, 2 or
 * more cores), the load generator keeps CPU 0 and each bot gets the last CPU, one at a time, so
 * both bots are measured on the same core under the same generator.
 */
export interface Placement {
  /** Prefix for a bot's command line, e.g. ['taskset', '-c', '1']; empty when not pinned. */
  readonly botPrefix: string[];
  /** For the printed figures. */
  readonly description: string;
  /** Gives this process every CPU again (benchmarks that run after this one). */
  release(): void;
}

const nothing = (): void => undefined;

export function placeProcesses(): Placement {
  const cpus = availableParallelism();
  if (process.platform !== 'linux' || cpus < 2) return { botPrefix: [], description: 'not pinned (needs Linux and 2 cores)', release: nothing };
  // -a: every thread of this process (libuv's pool and V8's helpers too), not only the main one.
  const pin = (list: string): void => void execFileSync('taskset', ['-a', '-p', '-c', list, String(process.pid)], { stdio: 'ignore' });
  try {
    pin('0');
  } catch {
    return { botPrefix: [], description: 'not pinned (taskset is not installed)', release: nothing };
  }
  const botCpu = String(cpus - 1);
  return {
    botPrefix: ['taskset', '-c', botCpu], description: `load generator on CPU 0, the bot under test on CPU ${botCpu}`,
    release: () => pin(`0-${cpus - 1}`),
  };
}
