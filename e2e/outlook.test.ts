import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { TestBot } from '../bot/test/support/test-bot.js';
import { GRAPH_DEMO_CREDENTIALS, type GraphSimulator } from '../sim/graph/server.js';
import { PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../sim/pwa/server.js';
import { DEMO_EVENT_TASKS } from '../sim/pwa/seed-events.js';
import { PlaygroundChat } from './support/chat.js';
import { expectReadable as readable, playgroundUser as signedInUser, escapeRegExp } from './support/checks.js';
import { startOutlookPlaygroundWorld, type OutlookPlaygroundWorld } from './support/outlook-world.js';
import type { RunningPlayground } from './support/playground.js';
import { SHOTS } from './support/world.js';

/**
 * The seed article's Outlook scenario (issue 18) in a real Teams-like client: the Microsoft 365
 * Agents Playground in headless Chromium, the real bot, and the PWA and Graph simulators. Connect
 * PWA and create the fields (the PWA simulator then flags three Apollo tasks "Create event"),
 * connect Outlook with the Graph simulator's address and a delegated token, link Apollo to Outlook,
 * sync, see the preview, approve, read the report; then check the Graph simulator itself (three
 * events with the right subjects, times and attendees, one invitation per attendee) and that
 * "usage" counts three events. Each step's card is photographed to artifacts/e2e/4x-*.png.
 * Timeouts are generous and nothing is timed: a busy two-core machine runs it all at once.
 */
const PAIR = 'Apollo → Outlook';
/** The attendees the PWA demo assigns to each flagged task, by the Graph directory's addresses. */
const ATTENDEES: Record<string, string[]> = {
  'Stakeholder interviews': ['alice@contoso.example'],
  'Design API contract': ['chen@contoso.example'],
  'Implement endpoints': ['bob@contoso.example', 'chen@contoso.example'],
};

describe('Agents Playground with Outlook: connect, link, sync, approve, usage', () => {
  let world: OutlookPlaygroundWorld;
  let bot: TestBot;
  let playground: RunningPlayground;
  let pwa: PwaSimulator;
  let graph: GraphSimulator;
  let chat: PlaygroundChat;

  const pm = () => graph.directory.find('pm@contoso.onmicrosoft.com')!;
  const ours = () => graph.calendars.inCalendar(pm().id).filter((e) => e.categories.includes('PlanBridge') && !e.isCancelled);
  const apollo = () => pwa.state.projects.find((p) => p.Name === 'Apollo')!;
  const createEventField = () => pwa.state.customFields.find((f) => f.Name === 'Create event');

  beforeAll(async () => {
    world = await startOutlookPlaygroundWorld();
    ({ bot, playground, pwa, graph } = world);
    chat = new PlaygroundChat(world.page);
    await chat.page.goto(playground.url, { timeout: 90_000 });
    await chat.waitForCard('Welcome to PlanBridge', 90_000);
  }, 240_000);
  afterAll(() => world?.close());

  const expectReadable = (card: Locator, name: string): Promise<string> => readable(chat, card, name);
  const playgroundUser = (): Promise<string> => signedInUser(playground.url);

  it('connect pwa: Windows sign-in; the checklist offers "Create fields", which adds "Create event" and flags three Apollo tasks', async () => {
    await chat.send('connect pwa');
    const form = await chat.waitForCard('Connect Project Web App', 90_000);
    await chat.fill(form, 'PWA site URL', pwa.url);
    await chat.choose(form, 'Windows sign-in (Project Server, NTLM)');
    await chat.fill(form, 'Account', PWA_DEMO_CREDENTIALS.username);
    await chat.fill(form, 'Access token or password', PWA_DEMO_CREDENTIALS.password);
    await chat.fill(form, 'Display name', 'Contoso PWA');
    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Project Web App: Contoso PWA', 90_000);
    const text = await expectReadable(checklist, 'outlook-pwa-checklist');
    expect(text).toContain('"Create event" for Outlook events');
    expect(createEventField(), 'no field exists before "Create fields"').toBeUndefined();
    await chat.shoot(checklist, `${SHOTS}40-outlook-pwa-checklist.png`);

    await chat.press(checklist, 'Create fields');
    const created = await chat.waitForCard('The PlanBridge fields are set up correctly', 90_000);
    const fields = await expectReadable(created, 'outlook-fields');
    expect(fields).toContain('Create event');
    await chat.shoot(created, `${SHOTS}41-outlook-fields.png`);
    const field = createEventField();
    expect(field).toBeDefined();
    const flagged = apollo().tasks.filter((t) => t.custom[field!.Id] === true);
    expect(flagged.map((t) => t.Name).sort()).toEqual([...DEMO_EVENT_TASKS].sort());
  }, 180_000);

  it('connect outlook: Graph address and masked token; the checklist names the calendar owner', async () => {
    await chat.send('connect outlook');
    const form = await chat.waitForCard('Connect Outlook (Microsoft 365)', 90_000);
    const text = await expectReadable(form, 'connect-outlook');
    expect(text).toContain('A token expires within about an hour');
    // Microsoft 365 sign-in is offered first; this journey pastes the simulator's demo token.
    await chat.choose(form, "A delegated access token (Calendars.ReadWrite): events go into that user's calendar");
    await chat.fill(form, 'Access token', GRAPH_DEMO_CREDENTIALS.bearerToken);
    await chat.fill(form, 'Microsoft Graph address', graph.apiUrl);
    await chat.fill(form, 'Display name', 'Contoso Outlook');
    expect(await chat.input(form, 'Access token').getAttribute('type')).toBe('password');
    await chat.shoot(form, `${SHOTS}42-connect-outlook.png`);

    await chat.press(form, 'Connect');
    const checklist = await chat.waitForCard('Connected to Outlook: Contoso Outlook', 90_000);
    const list = await expectReadable(checklist, 'outlook-checklist');
    expect(list).toMatch(/Events are created in the calendar of\s*\n?\s*Demo PM \(pm@contoso.onmicrosoft.com\)/);
    expect(list).toMatch(/Mailbox in Exchange Online\s*\n?\s*yes/);
    await chat.shoot(checklist, `${SHOTS}43-outlook-checklist.png`);
  }, 180_000);

  it('link project Apollo to Outlook: the default mapping; Create integration links it with the person as approver', async () => {
    await chat.send('link project Apollo to Outlook');
    const setup = await chat.waitForCard('Link Apollo to Outlook', 90_000);
    const text = await expectReadable(setup, 'outlook-link');
    expect(text).toMatch(/Subject\s*\n?\s*Task name/);
    expect(text).toMatch(/Required attendees\s*\n?\s*Assigned resources/);
    expect(text).toContain(`Approvers: you (${await playgroundUser()})`);
    await chat.shoot(setup, `${SHOTS}44-outlook-link.png`);

    await chat.press(setup, 'Create integration');
    const linked = await chat.waitForCard(`Linked: ${PAIR}`, 90_000);
    const summary = await expectReadable(linked, 'outlook-linked');
    expect(summary).toContain('sync project Apollo to Outlook');
    await chat.shoot(linked, `${SHOTS}45-outlook-linked.png`);
  }, 180_000);

  it('sync: the preview lists three events to create, and nothing is written before approval', async () => {
    await chat.send('sync project Apollo to Outlook');
    const preview = await chat.waitForCard(`Preview: ${PAIR}`, 150_000);
    const text = await expectReadable(preview, 'outlook-preview');
    expect(text).toMatch(/Create\s*\n?\s*3\b/);
    expect(text).toMatch(/Stakeholder interviews: 2026-03-02 to 2026-03-05, all day; Alice Kim/);
    expect(text).toMatch(/Implement endpoints: .*all day; Bob Lee, Chen Wu/);
    expect(ours(), 'nothing is written to Outlook before approval').toEqual([]);
    expect(graph.invitations).toEqual([]);
    await chat.shoot(preview, `${SHOTS}46-outlook-preview.png`);
  }, 180_000);

  it('approve: the preview turns into the report, counting the events written', async () => {
    await chat.press(chat.card(`Preview: ${PAIR}`), 'Approve');
    const report = await chat.waitForCard(`Synced: ${PAIR}`, 150_000);
    const text = await expectReadable(report, 'outlook-report');
    expect(text).toMatch(new RegExp(`Approved by\\s*\\n?\\s*${escapeRegExp(await playgroundUser())}`));
    expect(text).toMatch(/Events written\s*\n?\s*3\b/);
    // Each event's line links to it in Outlook on the web (a text run whose select action opens the URL).
    expect(await report.locator('a[href*="owa"]').count(), 'one Outlook link per event').toBe(3);
    await chat.shoot(report, `${SHOTS}47-outlook-report.png`);
  }, 180_000);

  it('black box: the Graph simulator holds the three events with the right subjects, times and attendees, and one invitation per attendee', async () => {
    await bot.bot.background.drain();
    const events = ours();
    expect(events.map((e) => e.subject).sort()).toEqual([...DEMO_EVENT_TASKS].sort());
    for (const event of events) {
      expect(event.attendees.map((a) => a.address).sort(), `attendees of "${event.subject}"`).toEqual(ATTENDEES[event.subject]);
    }
    const interviews = events.find((e) => e.subject === 'Stakeholder interviews')!;
    // Whole days in the site's zone (UTC here): midnight of the first day to midnight after the last.
    expect(interviews).toMatchObject({ isAllDay: true, body: { content: 'Interview the five regional leads.' } });
    expect(interviews.start.local).toMatchObject({ year: 2026, month: 3, day: 2, hour: 0, minute: 0 });
    expect(interviews.end.local).toMatchObject({ year: 2026, month: 3, day: 6, hour: 0, minute: 0 });
    const requests = graph.invitations.filter((m) => m.kind === 'request');
    const attendees = Object.values(ATTENDEES).reduce((n, a) => n + a.length, 0);
    expect(requests).toHaveLength(attendees);
    expect(new Set(requests.map((m) => `${m.eventId}|${m.to}`)).size).toBe(attendees);
    expect(graph.invitations.filter((m) => m.kind !== 'request')).toEqual([]);
  }, 60_000);

  it('usage: three events counted for Apollo → Outlook', async () => {
    await chat.send('usage');
    const usage = await chat.waitForCard(/Usage: \d+ endpoint/, 90_000);
    const text = await expectReadable(usage, 'outlook-usage');
    expect(text).toMatch(/Events \(Outlook\)\s*\n?\s*3\b/);
    expect(text).toMatch(/Total\s*\n?\s*3\b/);
    expect(text).toMatch(/Apollo → Outlook\s*\n?\s*events\s*\n?\s*3\b/);
    await chat.shoot(usage, `${SHOTS}48-outlook-usage.png`);
  }, 120_000);

  it('no card in the chat and no log line shows the PWA password or the Graph token that were typed', async () => {
    const shown = (await chat.page.locator('.fai-OutputCard').allInnerTexts()).join('\n');
    expect(shown).toContain(`Synced: ${PAIR}`);
    const logs = bot.logText();
    for (const secret of [PWA_DEMO_CREDENTIALS.password, GRAPH_DEMO_CREDENTIALS.bearerToken]) {
      expect(shown).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  }, 60_000);
});
