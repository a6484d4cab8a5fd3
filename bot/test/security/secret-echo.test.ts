import { describe, expect, it } from 'vitest';
import { looksLikeSecret, maskSecrets } from '../../src/text/secrets.js';
import { cardOf } from '../support/fake-connector.js';
import { messageActivity } from '../support/activities.js';
import { useLocalBot } from '../support/local-bot.js';

/** Made-up credentials in the real formats. */
const SECRETS = {
  classicPat: 'k3xq7m2vplw4nz5rgt6yabc2defg3hijk4lmno5pqrs6tuvw7xyz',
  newPat: `${'A1b2C3d4E5f6G7h8I9j0'.repeat(3)}K1l2M3n4O5p6Q7r8AZDO9s8T`,
  jwt: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJhcGk6Ly9wbGFuYnJpZGdlIiwic3ViIjoiYWRhIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg',
  passwordPair: 'password=Hunter2-but-longer',
  urlCredentials: 'https://ada:s3cr3t-pass@pwa.contoso.com/sites/pwa',
  clientSecret: 'Xy8Q~aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789.-_',
  bearer: 'Bearer abcdefghijklmnop.qrstuvwx',
  github: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
};

/** A piece of each credential that must never come back (a URL's host may). */
const tell = (secret: string) => (secret === SECRETS.urlCredentials ? 's3cr3t-pass' : secret.slice(-12));

describe('secret-looking text', () => {
  expect(SECRETS.classicPat).toHaveLength(52);
  expect(SECRETS.newPat).toHaveLength(84);

  it.each(Object.entries(SECRETS))('%s is recognised and masked', (_kind, secret) => {
    expect(looksLikeSecret(`deploy ${secret} now`)).toBe(true);
    const masked = maskSecrets(`deploy ${secret} now`);
    expect(masked).toMatch(/^deploy .*\[hidden\].* now$/);
    expect(masked).not.toContain(tell(secret));
  });

  it.each([
    'sync "Apollo Rollout" to ADO',
    'status 3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    'plan hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'connect ado https://dev.azure.com/Contoso/ProjectPhoenix2024/_apis/wit/workItems',
    'schedule Apollo daily at 09:00 Europe/Berlin',
    'link project Apollo to ADO project Phoenix',
    'the path=/sites/pwa and update: tomorrow',
  ])('"%s" is not a secret', (text) => {
    expect(looksLikeSecret(text)).toBe(false);
    expect(maskSecrets(text)).toBe(text);
  });
});

describe('unknown commands never echo a secret', () => {
  const world = useLocalBot();

  it.each([
    ['an unknown word and a PAT', (s: string) => `deploy ${s}`],
    ['a near-miss verb, whose suggestion repeats the arguments', (s: string) => `synk Apollo ${s}`],
  ])('%s', async (_name, typed) => {
    for (const secret of Object.values(SECRETS)) {
      const conversationId = `a:echo-${Math.random().toString(36).slice(2)}`;
      await world.bot.post(messageActivity(typed(secret), { serviceUrl: world.connector.url, conversationId }));
      const [reply] = await world.connector.waitFor(conversationId, 1);
      const sent = JSON.stringify(reply!.body);
      expect(sent, secret).not.toContain(tell(secret));
      expect(JSON.stringify(cardOf(reply!))).toMatch(/didn't understand/);
    }
  });

  it('ordinary unknown text is still echoed', async () => {
    const conversationId = `a:echo-plain-${Math.random().toString(36).slice(2)}`;
    await world.bot.post(messageActivity('synk Apollo', { serviceUrl: world.connector.url, conversationId }));
    const [reply] = await world.connector.waitFor(conversationId, 1);
    const sent = JSON.stringify(cardOf(reply!));
    expect(sent).toContain('synk Apollo');
    expect(sent).toContain('sync Apollo');
  });
});
