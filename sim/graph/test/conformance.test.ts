import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTRA_DEMO } from '../../entra/directory.js';
import { BATCH_LIMIT, GRAPH_DEMO_CREDENTIALS, OUTLOOK_LIMITS, startGraphSimulator, type GraphSimulator } from '../server.js';
import { attendee, TAG, TestClient, taskEvent } from './client.js';
import {
  accessPolicyMessage, attendeeStatus, errorShape, errorTable, exampleCreate, extendedPropertyFilter, limits, readNotes,
  responseProperties, responseTime, throttledBody,
} from './notes.js';

/**
 * The simulator against ../shared/notes/graph-outlook-events.md: every request and response shape
 * the notes give, read from the notes file, checked on the wire. (There is no Graph schema in
 * ../shared/specs to check against.)
 */
const notes = readNotes();
const PM = ENTRA_DEMO.user.username;
const GUID = '6c3f2a1e-9b4d-4e7f-8a2c-1d5e9f3b7c40';

describe('Graph simulator conforms to the Outlook events notes', () => {
  let sim: GraphSimulator;
  let graph: TestClient;
  beforeAll(async () => { sim = await startGraphSimulator({ seed: 'empty' }); graph = new TestClient(sim); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  it('answers the example create of the notes with every property the notes list, in UTC as preferred', async () => {
    const example = exampleCreate(notes);
    const body = JSON.parse(JSON.stringify(example.body).replace('<your-guid>', GUID));
    // The notes address pm@contoso.com; the demo tenant's PM is pm@contoso.onmicrosoft.com.
    const r = await graph.post(`/users/${example.user.replace('contoso.com', 'contoso.onmicrosoft.com')}/events`, body, { prefer: example.prefer });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    for (const name of responseProperties(notes)) expect(r.body, name).toHaveProperty([name]);
    expect(responseProperties(notes)).toEqual(expect.arrayContaining(['@odata.etag', 'id', 'changeKey', 'iCalUId', 'transactionId', 'webLink', 'organizer', 'attendees']));
    expect(r.body.start).toEqual(responseTime(notes));
    expect(r.body.end.dateTime).toBe('2026-12-07T10:00:00.0000000');
    expect(r.body.originalStartTimeZone).toBe('W. Europe Standard Time');
    expect(r.body.type).toBe('singleInstance');
    expect(r.body['@odata.etag']).toBe(`W/"${r.body.changeKey}"`);
    expect(r.body.createdDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
    expect(r.body.lastModifiedDateTime).toMatch(/Z$/);
    expect(r.body.attendees[0].status).toEqual(attendeeStatus(notes));
    expect(r.body.transactionId).toBe(body.transactionId);
    expect(r.body.organizer.emailAddress.address).toBe(PM);
    expect(r.body.isOrganizer).toBe(true);
    expect(r.headers.get('preference-applied')).toBe('outlook.timezone="UTC"');
    // Without a transactionId the property is left out [notes: "only if the create set it"].
    const plain = await graph.post('/me/events', taskEvent());
    expect(plain.body).not.toHaveProperty('transactionId');
    // Extended properties come back only when expanded.
    expect(r.body).not.toHaveProperty('singleValueExtendedProperties');
  });

  it('keeps times in UTC without a Prefer header, and in the preferred zone with one', async () => {
    const { body } = await graph.post('/me/events', taskEvent());
    const utc = await graph.get(`/me/events/${body.id}`);
    expect(utc.body.start).toEqual({ dateTime: '2026-12-07T08:00:00.0000000', timeZone: 'UTC' });
    const pacific = await graph.get(`/me/events/${body.id}`, { prefer: 'outlook.timezone="Pacific Standard Time"' });
    expect(pacific.body.start).toEqual({ dateTime: '2026-12-07T00:00:00.0000000', timeZone: 'Pacific Standard Time' });
    expect(pacific.headers.get('preference-applied')).toBe('outlook.timezone="Pacific Standard Time"');
  });

  it('finds an event by the extended-property filter of the notes and reads the property back by $expand', async () => {
    const created = await graph.post('/me/events', taskEvent({ singleValueExtendedProperties: [{ id: TAG, value: '7f3c' }] }));
    await graph.post('/me/events', taskEvent({ singleValueExtendedProperties: [{ id: TAG, value: 'other' }] }));
    const filter = extendedPropertyFilter(notes).replace('{g}', `{${GUID}}`);
    const r = await graph.get(`/users/${encodeURIComponent(PM)}/events?$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${TAG}')`)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.value.map((e: any) => e.id)).toEqual([created.body.id]);
    expect(r.body.value[0].singleValueExtendedProperties).toEqual([{ id: TAG, value: '7f3c' }]);
  });

  it('answers errors in the shape and with the codes of the notes table', async () => {
    const shape = errorShape(notes);
    const table = errorTable(notes);
    expect(table.map((t) => t.status)).toEqual([400, 401, 403, 404, 429]);
    const { body: event } = await graph.post('/me/events', taskEvent());
    await graph.delete(`/me/events/${event.id}`);
    const outsider = sim.directory.find(ENTRA_DEMO.viewer.username)!;
    const foreignId = (await new TestClient(sim).as(GRAPH_DEMO_CREDENTIALS.appBearerToken).post(`/users/${encodeURIComponent(PM)}/events`, taskEvent())).body.id;
    sim.injectFault({ kind: 429, pathIncludes: '/events' });
    const throttled = await graph.get('/me/events');
    const answers: Record<string, Awaited<ReturnType<TestClient['get']>>> = {
      ErrorInvalidIdMalformed: await graph.get('/me/events/not-an-id'),
      InvalidAuthenticationToken: await graph.as('expired-or-foreign').get('/me/events'),
      ErrorAccessDenied: await graph.as(GRAPH_DEMO_CREDENTIALS.appBearerToken).get(`/users/${outsider.id}/events`),
      ErrorItemNotFound: await graph.get(`/me/events/${event.id}`),
      ApplicationThrottled: throttled,
    };
    for (const row of table) {
      const r = answers[row.code]!;
      expect(r.status, row.code).toBe(row.status);
      expect(Object.keys(r.body.error).sort(), row.code).toEqual([...shape.error].sort());
      expect(Object.keys(r.body.error.innerError).sort()).toEqual([...shape.innerError].sort());
      expect(r.body.error.code).toBe(row.code);
      if (row.message) expect(r.body.error.message).toBe(row.message);
    }
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(throttledBody(notes).error).toEqual({ code: throttled.body.error.code, message: throttled.body.error.message });
    expect(answers.ErrorAccessDenied!.body.error.message).toBe(accessPolicyMessage(notes));
    // A well-formed id of another mailbox is "bad or foreign" [notes]: 400, not 404.
    expect((await graph.as(GRAPH_DEMO_CREDENTIALS.appBearerToken).get(`/users/alice.kim@contoso.onmicrosoft.com/events/${foreignId}`)).body.error.code).toBe('ErrorInvalidIdMalformed');
  });

  it('uses the limits the notes give', () => {
    const l = limits(notes);
    expect(BATCH_LIMIT).toBe(l.batch);
    expect(OUTLOOK_LIMITS.concurrentPerApp).toBe(l.concurrent);
    expect(OUTLOOK_LIMITS.requestsPerWindow).toBe(l.perTenMinutes);
  });

  it('refuses a $batch over the limit and answers one within it with 200 and per-request statuses', async () => {
    const over = await graph.post('/$batch', { requests: Array.from({ length: BATCH_LIMIT + 1 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me/events' })) });
    expect(over.status).toBe(400);
    const r = await graph.post('/$batch', {
      requests: [
        { id: '0', method: 'POST', url: '/me/events', headers: { 'Content-Type': 'application/json' }, body: taskEvent({ attendees: [attendee('bob@contoso.example')] }) },
        { id: '1', method: 'GET', url: '/me/events/not-an-id', dependsOn: ['0'] },
        { id: '2', method: 'GET', url: '/me/events', dependsOn: ['1'] },
      ],
    });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.responses.map((x: any) => [x.id, x]));
    expect(byId['0'].status).toBe(201);
    expect(byId['0'].body.subject).toBe('Apollo: Design review');
    expect(byId['1'].status).toBe(400);
    expect(byId['2'].status).toBe(424);
  });
});
