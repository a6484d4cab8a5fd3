import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journey, TENANT, cardText, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from '../flows/support.js';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { actionsOf } from '../support/journey.js';

/**
 * The two-way journey a new user takes with the demo data, over HTTP: link Apollo to Phoenix,
 * sync both ways and approve, then sync again with no edit anywhere. Nothing may change that
 * nobody edited, and the second run must say everything is in step.
 */
describe('two-way sync with no edits changes nothing', () => {
  const j = new Journey();

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
    await linkWithDefaults(j);
  });
  afterAll(() => j.stop());

  const snapshotAdo = () => new Map([...j.ado.state.items.values()].map((w) => [w.id, JSON.stringify(w.fields)]));

  async function syncBothWays(): Promise<Card> {
    const preview = await j.say('sync project Apollo both ways');
    return j.waitForUpdate(preview.id, (t) => /is in step|Preview:|Could not/.test(t));
  }

  it('the first two-way sync brings work items into the plan with their work', async () => {
    const card = await syncBothWays();
    expect(cardText(card)).toMatch(/Preview:/);
    const reply = await j.click(card, 'Approve and apply');
    expect(cardText(reply.card)).toMatch(/Applying/);
    await j.settle();
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const discount = apollo.tasks.find((t) => t.Name === 'Discount rules engine');
    expect(discount, 'plan task for the work item').toBeDefined();
    const item = [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === 'Discount rules engine')!;
    // No original estimate: Project's Work = Actual + Remaining, so the task gets the remaining 8 h.
    expect(item.fields['Microsoft.VSTS.Scheduling.OriginalEstimate']).toBeUndefined();
    expect(item.fields['Microsoft.VSTS.Scheduling.RemainingWork']).toBe(8);
    expect(discount!.WorkMinutes).toBe(8 * 60);
    const vault = [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === 'Card vault API client')!;
    expect(vault.fields['Microsoft.VSTS.Scheduling.OriginalEstimate']).toBe(8);
    const cardTask = apollo.tasks.find((t) => t.Name === 'Card vault API client')!;
    expect(cardTask.WorkMinutes).toBe(8 * 60);
    // Active maps to 50 % in the Agile state rule.
    expect(cardTask.PercentComplete).toBe(50);
  });

  it('a second two-way sync with no edits proposes nothing and writes nothing', async () => {
    const before = snapshotAdo();
    const card = await syncBothWays();
    expect(cardText(card)).toMatch(/is in step/);
    await j.settle();
    expect(snapshotAdo()).toEqual(before);
  });

  const adoItem = (title: string) => [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === title && !w.deleted)!;
  const planTask = (title: string) => j.pwa.state.projects.find((p) => p.Name === 'Apollo')!.tasks.find((t) => t.Name === title)!;

  it('an edit on each side moves exactly that value across, and then everything is in step', async () => {
    const ado = adoConnector(j.ado);
    const plan = pwaConnector(j.pwa, 'onprem', 'nometadata');
    const vault = adoItem('Card vault API client');
    await ado.update({ id: vault.id, expectedRev: vault.rev, fields: { 'Microsoft.VSTS.Scheduling.OriginalEstimate': 12 } });
    const apollo = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    await plan.applyChanges({ projectId: apollo.Id, creates: [], updates: [{ id: planTask('Discount rules engine').Id, name: 'Discount rules engine v2' }] });
    const adoBefore = snapshotAdo();
    const card = await syncBothWays();
    const text = cardText(card);
    expect(text).toMatch(/Update in ADO\n1\n/);
    expect(text).toMatch(/Update in the plan\n1\n/);
    await j.click(card, 'Approve and apply');
    await j.settle();
    expect(planTask('Card vault API client').WorkMinutes).toBe(12 * 60);
    const renamed = adoItem('Discount rules engine v2');
    expect(renamed).toBeDefined();
    // Only the renamed work item changed in ADO, and only its title.
    const after = snapshotAdo();
    const changed = [...after.keys()].filter((id) => after.get(id) !== adoBefore.get(id));
    expect(changed).toEqual([renamed.id]);
    const again = await syncBothWays();
    expect(cardText(again)).toMatch(/is in step/);
  });

  it('"preview sync" only previews: no Approve, says how to sync, and a crafted approval applies nothing', async () => {
    const vault = adoItem('Card vault API client');
    await adoConnector(j.ado).update({ id: vault.id, expectedRev: vault.rev, fields: { 'System.Title': 'Card vault API client (renamed)' } });
    const preview = await j.say('preview sync Apollo both ways');
    const card = await j.waitForUpdate(preview.id, (t) => /Preview:/.test(t));
    const text = cardText(card);
    expect(text).toMatch(/preview only: nothing will be applied/);
    expect(text).toMatch(/To sync, type "sync Apollo"/);
    expect(actionsOf(card).map((a) => a.title)).not.toContain('Approve and apply');
    const run = (await j.bot.bot.store.runs.list(TENANT, (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id)).items
      .find((r) => r.status === 'awaiting-approval')!;
    const crafted = await j.invoke('sync.approve', { integrationId: run.integrationId, runId: run.id, hash: (run.plan as { hash: string }).hash, t: TENANT });
    expect(crafted.message).toMatch(/preview only, so nothing was applied/);
    await j.settle();
    expect(planTask('Card vault API client (renamed)')).toBeUndefined();
  });
});

