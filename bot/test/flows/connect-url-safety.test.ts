import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { Journey, cardText, inputsOf, TENANT } from '../support/journey.js';

/** Defect 5 and the URL half of defect 7 in the connect forms: refused before anything is sent, never echoed. */
describe('connect forms apply the URL policy', () => {
  const j = new Journey();
  beforeAll(() => j.start());
  afterAll(() => j.stop());

  it('PWA: refuses credentials in the URL and does not echo them', async () => {
    const { card } = await j.say('connect pwa');
    const withCredentials = j.pwa.url.replace('://', '://pm:Url-Secret-77@');
    const reply = await j.click(card, 'Connect', { url: withCredentials, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password });
    expect(cardText(reply.card)).toMatch(/Do not put a user name or password in the address of Project Web App/);
    expect(JSON.stringify(reply.card)).not.toContain('Url-Secret-77');
    expect(inputsOf(reply.card).find((i) => i.id === 'url')?.value).toBe(j.pwa.url);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'pwa' })).toEqual([]);
  });

  it.each(['https://169.254.169.254/sites/pwa', 'https://[::ffff:169.254.169.254]/sites/pwa'])('PWA: refuses the metadata address %s in every mode', async (url) => {
    const { card } = await j.say('connect pwa');
    const reply = await j.click(card, 'Connect', { url, method: 'token', secret: PWA_DEMO_CREDENTIALS.bearerToken });
    expect(cardText(reply.card)).toMatch(/private or internal address .*cloud metadata/);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'pwa' })).toEqual([]);
  });

  it('ADO: a URL with credentials is refused and shown back without them', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', { url: j.ado.url.replace('://', '://me:Url-Secret-88@'), pat: ADO_DEMO_PATS.fullAccess });
    expect(cardText(reply.card)).toMatch(/Do not put a user name or password/);
    expect(JSON.stringify(reply.card)).not.toContain('Url-Secret-88');
    expect(inputsOf(reply.card).find((i) => i.id === 'url')?.value).toBe(j.ado.url);
  });
});
