import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journey, TENANT, actionsOf, cardText, inputsOf, type Card } from '../support/journey.js';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { connectBoth, linkWithDefaults, presets } from './support.js';

/**
 * Matching what already exists, over HTTP as a new user meets it: Apollo's plan and the Phoenix
 * backlog already hold some of the same work, typed by hand on each side before PlanBridge. Linking
 * them two-way must propose those pairs in a "Link existing" section; approving the preview as
 * shown links them, so no title is duplicated on either side; the next runs settle the values of
 * the new pairs and then say everything is in step.
 */
describe('link existing work on the first two-way sync', () => {
  const j = new Journey();
  let preview: Card;

  const apollo = () => j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
  const phoenix = () => j.ado.state.projects.find((p) => p.name === 'Phoenix')!;
  const planNames = () => apollo().tasks.map((t) => t.Name);
  const adoTitles = () => [...j.ado.state.items.values()].filter((w) => w.projectId === phoenix().id && !w.deleted).map((w) => String(w.fields['System.Title']));
  const dupes = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
    await linkWithDefaults(j, 'link project Apollo to ADO project Phoenix', { direction: 'two-way' });
    // Phoenix already tracks part of Apollo's build, by hand (same titles, ADO's own levels).
    const ado = adoConnector(j.ado);
    const hand = 'typed-by-hand';
    const build = await ado.create({ project: 'Phoenix', type: 'Epic', marker: hand, fields: { 'System.Title': 'Build' } });
    const backend = await ado.create({ project: 'Phoenix', type: 'Feature', marker: hand, parentId: build.id, fields: { 'System.Title': 'Backend' } });
    const api = await ado.create({ project: 'Phoenix', type: 'User Story', marker: hand, parentId: backend.id, fields: { 'System.Title': 'API' } });
    await ado.create({ project: 'Phoenix', type: 'Task', marker: hand, parentId: api.id, fields: { 'System.Title': 'Design API contract' } });
    await ado.create({ project: 'Phoenix', type: 'Task', marker: hand, parentId: api.id, fields: { 'System.Title': 'Write API docs' } });
    // And Apollo's plan already tracks Phoenix's checkout, by hand.
    const ordering = randomUUID();
    const checkout = randomUUID();
    const story = randomUUID();
    await pwaConnector(j.pwa, 'onprem', 'nometadata').applyChanges({
      projectId: apollo().Id,
      creates: [
        { id: ordering, parentId: null, name: 'Online ordering' },
        { id: checkout, parentId: ordering, name: 'Checkout' },
        { id: story, parentId: checkout, name: 'Pay with a saved card' },
        { id: randomUUID(), parentId: story, name: 'Card vault API client', durationMinutes: 480 },
      ],
      updates: [],
    });
  });
  afterAll(() => j.stop());

  async function sync(): Promise<Card> {
    const started = await j.say('sync Apollo');
    return j.waitForUpdate(started.id, (t) => /is in step|Preview:|Could not/.test(t));
  }

  it('the preview shows a "Link existing" section with the shared titles, preset to link', async () => {
    preview = await sync();
    const text = cardText(preview);
    expect(text).toMatch(/Link existing: these look like the same work on both sides/);
    for (const title of ['Online ordering', 'Checkout', 'Pay with a saved card', 'Card vault API client', 'Build', 'Backend', 'API', 'Design API contract']) {
      expect(text).toContain(`"${title}" and #`);
    }
    expect(text).toMatch(/Link existing pairs\n8\n/);
    expect(text).toMatch(/It is linked only if "Online ordering" is linked too\./);
    const matchInputs = inputsOf(preview).filter((i) => String(i.id).startsWith('m_'));
    expect(matchInputs).toHaveLength(8);
    expect(matchInputs.every((i) => i.value === 'link')).toBe(true);
    // The list of changes is the preset: what is below the pairs crosses over, the pairs themselves are not created.
    const integrationId = (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id;
    const run = (await j.bot.bot.store.runs.list(TENANT, integrationId)).items.find((r) => r.status === 'awaiting-approval')!;
    const summary = run.summary as { lines: Array<{ opId: string; text: string }>; apart?: string[] };
    const apart = new Set(summary.apart);
    const listed = summary.lines.filter((l) => !apart.has(l.opId)).map((l) => l.text);
    expect(listed).toContain('Create task "Write API docs" in the plan');
    expect(listed).toContain('Create User Story "Implement endpoints" in ADO'.replace('User Story', 'Task'));
    expect(listed).toContain('Link "Checkout" to existing #2');
    expect(listed.filter((t) => /"(Build|Backend|API|Checkout)" in/.test(t))).toEqual([]);
    // The creations of a pair kept apart are known too (the report names them), but not listed as changes.
    expect(summary.lines.filter((l) => apart.has(l.opId)).map((l) => l.text)).toContain('Create Epic "Build" in ADO');
  });

  it('approving as shown links the pairs: no title is duplicated on either side', async () => {
    const reply = await j.click(preview, 'Approve and apply', presets(preview));
    expect(cardText(reply.card)).toMatch(/Applying/);
    await j.settle();
    expect(dupes(planNames())).toEqual([]);
    expect(dupes(adoTitles())).toEqual([]);
    // Both sides now hold the same work, once each.
    expect([...planNames()].sort()).toEqual([...adoTitles()].sort());
    const links = await j.bot.bot.store.links.list(TENANT, (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id, { pageSize: 1000 });
    expect(links.items).toHaveLength(planNames().length);
  });

  it('the next runs settle the values of the new pairs, then everything is in step', async () => {
    let card = await sync();
    for (let round = 0; round < 3 && !/is in step/.test(cardText(card)); round++) {
      const text = cardText(card);
      // Only values of existing pairs: nothing is created or linked any more.
      expect(text).toMatch(/Create in ADO\n0\n/);
      expect(text).toMatch(/Create in the plan\n0\n/);
      expect(text).not.toMatch(/Link existing:/);
      const keepPlan = Object.fromEntries(inputsOf(card).filter((i) => /^[ch]_/.test(String(i.id))).map((i) => {
        const values = (i.choices as Array<{ value: string }>).map((c) => c.value);
        return [String(i.id), values.includes('plan') ? 'plan' : values[0]!];
      }));
      await j.click(card, 'Approve and apply', { ...presets(card), ...keepPlan });
      await j.settle();
      card = await sync();
    }
    expect(cardText(card)).toMatch(/Apollo ↔ Phoenix is in step/);
    expect(dupes(planNames())).toEqual([]);
    expect(dupes(adoTitles())).toEqual([]);
    expect(actionsOf(card).map((a) => a.title)).not.toContain('Approve and apply');
  });
});
