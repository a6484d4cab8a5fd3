import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { PWA_DEMO_CREDENTIALS } from '../../../sim/pwa/server.js';
import { connectorFor as pwaConnector } from '../connectors/pwa/harness.js';
import { Journey, cardText, type Card } from '../support/journey.js';
import { linkWithDefaults } from './support.js';

/**
 * The PlanBridge task fields over HTTP, as a new user meets them: connect both systems and create
 * the fields from the PWA card, flag a few Apollo tasks "Sync to ADO" (one asking for a Bug), link
 * Apollo to Phoenix with "Only tasks flagged", sync and approve. Only the flagged tasks reach ADO,
 * each task gets its work item's ID and link in the same run, and the next run is in step.
 */
describe('the PlanBridge task fields', () => {
  const j = new Journey();
  const apollo = () => j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
  const task = (name: string) => apollo().tasks.find((t) => t.Name === name)!;
  const fieldId = (name: string) => j.pwa.state.customFields.find((f) => f.Name === name)!.Id;
  const workItem = (title: string) => [...j.ado.state.items.values()].find((w) => w.fields['System.Title'] === title && !w.deleted);

  beforeAll(async () => {
    await j.start();
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
    const pwa = await j.say('connect pwa');
    const connected = await j.click(pwa.card, 'Connect', { url: j.pwa.url, method: 'onprem', username: PWA_DEMO_CREDENTIALS.username, secret: PWA_DEMO_CREDENTIALS.password, name: 'Contoso PWA' });
    const verify = await j.click(connected.card, 'Verify configuration');
    const created = await j.click(verify.card, 'Create fields');
    expect(cardText(created.card)).toMatch(/set up correctly/);
    // Somebody flags three tasks in Project and asks for a Bug for one of them.
    const plan = pwaConnector(j.pwa, 'onprem', 'nometadata');
    await plan.applyChanges({
      projectId: apollo().Id, creates: [], updates: [
        { id: task('Backend').Id, customFields: { 'Sync to ADO': true } },
        { id: task('Design API contract').Id, customFields: { 'Sync to ADO': true } },
        { id: task('Go-live').Id, customFields: { 'Sync to ADO': true, 'ADO Work Item Type': 'Bug' } },
      ],
    });
  });
  afterAll(() => j.stop());

  async function sync(): Promise<Card> {
    const preview = await j.say('sync project Apollo');
    return j.waitForUpdate(preview.id, (t) => /is in step|Preview:|Could not/.test(t));
  }

  it('the link card offers "Only tasks flagged" and the integration keeps it', async () => {
    const card = await linkWithDefaults(j, 'link project Apollo to ADO project Phoenix', { planTasks: 'flagged' });
    expect(cardText(card)).toMatch(/Plan tasks\nOnly tasks flagged "Sync to ADO"/);
  });

  it('syncs only the flagged tasks, with the type asked for, and says where the IDs and links go', async () => {
    const card = await sync();
    const text = cardText(card);
    expect(text).toMatch(/Create in ADO\n3\n/);
    expect(text).toMatch(/IDs and links go into their plan tasks' "ADO Work Item ID" and "ADO Work Item Link" fields in this same run/);
    await j.click(card, 'Approve and apply');
    await j.settle();
    const backend = workItem('Backend')!;
    const design = workItem('Design API contract')!;
    const goLive = workItem('Go-live')!;
    expect([backend, design, goLive].map((w) => w.fields['System.WorkItemType'])).toEqual(['Feature', 'Task', 'Bug']);
    // The unflagged API summary has no work item: the flagged task hangs under its nearest flagged ancestor.
    expect(design.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse')?.url).toMatch(new RegExp(`/${backend.id}$`));
    for (const name of ['Discovery', 'Build', 'API', 'Implement endpoints', 'Launch', 'User acceptance testing']) expect(workItem(name), name).toBeUndefined();
  });

  it('writes each work item\'s ID and link into its plan task in the same run', () => {
    for (const name of ['Backend', 'Design API contract', 'Go-live']) {
      const item = workItem(name)!;
      const custom = task(name).custom;
      expect(Number(custom[fieldId('ADO Work Item ID')]), name).toBe(item.id);
      expect(String(custom[fieldId('ADO Work Item Link')]), name).toMatch(new RegExp(`^${j.ado.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?_workitems/edit/${item.id}$`));
    }
    expect(task('Build').custom[fieldId('ADO Work Item ID')]).toBeUndefined();
  });

  it('the next run, with no edits, is in step', async () => {
    const before = JSON.stringify([...j.ado.state.items.values()].map((w) => [w.id, w.rev]));
    expect(cardText(await sync())).toMatch(/is in step/);
    await j.settle();
    expect(JSON.stringify([...j.ado.state.items.values()].map((w) => [w.id, w.rev]))).toBe(before);
  });
});
