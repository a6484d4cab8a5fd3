import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { loadConfig } from '../../src/config.js';
import { connectBoth, presets } from '../flows/support.js';
import { ADA, GRACE, Journey, TENANT, cardText, type Card, type Person } from '../support/journey.js';

/**
 * Issue 16, defect 3: a second user of the same tenant could rename, re-key, remove and link
 * another person's connections. Driven over HTTP as each person would click.
 */
const INA: Person = { id: '29:user-ina', name: 'Ina Admin', aadObjectId: '00000000-0000-4000-8000-0000000000c3' };

describe('connections belong to who made them', () => {
  const j = new Journey();
  let adoId: string;
  let pwaId: string;
  const personal = j.conversationId;
  const key = (prefix: string, id: string) => `${prefix}_${id.replace(/[^A-Za-z0-9]/g, '')}`;
  const store = () => j.bot.bot.store;
  const connections = async (as: Person = ADA): Promise<Card> => (await j.say('connections', as)).card;

  beforeAll(async () => {
    await j.start();
    // What bot.ts does with config.tenantAdmins, through the same parsing.
    j.bot.bot.flows.tenantAdmins = loadConfig({ PLANBRIDGE_TENANT_ADMINS: INA.aadObjectId }).tenantAdmins;
    await connectBoth(j);
    adoId = (await store().connections.list(TENANT, { kind: 'ado' }))[0]!.id;
    pwaId = (await store().connections.list(TENANT, { kind: 'pwa' }))[0]!.id;
  });
  afterAll(() => j.stop());

  it('records the owner (Entra object id and name), "only me", and where it was made', async () => {
    const c = (await store().connections.get(TENANT, adoId))!;
    expect(c.owner).toEqual({ id: ADA.id, aadObjectId: ADA.aadObjectId, name: ADA.name });
    expect(c.sharing).toEqual({ mode: 'owner' });
    expect(c.origin).toEqual({ conversationId: personal, conversationKind: 'personal' });
    expect(c.createdBy).toBe(ADA.aadObjectId);
  });

  it('"connections" shows each owner and who may use it', async () => {
    const text = cardText(await connections());
    expect(text).toContain('Owner: Ada Lovelace. Used by: Only Ada Lovelace.');
  });

  it('another user cannot rename it, and is told who can', async () => {
    const reply = await j.click(await connections(GRACE), 'Save name', { [key('name', adoId)]: 'Mine now' }, { as: GRACE, where: { connectionId: adoId } });
    expect(reply.message).toBe('Only Ada Lovelace (its owner) or a PlanBridge tenant admin can change, share or remove "Contoso ADO".');
    expect((await store().connections.get(TENANT, adoId))!.name).toBe('Contoso ADO');
  });

  it('another user cannot replace the PAT', async () => {
    j.ado.addPat('grace-read-only', ['vso.work']);
    const reply = await j.click(await connections(GRACE), 'Check and save', { [key('secret', adoId)]: 'grace-read-only' }, { as: GRACE, where: { connectionId: adoId } });
    expect(reply.message).toMatch(/Only Ada Lovelace \(its owner\) or a PlanBridge tenant admin/);
    expect(await store().connections.revealSecret((await store().connections.get(TENANT, adoId))!)).toBe(ADO_DEMO_PATS.fullAccess);
  });

  it('another user cannot remove it, even with the confirmation button', async () => {
    const confirm = await j.click(await connections(), 'Remove', {}, { where: { connectionId: adoId } });
    const reply = await j.click(confirm.card, 'Remove', {}, { as: GRACE });
    expect(reply.message).toMatch(/Only Ada Lovelace \(its owner\)/);
    expect(await store().connections.get(TENANT, adoId)).toBeDefined();
  });

  it('another user cannot link it: no integration, and they do not become an approver', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    const reply = await j.click(card, 'Create integration', presets(card), { as: GRACE });
    expect(reply.message).toMatch(/You cannot use "Contoso (PWA|ADO)": it is shared with only Ada Lovelace\. Ask Ada Lovelace to share it with you/);
    expect((await store().integrations.list(TENANT)).items).toHaveLength(0);
  });

  it('another user cannot change the sharing of it', async () => {
    const reply = await j.invoke('conn.share', { t: TENANT, connectionId: adoId, mode: 'people', people: `aad:${GRACE.aadObjectId}` }, { as: GRACE });
    expect(reply.message).toMatch(/Only Ada Lovelace \(its owner\)/);
    expect((await store().connections.get(TENANT, adoId))!.sharing).toEqual({ mode: 'owner' });
  });

  it('a tenant admin may rename it, but may not link with it', async () => {
    const renamed = await j.click(await connections(INA), 'Save name', { [key('name', adoId)]: 'Contoso ADO' }, { as: INA, where: { connectionId: adoId } });
    expect(cardText(renamed.card)).toMatch(/Renamed\./);
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    expect((await j.click(card, 'Create integration', presets(card), { as: INA })).message).toMatch(/You cannot use/);
  });

  it('the owner shares with a named person from the Sharing card; then that person may link, but still not manage', async () => {
    // Grace talks to PlanBridge in her own chat, so PlanBridge knows her.
    j.conversationId = 'a:grace-personal';
    await j.say('help', GRACE);
    j.conversationId = personal;
    for (const id of [adoId, pwaId]) {
      const sharing = await j.click(await connections(), 'Sharing', {}, { where: { connectionId: id } });
      expect(cardText(sharing.card)).toMatch(/Now used by: Only Ada Lovelace/);
      expect(JSON.stringify(sharing.card)).toContain('Grace Hopper');
      const saved = await j.click(sharing.card, 'Save sharing', { mode: 'people', people: `aad:${GRACE.aadObjectId}` });
      expect(cardText(saved.card)).toMatch(/is now used by: Ada Lovelace and Grace Hopper\./);
    }
    expect((await store().connections.get(TENANT, adoId))!.sharing).toEqual({ mode: 'people', people: [{ id: GRACE.id, aadObjectId: GRACE.aadObjectId, name: GRACE.name }] });

    const { card } = await j.say('link project Apollo to ADO project Phoenix', GRACE);
    expect(cardText(card)).toMatch(/Using Contoso PWA and Contoso ADO\./);
    const linked = await j.click(card, 'Create integration', presets(card), { as: GRACE });
    expect(cardText(linked.card)).toMatch(/Linked: Apollo/);
    expect((await j.click(await connections(GRACE), 'Remove', {}, { as: GRACE, where: { connectionId: adoId } })).message).toMatch(/Only Ada Lovelace \(its owner\)/);
  });

  it('a person cannot share with someone PlanBridge has not met (forged keys are dropped)', async () => {
    const reply = await j.invoke('conn.share', { t: TENANT, connectionId: pwaId, mode: 'people', people: 'aad:99999999-9999-4999-8999-999999999999' });
    expect(cardText(reply.card)).toMatch(/Pick at least one person/);
  });

  it('"everyone in this group chat": members may link from that chat, not from elsewhere', async () => {
    const hal: Person = { id: '29:user-hal', name: 'Hal Jordan', aadObjectId: '00000000-0000-4000-8000-0000000000d4' };
    j.conversationId = '19:team-chat@thread.v2';
    j.conversationType = 'groupChat';
    for (const id of [adoId, pwaId]) {
      const sharing = await j.click(await connections(), 'Sharing', {}, { where: { connectionId: id } });
      const saved = await j.click(sharing.card, 'Save sharing', { mode: 'conversation' });
      expect(cardText(saved.card)).toMatch(/Ada Lovelace and everyone in the group chat where it was shared/);
    }
    const inChat = await j.say('link project Apollo to ADO project Phoenix', hal);
    expect(cardText(inChat.card)).toMatch(/Using Contoso PWA and Contoso ADO\./);
    expect((await j.click(inChat.card, 'Create integration', presets(inChat.card), { as: hal })).card).toBeDefined();

    j.conversationId = 'a:hal-personal';
    j.conversationType = 'personal';
    const alone = await j.say('link project Apollo to ADO project Phoenix', hal);
    expect(cardText(alone.card)).toMatch(/Connect Azure DevOps first/);
    expect(cardText(alone.card)).toMatch(/Not shared with you: Contoso ADO \(Ada Lovelace's\)/);
    expect((await j.click(inChat.card, 'Create integration', presets(inChat.card), { as: hal })).message).toMatch(/If you are in the group chat where it was shared, do this from there/);
    j.conversationId = personal;
  });

  it('running an integration needs its connections: an approver stops when the owner stops sharing with them', async () => {
    // Grace linked Apollo (so she approves it) while both connections were shared with her by name;
    // now they are shared with the group chat only.
    j.conversationId = 'a:grace-personal';
    const refused = await j.say('sync Apollo', GRACE);
    expect(cardText(refused.card)).toMatch(/You cannot preview Apollo ↔ Phoenix/);
    expect(cardText(refused.card)).toMatch(/Running "Apollo ↔ Phoenix" uses its connections\. You cannot use "Contoso PWA": it is shared with Ada Lovelace and everyone in the group chat where it was shared/);
    j.conversationId = '19:team-chat@thread.v2';
    j.conversationType = 'groupChat';
    const { id } = await j.say('sync Apollo', GRACE);
    expect(cardText(await j.waitForUpdate(id, (t) => /^Preview:/.test(t)))).toMatch(/Asked by Grace Hopper/);
    j.conversationId = personal;
    j.conversationType = 'personal';
  });

  describe('connections stored before owners were recorded', () => {
    const legacy = (name: string, createdBy?: string) => store().connections.create(TENANT, {
      kind: 'ado', name, url: j.ado.url, auth: { type: 'pat' }, secret: 'legacy-pat', ...(createdBy ? { createdBy } : {}),
    });

    it('belong to createdBy and are shared with nobody else', async () => {
      const c = await legacy('Old ADO', ADA.aadObjectId);
      expect(c.owner).toBeUndefined();
      const list = cardText(await connections());
      expect(list).toContain('Owner: the person who made it. Used by: Only the person who made it.');
      expect((await j.click(await connections(GRACE), 'Save name', { [key('name', c.id)]: 'x' }, { as: GRACE, where: { connectionId: c.id } })).message).toMatch(/Only the person who made it \(its owner\) or a PlanBridge tenant admin/);
      expect(cardText((await j.click(await connections(), 'Save name', { [key('name', c.id)]: 'Old ADO 2' }, { where: { connectionId: c.id } })).card)).toMatch(/Renamed/);
    });

    it('with no createdBy at all, only a tenant admin manages them and nobody links them', async () => {
      const c = await legacy('Orphan ADO');
      expect((await j.click(await connections(), 'Save name', { [key('name', c.id)]: 'x' }, { where: { connectionId: c.id } })).message)
        .toBe('Only a PlanBridge tenant admin (it has no recorded owner) can change, share or remove "Orphan ADO".');
      expect(cardText((await j.click(await connections(INA), 'Save name', { [key('name', c.id)]: 'Orphan ADO' }, { as: INA, where: { connectionId: c.id } })).card)).toMatch(/Renamed/);
      expect(cardText(await connections())).toContain('Owner: nobody (made before PlanBridge recorded owners). Used by: Nobody yet (a tenant admin can share it).');
    });
  });
});
