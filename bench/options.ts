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
