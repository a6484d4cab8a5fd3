import { seededRandom } from '../ado/faults.js';
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

export interface Fault {
  /** A 429 ApplicationThrottled, a 503, or a dropped connection. */
  kind: 429 | 503 | 'reset';
  count?: number;
  /** Seconds for Retry-After on a 429 (default 1). */
  retryAfter?: number;
  pathIncludes?: string;
  method?: string;
}

export interface ChaosOptions {
  /** Fraction of requests answered 429. */
  throttleRate?: number;
  /** Fraction answered 503. */
  errorRate?: number;
  /** Fraction whose connection is reset. */
  resetRate?: number;
  seed?: number;
}

export type Decision = { kind: 'none' } | { kind: 'reset' } | { kind: 'error'; error: GraphError };

export class Throttling {
  private options: Required<MailboxLimitOptions>;
  private readonly requests = new Map<string, number[]>();
  private readonly inFlight = new Map<string, number>();
  private faults: Array<Fault & { count: number }> = [];
  private chaos: ChaosOptions = {};
  private random = seededRandom(1);
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
    this.faults.push({ ...fault, count: fault.count ?? 1 });
  }

  setChaos(options: ChaosOptions): void {
    this.chaos = { ...options };
    this.random = seededRandom(options.seed ?? 1);
  }

  clear(): void {
    this.faults = [];
    this.chaos = {};
    this.requests.clear();
    this.peakInFlight.clear();
  }

  /** Faults, then chaos: for every request. */
  disturb(method: string, path: string): Decision {
    const fault = this.faults.find((f) => f.count > 0 && (!f.pathIncludes || path.toLowerCase().includes(f.pathIncludes.toLowerCase())) && (!f.method || f.method.toUpperCase() === method));
    if (fault) {
      fault.count -= 1;
      if (fault.kind === 'reset') return { kind: 'reset' };
      if (fault.kind === 503) return { kind: 'error', error: graphErrors.unavailable() };
      return { kind: 'error', error: graphErrors.throttled('MailboxConcurrency', fault.retryAfter ?? 1) };
    }
    const roll = this.random();
    const { resetRate = 0, errorRate = 0, throttleRate = 0 } = this.chaos;
    if (roll < resetRate) return { kind: 'reset' };
    if (roll < resetRate + errorRate) return { kind: 'error', error: graphErrors.unavailable() };
    if (roll < resetRate + errorRate + throttleRate) return { kind: 'error', error: graphErrors.throttled('MailboxConcurrency', 1) };
    return { kind: 'none' };
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
