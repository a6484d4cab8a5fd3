import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log.js';
import type { Stored } from '../store/document-collection.js';
import { LeaseLostError, type LeaseDocument, type LeaseJob, type LeaseRepository } from '../store/leases.js';

/**
 * One runner for every sync of an integration, whatever started it (chat, card, schedule).
 * A run holds the integration's lease in Cosmos for as long as its work runs, so two runs of one
 * integration never overlap, on one instance or many:
 * - claim: an etag-conditional create/replace of `integration:<id>` (store/leases.ts); a lease
 *   held by someone else and not expired means "busy";
 * - heartbeat: renewed every `heartbeatMs` while the work runs; if it cannot be renewed before it
 *   expires (taken over, or the database unreachable) the work is aborted through its AbortSignal
 *   before anyone else can claim it;
 * - release: marked released when the work ends, so the next run can start at once. A lease left
 *   behind means its holder died mid-run; the next holder is told it is resuming that job
 *   (`resumed`), and the sync engine's journal makes the rerun finish the work without duplicates.
 * - fence: a holder that is slow rather than dead (CPU-starved, paused, stuck in GC) may wake up
 *   after its lease was taken over, with its heartbeat none the wiser. So every side effect first
 *   calls `ctx.fence()`: a fresh read proving this holder still owns the lease at its epoch, with at
 *   least `fenceMarginMs` left by its own clock. Writes that can be conditional also carry
 *   `ctx.epoch` so the store refuses them once a later epoch has begun (jobs/schedule-book.ts).
 */
export interface IntegrationKey {
  readonly tenantId: string;
  readonly integrationId: string;
}

export interface JobTrigger {
  readonly kind: 'chat' | 'card' | 'schedule';
  /** What makes the run unique, e.g. `approval:<id>` or `schedule:2025-11-24T08:00:00.000Z`; also the run id's source. */
  readonly key: string;
  readonly by?: string;
}

export interface JobContext {
  /** Aborted when the lease is lost or the runner stops: stop writing and throw. */
  readonly signal: AbortSignal;
  /** The previous holder died (or stalled) while running this same trigger: finish its work. */
  readonly resumed: boolean;
  /** Who held the lease before it expired, when this run took it over. */
  readonly takenOverFrom?: string;
  /** This instance's lease owner id. */
  readonly owner: string;
  /** The lease's epoch (fencing token): writes stamped with it are refused once a later holder began. */
  readonly epoch: number;
  /** Renews the lease now (a timer renews it too); throws LeaseLostError once it is gone. */
  heartbeat(): Promise<void>;
  /**
   * Call right before every side effect. Proves, with a fresh read, that this holder still owns the
   * lease at its epoch, and that at least `fenceMarginMs` of it is left (renewing it, etag-
   * conditionally, when less is). Otherwise aborts the context and throws LeaseLostError. The
   * side effect must then finish within the margin; a pause longer than that can still overlap.
   */
  fence(): Promise<void>;
}

export type JobResult<T> =
  | { readonly status: 'completed'; readonly value: T; readonly resumed: boolean }
  | { readonly status: 'failed'; readonly error: unknown; readonly resumed: boolean }
  /** Another run of the integration holds the lease (`job` says which, when known). */
  | { readonly status: 'busy'; readonly heldBy: string; readonly until: string; readonly job?: LeaseJob }
  /** The lease was lost mid-run (or the runner stopped) and the work was aborted; another instance will finish it. */
  | { readonly status: 'abandoned'; readonly reason: string };

export interface JobRunnerOptions {
  readonly leases: LeaseRepository;
  /** Unique per process; default host:pid:random. */
  readonly owner?: string;
  readonly leaseTtlMs?: number;
  /** Default a quarter of the TTL, so three renewals can fail before the lease runs out. */
  readonly heartbeatMs?: number;
  /** What `fence()` guarantees is left of the lease; default half the TTL. */
  readonly fenceMarginMs?: number;
  /** The clock for lease expiry too when given (tests); else expiry uses `pessimisticClock`. */
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export const DEFAULT_LEASE_TTL_MS = 60_000;

export const leaseNameFor = (integrationId: string): string => `integration:${integrationId}`;

export class JobRunner {
  readonly owner: string;
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private readonly marginMs: number;
  private readonly now: () => Date;
  private readonly clock: () => number;
  private readonly running = new Set<AbortController>();
  private readonly inFlight = new Map<string, { expiresAt: string; job: LeaseJob }>();
  private stopped = false;

