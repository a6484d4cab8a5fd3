/**
 * What every simulator does to requests besides serving them: scripted faults (the next `count`
 * matching requests fail as the test asked) and seeded chaos (a fraction of requests reset, fail
 * or are throttled, the same ones on every run with the same seed). Each simulator turns the
 * outcome into its own service's answer (error bodies, codes and headers differ).
 */
export interface ScriptedFault {
  /** How many matching requests fail (default 1). */
  count?: number;
  /** Only requests whose path contains this (case-insensitive). */
  pathIncludes?: string;
  method?: string;
}

export interface ChaosOptions {
  /** Fraction (0..1) of requests whose connection is reset. */
  resetRate?: number;
  /** Fraction answered as the service's transient error (503). */
  errorRate?: number;
  /** Fraction throttled (429), where the simulator throttles by chaos. */
  throttleRate?: number;
  seed?: number;
}

export type Disturbance<F> = { kind: 'none' } | { kind: 'fault'; fault: F } | { kind: 'chaos'; what: 'reset' | 'error' | 'throttle' };

/** mulberry32: a tiny seeded PRNG so chaos runs are repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Disturbances<F extends ScriptedFault> {
  private scripted: Array<F & { left: number }> = [];
  private chaos: ChaosOptions = {};
  private random: () => number = seededRandom(1);

  inject(fault: F): void {
    this.scripted.push({ ...fault, left: fault.count ?? 1 });
  }

  setChaos(options: ChaosOptions): void {
    this.chaos = { ...options };
    this.random = seededRandom(options.seed ?? 1);
  }

  clear(): void {
    this.scripted = [];
    this.chaos = {};
  }

  /** Scripted faults first (in the order injected), then one roll of chaos. */
  next(method: string, path: string): Disturbance<F> {
    const lower = path.toLowerCase();
    const fault = this.scripted.find((f) => f.left > 0 && (!f.pathIncludes || lower.includes(f.pathIncludes.toLowerCase())) && (!f.method || f.method.toUpperCase() === method));
    if (fault) {
      fault.left -= 1;
      return { kind: 'fault', fault };
    }
    const roll = this.random();
    const { resetRate = 0, errorRate = 0, throttleRate = 0 } = this.chaos;
    if (roll < resetRate) return { kind: 'chaos', what: 'reset' };
    if (roll < resetRate + errorRate) return { kind: 'chaos', what: 'error' };
    if (roll < resetRate + errorRate + throttleRate) return { kind: 'chaos', what: 'throttle' };
    return { kind: 'none' };
  }
}
