import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { OTHER_TENANT } from '../support/activities.js';
import { cardOf } from '../support/fake-connector.js';
import { Journey, cardText } from '../support/journey.js';

const DAY = 86_400_000;

/**
 * Credential expiry warnings reach every connection with a known expiry, not only those of
 * scheduled integrations: a scan across tenants, each warning sent once however often (or on how
 * many instances at once) it runs.
 */
describe('credential expiry warnings for every connection', () => {
  const j = new Journey();
  let offset = 0;
  let personalChat: string;

  beforeAll(async () => {
    await j.start({ seams: { scheduler: 'manual', now: () => new Date(Date.now() + offset) } });
    j.conversationId = personalChat = `a:personal-ada-${Date.now()}`;
    await j.say('help');
    // Connected in a group chat, used by no integration and no schedule.
    j.conversationType = 'groupChat';
    j.conversationId = `19:group-${Date.now()}@thread.v2`;
    const ado = await j.say('connect ado');
    const expires = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Unscheduled ADO', expiresOn: expires });
    // Another tenant's connection, expiring too, that has no chat to be warned in.
    await j.bot.bot.store.connections.create(OTHER_TENANT, { kind: 'ado', name: 'Elsewhere', url: 'https://dev.azure.com/elsewhere', auth: { type: 'pat' }, secret: 'x', expiresOn: expires });
  });
  afterAll(() => j.stop());

  const warnings = () => j.connector.activities.filter((a) => a.conversationId === personalChat && a.method === 'POST' && /expires in/.test(cardText(cardOf(a))));

  it('warns the owner in their personal chat, 14 days ahead, once, even when scans run at once', async () => {
    const results = await Promise.all([j.bot.bot.scanExpiringConnections(), j.bot.bot.scanExpiringConnections(), j.bot.bot.scanExpiringConnections()]);
    // Both tenants were looked at; one warning went out.
    expect(results.map((r) => r.checked)).toEqual([2, 2, 2]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(warnings()).toHaveLength(1);
    const text = cardText(cardOf(warnings()[0]!));
    expect(text).toMatch(/The Azure DevOps token of Unscheduled ADO expires in 10 days/);
    expect(text).toMatch(/Anything that uses it will fail/);
    expect(text).toMatch(/Microsoft Entra service principal/);
    expect((await j.bot.bot.scanExpiringConnections()).sent).toBe(0);
  });

  it('warns again at 3 days, once', async () => {
    offset = 8 * DAY;
    expect((await j.bot.bot.scanExpiringConnections()).sent).toBe(1);
    expect((await j.bot.bot.scanExpiringConnections()).sent).toBe(0);
    expect(warnings()).toHaveLength(2);
    expect(cardText(cardOf(warnings()[1]!))).toMatch(/expires in 2 days/);
  });
});