  constructor(private readonly options: JobRunnerOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.ttlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.heartbeatMs = options.heartbeatMs ?? Math.floor(this.ttlMs / 4);
    if (this.heartbeatMs <= 0 || this.heartbeatMs >= this.ttlMs) throw new RangeError(`heartbeatMs (${this.heartbeatMs}) must be between 0 and the lease TTL (${this.ttlMs})`);
    this.marginMs = options.fenceMarginMs ?? Math.floor(this.ttlMs / 2);
    if (this.marginMs <= 0 || this.marginMs >= this.ttlMs) throw new RangeError(`fenceMarginMs (${this.marginMs}) must be between 0 and the lease TTL (${this.ttlMs})`);
    this.now = options.now ?? (() => new Date());
    const injected = options.now;
    this.clock = injected ? () => injected().getTime() : pessimisticClock();
  }

  /** Number of jobs this instance is running now. */
  get active(): number {
    return this.running.size;
  }

  async run<T>(key: IntegrationKey, trigger: JobTrigger, work: (ctx: JobContext) => Promise<T>): Promise<JobResult<T>> {
    if (this.stopped) return { status: 'abandoned', reason: 'the runner is stopping' };
    const { leases } = this.options;
    const name = leaseNameFor(key.integrationId);
    const local = `${key.tenantId}\u0000${key.integrationId}`;
    // The store lets an owner re-acquire its own lease, so runs on this instance are fenced here.
    const mine = this.inFlight.get(local);
    if (mine) return { status: 'busy', heldBy: this.owner, until: mine.expiresAt, job: mine.job };
    const job: LeaseJob = { kind: trigger.kind, key: trigger.key };
    const placeholder = { expiresAt: new Date(this.now().getTime() + this.ttlMs).toISOString(), job };
    this.inFlight.set(local, placeholder);
    try {
      return await this.claimAndRun(key, trigger, name, job, work);
    } finally {
      this.inFlight.delete(local);
    }
  }

  private async claimAndRun<T>(key: IntegrationKey, trigger: JobTrigger, name: string, job: LeaseJob, work: (ctx: JobContext) => Promise<T>): Promise<JobResult<T>> {
    const { leases } = this.options;
    // Read before the request is sent: the store's expiry is at least this + TTL.
    const sentAt = this.clock();
    const claimed = await leases.acquire(key.tenantId, name, this.owner, this.ttlMs, job);
    if (!claimed) {
      const holder = await leases.get(key.tenantId, name);
      // Released between our attempt and this read: report busy anyway; the caller may retry.
      return { status: 'busy', heldBy: holder?.owner ?? 'unknown', until: holder?.expiresAt ?? this.now().toISOString(), ...(holder?.job ? { job: holder.job } : {}) };
    }
    const takenOver = claimed.takenOver;
    const resumed = takenOver?.job?.key === trigger.key;
    const lease = new HeldLease(leases, claimed, sentAt, { ttlMs: this.ttlMs, heartbeatMs: this.heartbeatMs, marginMs: this.marginMs, clock: this.clock, logger: this.options.logger });
    this.running.add(lease.controller);
    const context: JobContext = {
      signal: lease.controller.signal,
      resumed,
      ...(takenOver ? { takenOverFrom: takenOver.owner } : {}),
      owner: this.owner,
      epoch: claimed.epoch,
      heartbeat: () => lease.renew(),
      fence: () => lease.fence(),
    };
    this.options.logger?.info({ tenantId: key.tenantId, integrationId: key.integrationId, trigger: trigger.key, resumed, takenOverFrom: takenOver?.owner }, 'job started');
    let result: JobResult<T>;
    try {
      result = { status: 'completed', value: await work(context), resumed };
    } catch (error) {
      result = lease.controller.signal.aborted ? { status: 'abandoned', reason: reasonText(lease.controller.signal.reason) } : { status: 'failed', error, resumed };
    } finally {
      lease.stopHeartbeat();
      this.running.delete(lease.controller);
    }
    if (lease.controller.signal.aborted && result.status === 'completed') {
      // The work finished although it was told to stop; it still counts, but say so.
      this.options.logger?.warn({ integrationId: key.integrationId, trigger: trigger.key }, 'job completed after its lease was lost');
    }
    // An aborted run keeps its lease (when it still has it) so the successor knows to resume.
    if (!lease.controller.signal.aborted) await lease.release();
    this.options.logger?.info({ tenantId: key.tenantId, integrationId: key.integrationId, trigger: trigger.key, status: result.status }, 'job ended');
    return result;
  }

