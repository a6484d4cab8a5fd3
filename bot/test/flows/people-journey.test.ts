import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncPlan } from '../../src/sync/plan.js';
import { OTHER_TENANT } from '../support/activities.js';
import { ADA, GRACE, Journey, TENANT, actionsOf, button, cardText, inputsOf, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from './support.js';

/**
 * Assigned To over HTTP: plan resources that share a name with an ADO team member are assigned on
 * the first sync; the others get a plain warning and a "Match people" button, whose card lets an
 * approver (only) pick someone; the next preview uses that choice.
 */
describe('people: matching plan resources to Azure DevOps users', () => {
  const j = new Journey();
  let integrationId: string;
  let preview: { card: Card; id: string };

  const assignee = (title: string): string | null => {
    const item = [...j.ado.state.items.values()].find((w) => !w.deleted && w.fields['System.Title'] === title);
    if (!item) throw new Error(`no work item "${title}" in ADO`);
    return (item.fields['System.AssignedTo'] as { uniqueName?: string } | undefined)?.uniqueName ?? null;
  };
  const latestPlan = async (): Promise<SyncPlan> => {
    const runs = (await j.bot.bot.store.runs.list(TENANT, integrationId)).items;
    return [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1)!.plan as SyncPlan;
  };
  const syncAndApprove = async (): Promise<Card> => {
    preview = await j.say('sync Apollo');
    preview.card = await j.waitForUpdate(preview.id, (t) => t.startsWith('Preview:'));
    return preview.card;
  };
  const approveShown = async () => {
    await j.click(preview.card, 'Approve and apply', {}, { replyToId: preview.id });
    await j.waitForUpdate(preview.id, (t) => t.startsWith('Synced'));
    await j.settle();
  };

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
    await linkWithDefaults(j);
    integrationId = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id;
  });
  afterAll(() => j.stop());

  it('the preview assigns resources that match a team member by name, and says plainly who has no match', async () => {
    const card = await syncAndApprove();
    const text = cardText(card);
    expect(text).toMatch(/You are an approver: check the changes, then approve\./);
    expect(text).not.toMatch(/identity map|has no ADO identity/);
    expect(actionsOf(card).map((a) => a.title)).toContain('Match people');
    const warnings = (await latestPlan()).warnings;
    expect(warnings).toContain('"Dashboard screens": no Azure DevOps user matches "Dana Ruiz", so Assigned To stays empty. Use "Match people" to pick one.');
    expect(warnings.filter((w) => /Chen Wu|Bob Lee/.test(w))).toEqual([]);
    // Warnings are readable: the default colour, marked by the glyph.
    expect(JSON.stringify(card)).not.toMatch(/"color":"Warning"/);
  });

  it('approving writes Assigned To in ADO for the matched resources only', async () => {
    await approveShown();
    expect(assignee('Design API contract')).toBe('chen.wu@contoso.com');
    // A work item has one assignee: the task's first resource.
    expect(assignee('Implement endpoints')).toBe('chen.wu@contoso.com');
    expect(assignee('Non-functional requirements')).toBe('bob.lee@contoso.com');
    expect(assignee('Dashboard screens')).toBeNull();
  });

  it('the People card lists each resource with its match, and a pick list for those without one', async () => {
    const reply = await j.click(preview.card, 'Match people');
    const text = cardText(reply.card!);
    expect(text).toMatch(/People: Apollo ↔ Phoenix/);
    expect(text).toMatch(/Chen Wu\n→ Chen Wu \(chen\.wu@contoso\.com\), same name/);
    expect(text).toMatch(/Dana Ruiz\nNo Azure DevOps user has this name/);
    const inputs = inputsOf(reply.card);
    expect(inputs).toHaveLength(2);
    const choices = (inputs[0]!.choices as Array<{ title: string; value: string }>).map((c) => c.value);
    expect(choices).toEqual(['bob.lee@contoso.com', 'chen.wu@contoso.com', 'dana@contoso.com', 'priya@contoso.com', 'sam@contoso.com', '-']);
  });

  it('is reachable from the integration settings card', async () => {
    const settings = await j.invoke('integration.show', { integrationId, t: TENANT });
    const people = await j.click(settings.card!, 'People');
    expect(cardText(people.card!)).toMatch(/People: Apollo ↔ Phoenix/);
  });

  it('a non-approver sees it read-only and cannot save by crafting the invoke', async () => {
    const theirs = await j.invoke('people.show', { integrationId, t: TENANT }, { as: GRACE });
    expect(inputsOf(theirs.card)).toEqual([]);
    expect(actionsOf(theirs.card).map((a) => a.title)).not.toContain('Save');
    expect(cardText(theirs.card!)).toMatch(/Read-only: only approvers can choose \(Ada Lovelace\)/);
    const refused = await j.invoke('people.save', { integrationId, t: TENANT, rows: ['Dana Ruiz'], p_0: 'sam@contoso.com' }, { as: GRACE });
    expect(refused.message).toMatch(/Only the approvers of "Apollo ↔ Phoenix" can do this/);
    expect((await j.bot.bot.store.integrations.get(TENANT, integrationId))!.identityMap).toBeUndefined();
  });

  it('another tenant cannot save, with its own stamp or this one', async () => {
    const data = { integrationId, rows: ['Dana Ruiz'], p_0: 'sam@contoso.com' };
    expect((await j.invoke('people.save', { ...data, t: OTHER_TENANT }, { tenantId: OTHER_TENANT })).message).toMatch(/could not find that integration/);
    expect((await j.invoke('people.save', { ...data, t: TENANT }, { tenantId: OTHER_TENANT })).message).toMatch(/made for another organization/);
    expect((await j.bot.bot.store.integrations.get(TENANT, integrationId))!.identityMap).toBeUndefined();
  });

  it('refuses someone who is not on a team, and saves an approver\'s choices', async () => {
    const shown = await j.invoke('people.show', { integrationId, t: TENANT });
    const rows = button(shown.card, 'Save').data.rows as string[];
    expect(rows).toEqual(['Alice Kim', 'Dana Ruiz']);
    const bad = await j.click(shown.card!, 'Save', { p_1: 'mallory@evil.example' });
    expect(bad.message).toMatch(/Nothing was saved: mallory@evil\.example is not a member of any team of Phoenix/);
    const saved = await j.click(shown.card!, 'Save', { p_0: '-', p_1: 'priya@contoso.com' });
    const text = cardText(saved.card!);
    expect(text).toMatch(/Saved\. The next preview uses these choices\./);
    expect(text).toMatch(/Dana Ruiz\n→ Priya Patel \(priya@contoso\.com\), chosen here/);
    expect(text).toMatch(/Alice Kim\nLeft unassigned, chosen here\./);
    expect((await j.bot.bot.store.integrations.get(TENANT, integrationId))!.identityMap).toEqual({ 'Alice Kim': '', 'Dana Ruiz': 'priya@contoso.com' });
  });

  it('the next preview uses the saved choices and applying assigns in ADO', async () => {
    const card = await syncAndApprove();
    expect(actionsOf(card).map((a) => a.title)).not.toContain('Match people');
    expect((await latestPlan()).warnings.filter((w) => /Dana Ruiz|Alice Kim/.test(w))).toEqual([]);
    await approveShown();
    expect(assignee('Dashboard screens')).toBe('priya@contoso.com');
    expect(assignee('Data migration')).toBe('priya@contoso.com');
    expect(assignee('Stakeholder interviews')).toBeNull();
  });

  it('"(match automatically)" clears a saved choice', async () => {
    const shown = await j.invoke('people.show', { integrationId, t: TENANT });
    const rows = button(shown.card, 'Save').data.rows as string[];
    const saved = await j.click(shown.card!, 'Save', { [`p_${rows.indexOf('Alice Kim')}`]: 'auto' });
    expect(cardText(saved.card!)).toMatch(/Alice Kim\nNo Azure DevOps user has this name/);
    expect((await j.bot.bot.store.integrations.get(TENANT, integrationId))!.identityMap).toEqual({ 'Dana Ruiz': 'priya@contoso.com' });
  });

  it('when ADO cannot list its users, the preview still comes, says why, and uses the saved choices', async () => {
    // Retry-After beyond what the connector waits: each of Phoenix's three teams fails once, at once.
    j.ado.injectFault({ kind: 429, retryAfter: '600', pathIncludes: '/members', count: 3 });
    const asked = await j.say('sync Apollo');
    // Nothing else changed, so the answer is "in step", with the notes.
    const card = await j.waitForUpdate(asked.id, (t) => /is in step/.test(t));
    expect(cardText(card)).toMatch(/People were matched by the choices saved here only: Azure DevOps is rate-limiting .* team Phoenix Team in Phoenix/);
    expect(cardText(card)).not.toMatch(/"Dana Ruiz"/);
    expect(cardText(card)).toMatch(/no Azure DevOps user matches "Chen Wu"/);
  });
});
