import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRACE, Journey, TENANT, actionsOf, cardText, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults } from './support.js';

/** Setting up integrations: missing connections, the mapping editor, ambiguous names. */
describe('integration setup', () => {
  const j = new Journey();
  beforeAll(() => j.start());
  afterAll(() => j.stop());

  it('without connections, link says what to connect first', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    expect(cardText(card)).toMatch(/Connect Azure DevOps first/);
    expect(actionsOf(card).map((a) => a.verb)).toContain('connect.ado.start');
  });

  it('an unknown plan or ADO project is said so, and the user picks from the real lists', async () => {
    await connectBoth(j);
    const { card } = await j.say('link project Zeus to ADO project Nowhere');
    const text = cardText(card);
    expect(text).toMatch(/No plan is called "Zeus"; pick one below\./);
    expect(text).toMatch(/No ADO project is called "Nowhere"; pick one below\./);
  });

  describe('mapping editor', () => {
    let integration: Card;
    let mapping: Card;
    const rules = (card: Card) => cardText(card).split('\n').filter((l) => /<->|->|<-/.test(l));

    beforeAll(async () => {
      integration = await linkWithDefaults(j);
      mapping = (await j.click(integration, 'Edit field mapping')).card!;
    });

    it('lists the default rules of the process in order', () => {
      expect(rules(mapping)[0]).toBe('Name <-> System.Title');
      expect(rules(mapping)).toContain('PercentComplete <-> System.State (Epic, Feature, User Story, Bug, Issue)');
    });

    it('switches a rule off and on, moves it, and deletes it', async () => {
      const off = await j.click(mapping, 'Switch off', {}, { where: { ruleId: 'notes' } });
      expect(cardText(off.card)).toMatch(/Notes <-> System.Description\nboth ways · converts as html · switched off/);
      const down = await j.click(off.card, 'Down', {}, { where: { ruleId: 'name' } });
      expect(rules(down.card!)[1]).toBe('Name <-> System.Title');
      const deleted = await j.click(down.card, 'Delete', {}, { where: { ruleId: 'notes' } });
      expect(cardText(deleted.card)).not.toContain('System.Description');
      const stored = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!;
      expect(stored.mapping.map((r) => r.id)).not.toContain('notes');
      expect(stored.mapping[1]!.id).toBe('name');
      mapping = deleted.card!;
    });

    it('adds a rule, and refuses one the engine would reject, with the reason on the card', async () => {
      const bad = await j.click(mapping, 'Add rule', { newPlanField: 'Budget', newAdoField: 'not a field', newDirection: 'both', newTransform: '' });
      expect(cardText(bad.card)).toMatch(/"not a field" is not an ADO field reference name/);
      const clash = await j.click(mapping, 'Add rule', { newPlanField: 'Name', newAdoField: 'System.Title', newDirection: 'both', newTransform: 'text' });
      expect(cardText(clash.card)).toMatch(/both write System.Title/);
      const good = await j.click(mapping, 'Add rule', { newPlanField: 'Budget', newAdoField: 'Custom.Budget', newDirection: 'planToAdo', newTransform: 'number' });
      expect(rules(good.card!).at(-1)).toBe('Budget -> Custom.Budget');
      mapping = good.card!;
    });

    it('resets to the defaults', async () => {
      const reset = await j.click(mapping, 'Reset to defaults');
      expect(rules(reset.card!)[0]).toBe('Name <-> System.Title');
      expect(cardText(reset.card)).toContain('Notes <-> System.Description');
      expect(cardText(reset.card)).not.toContain('Custom.Budget');
    });

    it('someone who is not an approver sees the rules but cannot change them, even by crafting the action', async () => {
      const theirs = await j.click(integration, 'Edit field mapping', {}, { as: GRACE });
      expect(rules(theirs.card!)).toContain('Name <-> System.Title');
      expect(actionsOf(theirs.card).map((a) => a.title)).not.toContain('Delete');
      const edit = actionsOf(mapping).find((a) => a.title === 'Delete')!;
      expect((await j.invoke(edit.verb, edit.data, { as: GRACE })).message).toMatch(/Only the approvers/);
    });
  });

  it('a second plan is linked too, and an ambiguous "sync" asks which one was meant', async () => {
    const rollout = await linkWithDefaults(j, 'link project "Apollo Rollout" to ADO project Atlas');
    expect(cardText(rollout)).toMatch(/Linked: Apollo Rollout ↔ Atlas/);
    const { card } = await j.say('sync Apo');
    expect(cardText(card)).toMatch(/Which one did you mean by "Apo"\?/);
    expect(actionsOf(card).filter((a) => a.verb === 'sync.preview')).toHaveLength(2);
  });

  it('"sync" of something never linked explains how to link it', async () => {
    const { card } = await j.say('sync Hermes');
    expect(cardText(card)).toMatch(/No integration matches "Hermes"/);
    expect(cardText(card)).toMatch(/link project Hermes to ADO project/);
  });
});
