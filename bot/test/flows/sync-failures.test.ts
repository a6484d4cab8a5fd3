import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { Journey, TENANT, actionsOf, cardText } from '../support/journey.js';
import { linkWithDefaults } from './support.js';

/** What users see when a connection cannot do what the sync needs. */
describe('sync failures', () => {
  const j = new Journey();
  beforeAll(async () => {
    await j.start();
    j.ado.addPat('team-pat', ['vso.work', 'vso.project', 'vso.identity', 'vso.graph']);
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: 'team-pat', name: 'Read-only ADO' });
    const pwa = await j.say('connect pwa');
    await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'token', secret: PWA_DEMO_CREDENTIALS.bearerToken });
    await linkWithDefaults(j);
  });
  afterAll(() => j.stop());

  it('a PAT without write scope: the preview works, the apply reports every item it could not write and why', async () => {
    const { id } = await j.say('sync Apollo');
    const preview = await j.waitForUpdate(id, (t) => t.startsWith('Preview:'));
    const approve = actionsOf(preview).find((a) => a.verb === 'sync.approve')!;
    await j.invoke(approve.verb, approve.data, { replyToId: id });
    const report = await j.waitForUpdate(id, (t) => /^Sync failed/.test(t));
    await j.settle();
    const text = cardText(report);
    expect(text).toMatch(/Changed\n0/);
    expect(text).toMatch(/Skipped, and why/);
    expect(text).toMatch(/Work Items: Read & write/);
    const history = await j.say('history Apollo');
    expect(cardText(history.card)).toMatch(/Failed/);
  });

  it('a revoked PAT: the preview says what is wrong and the connection is marked as needing attention', async () => {
    j.ado.revokePat('team-pat');
    const { id } = await j.say('sync Apollo');
    const card = await j.waitForUpdate(id, (t) => /Could not prepare the preview/.test(t));
    expect(cardText(card)).toMatch(/Azure DevOps refused the token .*\(401\)/);
    expect(actionsOf(card).map((a) => a.title)).toEqual(['Try again', 'Manage connections']);
    const connections = await j.say('connections');
    expect(cardText(connections.card)).toMatch(/1 needs attention/);
    expect(JSON.stringify(connections.card)).toContain('Fix: replace secret');
  });

  it('fixing the PAT from "connections" makes the next preview work', async () => {
    const adoId = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' }))[0]!.id;
    const { card } = await j.say('connections');
    await j.click(card, 'Check and save', { [`secret_${adoId.replace(/[^A-Za-z0-9]/g, '')}`]: ADO_DEMO_PATS.fullAccess }, { where: { connectionId: adoId } });
    const { id } = await j.say('sync Apollo');
    const preview = await j.waitForUpdate(id, (t) => /^Preview:/.test(t));
    expect(cardText(preview)).toMatch(/Create in ADO\n\d+/);
  });
});
