import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../../sim/entra/server.js';
import { startGraphSimulator, type GraphSimulator } from '../../../sim/graph/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { M365AppTokens } from '../../src/connectors/m365/index.js';
import { signsInWithBareToken } from '../../src/flows/plan-systems.js';
import { createLogger } from '../../src/log.js';
import { ADA, GRACE, Journey, TENANT, cardText, inputsOf, type Card } from '../support/journey.js';
import { presets } from './support.js';

/**
 * "connect outlook" with app access and no pasted token, through the real bot: PlanBridge gets
 * app-only Graph tokens for its own Entra app from the Entra simulator (client credentials) and
 * the Graph simulator, which trusts only that simulator (no demo tokens), applies the demo
 * tenant's application access policy. Only a tenant admin may connect it; it can be scheduled.
 */
describe('Outlook app access as PlanBridge\'s own app', () => {
  const j = new Journey();
  let entra: EntraSimulator;
  let graph: GraphSimulator;
  let caDir: string;
  const PM = ENTRA_DEMO.user.username;

  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    graph = await startGraphSimulator({ port: 0, trustedIssuers: [entra.trust], acceptDemoTokens: false });
    caDir = await mkdtemp(join(tmpdir(), 'planbridge-entra-ca-'));
    await writeFile(join(caDir, 'ca.pem'), entra.caPem);
    await j.start({
      env: { PWA_OAUTH_AUTHORITY: entra.authority, PWA_OAUTH_CA_FILE: join(caDir, 'ca.pem'), PLANBRIDGE_TENANT_ADMINS: ADA.aadObjectId },
      seams: { scheduler: 'manual' },
    });
  });
  afterAll(async () => {
    await j.stop();
    await Promise.all([entra?.close(), graph?.close()]);
    await rm(caDir, { recursive: true, force: true });
  });

  const appChoice = (card: Card) => (inputsOf(card).find((i) => i.id === 'access') as { choices?: Array<{ title: string; value: string }> } | undefined)?.choices?.find((c) => c.value === 'app');
  const connectAsApp = async (mailbox: string, as = ADA) => {
    const { card } = await j.say('connect outlook', as);
    return j.click(card, 'Connect', { ...presets(card), access: 'app', mailbox, graphUrl: graph.apiUrl, token: '', name: '' }, { as });
  };

  it('offers app access without a token, saying PlanBridge renews the app token', async () => {
    const { card } = await j.say('connect outlook');
    expect(appChoice(card)?.title).toMatch(/no token: PlanBridge renews the app token/);
    expect(cardText(card)).toMatch(/leave the token empty and PlanBridge gets and renews its app token itself \(tenant admins only\)/);
  });

  it('refuses a person who is not a tenant admin, saying who may', async () => {
    const reply = await connectAsApp(PM, GRACE);
    expect(cardText(reply.card)).toMatch(/Only PlanBridge tenant admins \(PLANBRIDGE_TENANT_ADMINS\) may connect Outlook as PlanBridge's own app/);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' })).toEqual([]);
    expect(graph.requests).toHaveLength(0);
  });

  it('refuses a mailbox outside the application access policy, with the Graph error explained', async () => {
    const reply = await connectAsApp(ENTRA_DEMO.viewer.username);
    const text = cardText(reply.card);
    expect(text).toMatch(/An Exchange application access policy keeps PlanBridge's app out of the calendar of viewer@contoso.onmicrosoft.com \(403 "Access to OData is disabled."\)/);
    expect(text).toMatch(/Nothing was saved|New-ApplicationAccessPolicy/);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' })).toEqual([]);
  });

  it('a tenant admin connects it for a mailbox in the policy: no token stored, and the checklist names the mailbox', async () => {
    graph.clearRequests();
    const reply = await connectAsApp(PM);
    const text = cardText(reply.card);
    expect(text).toMatch(/Connected to Outlook: Outlook: Demo PM/);
    expect(text).toContain(`as PlanBridge's app in ${PM} (PlanBridge renews the app token)`);
    expect(text).toMatch(/Events are created in the calendar of\s*Demo PM \(pm@contoso.onmicrosoft.com\)/);
    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' });
    expect(stored).toMatchObject({
      auth: { type: 'oauth', clientId: ENTRA_DEMO.clientId, appOnly: true, scopes: ['https://graph.microsoft.com/.default'], authority: `${entra.url}/${ENTRA_DEMO.tenantId}` },
      outlook: { access: 'app', mailbox: PM, address: PM }, check: { ok: true },
    });
    expect(stored!.secret).toBeUndefined();
    expect(signsInWithBareToken(stored!)).toBe(false);
    // Graph saw PlanBridge's app (an app-only token from the Entra simulator) in the PM's mailbox.
    expect(graph.requests.length).toBeGreaterThan(0);
    expect(graph.requests.every((r) => r.appId === ENTRA_DEMO.clientId && r.status < 400)).toBe(true);
    expect(graph.requests.some((r) => r.path.includes(`/users/${encodeURIComponent(PM)}`) || r.path.includes(`/users/${PM}`))).toBe(true);
  });

  it('"Check again" reads the calendar through the real connector with a fresh app token', async () => {
    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'outlook' });
    graph.clearRequests();
    const again = await j.invoke('conn.recheck', { connectionId: stored!.id, t: TENANT });
    expect(cardText(again.card!)).toMatch(/Connected to Outlook/);
    expect(cardText(again.card!)).toMatch(/Read the calendar\s*allowed/);
    expect(graph.requests.some((r) => r.method === 'GET' && r.status === 200 && r.appId === ENTRA_DEMO.clientId)).toBe(true);
  });

  it('an Outlook integration using it can be scheduled', async () => {
    const pwa = await j.say('connect pwa');
    const connected = await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA', timeZone: 'Europe/Berlin' });
    await j.click(connected.card, 'Create fields');
    const link = await j.say('link project Apollo to Outlook');
    expect(cardText((await j.click(link.card, 'Create integration', presets(link.card))).card)).toMatch(/Linked: Apollo → Outlook/);
    const scheduled = cardText((await j.say('schedule Apollo hourly')).card);
    expect(scheduled).not.toMatch(/pasted access token/);
    expect(scheduled).toMatch(/Scheduled: Apollo → Outlook/);
  });
});

describe('M365AppTokens.authorityFor', () => {
  const logger = createLogger({ level: 'silent' });
  const tokens = (authority: string, appTenant?: string) => new M365AppTokens({ settings: { clientId: 'c', clientSecret: 's', authority, redirectUri: 'http://localhost/cb', ...(appTenant ? { appTenant } : {}) }, logger });

  it('keeps a tenant the authority names; otherwise puts in the local tenant or the Teams tenant', () => {
    expect(tokens('https://login.microsoftonline.com/contoso.onmicrosoft.com').authorityFor(TENANT)).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(tokens('https://login.microsoftonline.com/organizations').authorityFor(TENANT)).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(tokens('https://login.microsoftonline.com/common/').authorityFor(TENANT)).toBe(`https://login.microsoftonline.com/${TENANT}`);
    expect(tokens('https://127.0.0.1:8083/organizations', ENTRA_DEMO.tenantId).authorityFor(TENANT)).toBe(`https://127.0.0.1:8083/${ENTRA_DEMO.tenantId}`);
  });

  it('refuses an authority on another host than the configured one', async () => {
    await expect(tokens('https://login.microsoftonline.com/organizations').accessToken('https://evil.example/t')).rejects.toThrow(/this PlanBridge signs in at https:\/\/login.microsoftonline.com/);
  });
});
