import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addVega } from '../../../sim/ado/seed-processes.js';
import { Journey, TENANT, cardText } from '../support/journey.js';
import { connectBoth, linkWithDefaults, presets } from './support.js';

/**
 * Linking a plan to Vega, whose process is "Contoso Agile", inherited from Agile, as most Azure
 * DevOps Services organizations have it: the card names the process and its parent, and the
 * integration gets Agile's levels, states and mapping.
 */

describe('linking to a project on an inherited process', () => {
  const j = new Journey();

  beforeAll(async () => {
    await j.start();
    addVega(j.ado.state, { base: j.ado.url, mode: j.ado.mode });
    await connectBoth(j);
  });
  afterAll(() => j.stop());

  it('the link card names the inherited process and its parent, with the parent\'s levels as defaults', async () => {
    const { card } = await j.say('link project Apollo to ADO project Vega');
    expect(cardText(card)).toMatch(/Vega uses the Contoso Agile process \(inherits Agile\), so plan outline levels map to Epic > Feature > User Story and leaf tasks become Tasks\./);
    expect(cardText(card)).not.toMatch(/could not tell/);
    expect(presets(card)).toMatchObject({ adoProjects: 'Vega', levels: 'Epic > Feature > User Story', leafType: 'Task' });
  });

  it('a hierarchy naming a type Vega lacks is refused on the card', async () => {
    const { card } = await j.say('link project Apollo to ADO project Vega');
    const reply = await j.click(card, 'Create integration', { ...presets(card), levels: 'Epic > Feature > Product Backlog Item' });
    expect(cardText(reply.card)).toMatch(/no "Product Backlog Item"/);
    expect((await j.bot.bot.store.integrations.list(TENANT)).items).toHaveLength(0);
  });

  it('the refusal lists the work item types Vega really has, its own Change Request included', async () => {
    const { card } = await j.say('link project Apollo to ADO project Vega');
    const reply = await j.click(card, 'Create integration', { ...presets(card), levels: 'Epic > Feature > Product Backlog Item' });
    expect(cardText(reply.card)).toMatch(/Vega has no "Product Backlog Item" work item type\. Its types are Epic, Feature, User Story, Task, Bug, Change Request/);
  });

  it('accepting the defaults links Apollo to Vega as an Agile integration', async () => {
    const linked = await linkWithDefaults(j, 'link project Apollo to ADO project Vega');
    expect(cardText(linked)).toMatch(/Linked: Apollo ↔ Vega/);
    expect(cardText(linked)).toMatch(/Epic > Feature > User Story; leaf tasks become Tasks/);
    const [integration] = (await j.bot.bot.store.integrations.list(TENANT)).items;
    expect(integration).toMatchObject({ adoProjects: ['Vega'], process: 'Agile', hierarchy: { levels: ['Epic', 'Feature', 'User Story'], leafType: 'Task' } });
    expect(integration!.mapping.map((r) => r.adoField)).toContain('Microsoft.VSTS.Scheduling.StoryPoints');
  });
});
