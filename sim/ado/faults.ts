/**
 * Realism knobs: scripted faults, random failures (seeded, so runs repeat) and a per-PAT
 * sliding-window rate limiter that sends X-RateLimit-* headers before it starts answering 429.
 */
export interface Fault {
  /**
   * 429 or 503 with Retry-After; `reset` drops the connection before the request is handled;
   * `reset-after` handles it (a create lands) and then drops the connection instead of answering.
   */
  kind: 429 | 503 | 'reset' | 'reset-after';
  /** How many matching requests fail (default 1). */
  count?: number;
  /** Seconds (or an HTTP date) for Retry-After; default 1. */
  retryAfter?: string;
  pathIncludes?: string;
  method?: string;
}

export interface ChaosOptions {
  /** Fraction (0..1) of API requests answered 503. */
  errorRate?: number;
  /** Fraction (0..1) of API requests whose connection is reset. */
  resetRate?: number;
  seed?: number;
}

export interface RateLimitOptions {
  /** Requests allowed per PAT in the window (ADO: 200 TSTUs per 5 minutes; one request = one unit here). */
  limit: number;
  /** Window length (default 5 minutes). */
  windowMs?: number;
  /** From this fraction of the limit on, answers carry X-RateLimit-* headers (default 0.8). */
  warnAt?: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'reset' | 'reset-after' } | { kind: 429 | 503; retryAfter: string; headers?: Record<string, string> };

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

export class FaultPlan {
  private scripted: Array<Required<Pick<Fault, 'kind' | 'count'>> & Fault> = [];
  private chaos: ChaosOptions = {};
  private random: () => number = seededRandom(1);

  inject(fault: Fault): void {
    this.scripted.push({ ...fault, count: fault.count ?? 1 });
  }

  setChaos(options: ChaosOptions): void {
    this.chaos = { ...options };
    this.random = seededRandom(options.seed ?? 1);
  }

  clear(): void {
    this.scripted = [];
    this.chaos = {};
  }

  next(method: string, path: string): FaultDecision {
    const f = this.scripted.find((x) => x.count > 0 && (!x.pathIncludes || path.toLowerCase().includes(x.pathIncludes.toLowerCase())) && (!x.method || x.method.toUpperCase() === method));
    if (f) {
      f.count -= 1;
      return f.kind === 'reset' || f.kind === 'reset-after' ? { kind: f.kind } : { kind: f.kind, retryAfter: f.retryAfter ?? '1' };
    }
    const roll = this.random();
    if (roll < (this.chaos.resetRate ?? 0)) return { kind: 'reset' };
    if (roll < (this.chaos.resetRate ?? 0) + (this.chaos.errorRate ?? 0)) return { kind: 503, retryAfter: '1' };
    return { kind: 'none' };
  }
}

export class RateLimiter {
  private readonly usage = new Map<string, number[]>();
  constructor(private options: RateLimitOptions | null) {}

  configure(options: RateLimitOptions | null): void {
    this.options = options;
    this.usage.clear();
  }

  /** Counts one request for `who`; says whether to refuse it and which headers to send. */
  take(who: string, now = Date.now()): { refuse: boolean; headers: Record<string, string> } {
    if (!this.options) return { refuse: false, headers: {} };
    const { limit, windowMs = 300_000, warnAt = 0.8 } = this.options;
    const used = (this.usage.get(who) ?? []).filter((t) => t > now - windowMs);
    this.usage.set(who, used);
    const resetAt = Math.ceil(((used[0] ?? now) + windowMs) / 1000);
    const base = { 'x-ratelimit-resource': 'Core', 'x-ratelimit-limit': String(limit), 'x-ratelimit-reset': String(resetAt) };
    if (used.length >= limit) {
      const retryAfter = Math.max(1, Math.ceil(((used[0] ?? now) + windowMs - now) / 1000));
      return { refuse: true, headers: { ...base, 'x-ratelimit-remaining': '0', 'x-ratelimit-delay': '0', 'retry-after': String(retryAfter) } };
    }
    used.push(now);
    if (used.length < limit * warnAt) return { refuse: false, headers: {} };
    return { refuse: false, headers: { ...base, 'x-ratelimit-remaining': String(limit - used.length), 'x-ratelimit-delay': '0.5' } };
  }
}

export const THROTTLED_MESSAGE = "TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource 'Core' in namespace 'User'. For more information on why your request was blocked, see the topic \"Rate limits\" on the Microsoft Web site (https://go.microsoft.com/fwlink/?LinkId=823950).";
