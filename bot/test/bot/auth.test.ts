import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { FakeConnector, cardOf } from '../support/fake-connector.js';
import { messageActivity } from '../support/activities.js';
import { LocalOpenId, strangerKey } from '../support/local-openid.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';

const CLIENT_ID = '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const TENANT_ID = '11111111-1111-4111-8111-111111111111';

describe('authenticated mode (CLIENT_ID + CLIENT_SECRET)', () => {
  let openId: LocalOpenId;
  let connector: FakeConnector;
  let bot: TestBot;

  beforeAll(async () => {
    openId = await new LocalOpenId().start();
    connector = await new FakeConnector().start();
    // The outbound token is only presented to the fake connector; it never reaches Entra.
    const outbound = await new SignJWT({ aud: 'https://api.botframework.com' })
      .setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('local-outbound-signing-key-32byte'));
    bot = await startTestBot(
      { CLIENT_ID, CLIENT_SECRET: 'not-a-real-secret', TENANT_ID, HOST: '127.0.0.1' },
      { cloud: openId.cloud(), token: () => outbound },
    );
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.stop();
    await openId?.stop();
  });

  const activity = (conversationId: string) => messageActivity('help', { serviceUrl: connector.url, conversationId });

  it('reports authenticated mode in /healthz', async () => {
    const body = (await (await fetch(`${bot.bot.url}/healthz`)).json()) as { auth: string };
    expect(body.auth).toBe('client-secret');
  });

  it('rejects a request without a token', async () => {
    expect((await bot.post(activity('a:no-token'))).status).toBe(401);
  });

  it('rejects a token signed by a key the OpenID metadata does not publish', async () => {
    const token = await openId.token({ aud: CLIENT_ID, serviceurl: connector.url }, await strangerKey());
    expect((await bot.post(activity('a:bad-sig'), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('rejects a token for another audience', async () => {
    const token = await openId.token({ aud: '99999999-9999-4999-8999-999999999999', serviceurl: connector.url });
    expect((await bot.post(activity('a:bad-aud'), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('rejects a token whose serviceurl claim does not match the activity', async () => {
    const token = await openId.token({ aud: CLIENT_ID, serviceurl: 'https://smba.evil.example/teams/' });
    expect((await bot.post(activity('a:bad-serviceurl'), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('rejects a token from another issuer', async () => {
    const token = await openId.token({ aud: CLIENT_ID, serviceurl: connector.url, iss: 'https://issuer.evil.example' });
    expect((await bot.post(activity('a:bad-iss'), { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('none of the rejected requests reached a flow', () => {
    expect(connector.activities).toHaveLength(0);
  });

  it('accepts a valid token and replies through the connector with its own credentials', async () => {
    const token = await openId.token({ aud: CLIENT_ID, serviceurl: connector.url });
    const res = await bot.post(activity('a:valid'), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const [reply] = await connector.waitFor('a:valid', 1);
    expect(cardOf(reply!)).toBeDefined();
    expect(reply!.authorization).toMatch(/^Bearer ey/);
  });
});
