import { readFileSync, writeFileSync } from 'node:fs';
import { buildPlan, type PlanInput } from '../../bot/src/sync/build-plan.js';

/** Diff + plan figures: five timed builds after a warm-up, and the memory they took. */
export interface PlanFigures {
  /** Sorted, fastest first. */
  timesMs: number[];
  /** RSS with the input loaded, before the first build. */
  rssBefore: number;
  /** Peak RSS while building; `peakOf` says whose peak it is. */
  peak: number;
  peakOf: 'diff+plan' | 'process';
  hash: string;
  counts: { updateAdo: number; updatePlan: number; conflicts: number; hierarchy: number };
}

export function measurePlan(input: PlanInput): PlanFigures {
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage.rss();
  const reset = resetPeakRss();
  let plan = buildPlan(input); // warm-up
  const timesMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    plan = buildPlan(input);
    timesMs.push(performance.now() - t0);
  }
  timesMs.sort((a, b) => a - b);
  const { updateAdo, updatePlan, conflicts, hierarchy } = plan.counts;
  return {
    timesMs, rssBefore, peak: reset ? peakRssSinceReset() : process.resourceUsage().maxRSS * 1024, peakOf: reset ? 'diff+plan' : 'process',
    hash: plan.hash, counts: { updateAdo, updatePlan, conflicts, hierarchy },
  };
}

/** Linux: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssSinceReset(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb) * 1024;
}
