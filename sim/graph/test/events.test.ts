import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_DEMO_CREDENTIALS, startGraphSimulator, type GraphSimulator } from '../server.js';
import { attendee, TAG, TestClient, taskEvent } from './client.js';

/** Event behaviour PlanBridge relies on: idempotent creation, the marker, all-day rules, updates, cancel, invitations. */
describe('Graph simulator: calendar events', () => {
  let sim: GraphSimulator;
  let graph: TestClient;
  beforeAll(async () => { sim = await startGraphSimulator({ seed: 'empty' }); graph = new TestClient(sim); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  const requestsTo = (address: string) => sim.invitations.filter((i) => i.to === address && i.kind === 'request');

  it('creates once per transactionId: a repeat returns the same event and invites nobody again', async () => {
    const body = taskEvent({ transactionId: 'pb-link-7f3c-create', attendees: [attendee('alice@contoso.example', 'Alice Kim'), attendee('dev@fabrikam.example')] });
    const first = await graph.post('/me/events', body);
    const again = await graph.post('/me/events', { ...body, subject: 'changed on retry' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.subject).toBe('Apollo: Design review');
    expect((await graph.get('/me/events')).body.value).toHaveLength(1);
    expect(requestsTo('alice@contoso.example')).toHaveLength(1);
    expect(requestsTo('dev@fabrikam.example')).toHaveLength(1);
    // Another mailbox may use the same transactionId; a deleted event's id is free again [guess].
    await graph.delete(`/me/events/${first.body.id}`);
    const after = await graph.post('/me/events', body);
    expect(after.body.id).not.toBe(first.body.id);
    // transactionId cannot be changed later.
    expect((await graph.patch(`/me/events/${after.body.id}`, { transactionId: 'other' })).status).toBe(400);
  });

  it('tags an event with an extended property, finds it by filter (value case-insensitive, name case-sensitive) and updates the tag', async () => {
    const tagged = await graph.post('/me/events', taskEvent({ singleValueExtendedProperties: [{ id: TAG, value: 'Link-7F3C' }] }));
    await graph.post('/me/events', taskEvent({ subject: 'not ours' }));
    const find = (id: string, value: string, op = 'eq') =>
      graph.get(`/me/events?$filter=${encodeURIComponent(`singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value ${op} '${value}')`)}`);
    expect((await find(TAG, 'link-7f3c')).body.value.map((e: any) => e.id)).toEqual([tagged.body.id]);
    expect((await find(TAG.toUpperCase().replace('NAME PLANBRIDGELINKID', 'Name PlanBridgeLinkId'), 'link-7f3c')).body.value).toHaveLength(1);
    expect((await find(TAG.replace('PlanBridgeLinkId', 'planbridgelinkid'), 'link-7f3c')).body.value).toHaveLength(0);
    const contains = await graph.get(`/me/events?$filter=${encodeURIComponent(`singleValueExtendedProperties/Any(ep: ep/id eq '${TAG}' and contains(ep/value, '7f3'))`)}`);
    expect(contains.body.value).toHaveLength(1);
    const patched = await graph.patch(`/me/events/${tagged.body.id}`, { singleValueExtendedProperties: [{ id: TAG, value: 'link-9999' }] });
    expect(patched.status).toBe(200);
    expect((await find(TAG, 'link-9999')).body.value).toHaveLength(1);
    expect((await find(TAG, 'link-7f3c')).body.value).toHaveLength(0);
    // A bad id is refused; an unknown filter property too (before it could silently match nothing).
    expect((await graph.post('/me/events', taskEvent({ singleValueExtendedProperties: [{ id: 'PlanBridgeLinkId', value: 'x' }] }))).status).toBe(400);
    const bad = await graph.get(`/me/events?$filter=${encodeURIComponent("transactionId eq 'x'")}`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'ErrorInvalidUrlQueryFilter']);
  });

  it('refuses all-day events that do not start and end at midnight in one zone, and keeps them floating', async () => {
    const day = (start: string, end: string, endZone = 'W. Europe Standard Time') => graph.post('/me/events', taskEvent({
      isAllDay: true, start: { dateTime: start, timeZone: 'W. Europe Standard Time' }, end: { dateTime: end, timeZone: endZone },
    }));
    for (const [s, e, z] of [['2026-12-07T08:00:00', '2026-12-10T00:00:00'], ['2026-12-07T00:00:00', '2026-12-09T17:00:00'], ['2026-12-07T00:00:00', '2026-12-10T00:00:00', 'UTC'], ['2026-12-07T00:00:00', '2026-12-07T00:00:00']] as const) {
      const r = await day(s, e, z);
      expect(r.status, `${s} ${e} ${z ?? ''}`).toBe(400);
      expect(r.body.error.code).toBe('ErrorInvalidRequest');
    }
    // Mon..Wed: end is Thursday 00:00 [notes].
    const ok = await day('2026-12-07T00:00:00', '2026-12-10T00:00:00');
    expect(ok.status).toBe(201);
    expect(ok.body.start).toEqual({ dateTime: '2026-12-07T00:00:00.0000000', timeZone: 'UTC' });
    expect(ok.body.end.dateTime).toBe('2026-12-10T00:00:00.0000000');
    // Turning an existing timed event into an all-day one is checked the same way.
    const timed = await graph.post('/me/events', taskEvent());
    expect((await graph.patch(`/me/events/${timed.body.id}`, { isAllDay: true })).status).toBe(400);
  });

  it('refuses what Exchange refuses in a body: unknown properties, bad zones, offsets, end before start', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ colour: 'red' }, 'RequestBodyRead'],
      [{ start: { dateTime: '2026-12-07T09:00:00', timeZone: 'Mars/Olympus' } }, 'TimeZoneNotSupportedException'],
      [{ start: { dateTime: '2026-12-07T09:00:00Z', timeZone: 'UTC' } }, 'ErrorInvalidRequest'],
      [{ end: { dateTime: '2026-12-07T08:00:00', timeZone: 'W. Europe Standard Time' } }, 'ErrorInvalidRequest'],
      [{ showAs: 'sleeping' }, 'RequestBodyRead'],
      [{ attendees: [attendee('not-an-address')] }, 'ErrorInvalidRequest'],
      [{ attendees: Array.from({ length: 501 }, (_, i) => attendee(`p${i}@contoso.example`)) }, 'ErrorInvalidRequest'],
    ];
    for (const [override, code] of cases) {
      const r = await graph.post('/me/events', taskEvent(override));
      expect([r.status, r.body.error.code], JSON.stringify(override).slice(0, 80)).toEqual([400, code]);
    }
    expect(sim.invitations).toHaveLength(0);
  });

  it('sends meeting mail per attendee and keeps attendee copies in step: update, add, remove, cancel with comment', async () => {
    const created = await graph.post('/me/events', taskEvent({ attendees: [attendee('alice@contoso.example'), attendee('bob@contoso.example')] }));
    const id = created.body.id as string;
    // Categories and tags do not mail anyone; a new time does.
    const tagged = await graph.patch(`/me/events/${id}`, { categories: ['PlanBridge', 'Apollo'] });
    expect(sim.invitations.map((i) => i.kind)).toEqual(['request', 'request']);
    const moved = await graph.patch(`/me/events/${id}`, { end: { dateTime: '2026-12-07T12:00:00', timeZone: 'W. Europe Standard Time' } }, { 'if-match': tagged.body['@odata.etag'] });
    expect(moved.status).toBe(200);
    expect(moved.body.changeKey).not.toBe(created.body.changeKey);
    expect(sim.invitations.slice(2).map((i) => `${i.kind} ${i.to}`).sort()).toEqual(['update alice@contoso.example', 'update bob@contoso.example']);
    // A stale etag is refused.
    const stale = await graph.patch(`/me/events/${id}`, { subject: 'x' }, { 'if-match': tagged.body['@odata.etag'] });
    expect([stale.status, stale.body.error.code]).toEqual([412, 'ErrorIrresolvableConflict']);
    // Swap Bob for Chen: Chen is invited, Bob gets a cancellation, Alice is not mailed.
    sim.invitations.length = 0;
    await graph.patch(`/me/events/${id}`, { attendees: [attendee('alice@contoso.example'), attendee('chen@contoso.example')] });
    expect(sim.invitations.map((i) => `${i.kind} ${i.to}`).sort()).toEqual(['cancel bob@contoso.example', 'request chen@contoso.example']);
    // Alice's own calendar holds her copy, same iCalUId, not organizer.
    const alice = sim.directory.byAddress('alice@contoso.example')!;
    const copies = sim.calendars.inCalendar(alice.id);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ iCalUId: created.body.iCalUId, isOrganizer: false, isCancelled: false });
    // Cancel: 202, cancellations with the comment, the organizer's event is gone, copies are cancelled.
    sim.invitations.length = 0;
    const cancel = await graph.post(`/me/events/${id}/cancel`, { Comment: 'Task removed from the plan' });
    expect(cancel.status).toBe(202);
    expect(sim.invitations.map((i) => `${i.kind} ${i.to} ${i.comment}`).sort()).toEqual(['cancel alice@contoso.example Task removed from the plan', 'cancel chen@contoso.example Task removed from the plan']);
    expect((await graph.get(`/me/events/${id}`)).status).toBe(404);
    expect(sim.calendars.inCalendar(alice.id)[0]).toMatchObject({ isCancelled: true, subject: 'Canceled: Apollo: Design review' });
  });

  it('lets only the organizer cancel', async () => {
    await graph.post('/me/events', taskEvent({ attendees: [attendee('alice@contoso.example')] }));
    const alice = sim.directory.byAddress('alice@contoso.example')!;
    const copy = sim.calendars.inCalendar(alice.id)[0]!;
    const app = graph.as(GRAPH_DEMO_CREDENTIALS.appBearerToken);
    const r = await app.post(`/users/${alice.id}/events/${copy.id}/cancel`, { Comment: 'no' });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe("Your request can't be completed. You need to be an organizer to cancel a meeting.");
  });

  it('serves calendarView over a window, with $select, $top paging and odata.maxpagesize', async () => {
    for (let day = 1; day <= 12; day++) {
      const d = String(day).padStart(2, '0');
      await graph.post('/me/events', taskEvent({ subject: `Task ${day}`, start: { dateTime: `2026-12-${d}T09:00:00`, timeZone: 'UTC' }, end: { dateTime: `2026-12-${d}T10:00:00`, timeZone: 'UTC' } }));
    }
    expect((await graph.get('/me/calendarView')).body.error.code).toBe('ErrorInvalidParameter');
    const window = 'startDateTime=2026-12-03T00:00:00Z&endDateTime=2026-12-11T00:00:00Z';
    const first = await graph.get(`/me/calendarView?${window}&$select=subject,start`);
    expect(first.status).toBe(200);
    expect(first.body.value).toHaveLength(8);
    expect(Object.keys(first.body.value[0]).sort()).toEqual(['@odata.etag', 'id', 'start', 'subject']);
    expect(first.body.value.map((e: any) => e.subject)[0]).toBe('Task 3');
    const paged: string[] = [];
    let next: string | undefined = `${sim.apiUrl}/me/events?$top=5&$select=subject`;
    while (next) {
      const page: any = await graph.get(next);
      paged.push(...page.body.value.map((e: any) => e.subject));
      next = page.body['@odata.nextLink'];
    }
    expect(paged).toHaveLength(12);
    const preferred = await graph.get('/me/events', { prefer: 'odata.maxpagesize=4' });
    expect(preferred.body.value).toHaveLength(4);
    expect(preferred.headers.get('preference-applied')).toBe('odata.maxpagesize=4');
    expect(preferred.body['@odata.nextLink']).toContain('$skip=4');
    expect((await graph.get('/me/events')).body.value).toHaveLength(10);
    expect((await graph.get('/me/events?$select=colour')).body.error.code).toBe('RequestBroker--ParseUri');
  });

  it('returns HTML bodies as Exchange stores them, wrapped in a document', async () => {
    const { body } = await graph.post('/me/events', taskEvent());
    expect(body.body.contentType).toBe('html');
    expect(body.body.content).toMatch(/^<html>[\s\S]*<body>\r\n<p>Task 1.2<\/p>\r\n<\/body>/);
    expect(body.bodyPreview).toBe('Task 1.2');
  });

  it('serves /calendar/events as the default calendar, and filters on categories and start', async () => {
    const created = await graph.post('/me/calendar/events', taskEvent());
    expect(created.status).toBe(201);
    expect((await graph.get(`/me/calendar/events/${created.body.id}`)).body.id).toBe(created.body.id);
    await graph.post('/me/events', taskEvent({ categories: [], start: { dateTime: '2027-01-04T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2027-01-04T10:00:00', timeZone: 'UTC' } }));
    const ours = await graph.get(`/me/events?$filter=${encodeURIComponent("categories/any(c:c eq 'planbridge')")}`);
    expect(ours.body.value.map((e: any) => e.id)).toEqual([created.body.id]);
    const later = await graph.get(`/me/events?$filter=${encodeURIComponent("start/dateTime ge '2027-01-01T00:00:00'")}`);
    expect(later.body.value).toHaveLength(1);
    expect((await graph.get('/me/calendars')).status).toBe(501);
  });
});
