import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { HEADLINES } from '../../src/jobs/index.js';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { installActivity, OTHER_TENANT } from '../support/activities.js';
import { cardOf } from '../support/fake-connector.js';
import { ADA, GRACE, Journey, TENANT, actionsOf, cardText, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from './support.js';

/**
 * Scheduled syncs over HTTP with the fake Bot Connector: the schedule commands, where scheduled
 * runs report, the approval policy, failure / recovered notices, the schedule buttons and their
 * guard, and uninstall. The scheduler does not scan on its own here (`scheduler: 'manual'`): each
 * test moves the bot's clock past the next run and calls `scheduler.tick()`.
 */
describe('scheduled syncs', () => {
  let offset = 0;
  const j = new Journey();
  j.conversationType = 'groupChat';
  let integrationId: string;
  let personalChat: string;

  const HOUR = 3_600_000;
  const tick = () => j.bot.bot.scheduler.tick();
  /** Moves the bot's clock past the next due run. */
  const nextHour = () => {
    offset += HOUR + 60_000;
  };
  const posts = () => j.activities.filter((a) => a.method === 'POST');
  const postsSince = (n: number): Card[] => posts().slice(n).map((a) => cardOf(a) ?? {});
  const elsewhere = () => j.connector.activities.filter((a) => a.conversationId !== j.conversationId && a.conversationId !== personalChat).length;
  const entry = async () => (await j.bot.bot.store.integrations.get(TENANT, integrationId))!.scheduling;
  const adoItem = (title: string) => [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === title && !w.deleted);
  const liveAdoItems = () => [...j.ado.state.items.values()].filter((w) => !w.deleted).length;

  beforeAll(async () => {
    await j.start({ seams: { scheduler: 'manual', now: () => new Date(Date.now() + offset) } });
    // Ada's personal chat with the bot, where owner-only notices go.
    const group = j.conversationId;
    j.conversationType = 'personal';
    j.conversationId = personalChat = `a:personal-ada-${Date.now()}`;
    await j.say('help');
    j.conversationType = 'groupChat';
    j.conversationId = group;
    await connectBoth(j);
    await linkWithDefaults(j, 'link project Apollo to ADO project Phoenix', { direction: 'two-way' });
    integrationId = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id;
  });
  afterAll(() => j.stop());

  it('schedule commands answer with the schedule in words, the next runs in its zone and the approval policy', async () => {
    const daily = cardText((await j.say('schedule Apollo daily at 09:00 Europe/Berlin')).card);
    expect(daily).toMatch(/Scheduled: Apollo ↔ Phoenix/);
    expect(daily).toMatch(/Schedule\nDaily at 09:00 \(Europe\/Berlin\)/);
    expect(daily).toMatch(/Approval\nSend the preview for approval/);
    expect(daily).toMatch(/Next runs \(Europe\/Berlin\)/);
    expect(daily.match(/• \w{3} \d{1,2} \w{3}( \d{4})? 09:00/g)).toHaveLength(3);

    const weekly = await j.say('schedule Apollo weekly on Mon,Thu at 07:30 America/New_York');
    const weeklyText = cardText(weekly.card);
    expect(weeklyText).toMatch(/Weekly on Mon, Thu at 07:30 \(America\/New_York\)/);
    expect(weeklyText.match(/• (Mon|Thu) \d{1,2} \w{3}( \d{4})? 07:30/g)).toHaveLength(3);
    expect(actionsOf(weekly.card).map((a) => a.title)).toEqual(['Save schedule', 'Apply automatically when clean', 'Pause the schedule', 'Integration settings']);

    expect(cardText((await j.say('schedule Apollo monthly on day 1 at 06:00 UTC')).card)).toMatch(/Monthly on the 1st at 06:00 \(UTC\)/);
    expect(cardText((await j.say('schedule Apollo daily at 25:00 Europe/Berlin')).card)).toMatch(/"25:00" is (not a valid time|not a time)/);

    const hourly = cardText((await j.say('schedule Apollo hourly')).card);
    expect(hourly).toMatch(/Schedule\nHourly at :00/);
    const stored = await entry();
    expect(stored?.nextRunAt).toMatch(/T\d\d:00:00\.000Z$/);
    expect((await j.bot.bot.store.integrations.get(TENANT, integrationId))!.notifications.conversationId).toBe(j.conversationId);
  });

  it('the integration settings card shows the schedule and opens the schedule card', async () => {
    const settings = await j.invoke('integration.show', { integrationId, t: TENANT });
    expect(cardText(settings.card)).toMatch(/Schedule\nHourly at :00 \(.+\); send the preview for approval/);
    const schedule = await j.click(settings.card!, 'Schedule and approval');
    expect(cardText(schedule.card)).toMatch(/Schedule: Apollo ↔ Phoenix/);
  });

  it('a non-approver cannot schedule, and the schedule buttons refuse other users and other tenants', async () => {
    expect(cardText((await j.say('schedule Apollo off', GRACE)).card)).toMatch(/Only approvers can schedule Apollo ↔ Phoenix/);
    expect((await j.invoke('schedule.pause', { integrationId, t: TENANT }, { as: GRACE })).message).toMatch(/Only the approvers of "Apollo ↔ Phoenix"/);
    expect((await j.invoke('schedule.retry', { integrationId, t: OTHER_TENANT }, { tenantId: OTHER_TENANT })).message).toMatch(/could not find that integration/);
    expect((await j.invoke('schedule.pause', { integrationId, t: TENANT }, { tenantId: OTHER_TENANT })).message).toMatch(/made for another organization/);
    expect((await j.invoke('schedule.policy', { integrationId, t: TENANT, approval: 'yolo' })).message).toMatch(/not an approval policy/);
    expect((await entry())?.paused).toBeUndefined();
    expect((await entry())?.approval).toBeUndefined();
  });

  it('a scheduled run posts its preview to the integration\'s chat and applies nothing (default policy)', async () => {
    const before = posts().length;
    const others = elsewhere();
    const items = liveAdoItems();
    expect((await tick()).due).toBe(0);
    nextHour();
    const report = await tick();
    expect(report.outcomes.succeeded).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    expect(cardText(sent[0])).toMatch(/^Preview: Apollo ↔ Phoenix/);
    expect(cardText(sent[0])).toMatch(/Asked by the schedule/);
    expect(elsewhere()).toBe(others);
    expect(liveAdoItems()).toBe(items);
    // The same slot is not run twice.
    expect((await tick()).due).toBe(0);
  });

  it('"apply automatically when clean" applies a run with nothing to decide and posts the report', async () => {
    const policy = await j.invoke('schedule.policy', { integrationId, t: TENANT, approval: 'auto-when-clean' });
    expect(cardText(policy.card)).toMatch(/Approval\nApply automatically when there are no conflicts, deletions or hierarchy mismatches/);
    const before = posts().length;
    const items = liveAdoItems();
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    expect(cardText(sent[0])).toMatch(/^Synced: Apollo ↔ Phoenix/);
    expect(cardText(sent[0])).toMatch(/Approved by\nthe schedule \(applied automatically/);
    expect(liveAdoItems()).toBeGreaterThan(items);
  });

  it('with a conflict, a scheduled run under automatic apply changes nothing and sends the preview instead', async () => {
    const ado = adoConnector(j.ado);
    const plan = pwaConnector(j.pwa, 'onprem', 'nometadata');
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const api = adoItem('API')!;
    await ado.update({ id: api.id, expectedRev: api.rev, fields: { 'System.Title': 'API v2 (from ADO)' } });
    await plan.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: apollo.tasks.find((t) => t.Name === 'API')!.Id, name: 'API (from the plan)' }] });
    const rev = j.ado.state.items.get(api.id)!.rev;
    const before = posts().length;
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    expect(cardText(sent[0])).toMatch(/^Preview: Apollo ↔ Phoenix/);
    expect(cardText(sent[0])).toMatch(/Conflicts\n1/);
    expect(j.ado.state.items.get(api.id)!.rev).toBe(rev);
    expect(j.ado.state.items.get(api.id)!.fields['System.Title']).toBe('API v2 (from ADO)');
    expect(apollo.tasks.some((t) => t.Name === 'API (from the plan)')).toBe(true);
    // An approver gets the decisions on that preview through refresh.
    const refresh = actionsOf({ r: sent[0]!.refresh })[0]!;
    const mine = await j.invoke(refresh.verb, refresh.data, { trigger: 'automatic' });
    expect(actionsOf(mine.card).map((a) => a.title)).toContain('Approve and apply');
  });

  it('a failing schedule sends exactly one failure card, then stays quiet', async () => {
    // The stored PAT reaches its expiry date.
    const adoId = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' }))[0]!.id;
    await j.bot.bot.store.connections.setSecret(TENANT, adoId, ADO_DEMO_PATS.expired);
    const before = posts().length;
    nextHour();
    expect((await tick()).outcomes.failed).toBe(1);
    nextHour();
    expect((await tick()).outcomes.failed).toBe(1);
    const sent = postsSince(before);
    expect(sent).toHaveLength(1);
    const text = cardText(sent[0]);
    expect(text).toMatch(/^Scheduled sync failed: Apollo ↔ Phoenix/);
    expect(text).toContain(HEADLINES['pat-expired']);
    expect(actionsOf(sent[0]).map((a) => a.title)).toEqual(['Retry', 'Fix the connection', 'Pause the schedule']);
    expect(JSON.stringify(sent[0])).not.toContain(ADO_DEMO_PATS.expired);
    // "Fix the connection" must find the connection flagged, as a chat preview would leave it.
    const flagged = await j.bot.bot.store.connections.get(TENANT, adoId);
    expect(flagged?.check).toMatchObject({ ok: false });
    expect(flagged?.check?.problem).toMatch(/expired/);
  });

  it('"Fix the connection" then Retry: exactly one recovered message, and the next runs are normal again', async () => {
    const failure = postsSince(0).filter((c) => /^Scheduled sync failed/.test(cardText(c))).at(-1)!;
    const fix = await j.click(failure, 'Fix the connection');
    expect(cardText(fix.card)).toMatch(/Contoso ADO/);
    j.ado.addPat('renewed-pat', ['app_token']);
    const adoId = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' }))[0]!.id;
    await j.click(fix.card!, 'Check and save', { [`secret_${adoId.replace(/[^A-Za-z0-9]/g, '')}`]: 'renewed-pat' }, { where: { connectionId: adoId } });

    expect((await j.click(failure, 'Retry', {}, { as: GRACE })).message).toMatch(/Only the approvers/);
    const before = posts().length;
    expect((await j.click(failure, 'Retry')).message).toMatch(/Retrying Apollo ↔ Phoenix now/);
    await j.settle();
    const recovered = () => postsSince(before).filter((c) => /^Scheduled sync works again/.test(cardText(c)));
    expect(recovered()).toHaveLength(1);
    expect(cardText(recovered()[0])).toMatch(/After 2 failed runs since/);
    nextHour();
    expect((await tick()).outcomes.succeeded).toBe(1);
    expect(recovered()).toHaveLength(1);
    expect(postsSince(before).some((c) => /^Scheduled sync failed/.test(cardText(c)))).toBe(false);
  });

  it('Pause stops runs, Resume restarts them, and "schedule ... off" stops them', async () => {
    const paused = await j.invoke('schedule.pause', { integrationId, t: TENANT });
    expect(cardText(paused.card)).toMatch(/Schedule paused: Apollo ↔ Phoenix/);
    offset += 3 * HOUR;
    expect((await tick()).due).toBe(0);
    await j.invoke('schedule.resume', { integrationId, t: TENANT });
    expect((await entry())?.nextRunAt).toBeDefined();
    const off = cardText((await j.say('schedule Apollo off')).card);
    expect(off).toMatch(/Apollo ↔ Phoenix now syncs only when asked/);
    expect(off).toMatch(/Schedule\nOn demand only/);
    offset += 48 * HOUR;
    expect((await tick()).due).toBe(0);
    expect((await entry())?.nextRunAt).toBeUndefined();
  });

  it('removing the bot from the chat pauses its schedules and tells the owner in personal chat', async () => {
    await j.say('schedule Apollo hourly');
    const personalBefore = j.connector.for(personalChat).length;
    const res = await j.bot.post(installActivity({ serviceUrl: j.connector.url, conversationId: j.conversationId, conversationType: 'groupChat' }, 'remove'));
    expect(res.status).toBeLessThan(300);
    expect((await entry())?.paused).toBe(true);
    const told = j.connector.for(personalChat).slice(personalBefore).map((a) => cardText(cardOf(a)));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^Schedule paused: Apollo ↔ Phoenix/);
    offset += 3 * HOUR;
    expect((await tick()).due).toBe(0);
  });
});
