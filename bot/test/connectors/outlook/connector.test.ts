import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_DEMO_CREDENTIALS, startGraphSimulator, type GraphSimulator } from '../../../../sim/graph/server.js';
import { OutlookError, type EventDraft } from '../../../src/connectors/outlook/index.js';
import { appConnectorOn, connectorOn, PM } from './support.js';

/** The Outlook connector's contract, against the Graph simulator (../shared/notes/graph-outlook-events.md). */
const draft = (overrides: Partial<EventDraft> = {}): EventDraft => ({
  subject: 'Design review', body: 'Walk through the design.', start: '2026-12-07T09:00:00', end: '2026-12-07T11:00:00',
  timeZone: 'Europe/Berlin', isAllDay: false,
  attendees: [{ address: 'alice@contoso.example', name: 'Alice Kim' }, { address: 'bob@contoso.example', name: 'Bob Lee' }],
  ...overrides,
});

const failure = async (p: Promise<unknown>): Promise<OutlookError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof OutlookError) return err;
    throw err;
  }
  throw new Error('expected an OutlookError');
};

describe('Outlook connector against the Graph simulator', () => {
  let sim: GraphSimulator;
  beforeAll(async () => { sim = await startGraphSimulator({ seed: 'empty' }); });
  afterEach(() => { sim.reset('empty'); sim.clearRequests(); });
  afterAll(async () => { await sim.close(); });

  it('creates an event with the marker and transactionId, in the site zone, inviting each attendee once', async () => {
    const { connector } = connectorOn(sim);
    const event = await connector.createEvent(draft(), { linkId: 'pbe-abc-1', transactionId: 'pbe-abc-1.1' });
    expect(event).toMatchObject({ subject: 'Design review', start: '2026-12-07T09:00:00', end: '2026-12-07T11:00:00', timeZone: 'Europe/Berlin', isAllDay: false, linkId: 'pbe-abc-1', transactionId: 'pbe-abc-1.1', body: 'Walk through the design.' });
    expect(event.etag).toMatch(/^W\/"/);
    expect(event.attendees.map((a) => a.address).sort()).toEqual(['alice@contoso.example', 'bob@contoso.example']);
    expect(sim.invitations.map((i) => [i.kind, i.to]).sort()).toEqual([['request', 'alice@contoso.example'], ['request', 'bob@contoso.example']]);
  });

  it('makes an all-day event with midnight boundaries', async () => {
    const { connector } = connectorOn(sim);
    const event = await connector.createEvent(draft({ start: '2026-12-07T00:00:00', end: '2026-12-10T00:00:00', isAllDay: true, attendees: [] }), { linkId: 'pbe-abc-2', transactionId: 'pbe-abc-2.1' });
    expect(event).toMatchObject({ isAllDay: true, start: '2026-12-07T00:00:00', end: '2026-12-10T00:00:00' });
  });

  it('returns the same event for a repeated create with the same transactionId, with no second invitation', async () => {
    const { connector } = connectorOn(sim);
    const first = await connector.createEvent(draft(), { linkId: 'pbe-abc-3', transactionId: 'pbe-abc-3.1' });
    const again = await connector.createEvent(draft(), { linkId: 'pbe-abc-3', transactionId: 'pbe-abc-3.1' });
    expect(again.id).toBe(first.id);
    expect(sim.calendars.all().filter((e) => e.isOrganizer)).toHaveLength(1);
    expect(sim.invitations).toHaveLength(2);
  });

  it('finds an event by its marker, and lists one integration\'s events by marker prefix', async () => {
    sim.reset('demo'); // the PM's own meetings must not be picked up
    const { connector } = connectorOn(sim);
    const a = await connector.createEvent(draft({ attendees: [] }), { linkId: 'pbe-one-a', transactionId: 'pbe-one-a.1' });
    await connector.createEvent(draft({ attendees: [] }), { linkId: 'pbe-one-b', transactionId: 'pbe-one-b.1' });
    await connector.createEvent(draft({ attendees: [] }), { linkId: 'pbe-two-a', transactionId: 'pbe-two-a.1' });
    expect((await connector.findEventByMarker('pbe-one-a'))?.id).toBe(a.id);
    expect(await connector.findEventByMarker('pbe-one-c')).toBeNull();
    expect((await connector.listMarkedEvents('pbe-one-')).map((e) => e.linkId).sort()).toEqual(['pbe-one-a', 'pbe-one-b']);
  });

  it('follows @odata.nextLink when listing many events', async () => {
    const { connector } = connectorOn(sim);
    for (let i = 0; i < 60; i += 1) await connector.createEvent(draft({ attendees: [] }), { linkId: `pbe-many-${i}`, transactionId: `pbe-many-${i}.1` });
    expect(await connector.listMarkedEvents('pbe-many-')).toHaveLength(60);
  });

  it('updates changed properties with If-Match, and refuses a stale etag as event-changed', async () => {
    const { connector } = connectorOn(sim);
    const event = await connector.createEvent(draft(), { linkId: 'pbe-upd', transactionId: 'pbe-upd.1' });
    const moved = await connector.updateEvent(event.id, { subject: 'Design review (moved)', start: '2026-12-08T09:00:00', end: '2026-12-08T10:00:00' }, { etag: event.etag });
    expect(moved).toMatchObject({ subject: 'Design review (moved)', start: '2026-12-08T09:00:00', end: '2026-12-08T10:00:00', linkId: 'pbe-upd' });
    expect(sim.invitations.filter((i) => i.kind === 'update')).toHaveLength(2);
    const stale = await failure(connector.updateEvent(event.id, { subject: 'again' }, { etag: event.etag }));
    expect([stale.code, stale.needsAttention]).toEqual(['event-changed', false]);
  });

  it('cancels with a comment, sending cancellations; a second cancel finds it already gone', async () => {
    const { connector } = connectorOn(sim);
    const event = await connector.createEvent(draft(), { linkId: 'pbe-cxl', transactionId: 'pbe-cxl.1' });
    expect(await connector.cancelEvent(event.id, 'The task was taken off the plan.')).toBe('cancelled');
    const cancels = sim.invitations.filter((i) => i.kind === 'cancel');
    expect(cancels.map((i) => [i.to, i.comment]).sort()).toEqual([['alice@contoso.example', 'The task was taken off the plan.'], ['bob@contoso.example', 'The task was taken off the plan.']]);
    expect(await connector.cancelEvent(event.id, 'again')).toBe('already-gone');
    expect(await connector.findEventByMarker('pbe-cxl')).toBeNull();
  });

  it('treats a deleted or missing event as gone: get is null, update says event-not-found, delete is already-gone', async () => {
    const { connector } = connectorOn(sim);
    const event = await connector.createEvent(draft({ attendees: [] }), { linkId: 'pbe-del', transactionId: 'pbe-del.1' });
    expect(await connector.deleteEvent(event.id, { etag: event.etag })).toBe('deleted');
    expect(await connector.getEvent(event.id)).toBeNull();
    const gone = await failure(connector.updateEvent(event.id, { subject: 'x' }));
    expect(gone.code).toBe('event-not-found');
    expect(gone.message).toMatch(/deleted or moved/);
    expect(await connector.deleteEvent(event.id)).toBe('already-gone');
    // An id that was never this mailbox's.
    expect(await connector.getEvent('AAMkAforeign-id-that-is-not-ours-at-all=')).toBeNull();
  });

  it('honours a 429 Retry-After, pausing every request of the app, then succeeds', async () => {
    const { connector, waits } = connectorOn(sim);
    sim.injectFault({ kind: 429, retryAfter: 3, method: 'POST' });
    const event = await connector.createEvent(draft(), { linkId: 'pbe-429', transactionId: 'pbe-429.1' });
    expect(event.linkId).toBe('pbe-429');
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(2_900);
    expect(sim.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([429, 201]);
    expect(sim.invitations).toHaveLength(2);
  });

  it('gives up on a Retry-After over its cap with a throttled error', async () => {
    const { connector } = connectorOn(sim, { maxRetryWaitMs: 1_000 });
    sim.injectFault({ kind: 429, retryAfter: 30, method: 'POST' });
    const err = await failure(connector.createEvent(draft(), { linkId: 'pbe-cap', transactionId: 'pbe-cap.1' }));
    expect(err.code).toBe('throttled');
  });

  it('sends a create again after a dropped connection (its transactionId makes that safe); no answer at all is unreachable, naming the host', async () => {
    const { connector } = connectorOn(sim);
    sim.injectFault({ kind: 'reset', method: 'POST' });
    const event = await connector.createEvent(draft({ attendees: [] }), { linkId: 'pbe-rst', transactionId: 'pbe-rst.1' });
    expect(sim.calendars.all().filter((e) => e.isOrganizer)).toHaveLength(1);
    sim.injectFault({ kind: 'reset', method: 'GET', count: 10 });
    const err = await failure(connector.getEvent(event.id));
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain(`Cannot reach Microsoft Graph at ${new URL(sim.apiUrl).host}`);
  });

  it('keeps at most 4 requests in flight (Outlook\'s concurrency per app)', async () => {
    sim.setLatency(15);
    try {
      const { connector } = connectorOn(sim);
      await Promise.all(Array.from({ length: 16 }, (_, i) => connector.createEvent(draft({ attendees: [] }), { linkId: `pbe-par-${i}`, transactionId: `pbe-par-${i}.1` })));
      expect(sim.peakInFlight()).toBeLessThanOrEqual(4);
      expect(sim.requests.every((r) => r.status === 201)).toBe(true);
    } finally {
      sim.setLatency(0);
    }
  });

  it('says whose calendar it writes, and that the mailbox is in Exchange Online', async () => {
    const { connector } = connectorOn(sim);
    const access = await connector.whoAmI();
    expect(access).toMatchObject({ auth: 'delegated', mailbox: { address: PM }, exchangeOnline: true, canRead: true, problems: [] });
  });

  it('refuses a mailbox outside the application access policy, saying what to do', async () => {
    const { connector } = appConnectorOn(sim, 'viewer@contoso.onmicrosoft.com');
    const err = await failure(connector.createEvent(draft(), { linkId: 'pbe-pol', transactionId: 'pbe-pol.1' }));
    expect([err.code, err.needsAttention]).toEqual(['access-policy', true]);
    expect(err.message).toMatch(/application access policy.*viewer@contoso\.onmicrosoft\.com.*group/s);
    const access = await connector.whoAmI();
    expect(access.canRead).toBe(false);
    expect(access.problems.join(' ')).toMatch(/access policy/);
  });

  it('reports a mailbox that is not in Exchange Online (hybrid, on-premises)', async () => {
    const { connector } = appConnectorOn(sim, 'dana.ruiz@contoso.onmicrosoft.com');
    const err = await failure(connector.findEventByMarker('pbe-x'));
    expect([err.code, err.needsAttention]).toEqual(['mailbox-not-enabled', true]);
    expect(err.message).toMatch(/no Exchange Online mailbox/);
    const access = await connector.whoAmI();
    expect(access).toMatchObject({ exchangeOnline: false, mailbox: { displayName: 'Dana Ruiz' }, needsAttention: true });
  });

  it('writes other mailboxes in the policy with the app token', async () => {
    const { connector } = appConnectorOn(sim, PM);
    const event = await connector.createEvent(draft(), { linkId: 'pbe-app', transactionId: 'pbe-app.1' });
    expect(event.organizer).toBe(PM);
  });

  it('names a missing Calendars.ReadWrite', async () => {
    const { connector } = connectorOn(sim, { account: 'viewer@contoso.onmicrosoft.com', getAccessToken: async () => GRAPH_DEMO_CREDENTIALS.readOnlyBearerToken });
    const err = await failure(connector.createEvent(draft(), { linkId: 'pbe-ro', transactionId: 'pbe-ro.1' }));
    expect([err.code, err.needsAttention]).toEqual(['missing-permission', true]);
    expect(err.message).toMatch(/Calendars\.ReadWrite/);
  });

  it('refuses a token Graph does not accept as auth-failed', async () => {
    const { connector } = connectorOn(sim, { getAccessToken: async () => 'not-a-token' });
    const err = await failure(connector.getEvent('AAMkAxyz'));
    expect([err.code, err.needsAttention]).toEqual(['auth-failed', true]);
  });

  it('finds attendees: exact e-mail first, then a display name only one user has', async () => {
    const { connector } = connectorOn(sim);
    sim.addUser({ id: '9b4d0e6f-1c2a-4d3b-8e4f-5a6b7c8d9e0f', displayName: 'Chen Wu', givenName: 'Chen', surname: 'Wu', mail: 'chen.wu2@contoso.example', userPrincipalName: 'chen.wu2@contoso.onmicrosoft.com', jobTitle: null, exchangeOnline: true });
    const people = await connector.findPeople([
      { name: 'A. Kim', email: 'ALICE@contoso.example' },
      { name: 'Bob Lee', email: null },
      { name: 'chen wu', email: null },
      { name: 'Gus Olsen', email: null },
      { name: 'Nobody Here', email: 'nobody@contoso.example' },
    ]);
    expect(people.get('email:alice@contoso.example')).toMatchObject({ how: 'email', address: 'alice@contoso.example' });
    expect(people.get('name:bob lee')).toMatchObject({ how: 'name', address: 'bob@contoso.example' });
    expect(people.get('name:chen wu')).toEqual({ how: 'ambiguous', candidates: 2 });
    expect(people.get('name:gus olsen')).toMatchObject({ how: 'no-mailbox' });
    expect(people.get('email:nobody@contoso.example')).toEqual({ how: 'none' });
  });
});
