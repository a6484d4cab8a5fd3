import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADA, GRACE, Journey, TENANT, actionsOf, cardText } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from './support.js';

/**
 * The main journey in a team channel: every message @mentions the bot (Teams delivers nothing
 * else there), the preview shows who asked, approval is only for approvers, and reports land in
 * the channel's own conversation.
 */
describe('the main journey in a team channel', () => {
  const j = new Journey();
  j.conversationType = 'channel';
  j.conversationId = `19:planning-${Date.now()}@thread.tacv2`;

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
  });
  afterAll(() => j.stop());

  it('connects, links with this channel as the report target, previews with "Asked by", and applies on approval', async () => {
    const summary = await linkWithDefaults(j);
    expect(cardText(summary)).toMatch(/Apollo/);
    const integration = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!;
    expect(integration.notifications.conversationId).toBe(j.conversationId);

    const { id } = await j.say('sync project Apollo to ADO');
    const base = await j.waitForUpdate(id, (t) => /^Preview:/.test(t));
    expect(cardText(base)).toMatch(/Asked by Ada Lovelace/);
    // The card everyone in the channel sees cannot approve; approvers get their own view by refresh.
    expect(actionsOf(base).map((a) => a.title)).not.toContain('Approve and apply');
    const refresh = actionsOf({ r: base.refresh })[0]!;
    const graceView = await j.invoke(refresh.verb, refresh.data, { trigger: 'automatic', replyToId: id, as: GRACE });
    expect(cardText(graceView.card)).toMatch(/Read-only view\. Approvers: Ada Lovelace/);
    expect(actionsOf(graceView.card).map((a) => a.title)).not.toContain('Approve and apply');
    const adaView = (await j.invoke(refresh.verb, refresh.data, { trigger: 'automatic', replyToId: id, as: ADA })).card!;

    const before = j.ado.state.items.size;
    const reply = await j.click(adaView, 'Approve and apply', {}, { replyToId: id });
    expect(reply.card, reply.message).toBeDefined();
    const report = await j.waitForUpdate(id, (t) => /^Synced|^Sync failed/.test(t));
    await j.settle();
    expect(cardText(report)).toMatch(/^Synced/);
    expect(j.ado.state.items.size).toBeGreaterThan(before);
    // Every reply went to the channel conversation, none elsewhere.
    expect(j.connector.activities.every((a) => a.conversationId === j.conversationId)).toBe(true);
  });
});
