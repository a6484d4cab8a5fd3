import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { Journey, cardText, inputsOf, TENANT } from '../support/journey.js';

/** The connect journeys over HTTP against both simulators. */
describe('connect Azure DevOps', () => {
  const j = new Journey();
  beforeAll(() => j.start());
  afterAll(() => j.stop());

  it('asks for the URL, a masked PAT, a name and the expiry date', async () => {
    const { card } = await j.say('connect ado');
    const inputs = inputsOf(card);
    expect(inputs.map((i) => i.id)).toEqual(['url', 'method', 'pat', 'expiresOn', 'tenantId', 'clientId', 'clientSecret', 'certificateCredential', 'name']);
    expect(inputs.find((i) => i.id === 'method')?.value).toBe('pat');
    expect(inputs.find((i) => i.id === 'pat')).toMatchObject({ style: 'Password' });
    expect(cardText(card)).toMatch(/at most one year/);
  });

  it('re-shows the form with values kept and the error beside the field, never the PAT', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', { url: 'contoso', pat: 'my-secret-pat-123', name: 'Main org', expiresOn: '2020-01-01' });
    const inputs = inputsOf(reply.card);
    expect(inputs.find((i) => i.id === 'url')?.value).toBe('contoso');
    expect(inputs.find((i) => i.id === 'name')?.value).toBe('Main org');
    expect(inputs.find((i) => i.id === 'pat')?.value).toBeUndefined();
    const text = cardText(reply.card);
    expect(text).toMatch(/looks like an organization name, not a URL/);
    expect(text).toMatch(/That date has passed/);
    expect(JSON.stringify(reply.card)).not.toContain('my-secret-pat-123');
    // The error sits right after its input.
    const body = JSON.stringify(reply.card);
    expect(body.indexOf('looks like an organization name')).toBeGreaterThan(body.indexOf('"id":"url"'));
    expect(body.indexOf('looks like an organization name')).toBeLessThan(body.indexOf('"id":"pat"'));
  });

  it('a PAT ADO rejects is reported beside the PAT field', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', { url: j.ado.url, pat: 'not-a-real-pat' });
    const body = JSON.stringify(reply.card);
    expect(cardText(reply.card)).toMatch(/did not accept the personal access token/);
    expect(body.indexOf('"id":"pat"')).toBeGreaterThan(-1);
    expect(body.indexOf('did not accept')).toBeGreaterThan(body.indexOf('"id":"pat"'));
    expect(body.indexOf('did not accept')).toBeLessThan(body.indexOf('"id":"expiresOn"'));
    expect(body).not.toContain('not-a-real-pat');
  });

  it('a read-only PAT connects with a checklist naming the missing scope and what to add', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.readOnly, name: 'Read only' });
    const text = cardText(reply.card);
    expect(text).toMatch(/missing 1 scope/);
    expect(text).toMatch(/Work Items: Read & write\n.*missing/);
    expect(text).toMatch(/Project and Team: Read\npresent/);
    expect(text).toMatch(/at most one year/);
    expect(JSON.stringify(reply.card)).not.toContain(ADO_DEMO_PATS.readOnly);
  });

  it('a full-access PAT connects with every scope present, the expiry date, and the PAT stored encrypted', async () => {
    const { card } = await j.say('connect ado');
    const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const reply = await j.click(card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso', expiresOn: expires });
    const text = cardText(reply.card);
    expect(text).toMatch(/Connected to Azure DevOps: Contoso/);
    expect(text).not.toMatch(/missing/);
    expect(text).toContain(`expires on ${expires}`);
    const stored = await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' });
    const contoso = stored.find((c) => c.name === 'Contoso')!;
    expect(contoso.expiresOn).toBe(expires);
    expect(JSON.stringify(contoso)).not.toContain(ADO_DEMO_PATS.fullAccess);
    expect(await j.bot.bot.store.connections.revealSecret(contoso)).toBe(ADO_DEMO_PATS.fullAccess);
  });

  it('no reply or log line ever contains a PAT that was typed', () => {
    for (const pat of ['my-secret-pat-123', 'not-a-real-pat', ADO_DEMO_PATS.fullAccess, ADO_DEMO_PATS.readOnly]) {
      expect(j.everything()).not.toContain(pat);
      expect(j.bot.logText()).not.toContain(pat);
    }
  });
});