  /** Aborts every running job (shutdown). Their leases stay until they expire, marking the runs for resume. */
  abortAll(reason = 'the bot instance is shutting down'): void {
    this.stopped = true;
    for (const c of this.running) c.abort(new Error(reason));
  }
}

/**
 * Milliseconds that never run slow: the larger of wall-clock and monotonic time elapsed, never
 * going back. A monotonic clock may stand still while a VM is suspended, and the wall clock may be
 * stepped back by NTP; either way the holder would trust its lease too long. This gives up early instead.
 */
function pessimisticClock(): () => number {
  const wall0 = Date.now();
  const mono0 = performance.now();
  let last = 0;
  return () => (last = Math.max(last, Date.now() - wall0, performance.now() - mono0));
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

interface HeldLeaseOptions {
  readonly ttlMs: number;
  readonly heartbeatMs: number;
  readonly marginMs: number;
  /** Milliseconds, for the holder's own view of when its lease runs out. */
  readonly clock: () => number;
  readonly logger: Logger | undefined;
}

/** A claimed lease with its heartbeat timer and fence. */
class HeldLease {
  readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /**
   * By this instant (own clock) the lease may belong to someone else: the last successful
   * write's send time + TTL. Past it the holder gives up without asking the store, because a
   * process that was paused cannot tell how long it slept from a lease it read before.
   */
  private trustedUntil: number;

  constructor(
    private readonly leases: LeaseRepository,
    private lease: Stored<LeaseDocument>,
    sentAt: number,
    private readonly o: HeldLeaseOptions,
  ) {
    this.trustedUntil = sentAt + o.ttlMs;
    this.timer = setInterval(() => {
      this.renew().catch(() => undefined); // failures are handled (and aborted on) inside renew
    }, o.heartbeatMs);
  }

  /** Serialized with fence(), so a manual heartbeat, the timer and a fence never race each other's etag. */
  renew(): Promise<void> {
    return this.serial(() => this.renewOnce());
  }

  fence(): Promise<void> {
    return this.serial(() => this.fenceOnce());
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private left(): number {
    return this.trustedUntil - this.o.clock();
  }

  private lose(): never {
    const lost = new LeaseLostError(this.lease.name);
    this.controller.abort(lost);
    throw lost;
  }

  /** Throws once the lease was lost, the runner stopped, or the own clock says it may have lapsed. */
  private checkStillTrusted(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
    if (this.left() <= 0) this.lose();
  }

  private async fenceOnce(): Promise<void> {
    this.checkStillTrusted();
    const current = await this.leases.get(this.lease.tenantId, this.lease.name);
    if (!current || current.owner !== this.lease.owner || current.epoch !== this.lease.epoch) this.lose();
    // Same owner and epoch: still ours. Take its etag, in case a renewal landed but its answer got lost.
    this.lease = current;
    if (this.left() < this.o.marginMs) await this.renewOnce();
    if (this.left() < this.o.marginMs) this.lose(); // could not renew: cannot promise the margin
  }

  private async renewOnce(): Promise<void> {
    this.checkStillTrusted();
    const sentAt = this.o.clock();
    try {
      this.lease = await this.leases.renew(this.lease, this.o.ttlMs);
      this.trustedUntil = sentAt + this.o.ttlMs;
    } catch (err) {
      if (err instanceof LeaseLostError) this.lose();
      // The database did not answer: keep the lease while it is still ours for sure, give up before it lapses.
      const left = this.left();
      this.o.logger?.warn({ lease: this.lease.name, msLeft: left, err: err instanceof Error ? err.message : String(err) }, 'lease renewal failed');
      if (left <= this.o.ttlMs / 2) this.lose();
    }
  }

  stopHeartbeat(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async release(): Promise<void> {
    await this.chain;
    try {
      await this.leases.release(this.lease);
    } catch (err) {
      // It expires on its own; the next holder then re-checks whether the job still needs doing.
      this.o.logger?.warn({ lease: this.lease.name, err: err instanceof Error ? err.message : String(err) }, 'lease release failed');
    }
  }
}
