/**
 * What every benchmark's `run()` accepts. `smoke`: tiny sizes, so `npm test` (bench/test/smoke.test.ts)
 * can check that the benchmark still runs and measures something real; figures from a smoke run mean
 * nothing. `write`: where the printed lines go (default stdout), so the smoke test can keep them quiet.
 */
export interface BenchOptions {
  readonly smoke?: boolean;
  readonly write?: (line: string) => void;
}

export const writerOf = (options: BenchOptions): ((line: string) => void) =>
  options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));

/** p-th percentile (0..1) of already sorted numbers; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Median of numbers in any order; NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface TimedRead<T> {
  result: T;
  wallMs: number;
  /** Peak RSS of the process while the read ran. */
  peakRss: number;
}

/**
 * One read, timed, with the process's RSS sampled while it runs. The sampler shares the thread doing
 * the read, and each look at RSS reads /proc (0.1-0.2 ms on a busy machine): memoryUsage.rss() rather
 * than memoryUsage() (no V8 heap statistics besides), 50 times a second. RSS hardly falls within a
 * read, and it is sampled again at the end.
 */
export async function timedRead<T>(read: () => Promise<T>): Promise<TimedRead<T>> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 20);
  try {
    const started = performance.now();
    const result = await read();
    const wallMs = performance.now() - started;
    return { result, wallMs, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * The lines for several reads in one process against a latency floor: each read with its ratio
 * (the first marked cold), then the median against the target, which is what the target is checked
 * on: one read on a shared machine is too noisy for it.
 */
export function readLines(reads: readonly TimedRead<unknown>[], floorMs: number, target: number, show: (ms: number) => string): string[] {
  const medianMs = median(reads.map((r) => r.wallMs));
  return [
    `wall time of ${reads.length} reads in one process, as a running bot reads: ${reads.map((r) => `${show(r.wallMs)} (${(r.wallMs / floorMs).toFixed(2)}x)`).join(', ')}; the first is in a cold process (code not yet compiled by the JIT)`,
    `median ${show(medianMs)}: ${(medianMs / floorMs).toFixed(2)}x the floor (target <= ${target}x, issue 19) ${medianMs / floorMs <= target ? 'MET' : 'MISSED'}`,
  ];
}
