import { Disturbances, type ChaosOptions, type ScriptedFault } from '../shared/disturbances.js';
import { graphErrors, type GraphError } from './errors.js';

/**
 * Outlook's limits for calendar calls [notes "Throttling", concepts/throttling-limits.md]:
 * - 4 concurrent requests per app ID, whichever mailboxes they go to (the text restored by PR
 *   #9428; `concurrencyScope: 'app-and-mailbox'` gives the reverted "4 per mailbox" reading);
 * - 10,000 requests per 10 minutes per app and mailbox.
 * Each answered 429 ApplicationThrottled with Retry-After in seconds. Plus scripted faults and
 * seeded chaos, like the other simulators. Directory calls are not Outlook calls: only faults and
 * chaos touch them.
 */
export const OUTLOOK_LIMITS = { concurrentPerApp: 4, requestsPerWindow: 10_000, windowMs: 10 * 60_000 } as const;

export interface MailboxLimitOptions {
  /** Concurrent requests (default 4). */
  concurrent?: number;
  /** Whom the concurrency limit counts: per app (default, notes) or per app and mailbox. */
  concurrencyScope?: 'app' | 'app-and-mailbox';
  /** Requests per app and mailbox per window (default 10,000). */
  requestsPerWindow?: number;
  /** Window length (default 600,000 ms). */
  windowMs?: number;
}

export interface Fault extends ScriptedFault {
  /** A 429 ApplicationThrottled, a 503, or a dropped connection. */
  kind: 429 | 503 | 'reset';
  /** Seconds for Retry-After on a 429 (default 1). */
  retryAfter?: number;
}

export type { ChaosOptions };

export type Decision = { kind: 'none' } | { kind: 'reset' } | { kind: 'error'; error: GraphError };

export class Throttling {
  private options: Required<MailboxLimitOptions>;
  private readonly requests = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly disturbances = new Disturbances<Fault>();
  /** Most requests seen in flight at once per concurrency key, for benchmarks and tests. */
  readonly peakInFlight = new Map<string, number>();

  constructor(options: MailboxLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.options = withDefaults(options);
  }

  configure(options: MailboxLimitOptions): void {
    this.options = withDefaults(options);
    this.requests.clear();
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
    this.peakInFlight.clear();
  }

  /** Faults, then chaos: for every request. */
  disturb(method: string, path: string): Decision {
    const d = this.disturbances.next(method, path);
    if (d.kind === 'none') return d;
    const what = d.kind === 'fault' ? (d.fault.kind === 'reset' ? 'reset' : d.fault.kind === 503 ? 'error' : 'throttle') : d.what;
    if (what === 'reset') return { kind: 'reset' };
    if (what === 'error') return { kind: 'error', error: graphErrors.unavailable() };
    return { kind: 'error', error: graphErrors.throttled('MailboxConcurrency', d.kind === 'fault' ? d.fault.retryAfter ?? 1 : 1) };
  }

  private concurrencyKey(appId: string, mailboxId: string): string {
    return this.options.concurrencyScope === 'app' ? appId : `${appId}|${mailboxId}`;
  }

  /** The Outlook limits of a mailbox call; counts the request and holds a concurrency slot when admitted. */
  admitMailbox(appId: string, mailboxId: string): GraphError | null {
    const key = this.concurrencyKey(appId, mailboxId);
    if ((this.inFlight.get(key) ?? 0) >= this.options.concurrent) return graphErrors.throttled('MailboxConcurrency', 1);
    const now = this.now();
    const windowKey = `${appId}|${mailboxId}`;
    const used = (this.requests.get(windowKey) ?? []).filter((t) => t > now - this.options.windowMs);
    this.requests.set(windowKey, used);
    if (used.length >= this.options.requestsPerWindow) return graphErrors.throttled('MailboxRequests', (used[0]! + this.options.windowMs - now) / 1000);
    used.push(now);
    const n = (this.inFlight.get(key) ?? 0) + 1;
    this.inFlight.set(key, n);
    this.peakInFlight.set(key, Math.max(n, this.peakInFlight.get(key) ?? 0));
    return null;
  }

  release(appId: string, mailboxId: string): void {
    const key = this.concurrencyKey(appId, mailboxId);
    this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 1) - 1));
  }
}

function withDefaults(o: MailboxLimitOptions): Required<MailboxLimitOptions> {
  return {
    concurrent: o.concurrent ?? OUTLOOK_LIMITS.concurrentPerApp, concurrencyScope: o.concurrencyScope ?? 'app',
    requestsPerWindow: o.requestsPerWindow ?? OUTLOOK_LIMITS.requestsPerWindow, windowMs: o.windowMs ?? OUTLOOK_LIMITS.windowMs,
  };
}
