import { Disturbances, type ScriptedFault } from '../shared/disturbances.js';

/**
 * Realism knobs: scripted faults, random failures (seeded, so runs repeat) and a per-PAT
 * sliding-window rate limiter that sends X-RateLimit-* headers before it starts answering 429.
 */
export interface Fault extends ScriptedFault {
  /**
   * 429 or 503 with Retry-After; `reset` drops the connection before the request is handled;
   * `reset-after` handles it (a create lands) and then drops the connection instead of answering.
   */
  kind: 429 | 503 | 'reset' | 'reset-after';
  /** Seconds (or an HTTP date) for Retry-After; default 1. */
  retryAfter?: string;
}

/** ADO's chaos resets connections and answers 503; it does not throttle by chance (see RateLimiter). */
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

export class FaultPlan {
  private readonly disturbances = new Disturbances<Fault>();

  inject(fault: Fault): void {
    this.disturbances.inject(fault);
  }

  setChaos(options: ChaosOptions): void {
    this.disturbances.setChaos({ errorRate: options.errorRate, resetRate: options.resetRate, seed: options.seed });
  }

  clear(): void {
    this.disturbances.clear();
  }

  next(method: string, path: string): FaultDecision {
    const d = this.disturbances.next(method, path);
    if (d.kind === 'fault') {
      const f = d.fault;
      return f.kind === 'reset' || f.kind === 'reset-after' ? { kind: f.kind } : { kind: f.kind, retryAfter: f.retryAfter ?? '1' };
    }
    if (d.kind === 'chaos') return d.what === 'reset' ? { kind: 'reset' } : { kind: 503, retryAfter: '1' };
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
