import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { Journey, TENANT, cardText, inputsOf, type Card } from '../support/journey.js';

/** "connections": list, rename, check again, replace the secret, remove with confirmation. */
describe('manage connections', () => {
  const j = new Journey();
  let adoId: string;

  beforeAll(async () => {
    await j.start();
    j.ado.addPat('rotating-pat-1', ['app_token']);
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: 'rotating-pat-1', name: 'Contoso ADO' });
    const pwa = await j.say('connect pwa');
    await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'token', secret: PWA_DEMO_CREDENTIALS.bearerToken, name: 'Contoso PWA' });
    adoId = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' }))[0]!.id;
  });
  afterAll(() => j.stop());

  const key = (prefix: string) => `${prefix}_${adoId.replace(/[^A-Za-z0-9]/g, '')}`;
  const rowOf = (card: Card, name: string) => cardText(card).split('\n').slice(cardText(card).split('\n').indexOf(name)).slice(0, 6).join('\n');

  it('lists every connection with its kind and state, and no secret', async () => {
    const { card } = await j.say('connections');
    const text = cardText(card);
    expect(text).toMatch(/2 connections\./);
    expect(text).toContain('Contoso ADO');
    expect(text).toContain('Contoso PWA');
    expect(rowOf(card, 'Contoso ADO')).toMatch(/OK/);
    expect(JSON.stringify(card)).not.toContain('rotating-pat-1');
    expect(inputsOf(card).filter((i) => i.style === 'Password').every((i) => i.value === undefined)).toBe(true);
  });

  it('renames a connection', async () => {
    const { card } = await j.say('connections');
    const reply = await j.click(card, 'Save name', { [key('name')]: 'Phoenix org' }, { where: { connectionId: adoId } });
    expect(cardText(reply.card)).toMatch(/Renamed\./);
    expect(cardText(reply.card)).toContain('Phoenix org');
  });

  it('a revoked PAT: check again marks the connection as needing attention, with the fix offered', async () => {
    j.ado.revokePat('rotating-pat-1');
    const { card } = await j.say('connections');
    const reply = await j.click(card, 'Check again', {}, { where: { connectionId: adoId } });
    const text = cardText(reply.card);
    expect(text).toMatch(/needs attention/);
    expect(text).toMatch(/did not accept the personal access token/);
    expect(JSON.stringify(reply.card)).toContain('Fix: replace secret');
    const listed = await j.say('connections');
    expect(cardText(listed.card)).toMatch(/1 needs attention/);
  });

  it('a replacement secret that does not work is refused and the old one kept', async () => {
    const { card } = await j.say('connections');
    const reply = await j.click(card, 'Check and save', { [key('secret')]: 'also-wrong-pat' }, { where: { connectionId: adoId } });
    expect(reply.message).toMatch(/did not work, so the old one was kept/);
    const stored = (await j.bot.bot.store.connections.get(TENANT, adoId))!;
    expect(await j.bot.bot.store.connections.revealSecret(stored)).toBe('rotating-pat-1');
  });

  it('a working replacement secret is checked, stored encrypted, and clears the attention state', async () => {
    const { card } = await j.say('connections');
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const reply = await j.click(card, 'Check and save', { [key('secret')]: ADO_DEMO_PATS.fullAccess, [key('expires')]: expires }, { where: { connectionId: adoId } });
    expect(cardText(reply.card)).toMatch(/Connected to Azure DevOps: Phoenix org/);
    expect(cardText(reply.card)).toContain(`expires on ${expires}`);
    const listed = await j.say('connections');
    expect(rowOf(listed.card, 'Phoenix org')).toMatch(/OK/);
    expect(j.everything()).not.toContain(ADO_DEMO_PATS.fullAccess);
  });

  it('a PAT past its expiry date shows as needing attention', async () => {
    await j.bot.bot.store.connections.update(TENANT, adoId, () => ({ expiresOn: '2024-01-31' }));
    const { card } = await j.say('connections');
    expect(rowOf(card, 'Phoenix org')).toMatch(/Needs attention\s*The PAT expired on 2024-01-31/);
  });

  it('remove asks for confirmation first, then removes only that connection', async () => {
    const { card } = await j.say('connections');
    const removeButtons = JSON.stringify(card).match(/"title":"Remove"/g) ?? [];
    expect(removeButtons).toHaveLength(2);
    const confirm = await j.click(card, 'Remove', {}, { where: { connectionId: adoId } });
    expect(cardText(confirm.card)).toMatch(/Remove "Phoenix org"\?/);
    expect(await j.bot.bot.store.connections.get(TENANT, adoId)).toBeDefined();
    const done = await j.click(confirm.card, 'Remove');
    expect(cardText(done.card)).toMatch(/Removed "Phoenix org"\. 1 connection\./);
    expect(await j.bot.bot.store.connections.get(TENANT, adoId)).toBeUndefined();
  });
});
