/** The X-RateLimit-* values and Retry-After of an ADO answer (`observe`). */
export interface RateLimitInfo {
  resource?: string;
  delay?: number;
  limit?: number;
  remaining?: number;
  /** Epoch seconds when the window resets. */
  reset?: number;
  retryAfter?: number;
}

export interface GateOptions {
  /** Each service's own cap (its limits.ts). */
  maxInFlight: number;
  /** Below this fraction of the limit remaining, requests are spaced out (default 0.2). */
  slowBelow?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Caps one connection's requests in flight (an ADO organization, a Dataverse environment, a
 * mailbox) and slows down before the service throttles: a Retry-After pauses every request of the
 * connection, and ADO's low X-RateLimit-Remaining spreads the remaining budget until X-RateLimit-Reset.
 */
export class RequestGate {
  readonly maxInFlight: number;
  private active = 0;
  private peak = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;
  private spacingMs = 0;
  private nextStart = 0;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly slowBelow: number;

  constructor(options: GateOptions) {
    this.maxInFlight = Math.max(1, options.maxInFlight);
    this.slowBelow = options.slowBelow ?? 0.2;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get inFlight(): number { return this.active; }
  get peakInFlight(): number { return this.peak; }
  get pausedForMs(): number { return Math.max(0, this.pausedUntil - this.now()); }
  get currentSpacingMs(): number { return this.spacingMs; }

  /**
   * `first`: wait ahead of the queue. For requests others depend on (the next WIQL page while that
   * page's batch reads queue up), so they do not wait behind work they would start.
   */
  async run<T>(work: () => Promise<T>, options: { first?: boolean } = {}): Promise<T> {
    // A finished request hands its slot straight to the next waiter, so a caller arriving between
    // the release and the waiter's wake-up cannot take it too and go over the cap.
    if (this.active >= this.maxInFlight) {
      await new Promise<void>((resolve) => (options.first ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
    } else {
      this.active += 1;
    }
    this.peak = Math.max(this.peak, this.active);
    try {
      await this.waitTurn();
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }

  /**
   * Runs `work` in a slot only if one is free now and nothing asks to wait (no pause, no spacing);
   * undefined otherwise. For optional requests (a guess that saves a round trip) that must neither
   * go over the cap nor wait behind the requests that need them.
   */
  tryRun<T>(work: () => Promise<T>): Promise<T> | undefined {
    if (this.active >= this.maxInFlight || this.waiting.length > 0 || this.pausedForMs > 0 || this.spacingMs > 0) return undefined;
    return this.run(work);
  }

  /** Every request of the organization waits this long (from a Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Reads the X-RateLimit-* values ADO attaches (the client library puts them on `rateLimit`). */
  observe(info: RateLimitInfo | undefined): void {
    if (!info) return;
    if (info.retryAfter !== undefined && info.retryAfter > 0) this.pause(info.retryAfter * 1000);
    if (info.limit && info.remaining !== undefined && info.remaining < info.limit * this.slowBelow) {
      const windowLeftMs = info.reset ? Math.max(1000, info.reset * 1000 - this.now()) : 60_000;
      this.spacingMs = Math.min(10_000, Math.ceil(windowLeftMs / Math.max(1, info.remaining)));
    } else if (info.remaining !== undefined) {
      this.spacingMs = 0;
    }
  }

  /** Reserves a start time synchronously, so concurrent callers are spaced, not woken together. */
  private async waitTurn(): Promise<void> {
    for (;;) {
      const now = this.now();
      let start = Math.max(now, this.pausedUntil);
      if (this.spacingMs > 0) {
        start = Math.max(start, this.nextStart);
        this.nextStart = start + this.spacingMs;
      }
      if (start <= now) return;
      const pauseSeen = this.pausedUntil;
      await this.sleep(start - now);
      // Wait again only if a new Retry-After came in while sleeping.
      if (this.pausedUntil <= pauseSeen) return;
    }
  }
}
