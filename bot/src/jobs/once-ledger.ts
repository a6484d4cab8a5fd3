import { randomUUID } from 'node:crypto';
import type { LeaseRepository } from '../store/leases.js';
import { patExpiryWarningDue, type ExpiryWarning } from './pat-expiry.js';

/**
 * "Has this been done already?" across instances, for notices that must go out once (PAT expiry
 * warnings). A claim is a lease with a fresh owner that is never released: the first claimant
 * creates it, every later claim finds it held, until it expires at `keepUntil`.
 */
export interface OnceLedger {
  /** True for exactly one caller per key (until `keepUntil`). */
  claim(tenantId: string, key: string, keepUntil: Date): Promise<boolean>;
}

/**
 * `fence`: when claims are made under a run's lease, pass its `ctx.fence` so a holder that was
 * taken over claims nothing and leaves the notice to its successor (a claim is the side effect:
 * whoever claims is the one who sends).
 */
export function createLeaseOnceLedger(leases: LeaseRepository, now: () => Date = () => new Date(), fence?: () => Promise<void>): OnceLedger {
  return {
    async claim(tenantId, key, keepUntil) {
      await fence?.();
      const ttlMs = Math.max(keepUntil.getTime() - now().getTime(), 60_000);
      return (await leases.acquire(tenantId, `once:${key}`, randomUUID(), ttlMs)) !== undefined;
    },
  };
}

const KEEP_AFTER_EXPIRY_MS = 30 * 86_400_000;

/**
 * The PAT expiry warning to send now for a connection, claimed so no other instance sends it too;
 * undefined when none is due or another instance already claimed it. Call it daily (or on every
 * scheduler scan) for every ADO connection with a known `expiresOn`.
 */
export async function claimPatExpiryWarning(ledger: OnceLedger, tenantId: string, connectionId: string, expiresOn: string | undefined, now: Date, timeZone = 'UTC'): Promise<ExpiryWarning | undefined> {
  const warning = patExpiryWarningDue(expiresOn, now, new Set(), timeZone);
  if (!warning) return undefined;
  const keepUntil = new Date(Date.parse(`${warning.expiresOn}T00:00:00Z`) + KEEP_AFTER_EXPIRY_MS);
  if (!(await ledger.claim(tenantId, `pat-warning:${connectionId}:${warning.key}`, keepUntil))) return undefined;
  for (const earlier of warning.supersedes) await ledger.claim(tenantId, `pat-warning:${connectionId}:${earlier}`, keepUntil);
  return warning;
}
