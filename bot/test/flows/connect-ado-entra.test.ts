import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../../../sim/entra/server.js';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { Journey, TENANT, actionsOf, cardText, inputsOf } from '../support/journey.js';
import { linkWithDefaults } from './support.js';

/**
 * Connecting Azure DevOps without a PAT, in chat: a Microsoft Entra service principal from the
 * Entra simulator, trusted by the ADO simulator; then link and sync with it. Also a PAT the
 * organization's policy refuses.
 */
const SP = ENTRA_DEMO.adoServicePrincipal;
const OUTSIDER = ENTRA_DEMO.outsiderServicePrincipal;

describe('connect Azure DevOps with a Microsoft Entra service principal', () => {
  let entra: EntraSimulator;
  let dir: string;
  const j = new Journey();
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'planbridge-entra-'));
    await writeFile(join(dir, 'ca.pem'), entra.caPem);
    await j.start({ env: { ADO_ENTRA_AUTHORITY: entra.url, ADO_ENTRA_CA_FILE: join(dir, 'ca.pem') }, ado: { trustedIssuers: [entra.trust] } });
  });
  afterAll(async () => {
    await j.stop();
    await entra.close();
    await rm(dir, { recursive: true, force: true });
  });

  const entraInputs = (over: Record<string, string> = {}) => ({ url: j.ado.url, method: 'entra', tenantId: ENTRA_DEMO.tenantId, clientId: SP.clientId, ...over });

  it('offers a PAT or a service principal (tenant, client id, secret or certificate), every input labelled', async () => {
    const { card } = await j.say('connect ado');
    const inputs = inputsOf(card);
    expect(inputs.map((i) => i.id)).toEqual(['url', 'method', 'pat', 'expiresOn', 'tenantId', 'clientId', 'clientSecret', 'certificateCredential', 'name']);
    for (const input of inputs) expect(input.label, String(input.id)).toEqual(expect.any(String));
    const methods = (inputs.find((i) => i.id === 'method')!.choices as Array<{ value: string }>).map((c) => c.value);
    // Not in Azure: no managed identity to offer.
    expect(methods).toEqual(['pat', 'entra']);
    expect(inputs.find((i) => i.id === 'clientSecret')).toMatchObject({ style: 'Password' });
    expect(cardText(card)).toMatch(/global PATs stopped working on 2026-12-01/);
  });

  it('checks the form: ids, and a secret or a certificate, not both', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', entraInputs({ tenantId: 'nope', clientId: 'x', clientSecret: 'typed-secret-1', certificateCredential: '-----BEGIN CERTIFICATE-----' }));
    const text = cardText(reply.card);
    expect(text).toMatch(/Give the tenant \(directory\) ID/);
    expect(text).toMatch(/Give the application \(client\) ID/);
    expect(text).toMatch(/a client secret or a certificate, not both/);
    expect(JSON.stringify(reply.card)).not.toContain('typed-secret-1');
  });

  it('a wrong secret is refused by Entra ID, said beside the credential, never echoed', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', entraInputs({ clientSecret: 'wrong-secret-77' }));
    const body = JSON.stringify(reply.card);
    expect(cardText(reply.card)).toMatch(/AADSTS7000215\). Entra ID refused the client secret/);
    expect(body.indexOf('AADSTS7000215')).toBeGreaterThan(body.indexOf('"id":"certificateCredential"'));
    expect(body).not.toContain('wrong-secret-77');
    expect(inputsOf(reply.card).find((i) => i.id === 'clientId')?.value).toBe(SP.clientId);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' })).toEqual([]);
  });

  it('a principal not added to the organization: Azure DevOps refuses it, and the card says how to add it', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', entraInputs({ clientId: OUTSIDER.clientId, clientSecret: OUTSIDER.clientSecret }));
    expect(cardText(reply.card)).toMatch(/Add the service principal to the organization first/);
  });

  it('the right secret connects as the service principal, stored sealed, with the same checklist', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', entraInputs({ clientSecret: SP.clientSecret, name: 'Contoso via SP' }));
    const text = cardText(reply.card);
    expect(text).toMatch(/Connected to Azure DevOps: Contoso via SP/);
    expect(text).toMatch(new RegExp(`signed in as ${SP.displayName}`));
    expect(text).toMatch(/Work Items: Read & write\npresent/);
    expect(text).toMatch(/Microsoft Entra tokens are renewed before they expire/);
    const stored = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' })).find((c) => c.name === 'Contoso via SP')!;
    expect(stored.auth).toEqual({ type: 'entra', tenantId: ENTRA_DEMO.tenantId, clientId: SP.clientId, credential: 'secret' });
    expect(JSON.stringify(stored)).not.toContain(SP.clientSecret);
    expect(await j.bot.bot.store.connections.revealSecret(stored)).toBe(SP.clientSecret);
    expect(actionsOf(reply.card).map((a) => a.title)).toContain('Check again');
    const again = await j.click(reply.card, 'Check again');
    expect(cardText(again.card)).toMatch(/Connected to Azure DevOps: Contoso via SP/);
  });

  it('links and syncs Apollo with the service principal: the work items are created by it', async () => {
    const pwa = await j.say('connect pwa');
    await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA' });
    const linked = await linkWithDefaults(j);
    expect(cardText(linked)).toMatch(/Linked: Apollo ↔ Phoenix/);
    const integration = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!;
    const sp = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' })).find((c) => c.name === 'Contoso via SP')!;
    expect(integration.adoConnectionId).toBe(sp.id);

    const preview = await j.say('sync Apollo');
    const card = await j.waitForUpdate(preview.id, (t) => t.startsWith('Preview:'));
    const approve = actionsOf(card).find((a) => a.verb === 'sync.approve')!;
    await j.invoke('sync.approve', approve.data, { replyToId: preview.id });
    await j.waitForUpdate(preview.id, (t) => t.startsWith('Synced'));
    await j.settle();
    const created = [...j.ado.state.items.values()].filter((i) => (i.fields['System.CreatedBy'] as { displayName?: string } | undefined)?.displayName === SP.displayName);
    expect(created.length).toBeGreaterThan(0);
  });

  it('a certificate with its private key connects too', async () => {
    const cert = entra.adoServicePrincipalCertificate;
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', entraInputs({ certificateCredential: cert.certPem + cert.keyPem, name: 'Contoso via cert' }));
    expect(cardText(reply.card)).toMatch(/Connected to Azure DevOps: Contoso via cert/);
    expect(cardText(reply.card)).toMatch(/with a certificate/);
    const keyLine = cert.keyPem.split('\n')[1]!;
    expect(j.everything()).not.toContain(keyLine);
    expect(j.bot.logText()).not.toContain(keyLine);
  });

  it('a PAT the organization refuses by policy: says a new PAT will not help and offers the service principal', async () => {
    j.ado.setPatPolicy({ conditionalAccess: true });
    try {
      const { card } = await j.say('connect ado');
      const reply = await j.click(card, 'Connect', { url: j.ado.url, method: 'pat', pat: ADO_DEMO_PATS.fullAccess });
      const body = JSON.stringify(reply.card);
      expect(cardText(reply.card)).toMatch(/no longer accepts personal access tokens .*Microsoft Entra service principal/);
      expect(body.indexOf('no longer accepts')).toBeGreaterThan(body.indexOf('"id":"pat"'));
    } finally {
      j.ado.setPatPolicy({ conditionalAccess: false });
    }
  });

  it('no reply or log line holds a secret that was typed', () => {
    for (const secret of [SP.clientSecret, OUTSIDER.clientSecret, 'wrong-secret-77', 'typed-secret-1']) {
      expect(j.everything()).not.toContain(secret);
      expect(j.bot.logText()).not.toContain(secret);
    }
  });
});

describe('connect Azure DevOps: this app\'s managed identity, when running in Azure', () => {
  const j = new Journey();
  beforeAll(() => j.start({ env: { ADO_ENTRA_MANAGED_IDENTITY: 'true' } }));
  afterAll(() => j.stop());

  it('is offered once the form comes back, and its failure outside Azure is said plainly', async () => {
    const { card } = await j.say('connect ado');
    const reply = await j.click(card, 'Connect', { url: j.ado.url, method: 'managed-identity' });
    const methods = (inputsOf(reply.card).find((i) => i.id === 'method')!.choices as Array<{ value: string }>).map((c) => c.value);
    expect(methods).toContain('managed-identity');
    expect(cardText(reply.card)).toMatch(/managed identity|Microsoft Entra ID/i);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' })).toEqual([]);
  });
});
