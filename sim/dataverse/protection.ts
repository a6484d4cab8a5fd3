import { Disturbances, type ChaosOptions, type ScriptedFault } from '../shared/disturbances.js';
import { DataverseError } from './errors.js';

/**
 * Dataverse service protection limits, per user over a sliding window [notes "Auth, discovery,
 * limits", MS api-limits.md]: 6,000 requests, 1,200 s of combined execution time, 52 concurrent
 * requests; each answered 429 with Retry-After in seconds and its own error code. Plus scripted
 * faults and seeded chaos, like the other simulators.
 */
export type LimitKind = 'requests' | 'execution-time' | 'concurrency';

export const SERVICE_PROTECTION = {
  requests: { code: '0x80072322', number: -2147015902 },
  'execution-time': { code: '0x80072321', number: -2147015903 },
  concurrency: { code: '0x80072326', number: -2147015898 },
} as const;

export interface ServiceProtectionOptions {
  /** Requests per user per window (default 6,000). */
  requests?: number;
  /** Combined execution milliseconds per user per window (default 1,200,000). */
  executionMs?: number;
  /** Concurrent requests per user (default 52). */
  concurrent?: number;
  /** Window length (default 300,000 ms). */
  windowMs?: number;
}

export interface Fault extends ScriptedFault {
  /**
   * A service protection 429 of that kind, a 503, a dropped connection, or 'proxy-page': a 200
   * sign-in page in HTML from something in front of the service (the request never reaches it).
   */
  kind: LimitKind | 503 | 'reset' | 'proxy-page';
  /** Seconds for Retry-After (default 1 for faults). */
  retryAfter?: number;
}

/** Chaos throttles as the requests limit does. */
export type { ChaosOptions };

export function throttled(kind: LimitKind, retryAfterSeconds: number, o: Required<ServiceProtectionOptions>): DataverseError {
  const windowS = Math.round(o.windowMs / 1000);
  const message = kind === 'requests'
    ? `Number of requests exceeded the limit of ${o.requests} over time window of ${windowS} seconds.`
    : kind === 'execution-time'
      ? `Combined execution time of incoming requests exceeded limit of ${o.executionMs} milliseconds over time window of ${windowS} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`
      : `Number of concurrent requests exceeded the limit of ${o.concurrent}.`;
  return new DataverseError(429, SERVICE_PROTECTION[kind].code, message, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
}

export const serviceUnavailable = (): DataverseError =>
  new DataverseError(503, '0x80040216', 'The service is temporarily unavailable. Try again later.', { 'retry-after': '1' });

export type Decision = { kind: 'none' } | { kind: 'reset' } | { kind: 'proxy-page' } | { kind: 'error'; error: DataverseError };

export class ServiceProtection {
  private options: Required<ServiceProtectionOptions>;
  private readonly requests = new Map<string, number[]>();
  private readonly execution = new Map<string, Array<{ at: number; ms: number }>>();
  private readonly inFlight = new Map<string, number>();
  private readonly disturbances = new Disturbances<Fault>();

  constructor(options: ServiceProtectionOptions = {}, private readonly now: () => number = Date.now) {
    this.options = withDefaults(options);
  }

  configure(options: ServiceProtectionOptions): void {
    this.options = withDefaults(options);
    this.requests.clear();
    this.execution.clear();
  }

  inject(fault: Fault): void {
    this.disturbances.inject(fault);
  }

  setChaos(options: ChaosOptions): void {
    this.disturbances.setChaos(options);
  }

  clear(): void {
    this.disturbances.clear();
    this.requests.clear();
    this.execution.clear();
  }

  /** Scripted faults first, then chaos, then the user's limits. Counts the request when it passes. */
  admit(user: string, method: string, path: string): Decision {
    const d = this.disturbances.next(method, path);
    if (d.kind === 'fault') {
      if (d.fault.kind === 'reset' || d.fault.kind === 'proxy-page') return { kind: d.fault.kind };
      if (d.fault.kind === 503) return { kind: 'error', error: serviceUnavailable() };
      return { kind: 'error', error: throttled(d.fault.kind, d.fault.retryAfter ?? 1, this.options) };
    }
    if (d.kind === 'chaos') {
      if (d.what === 'reset') return { kind: 'reset' };
      return { kind: 'error', error: d.what === 'error' ? serviceUnavailable() : throttled('requests', 1, this.options) };
    }

    const now = this.now();
    const since = now - this.options.windowMs;
    const used = (this.requests.get(user) ?? []).filter((t) => t > since);
    this.requests.set(user, used);
    if (used.length >= this.options.requests) return { kind: 'error', error: throttled('requests', (used[0]! + this.options.windowMs - now) / 1000, this.options) };
    const spent = (this.execution.get(user) ?? []).filter((e) => e.at > since);
    this.execution.set(user, spent);
    if (spent.reduce((s, e) => s + e.ms, 0) >= this.options.executionMs) {
      return { kind: 'error', error: throttled('execution-time', (spent[0]!.at + this.options.windowMs - now) / 1000, this.options) };
    }
    // Concurrency is answered at once [notes table]: Retry-After is short.
    if ((this.inFlight.get(user) ?? 0) >= this.options.concurrent) return { kind: 'error', error: throttled('concurrency', 1, this.options) };
    used.push(now);
    return { kind: 'none' };
  }

  begin(user: string): void {
    this.inFlight.set(user, (this.inFlight.get(user) ?? 0) + 1);
  }

  end(user: string, ms: number): void {
    this.inFlight.set(user, Math.max(0, (this.inFlight.get(user) ?? 1) - 1));
    this.execution.set(user, [...(this.execution.get(user) ?? []), { at: this.now(), ms }]);
  }

  /** The headers Dataverse sends on every answer: what is left of the user's request budget. */
  remaining(user: string): Record<string, string> {
    const used = (this.requests.get(user) ?? []).length;
    const spent = (this.execution.get(user) ?? []).reduce((s, e) => s + e.ms, 0);
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(Math.max(0, this.options.requests - used)),
      'x-ms-ratelimit-time-remaining-xrm-requests': (Math.max(0, this.options.executionMs - spent) / 1000).toFixed(2),
    };
  }
}

function withDefaults(o: ServiceProtectionOptions): Required<ServiceProtectionOptions> {
  return { requests: o.requests ?? 6000, executionMs: o.executionMs ?? 1_200_000, concurrent: o.concurrent ?? 52, windowMs: o.windowMs ?? 300_000 };
}
