import { DocumentCollection, type BaseDocument, type Stored } from './document-collection.js';
import { tenantPartition } from './containers.js';
import { ConcurrencyError, DuplicateError } from './errors.js';
import { encodeId } from './ids.js';
import type { DocumentSchema } from './schema.js';

/**
 * Job leases, so that of N bot instances only one runs a given job at a time. A lease is a
 * document with an owner and an expiry; every change is conditional on the etag that was read,
 * so of two instances racing for a free or expired lease exactly one wins. Expiry is checked by
 * the application (the embedded server has no TTL). Partition: tenant (use SYSTEM_TENANT for
 * jobs that are not a tenant's, such as the scheduler tick).
 *
 * Every acquisition bumps the lease's `epoch`, a fencing token: a side effect stamped with an
 * epoch can be refused once a later epoch exists. Release therefore keeps the document as a
 * `released` marker instead of deleting it, so epochs of one lease name never go backwards.
 */
export const SYSTEM_TENANT = '_system';

export interface LeaseDocument extends BaseDocument {
  name: string;
  owner: string;
  acquiredAt: string;
  expiresAt: string;
  /** Bumped on every acquisition (free, expired, released or re-acquired); never reset. */
  epoch: number;
  /** Given up by its holder; free for anyone, and not a takeover. `get` does not return it. */
  released?: true;
  /** What the holder is running (e.g. a schedule slot), so a successor can tell it is resuming it. */
  job?: LeaseJob;
  /** Set when this holder took over a lease that was never released (its holder died or stopped mid-job) instead of a free one. */
  takenOver?: { owner: string; expiredAt: string; job?: LeaseJob };
}

export interface LeaseJob {
  kind: string;
  key: string;
}

export class LeaseLostError extends ConcurrencyError {
  constructor(name: string) {
    super('lease', name, 'another instance holds it now (it expired or was taken over)');
  }
}

export interface LeaseRepository {
  /** The lease if `owner` now holds it (free, expired, or already its own), at a new epoch; undefined if someone else does. */
  acquire(tenantId: string, name: string, owner: string, ttlMs: number, job?: LeaseJob): Promise<Stored<LeaseDocument> | undefined>;
  /** Extends a held lease at the same epoch; LeaseLostError if it was changed meanwhile (etag-conditional). */
  renew(lease: Stored<LeaseDocument>, ttlMs: number): Promise<Stored<LeaseDocument>>;
  /** Gives the lease up (keeping its epoch); a lease already taken by someone else is left alone. */
  release(lease: Stored<LeaseDocument>): Promise<void>;
  /** The current lease, expired or not; undefined when there is none or it was released. */
  get(tenantId: string, name: string): Promise<Stored<LeaseDocument> | undefined>;
}

export const leaseSchema: DocumentSchema<LeaseDocument> = {
  kind: 'lease',
  current: 2,
  // v1 leases had no epoch: count them as epoch 0, so the next acquisition is epoch 1.
  upgrades: { 1: (doc) => ({ ...doc, epoch: 0 }) },
  check: (doc): doc is Record<string, unknown> & LeaseDocument => typeof doc.owner === 'string' && typeof doc.expiresAt === 'string' && typeof doc.epoch === 'number',
};

type Extra = Pick<LeaseDocument, 'job' | 'takenOver' | 'released'>;

export function createLeaseRepository(docs: DocumentCollection<LeaseDocument>, now: () => Date = () => new Date()): LeaseRepository {
  const document = (tenantId: string, name: string, owner: string, ttlMs: number, epoch: number, acquiredAt?: string, extra: Extra = {}): LeaseDocument => {
    const at = now();
    return {
      id: encodeId(name), tenantId, pk: tenantPartition(tenantId), schemaVersion: leaseSchema.current, name, owner, epoch,
      acquiredAt: acquiredAt ?? at.toISOString(), expiresAt: new Date(at.getTime() + ttlMs).toISOString(),
      ...(extra.job ? { job: extra.job } : {}), ...(extra.takenOver ? { takenOver: extra.takenOver } : {}), ...(extra.released ? { released: true as const } : {}),
    };
  };
  const read = (tenantId: string, name: string) => docs.read(tenantId, encodeId(name), tenantPartition(tenantId));
  return {
    async acquire(tenantId, name, owner, ttlMs, job) {
      const current = await read(tenantId, name);
      try {
        if (!current) return await docs.create(document(tenantId, name, owner, ttlMs, 1, undefined, { job }));
        const epoch = current.epoch + 1;
        if (current.released) return await docs.replace(document(tenantId, name, owner, ttlMs, epoch, undefined, { job }), current.etag, current.pk);
        const own = current.owner === owner;
        const free = own || Date.parse(current.expiresAt) <= now().getTime();
        if (!free) return undefined;
        // A lease left behind (never released) means its holder died or stopped mid-job: say whose job it was.
        const takenOver = { owner: current.owner, expiredAt: current.expiresAt, ...(current.job ? { job: current.job } : {}) };
        return await docs.replace(document(tenantId, name, owner, ttlMs, epoch, own ? current.acquiredAt : undefined, { job: job ?? (own ? current.job : undefined), takenOver }), current.etag, current.pk);
      } catch (err) {
        if (err instanceof DuplicateError || err instanceof ConcurrencyError) return undefined; // another instance won the race
        throw err;
      }
    },
    async renew(lease, ttlMs) {
      try {
        return await docs.replace(document(lease.tenantId, lease.name, lease.owner, ttlMs, lease.epoch, lease.acquiredAt, { job: lease.job, takenOver: lease.takenOver }), lease.etag, lease.pk);
      } catch (err) {
        if (err instanceof ConcurrencyError) throw new LeaseLostError(lease.name);
        throw err;
      }
    },
    async release(lease) {
      try {
        await docs.replace(document(lease.tenantId, lease.name, '', 0, lease.epoch, lease.acquiredAt, { released: true }), lease.etag, lease.pk);
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
      }
    },
    async get(tenantId, name) {
      const current = await read(tenantId, name);
      return current?.released ? undefined : current;
    },
  };
}
