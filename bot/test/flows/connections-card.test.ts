import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsCard } from '../../src/flows/connections.js';
import type { FlowServices } from '../../src/flows/services.js';
import { openTestStore, tenant, type TestStore } from '../store/support.js';

/** The connections card is kept while the store hands out the same documents on the same day. */
describe('connections card from an unchanged list', () => {
  let t: TestStore;
  let now = new Date('2026-12-05T10:00:00Z');
  let s: FlowServices;
  beforeAll(async () => {
    t = await openTestStore();
    s = { store: t.store, now: () => now } as unknown as FlowServices;
  });
  afterAll(() => t?.dispose());

  const owner = { id: '29:ada', aadObjectId: 'ada', name: 'Ada' };
  const text = (card: unknown) => JSON.stringify(card);

  it('is the same card while nothing changed, and a new one after a write, a new day or another headline', async () => {
    const tenantId = tenant();
    const c = await t.store.connections.create(tenantId, { kind: 'ado', name: 'Contoso', url: 'https://dev.azure.com/contoso', auth: { type: 'pat' }, expiresOn: '2026-12-06', owner });
    const first = await connectionsCard(s, tenantId);
    expect(await connectionsCard(s, tenantId)).toBe(first);
    expect(text(first)).toContain('1 connection.');

    await t.store.connections.update(tenantId, c.id, () => ({ name: 'Renamed' }));
    const renamed = await connectionsCard(s, tenantId);
    expect(text(renamed)).toContain('Renamed');
    expect(text(renamed)).not.toContain('Contoso"');

    now = new Date('2026-12-07T10:00:00Z'); // the PAT expired yesterday
    const later = await connectionsCard(s, tenantId);
    expect(text(later)).toContain('1 needs attention');
    expect(text(later)).toContain('expired on 2026-12-06');

    expect(text(await connectionsCard(s, tenantId, 'Removed "Old".'))).toContain('Removed \\"Old\\".');
    expect(text(await connectionsCard(s, tenantId))).toBe(text(later));
  });

  it('keeps tenants apart', async () => {
    const [a, b] = [tenant(), tenant()];
    await t.store.connections.create(a, { kind: 'ado', name: 'Tenant A org', url: 'https://dev.azure.com/a', auth: { type: 'pat' }, owner });
    expect(text(await connectionsCard(s, a))).toContain('Tenant A org');
    expect(text(await connectionsCard(s, b))).not.toContain('Tenant A org');
  });
});
