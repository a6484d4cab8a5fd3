import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_DEMO_CREDENTIALS, startGraphSimulator, type GraphSimulator } from '../../../sim/graph/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { DEMO_EVENT_TASKS } from '../../../sim/pwa/seed-events.js';
import { createLiveSystems } from '../../src/adapters/live-systems.js';
import { HEADLINES } from '../../src/jobs/index.js';
import { createLogger } from '../../src/log.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { cardOf } from '../support/fake-connector.js';
import { Journey, TENANT, actionsOf, cardText, inputsOf, type Card } from '../support/journey.js';
import { presets } from './support.js';

/**
 * Scheduled runs of an Outlook integration over HTTP (issue 18): the real bot, the PWA and Graph
 * simulators, the embedded store and the fake Bot Connector. The scheduler does not scan on its
 * own (`scheduler: 'manual'`): each test moves the bot's clock past the next run and ticks it.
 * A pasted Graph token cannot be scheduled; the Outlook connection then stands in for one made by
 * Microsoft 365 sign-in: its client id is recorded, and the systems seam hands out the token its
 * sealed sign-in would (`graphToken`, which a test swaps for one Graph refuses).
 */
const quiet = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, done) => done() }) });

describe('scheduled Outlook syncs', () => {
  let offset = 0;
  const j = new Journey();
  j.conversationType = 'groupChat';
  let graph: GraphSimulator;
  let integrationId: string;
  let outlookId: string;
  let graphToken: string = GRAPH_DEMO_CREDENTIALS.bearerToken;

  const HOUR = 3_600_000;
  const tick = () => j.bot.bot.scheduler.tick();
  const nextHour = () => {
    offset += HOUR + 60_000;
  };
  const posts = () => j.activities.filter((a) => a.method === 'POST');
  const postsSince = (n: number): Array<{ id: string; card: Card }> => posts().slice(n).map((a) => ({ id: a.id, card: cardOf(a) ?? {} }));
  const pm = () => graph.directory.find('pm@contoso.onmicrosoft.com')!;
  const ours = () => graph.calendars.inCalendar(pm().id).filter((e) => e.categories.includes('PlanBridge') && !e.isCancelled);
  /** Requests that change a calendar (creates, updates, cancels); reads are GETs. */
  const writes = () => graph.requests.filter((r) => r.method !== 'GET').length;
  const apollo = () => j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
  const task = (name: string) => apollo().tasks.find((t) => t.Name === name)!;
  const createEvent = () => j.pwa.state.customFields.find((f) => f.Name === 'Create event')!.Id;
  const scheduling = async () => (await j.bot.bot.store.integrations.get(TENANT, integrationId))!.scheduling;

  beforeAll(async () => {
    graph = await startGraphSimulator({ port: 0 });
    await j.start({
      seams: {
        scheduler: 'manual', now: () => new Date(Date.now() + offset),
        systems: (store) => ({ ...createLiveSystems({ connections: store.connections, logger: quiet, localMode: true }), signedInToken: async () => graphToken }),
      },
    });
    const pwa = await j.say('connect pwa');
    const connected = await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA', timeZone: 'Europe/Berlin' });
    await j.click(connected.card, 'Create fields');
    const outlook = await j.say('connect outlook');
    await j.click(outlook.card, 'Connect', { ...presets(outlook.card), access: 'delegated', graphUrl: graph.apiUrl, token: GRAPH_DEMO_CREDENTIALS.bearerToken, name: 'Contoso Outlook' });
    outlookId = (await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' }))[0]!.id;
    const link = await j.say('link project Apollo to Outlook');
    await j.click(link.card, 'Create integration', presets(link.card));
    integrationId = (await j.bot.bot.store.integrations.list(TENANT)).items.find((i) => i.target === 'outlook')!.id;
  });
  afterAll(async () => {
    await j.stop();
    await graph.close();
  });

  it('refuses to schedule an Outlook connection made with a pasted token, and says what to do', async () => {
    const text = cardText((await j.say('schedule Apollo hourly')).card);
    expect(text).toMatch(/"Contoso Outlook" connects to Outlook with a pasted access token, which expires within about an hour/);
    expect(text).toMatch(/Reconnect Outlook with Microsoft 365 sign-in \("connect outlook"\)/);
    expect(await scheduling()).toBeUndefined();
  });

  it('schedules it once Outlook is connected by Microsoft 365 sign-in; a run posts the event preview and writes nothing', async () => {
    await j.bot.bot.store.connections.update(TENANT, outlookId, () => ({ auth: { type: 'oauth', clientId: GRAPH_DEMO_CREDENTIALS.appId, scopes: ['Calendars.ReadWrite'], account: 'pm@contoso.onmicrosoft.com' } }));
    const scheduled = cardText((await j.say('schedule Apollo hourly')).card);
    expect(scheduled).toMatch(/Scheduled: Apollo → Outlook/);
    expect(scheduled).toMatch(/Approval\nSend the preview for approval/);

    const before = posts().length;
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    const text = cardText(sent[0]!.card);
    expect(text).toMatch(/^Preview: Apollo → Outlook/);
    expect(text).toMatch(/Requested by the schedule/);
    expect(text).toMatch(/Create\s*3/);
    expect(actionsOf(sent[0]!.card).map((a) => a.title)).toEqual(['Approve', 'Reject']);
    expect(ours()).toHaveLength(0);
    expect(writes()).toBe(0);
  });

  it('"apply automatically when clean" creates one event per flagged task and invites each attendee once; the older preview is then out of date', async () => {
    const pending = posts().at(-1)!;
    const policy = await j.invoke('schedule.policy', { integrationId, t: TENANT, approval: 'auto-when-clean' });
    expect(cardText(policy.card)).toMatch(/Approval\nApply automatically when no event would be cancelled/);
    const before = posts().length;
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    const report = cardText(sent[0]!.card);
    expect(report).toMatch(/^Synced: Apollo → Outlook/);
    expect(report).toMatch(/Approved by\nthe schedule \(applied automatically/);
    expect(report).toMatch(/Events written\n3/);
    expect(ours().map((e) => e.subject).sort()).toEqual([...DEMO_EVENT_TASKS].sort());
    // 1 + 1 + 2 attendees, each invited once.
    const requests = graph.invitations.filter((m) => m.kind === 'request');
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((m) => `${m.eventId}|${m.to}`)).size).toBe(4);

    // Approving the preview the first run posted re-plans under the lease, finds it stale and writes nothing.
    const reply = await j.click(cardOf(pending)!, 'Approve');
    expect(reply.card ? cardText(reply.card) : reply.message).toMatch(/Applying/);
    await j.settle();
    expect(cardText(await j.waitForUpdate(pending.id, (t) => /out of date/.test(t)))).toMatch(/nothing was written/);
    expect(ours()).toHaveLength(3);
    expect(graph.invitations.filter((m) => m.kind === 'request')).toHaveLength(4);
  });

  it('a run with nothing changed proposes nothing, posts nothing and writes nothing', async () => {
    const [before, written, invited] = [posts().length, writes(), graph.invitations.length];
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    expect(postsSince(before)).toHaveLength(0);
    expect(writes()).toBe(written);
    expect(graph.invitations.length).toBe(invited);
  });

  it('a proposed cancel is never applied automatically: the run applies nothing and posts the preview with the cancel off', async () => {
    task('Design API contract').custom[createEvent()] = false;
    task('Stakeholder interviews').Name = 'Stakeholder interviews (regional)';
    const [before, written] = [posts().length, writes()];
    try {
      nextHour();
      expect((await tick()).outcomes.succeeded).toBe(1);
      const sent = postsSince(before);
      expect(sent).toHaveLength(1);
      const text = cardText(sent[0]!.card);
      expect(text).toMatch(/^Preview: Apollo → Outlook/);
      expect(text).toMatch(/Cancel \(proposed\)\s*1/);
      expect(text).toMatch(/Update\s*1/);
      expect(inputsOf(sent[0]!.card).find((i) => i.type === 'Input.Toggle')).toMatchObject({ value: 'false' });
      // Neither the cancel nor the rename beside it was written.
      expect(writes()).toBe(written);
      expect(ours().map((e) => e.subject).sort()).toEqual([...DEMO_EVENT_TASKS].sort());
      expect(graph.invitations.filter((m) => m.kind === 'cancel')).toHaveLength(0);
    } finally {
      task('Design API contract').custom[createEvent()] = true;
      task('Stakeholder interviews (regional)').Name = 'Stakeholder interviews';
    }
  });

  it('a Graph failure posts one failure card with the reason and Retry; Retry after the fix posts one recovery card', async () => {
    graphToken = 'revoked-graph-token';
    const before = posts().length;
    nextHour();
    expect((await tick()).outcomes.failed).toBe(1);
    nextHour();
    expect((await tick()).outcomes.failed).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    const failure = sent[0]!.card;
    const text = cardText(failure);
    expect(text).toMatch(/^Scheduled sync failed: Apollo → Outlook/);
    expect(text).toContain(HEADLINES['outlook-access']);
    expect(text).toMatch(/Microsoft Graph refused the sign-in .*\(401/);
    expect(actionsOf(failure).map((a) => a.title)).toEqual(['Retry', 'Fix the connection', 'Pause the schedule']);
    expect(j.everything()).not.toContain('revoked-graph-token');
    expect((await j.bot.bot.store.connections.get(TENANT, outlookId))?.check).toMatchObject({ ok: false });

    graphToken = GRAPH_DEMO_CREDENTIALS.bearerToken;
    const retried = posts().length;
    expect((await j.click(failure, 'Retry')).message).toMatch(/Retrying Apollo → Outlook now/);
    await j.settle();
    const recovered = () => postsSince(retried).filter((p) => /^Scheduled sync works again: Apollo → Outlook/.test(cardText(p.card)));
    expect(recovered()).toHaveLength(1);
    expect(cardText(recovered()[0]!.card)).toMatch(/After 2 failed runs since/);
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    expect(recovered()).toHaveLength(1);
    expect(ours()).toHaveLength(3);
  });

  it('with a synchronization start date, a task flagged and unchanged since before it is left out until it is edited', async () => {
    expect(cardText((await j.say('schedule Apollo hourly starting 2026-02-01')).card)).toMatch(/Scheduled: Apollo → Outlook/);
    // Flagged in the plan's own data, so its modified time stays in January.
    task('Go-live').custom[createEvent()] = true;
    const [before, written] = [posts().length, writes()];
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    expect(postsSince(before)).toHaveLength(0);
    expect(writes()).toBe(written);
    const preview = await j.say('sync project Apollo to Outlook');
    const inStep = cardText(await j.waitForUpdate(preview.id, (t) => /is in step|^Preview:/.test(t)));
    expect(inStep).toMatch(/Apollo → Outlook is in step/);
    expect(inStep).toMatch(/1 flagged task unchanged since 2026-02-01 was left out: that is the synchronization start date/);

    await pwaConnector(j.pwa, 'onprem', 'nometadata').applyChanges({ projectId: apollo().Id, creates: [], updates: [{ id: task('Go-live').Id, notes: 'Cut over on Monday.' }] });
    const after = posts().length;
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    const sent = postsSince(after);
    expect(sent).toHaveLength(1);
    expect(cardText(sent[0]!.card)).toMatch(/^Synced: Apollo → Outlook[\s\S]*Events written\n1/);
    expect(ours().map((e) => e.subject)).toContain('Go-live');
  });
});
