import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { ADA, GRACE, Journey, TENANT, actionsOf, cardText, inputsOf, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from './support.js';

/**
 * Two-way sync in a group chat: who asked is shown, approvers get the decisions through refresh,
 * conflicts, a hierarchy mismatch and a deletion are each decided on the card, a stale preview is
 * never applied, and both simulators end up holding what was approved.
 */
describe('two-way sync with decisions, in a group chat', () => {
  const j = new Journey();
  j.conversationType = 'groupChat';
  let integrationId: string;

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
    await linkWithDefaults(j, 'link project Apollo to ADO project Phoenix', { direction: 'two-way' });
    integrationId = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id;
  });
  afterAll(() => j.stop());

  /** "sync Apollo" and wait for the preview; returns the base card and the approver's view. */
  async function previewAs(command = 'sync Apollo'): Promise<{ id: string; base: Card; mine: Card }> {
    const { id } = await j.say(command);
    const base = await j.waitForUpdate(id, (t) => /^Preview:|is in step/.test(t));
    const refresh = actionsOf({ r: base.refresh })[0];
    if (!refresh) return { id, base, mine: base };
    const mine = (await j.invoke(refresh.verb, refresh.data, { trigger: 'automatic', replyToId: id })).card!;
    return { id, base, mine };
  }

  async function approve(p: { id: string; mine: Card }, inputs: Record<string, string> = {}): Promise<Card> {
    const reply = await j.click(p.mine, 'Approve and apply', inputs, { replyToId: p.id });
    expect(reply.card, reply.message).toBeDefined();
    const report = await j.waitForUpdate(p.id, (t) => /^Synced|^Sync failed/.test(t));
    await j.settle();
    return report;
  }

  const adoItem = (title: string) => [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === title && !w.deleted)!;
  const planTask = (name: string) => j.pwa.state.projects.find((p) => p.Name === 'Apollo')!.tasks.find((t) => t.Name === name)!;
  const parentOf = (id: number) => {
    const rel = j.ado.state.items.get(id)!.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
    return rel ? Number(/(\d+)$/.exec(rel.url)![1]) : null;
  };

  it('the group preview shows who asked, is read-only for everyone, and approvers get Approve by refresh', async () => {
    const p = await previewAs();
    expect(cardText(p.base)).toMatch(/Asked by Ada Lovelace/);
    expect(actionsOf(p.base).map((a) => a.title)).not.toContain('Approve and apply');
    expect(actionsOf(p.mine).map((a) => a.title)).toContain('Approve and apply');
    expect(cardText(p.base)).toMatch(/Create in the plan\n[1-9]/);
    const report = await approve(p);
    expect(cardText(report)).toMatch(/Synced/);
  });

  it('black box after the first two-way run: ADO has the plan, and the plan has Phoenix\'s items under the right parents', async () => {
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const checkout = apollo.tasks.find((t) => t.Name === 'Checkout');
    const ordering = apollo.tasks.find((t) => t.Name === 'Online ordering');
    expect(ordering, 'the Phoenix epic is a plan task').toBeDefined();
    expect(checkout?.ParentId).toBe(ordering!.Id);
    expect(apollo.tasks.find((t) => t.Name === 'Pay with a saved card')?.ParentId).toBe(checkout!.Id);
    expect(adoItem('Discovery').fields['System.WorkItemType']).toBe('Epic');
  });

  it('a second run with no edit anywhere is in step: nothing to approve, no follow-up roll-ups', async () => {
    const p = await previewAs();
    expect(cardText(p.base)).toMatch(/is in step/);
  });

  it('conflict, hierarchy mismatch and deletion are each decided on the card and applied as chosen', async () => {
    const ado = adoConnector(j.ado);
    const plan = pwaConnector(j.pwa, 'onprem', 'nometadata');
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    // Both sides rename "API" differently: a conflict.
    const api = adoItem('API');
    await ado.update({ id: api.id, expectedRev: api.rev, fields: { 'System.Title': 'API v2 (from ADO)' } });
    await plan.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: planTask('API').Id, name: 'API (from the plan)' }] });
    // ADO moves "Data migration" under "Frontend": a hierarchy mismatch.
    const migration = adoItem('Data migration');
    const backendId = parentOf(migration.id);
    await ado.update({ id: migration.id, expectedRev: migration.rev, parentId: adoItem('Frontend').id });
    // ADO deletes "Go-live": a deletion to decide.
    const goLive = adoItem('Go-live');
    await ado.remove(goLive.id, goLive.rev);

    const p = await previewAs();
    const text = cardText(p.mine);
    expect(text).toMatch(/Conflicts\n1/);
    expect(text).toMatch(/Plan: API \(from the plan\)\nADO: API v2 \(from ADO\)/);
    expect(text).toMatch(/"Data migration" has different parents\nIn the plan: under "Backend"\nIn ADO: under "Frontend"/);
    expect(text).toMatch(/"Go-live" was deleted in ADO/);
    expect(text).toMatch(/You are an approver: pick a side for each decision, then approve\./);
    const ids = inputsOf(p.mine).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['c_0', 'h_0', 'd_0']));
    expect(inputsOf(p.base)).toEqual([]);

    const report = await approve(p, { c_0: 'ado', h_0: 'plan', d_0: 'unlink' });
    expect(cardText(report)).toMatch(/Synced/);
    expect(planTask('API v2 (from ADO)')).toBeDefined();
    expect(adoItem('API v2 (from ADO)')).toBeDefined();
    expect(parentOf(migration.id)).toBe(backendId);
    expect(planTask('Go-live')).toBeDefined();
    const links = (await j.bot.bot.store.links.list(TENANT, integrationId, { pageSize: 1000 })).items;
    // Unlinked on purpose: the link stays retired, so "Go-live" is never created in ADO again.
    expect(links.find((l) => l.workItemId === goLive.id)).toMatchObject({ retired: true });
  });

  it('a stale preview is refused with a fresh one offered, and nothing is overwritten', async () => {
    const ado = adoConnector(j.ado);
    const plan = pwaConnector(j.pwa, 'onprem', 'nometadata');
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    await plan.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: planTask('Frontend').Id, name: 'Frontend (renamed in plan)' }] });
    const p = await previewAs();
    expect(cardText(p.mine)).toMatch(/Update #\d+ "Frontend" in ADO: System.Title/);
    // Someone edits the same work item in ADO after the preview was made.
    const frontend = adoItem('Frontend');
    await ado.update({ id: frontend.id, expectedRev: frontend.rev, fields: { 'System.Title': 'Frontend (edited in ADO meanwhile)' } });
    const reply = await j.click(p.mine, 'Approve and apply', {}, { replyToId: p.id });
    expect(cardText(reply.card)).toMatch(/Check the preview is still current/);
    const stale = await j.waitForUpdate(p.id, (t) => /This preview is out of date/.test(t));
    await j.settle();
    expect(cardText(stale)).toMatch(/nothing was applied and nothing was overwritten/);
    expect(adoItem('Frontend (edited in ADO meanwhile)')).toBeDefined();
    expect(planTask('Frontend (renamed in plan)')).toBeDefined();
    const runs = (await j.bot.bot.store.runs.list(TENANT, integrationId)).items;
    expect(runs[0]!.status).toBe('expired');
    // The card's "Fresh preview" makes a new one, with the conflict now visible.
    const before = j.activities.filter((a) => a.method === 'POST').length;
    expect((await j.click(p.mine, 'Approve and apply')).message).toMatch(/out of date/);
    const fresh = await j.click(stale, 'Fresh preview');
    expect(fresh.message).toMatch(/Preparing a fresh preview/);
    await j.settle();
    const posted = j.activities.filter((a) => a.method === 'POST');
    expect(posted.length).toBe(before + 1);
    const card = await j.waitForUpdate(posted.at(-1)!.id, (t) => /^Preview:/.test(t));
    expect(cardText(card)).toMatch(/Conflicts\n1/);
  });

  it('reject by a non-approver is refused; by an approver it closes the preview without changes', async () => {
    const p = await previewAs();
    const rejectData = actionsOf(p.mine).find((a) => a.verb === 'sync.reject')!.data;
    expect((await j.invoke('sync.reject', rejectData, { as: GRACE })).message).toMatch(/Only the approvers/);
    const reply = await j.invoke('sync.reject', rejectData, { as: ADA, replyToId: p.id });
    expect(cardText(reply.card)).toMatch(/Ada Lovelace rejected this preview\. Nothing was changed/);
    expect((await j.invoke('sync.approve', actionsOf(p.mine).find((a) => a.verb === 'sync.approve')!.data)).message).toMatch(/rejected this preview/);
  });

  it('asking to approve: the request is granted only by an existing approver', async () => {
    const integration = await j.say('status Apollo');
    expect(cardText(integration.card)).toMatch(/Status: Apollo ↔ Phoenix/);
    const ask = await j.invoke('approver.request', { t: TENANT, integrationId }, { as: GRACE });
    expect(ask.message).toMatch(/I asked the approvers/);
    const request = j.activities.filter((a) => a.method === 'POST').at(-1)!;
    const requestCard = request.body.attachments![0]!.content;
    expect(cardText(requestCard)).toMatch(/Grace Hopper asks to approve syncs of Apollo ↔ Phoenix/);
    expect((await j.click(requestCard, 'Grant', {}, { as: GRACE })).message).toMatch(/Only the approvers/);
    const granted = await j.click(requestCard, 'Grant', {}, { as: ADA });
    expect(cardText(granted.card)).toMatch(/Approvers\nAda Lovelace, Grace Hopper/);
  });
});
