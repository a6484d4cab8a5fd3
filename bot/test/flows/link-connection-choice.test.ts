import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { ADA, GRACE, Journey, TENANT, actionsOf, button, cardText, inputsOf, type Person } from '../support/journey.js';
import { connectBoth, presets } from './support.js';

/**
 * Issue 16, defect 4: "link project ..." took the first PWA and the first ADO connection by name,
 * whoever they belonged to. Now the person picks among the connections shared with them, and
 * their own are preselected.
 */
const HAL: Person = { id: '29:user-hal', name: 'Hal Jordan', aadObjectId: '00000000-0000-4000-8000-0000000000d4' };

describe('choosing the connections to link', () => {
  const j = new Journey();
  const ada = j.conversationId;
  let mine: string;
  let graces: string;
  let hals: string;

  /** Connects an ADO connection as `who`, in their own personal chat. */
  const connectAdoAs = async (who: Person, name: string): Promise<string> => {
    j.conversationId = `a:${who.id}-personal`;
    const { card } = await j.say('connect ado', who);
    await j.click(card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name }, { as: who });
    j.conversationId = ada;
    return (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' })).find((c) => c.name === name)!.id;
  };

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
    mine = (await j.bot.bot.store.connections.list(TENANT, { kind: 'ado' }))[0]!.id;
    // Both sort before "Contoso ADO": the old code would have picked one of them.
    graces = await connectAdoAs(GRACE, 'Aardvark ADO');
    hals = await connectAdoAs(HAL, 'Abacus ADO');
  });
  afterAll(() => j.stop());

  it('defaults to the person\'s own connections and offers no one else\'s', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    expect(button(card, 'Create integration').data).toMatchObject({ adoConnectionId: mine });
    expect(cardText(card)).toMatch(/Using Contoso PWA and Contoso ADO\./);
    // Only one usable connection of each kind: nothing to pick.
    expect(inputsOf(card).map((i) => i.id)).not.toContain('pickAdoConnection');
    expect(JSON.stringify(card)).not.toMatch(/Aardvark|Abacus/);
  });

  it('offers connections shared with them, theirs still preselected, and switches on request', async () => {
    j.conversationId = `a:${GRACE.id}-personal`;
    const sharing = await j.click((await j.say('connections', GRACE)).card, 'Sharing', {}, { as: GRACE, where: { connectionId: graces } });
    await j.click(sharing.card, 'Save sharing', { mode: 'people', people: `aad:${ADA.aadObjectId}` }, { as: GRACE });
    j.conversationId = ada;

    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    const picker = inputsOf(card).find((i) => i.id === 'pickAdoConnection')!;
    expect(picker.value).toBe(mine);
    expect((picker.choices as { title: string }[]).map((c) => c.title)).toEqual(['Contoso ADO (yours)', 'Aardvark ADO (shared by Grace Hopper)']);

    const switched = await j.click(card, 'Use these connections', { ...presets(card), pickAdoConnection: graces });
    expect(cardText(switched.card)).toMatch(/Using Contoso PWA and Aardvark ADO\./);
    expect(button(switched.card, 'Create integration').data).toMatchObject({ adoConnectionId: graces });
    const linked = await j.click(switched.card!, 'Create integration', presets(switched.card!));
    expect(cardText(linked.card)).toMatch(/Linked: Apollo/);
    expect((await j.bot.bot.store.integrations.list(TENANT)).items[0]!.adoConnectionId).toBe(graces);
  });

  it('refuses a switch to a connection that is not shared with them, naming its owner', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    const verb = actionsOf(card).find((a) => a.title === 'Use these connections')!;
    const reply = await j.invoke(verb.verb, { ...verb.data, ...presets(card), pickAdoConnection: hals });
    expect(reply.message).toMatch(/You cannot use "Abacus ADO": it is shared with only Hal Jordan\. Ask Hal Jordan to share it with you/);
  });

  it('says which connections exist but are not shared, when none of a kind is', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix', HAL);
    // Hal has his own ADO connection but no PWA one, and Ada's is not shared with him.
    expect(cardText(card)).toMatch(/Connect Project Web App or Planner premium first/);
    expect(cardText(card)).toMatch(/Not shared with you: Contoso PWA \(Ada Lovelace's\)/);
  });
});
