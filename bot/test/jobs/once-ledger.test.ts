import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimPatExpiryWarning, createLeaseOnceLedger, type OnceLedger } from '../../src/jobs/index.js';
import { openTestStore, tenant, type TestStore } from '../store/support.js';

describe('PAT expiry warnings claimed once across instances (embedded Cosmos)', () => {
  let t: TestStore;
  let clock = Date.parse('2026-01-01T09:00:00.000Z');
  const now = (): Date => new Date(clock);
  let ledger: OnceLedger;
  beforeAll(async () => {
    t = await openTestStore({ now });
    ledger = createLeaseOnceLedger(t.store.leases, now);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('three instances checking at once: one of them sends', async () => {
    const tenantId = tenant();
    clock = Date.parse('2026-01-17T09:00:00.000Z');
    const results = await Promise.all([1, 2, 3].map(() => claimPatExpiryWarning(ledger, tenantId, 'ado-conn', '2026-01-31', now())));
    expect(results.filter((r) => r !== undefined)).toEqual([{ key: '2026-01-31:14', supersedes: [], daysLeft: 14, expiresOn: '2026-01-31' }]);
  });

  it('checked every few hours for 40 days: the 14-day and the 3-day warning, once each', async () => {
    const tenantId = tenant();
    const sent: number[] = [];
    for (clock = Date.parse('2026-01-01T00:00:00.000Z'); clock < Date.parse('2026-02-10T00:00:00.000Z'); clock += 6 * 3_600_000) {
      const w = await claimPatExpiryWarning(ledger, tenantId, 'ado-conn', '2026-01-31', now());
      if (w) sent.push(w.daysLeft);
    }
    expect(sent).toEqual([14, 3]);
  });

  it('a renewed token is warned about again; another connection is separate', async () => {
    const tenantId = tenant();
    clock = Date.parse('2026-01-29T09:00:00.000Z');
    expect((await claimPatExpiryWarning(ledger, tenantId, 'ado-conn', '2026-01-31', now()))?.key).toBe('2026-01-31:3');
    expect(await claimPatExpiryWarning(ledger, tenantId, 'ado-conn', '2026-01-31', now())).toBeUndefined();
    expect((await claimPatExpiryWarning(ledger, tenantId, 'other-conn', '2026-01-31', now()))?.key).toBe('2026-01-31:3');
    expect((await claimPatExpiryWarning(ledger, tenantId, 'ado-conn', '2026-02-05', now()))?.key).toBe('2026-02-05:14');
  });
});
