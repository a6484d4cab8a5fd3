import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { GRAPH_DEMO_CREDENTIALS, startGraphSimulator, type GraphSimulator } from '../../../sim/graph/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { DEMO_EVENT_TASKS } from '../../../sim/pwa/seed-events.js';
import { Journey, TENANT, actionsOf, cardText, inputsOf, type Card } from '../support/journey.js';
import { linkWithDefaults, presets } from './support.js';

/**
 * The seed article's Outlook scenario in chat (issue 18): connect PWA and create the fields (the
 * demo's Apollo gets "Create event" = Yes on three tasks with assignments), connect Outlook with a
 * delegated token, link Apollo to Outlook, sync, approve, and read the report; then the Graph
 * simulator holds the events with the right subjects, times and attendees, one invitation per
 * attendee per event. A second sync proposes nothing; a cleared flag proposes a cancel that is
 * applied only when chosen; "usage" counts work items and events.
 */
describe('Outlook events journey', () => {
  const j = new Journey();
  let graph: GraphSimulator;
  const pm = () => graph.directory.find('pm@contoso.onmicrosoft.com')!;
  const ours = () => graph.calendars.inCalendar(pm().id).filter((e) => e.categories.includes('PlanBridge') && !e.isCancelled);
  const apollo = () => j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
  const fieldId = (name: string) => j.pwa.state.customFields.find((f) => f.Name === name)!.Id;

  async function sync(command = 'sync project Apollo to Outlook'): Promise<{ card: Card; id: string }> {
    const preview = await j.say(command);
    const card = await j.waitForUpdate(preview.id, (t) => /is in step|^Preview:|Could not/.test(t)).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${j.bot.logText().split('\n').filter((l) => /warn|error|fail/i.test(l)).slice(-5).join('\n')}`);
    });
    return { card, id: preview.id };
  }

  async function approve(preview: { card: Card; id: string }, inputs: Record<string, unknown> = {}): Promise<Card> {
    const reply = await j.click(preview.card, 'Approve', inputs);
    expect(reply.card ? cardText(reply.card) : reply.message).toMatch(/Applying/);
    await j.settle();
    return j.waitForUpdate(preview.id, (t) => /^Synced|failed|stopped|out of date/.test(t));
  }

  beforeAll(async () => {
    graph = await startGraphSimulator({ port: 0 });
    await j.start();
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
  });
  afterAll(async () => {
    await j.stop();
    await graph.close();
  });

  it('connect pwa + Create fields adds "Create event", and the demo plan flags three tasks with assignments', async () => {
    const pwa = await j.say('connect pwa');
    const connected = await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA', timeZone: 'Europe/Berlin' });
    expect(cardText(connected.card)).toMatch(/"Create event" for Outlook events/);
    const created = await j.click(connected.card, 'Create fields');
    expect(cardText(created.card)).toMatch(/Create event/);
    const verify = await j.click(created.card, 'Verify configuration');
    expect(cardText(verify.card)).toMatch(/set up correctly/);
    const flagged = apollo().tasks.filter((t) => t.custom[fieldId('Create event')] === true);
    expect(flagged.map((t) => t.Name).sort()).toEqual([...DEMO_EVENT_TASKS].sort());
    expect(flagged.every((t) => t.assignments.length > 0)).toBe(true);
  });

  it('connect outlook with a pasted token: refuses one Graph refuses, and checks whose calendar it is', async () => {
    const { card } = await j.say('connect outlook');
    const text = cardText(card);
    expect(text).toMatch(/Connect Outlook \(Microsoft 365\)/);
    // Sign-in is offered first (m365-sign-in.test.ts); a token lasts about an hour, which the card says.
    expect(inputsOf(card).find((i) => i.id === 'access')?.value).toBe('signin');
    expect(text).toMatch(/A token expires within about an hour, which is enough to sync on demand, not for schedules/);
    expect(inputsOf(card).find((i) => i.id === 'token')).toMatchObject({ style: 'Password', label: expect.stringMatching(/^Access token/) });
    // A token Graph refuses is not stored. (A read-only demo token is not a JWT, so its permission cannot be read: the checklist says so.)
    const refused = await j.click(card, 'Connect', { ...presets(card), access: 'delegated', graphUrl: graph.apiUrl, token: 'not-a-token' });
    expect(cardText(refused.card)).toMatch(/Nothing was saved/);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' })).toEqual([]);

    const reply = await j.click(card, 'Connect', { ...presets(card), access: 'delegated', graphUrl: graph.apiUrl, token: GRAPH_DEMO_CREDENTIALS.bearerToken, name: 'Contoso Outlook' });
    const checklist = cardText(reply.card);
    expect(checklist).toMatch(/Connected to Outlook: Contoso Outlook/);
    expect(checklist).toMatch(/Events are created in the calendar of\s*Demo PM \(pm@contoso.onmicrosoft.com\)/);
    expect(checklist).toMatch(/✓\s*Mailbox in Exchange Online\s*yes/);
    expect(JSON.stringify(reply.card)).not.toContain(GRAPH_DEMO_CREDENTIALS.bearerToken);
    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' });
    expect(stored).toMatchObject({ name: 'Contoso Outlook', url: graph.apiUrl, outlook: { access: 'delegated', address: 'pm@contoso.onmicrosoft.com' }, check: { ok: true } });
    expect(JSON.stringify(stored)).not.toContain(GRAPH_DEMO_CREDENTIALS.bearerToken);

    const list = await j.say('connections');
    expect(cardText(list.card)).toMatch(/Contoso Outlook[\s\S]*Outlook \(Microsoft 365\)/);
    expect(actionsOf(list.card).map((a) => a.title)).toContain('Connect Outlook');
  });

  it('link project Apollo to Outlook shows the default mapping and makes the person the approver', async () => {
    const { card } = await j.say('link project Apollo to Outlook');
    const text = cardText(card);
    expect(text).toMatch(/Link Apollo to Outlook/);
    expect(text).toMatch(/Subject\s*Task name/);
    expect(text).toMatch(/Start and finish, in the plan site's zone \(Europe\/Berlin\)/);
    expect(text).toMatch(/Required attendees\s*Assigned resources/);
    const reply = await j.click(card, 'Create integration', presets(card));
    expect(cardText(reply.card)).toMatch(/Linked: Apollo → Outlook/);
    const outlook = (await j.bot.bot.store.integrations.list(TENANT)).items.find((i) => i.target === 'outlook')!;
    expect(outlook).toMatchObject({ planProjectName: 'Apollo', approvers: [{ name: 'Ada Lovelace' }], adoProjects: [] });
    expect(outlook.outlookConnectionId).toBe(outlook.adoConnectionId);
  });

  it('sync previews the events, approval writes them once, and the report links each one', async () => {
    const preview = await sync();
    const text = cardText(preview.card);
    expect(text).toMatch(/^Preview: Apollo → Outlook/);
    expect(text).toMatch(/Create\s*3/);
    expect(text).toMatch(/Stakeholder interviews: 2026-03-02 to 2026-03-05, all day; Alice Kim/);
    expect(text).toMatch(/Implement endpoints: .*all day; Bob Lee, Chen Wu/);
    const report = await approve(preview);
    const reportText = cardText(report);
    expect(reportText).toMatch(/^Synced: Apollo → Outlook/);
    expect(reportText).toMatch(/Events written\s*3/);
    const links = JSON.stringify(report).match(/"url":"[^"]*owa[^"]*"/g) ?? [];
    expect(links).toHaveLength(3);

    const events = ours();
    expect(events.map((e) => e.subject).sort()).toEqual([...DEMO_EVENT_TASKS].sort());
    const interviews = events.find((e) => e.subject === 'Stakeholder interviews')!;
    expect(interviews).toMatchObject({ isAllDay: true, body: { content: 'Interview the five regional leads.' } });
    // Whole days in the site's zone: midnight of the first day to midnight after the last.
    expect(interviews.start).toMatchObject({ iana: 'Europe/Berlin', local: { year: 2026, month: 3, day: 2, hour: 0, minute: 0 } });
    expect(interviews.end).toMatchObject({ iana: 'Europe/Berlin', local: { year: 2026, month: 3, day: 6, hour: 0, minute: 0 } });
    expect(interviews.attendees.map((a) => a.address)).toEqual(['alice@contoso.example']);
    expect(events.find((e) => e.subject === 'Implement endpoints')!.attendees.map((a) => a.address).sort()).toEqual(['bob@contoso.example', 'chen@contoso.example']);
    // One invitation per attendee per event: 1 + 1 + 2.
    const requests = graph.invitations.filter((m) => m.kind === 'request');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((m) => `${m.eventId}|${m.to}`)).size).toBe(4);
  });

  it('a second sync proposes nothing and sends nothing', async () => {
    const before = graph.invitations.length;
    const again = await sync();
    expect(cardText(again.card)).toMatch(/Apollo → Outlook is in step/);
    expect(graph.invitations.length).toBe(before);
  });

  it('a cleared flag proposes a cancel, off by default; it is applied only when chosen', async () => {
    const task = apollo().tasks.find((t) => t.Name === 'Design API contract')!;
    task.custom[fieldId('Create event')] = false;
    const first = await sync();
    expect(cardText(first.card)).toMatch(/Cancel \(proposed\)\s*1/);
    const toggle = inputsOf(first.card).find((i) => i.type === 'Input.Toggle')!;
    expect(toggle).toMatchObject({ value: 'false', label: 'Cancel this event' });
    await approve(first);
    expect(ours().map((e) => e.subject)).toContain('Design API contract');
    expect(graph.invitations.filter((m) => m.kind === 'cancel')).toHaveLength(0);

    const second = await sync();
    const chosen = await approve(second, { [String(toggle.id)]: 'true' });
    expect(cardText(chosen)).toMatch(/Cancelled: Design API contract/);
    expect(ours().map((e) => e.subject)).not.toContain('Design API contract');
    expect(graph.invitations.filter((m) => m.kind === 'cancel').map((m) => m.to)).toEqual(['chen@contoso.example']);
    expect(cardText((await sync()).card)).toMatch(/is in step/);
  });

  it('a master project (one holding an inserted project) is refused with the reason, and nothing is sent', async () => {
    const before = graph.invitations.length;
    const inserted = apollo().tasks.find((t) => t.Name === 'Design API contract')!;
    inserted.IsSubProject = true;
    try {
      const refused = await sync();
      expect(cardText(refused.card)).toMatch(/Apollo is a master project \(it has inserted subprojects\).*Link each subproject to Outlook instead/s);
      expect(graph.invitations.length).toBe(before);
    } finally {
      inserted.IsSubProject = false;
    }
  });

  it('usage shows work items and events in the current window, with a chart', async () => {
    // Apollo goes to Azure DevOps too (only "Go-live" is flagged "Sync to ADO"), so usage has both kinds.
    expect(cardText(await linkWithDefaults(j, 'link project Apollo to ADO project Phoenix', { planTasks: 'flagged' }))).toMatch(/Linked: Apollo ↔ Phoenix/);
    const apolloTask = apollo().tasks.find((t) => t.Name === 'Go-live')!;
    apolloTask.custom[fieldId('Sync to ADO')] = true;
    const preview = await j.say('sync project Apollo to ADO');
    const card = await j.waitForUpdate(preview.id, (t) => /^Preview:/.test(t));
    await j.click(card, 'Approve and apply');
    await j.settle();
    await j.waitForUpdate(preview.id, (t) => /^Synced/.test(t));
    const { card: usage } = await j.say('usage');
    const text = cardText(usage);
    expect(text).toMatch(/Work items \(Azure DevOps\)\s*1/);
    expect(text).toMatch(/Events \(Outlook\)\s*3/);
    expect(text).toMatch(/Total\s*4/);
    expect(text).toMatch(/Apollo ↔ Phoenix\s*work items\s*1/);
    expect(text).toMatch(/Apollo → Outlook\s*events\s*3/);
    const image = JSON.stringify(usage).match(/"url":"(data:image\/png;base64,[^"]+)"/)?.[1];
    expect(image).toBeDefined();
    expect(image!.length).toBeLessThan(4000);
  });
});