describe('connect Project Web App', () => {
  const j = new Journey();
  beforeAll(() => j.start());
  afterAll(() => j.stop());

  it('says honestly that Microsoft 365 sign-in is not set up here, keeping what was typed', async () => {
    const unconfigured = await new Journey().start({ seams: { signIn: false } });
    try {
      const { card } = await unconfigured.say('connect project online');
      expect(cardText(card)).toMatch(/needs an Entra app registration for PlanBridge/);
      const reply = await unconfigured.click(card, 'Connect', { url: unconfigured.pwa.url, method: 'oauth' });
      expect(cardText(reply.card)).toMatch(/this PlanBridge has none configured/);
      expect(inputsOf(reply.card).find((i) => i.id === 'url')?.value).toBe(unconfigured.pwa.url);
    } finally {
      await unconfigured.stop();
    }
  });

  it('local mode without the Entra simulator running: says to start it, keeping what was typed', async () => {
    const { card } = await j.say('connect pwa');
    const reply = await j.click(card, 'Connect', { url: j.pwa.url, method: 'oauth', name: 'Kept name' });
    expect(cardText(reply.card)).toMatch(/Entra simulator's certificate is not at .*npm run sim/);
    expect(inputsOf(reply.card).find((i) => i.id === 'name')?.value).toBe('Kept name');
  });

  it('wrong on-premises password: the error sits by the secret and nothing is stored', async () => {
    const { card } = await j.say('connect pwa');
    const reply = await j.click(card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: 'wrong-password-77' });
    expect(cardText(reply.card)).toMatch(/401|credentials|sign/i);
    expect(JSON.stringify(reply.card)).not.toContain('wrong-password-77');
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'pwa' })).toEqual([]);
  });

  it('on-premises credentials: verifies access, then creates and verifies the PlanBridge fields', async () => {
    const { card } = await j.say('connect pwa');
    const reply = await j.click(card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA' });
    const text = cardText(reply.card);
    expect(text).toMatch(/Connected to Project Web App: Contoso PWA/);
    expect(text).toMatch(/Edit, publish and check in plans\nallowed/);

    const verify = await j.click(reply.card, 'Verify configuration');
    expect(cardText(verify.card)).toMatch(/6 PlanBridge fields need attention/);
    expect(cardText(verify.card)).toMatch(/Sync to ADO \(flag\)\nmissing/);
    expect(cardText(verify.card)).toMatch(/Create event \(flag\)\nmissing/);

    const create = await j.click(verify.card, 'Create fields');
    expect(cardText(create.card)).toMatch(/set up correctly/);
    const again = await j.click(create.card, 'Verify configuration');
    expect(cardText(again.card)).toMatch(/set up correctly/);
    expect(cardText(again.card)).not.toMatch(/missing/);
  });

  it('Windows sign-in (NTLM) for Project Server SE: verifies access, stores the method, and the stored connection works', async () => {
    const { card } = await j.say('connect pwa');
    const reply = await j.click(card, 'Connect', { url: j.pwa.url, method: 'ntlm', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Windows PWA' });
    expect(cardText(reply.card)).toMatch(/Connected to Project Web App: Windows PWA/);
    expect(cardText(reply.card)).toContain('with Windows sign-in (NTLM) as demo\\pm.');
    const stored = (await j.bot.bot.store.connections.list(TENANT, { kind: 'pwa' })).find((c) => c.name === 'Windows PWA')!;
    expect(stored.auth).toEqual({ type: 'ntlm', username: PWA_DEMO_CREDENTIALS.username });
    // The stored connection signs in the same way when it is used again.
    const verify = await j.click(reply.card, 'Verify configuration');
    expect(cardText(verify.card)).toMatch(/PlanBridge fields|set up correctly/);
    expect(j.everything()).not.toContain(PWA_DEMO_CREDENTIALS.password);
  });

  it('an access token connects too', async () => {
    const { card } = await j.say('connect pwa');
    const reply = await j.click(card, 'Connect', { url: j.pwa.url, method: 'token', secret: PWA_DEMO_CREDENTIALS.bearerToken, name: 'Token PWA' });
    expect(cardText(reply.card)).toMatch(/Connected to Project Web App: Token PWA/);
    expect(j.everything()).not.toContain(PWA_DEMO_CREDENTIALS.bearerToken);
    expect(j.everything()).not.toContain(PWA_DEMO_CREDENTIALS.password);
    expect(j.bot.logText()).not.toContain(PWA_DEMO_CREDENTIALS.password);
  });
});

describe('connect Project Web App with Microsoft 365 sign-in configured', () => {
  const j = new Journey();
  const begun: Array<Record<string, unknown>> = [];
  beforeAll(() => j.start({
    seams: {
      signIn: {
        async begin(input) {
          begun.push(input as unknown as Record<string, unknown>);
          return { startUrl: 'https://planbridge.example/auth/pwa/start?s=abc', expiresAt: '2026-11-23T10:10:00.000Z' };
        },
      },
    },
  }));
  afterAll(() => j.stop());

  it('offers the sign-in first and answers with a button to the sign-in page, storing nothing yet', async () => {
    const { card } = await j.say('connect pwa');
    expect(inputsOf(card).find((i) => i.id === 'method')?.value).toBe('oauth');
    expect(cardText(card)).toMatch(/If you pick Microsoft 365 sign-in, a Microsoft page opens in your browser/);
    const reply = await j.click(card, 'Connect', { url: j.pwa.url, method: 'oauth', name: 'Online', timeZone: 'Europe/Berlin' });
    expect(cardText(reply.card)).toMatch(/Sign in to Project Web App/);
    expect(JSON.stringify(reply.card)).toContain('"url":"https://planbridge.example/auth/pwa/start?s=abc"');
    expect(begun).toEqual([expect.objectContaining({ tenantId: TENANT, system: 'pwa', url: j.pwa.url, name: 'Online', timeZone: 'Europe/Berlin', requestedBy: expect.objectContaining({ name: 'Ada Lovelace' }) })]);
    expect((begun[0]!.conversation as { conversation?: { id?: string } }).conversation?.id).toBe(j.conversationId);
    expect(await j.bot.bot.store.connections.list(TENANT)).toEqual([]);
  });
});
