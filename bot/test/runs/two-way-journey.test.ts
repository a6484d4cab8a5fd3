import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journey, cardText, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from '../flows/support.js';

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
});
