import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { OTHER_TENANT } from '../support/activities.js';
import { Journey, TENANT, cardText } from '../support/journey.js';

/** Every Action.Execute goes through one server-side guard; these are its refusals. */
describe('card action guard', () => {
  const j = new Journey();
  let connectionId: string;

  beforeAll(async () => {
    await j.start();
    const { card } = await j.say('connect ado');
    await j.click(card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso' });
    connectionId = (await j.bot.bot.store.connections.list(TENANT))[0]!.id;
  });
  afterAll(() => j.stop());

  const refusals = () => j.bot.logText().split('\n').filter((l) => l.includes('card action refused')).map((l) => JSON.parse(l) as Record<string, unknown>);

  it('accepts a well-formed action from the right tenant', async () => {
    const reply = await j.invoke('conn.list', { t: TENANT });
    expect(cardText(reply.card)).toContain('Contoso');
  });

  it('refuses a verb that is not on the allow-list', async () => {
    const reply = await j.invoke('conn.dropDatabase', { t: TENANT, connectionId });
    expect(reply.message).toMatch(/not one PlanBridge knows/);
    expect(refusals().at(-1)).toMatchObject({ reason: 'unknown-verb', tenant: TENANT });
  });

  it('refuses a card stamped for another tenant, and logs it without the typed secret', async () => {
    const reply = await j.invoke('conn.secret', { t: OTHER_TENANT, connectionId, [`secret_${connectionId.replace(/-/g, '')}`]: 'typed-secret-999' });
    expect(reply.message).toMatch(/made for another organization/);
    const last = refusals().at(-1)!;
    expect(last).toMatchObject({ reason: 'cross-tenant', verb: 'conn.secret', ids: { connectionId } });
    expect(j.bot.logText()).not.toContain('typed-secret-999');
  });

  it('a user of another tenant cannot reach this tenant\'s connection by its id', async () => {
    const reply = await j.invoke('conn.remove.confirm', { t: OTHER_TENANT, connectionId }, { tenantId: OTHER_TENANT });
    expect(reply.message).toMatch(/could not find that connection in your organization/);
    expect(await j.bot.bot.store.connections.get(TENANT, connectionId)).toBeDefined();
    expect(refusals().at(-1)).toMatchObject({ reason: 'unknown-connection', tenant: OTHER_TENANT });
  });

  it('refuses a tampered id and a missing id with a clear message', async () => {
    expect((await j.invoke('conn.recheck', { t: TENANT, connectionId: `${connectionId}x` })).message).toMatch(/could not find that connection/);
    expect((await j.invoke('conn.recheck', { t: TENANT })).message).toMatch(/needs "connectionId"/);
    expect((await j.invoke('conn.recheck', { connectionId })).message).toMatch(/missing its origin/);
  });

  it('refuses integration and preview actions on ids that do not exist', async () => {
    expect((await j.invoke('sync.approve', { t: TENANT, integrationId: 'nope', runId: 'r', hash: 'h' })).message).toMatch(/could not find that integration/);
    expect((await j.invoke('mapping.edit', { t: TENANT, integrationId: 'nope', op: 'reset', ruleId: '-' })).message).toMatch(/could not find that integration/);
  });

  it('nothing the guard answered or logged contains a stack trace', () => {
    expect(j.everything()).not.toMatch(/\n\s+at .+:\d+:\d+/);
    for (const line of refusals()) expect(JSON.stringify(line)).not.toMatch(/\.ts:\d+|node_modules/);
  });
});
