import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { Journey, TENANT, cardText } from '../support/journey.js';
import { linkWithDefaults } from './support.js';

/** A PWA connection made with a bare access token lasts about an hour: it is not offered for schedules. */
describe('schedules refuse a plan connection that cannot last', () => {
  const j = new Journey();
  beforeAll(async () => {
    await j.start();
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
    const pwa = await j.say('connect pwa');
    await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'token', secret: PWA_DEMO_CREDENTIALS.bearerToken, name: 'Token PWA' });
    await linkWithDefaults(j);
  });
  afterAll(() => j.stop());

  it('says why, and what to connect with instead; on demand stays possible', async () => {
    const text = cardText((await j.say('schedule Apollo daily at 09:00 Europe/Berlin')).card);
    expect(text).toMatch(/"Token PWA" signs in to Project Web App with a bare access token, which expires within about an hour/);
    expect(text).toMatch(/Reconnect it with Microsoft 365 sign-in .* or with Windows or Basic credentials/);
    const integration = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!;
    expect(integration.scheduling).toBeUndefined();
    expect(cardText((await j.say('schedule Apollo off')).card)).toMatch(/now syncs only when asked/);
  });
});
