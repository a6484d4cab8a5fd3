import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TENANT } from '../support/activities.js';
import { ADA, GRACE, Journey, TENANT, actionsOf, cardText, inputsOf, type Card } from '../support/journey.js';
import { connectBoth, linkWithDefaults, presets } from './support.js';

/**
 * The main journey over HTTP: link Apollo to Phoenix with the defaults, "sync Apollo", see the
 * progress card turn into the preview, approve, and get the report, with every refusal on the way.
 */
describe('link and sync journey', () => {
  const j = new Journey();
  let integrationId: string;
  let preview: { card: Card; id: string };
  let approveData: Record<string, unknown>;

  beforeAll(async () => {
    await j.start();
    await connectBoth(j);
  });
  afterAll(() => j.stop());

  it('link shows every setting with defaults from the ADO process', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    const text = cardText(card);
    expect(text).toMatch(/Link Apollo to Azure DevOps/);
    expect(text).toMatch(/Phoenix uses the Agile process/);
    const values = presets(card);
    expect(values).toMatchObject({ adoProjects: 'Phoenix', direction: 'plan-to-ado', levels: 'Epic > Feature > User Story', leafType: 'Task', creation: 'withAllSubItems', notify: 'here' });
    const choices = inputsOf(card).find((i) => i.id === 'planProjectId')!.choices as Array<{ title: string; value: string }>;
    expect(choices.find((c) => c.value === values.planProjectId)?.title).toBe('Apollo');
  });

  it('a wrong hierarchy is refused on the card, naming the types the project really has', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    const reply = await j.click(card, 'Create integration', { ...presets(card), levels: 'Epic > Sprint' });
    expect(cardText(reply.card)).toMatch(/Phoenix has no "Sprint" work item type. Its types are Epic, Feature, User Story, Task, Bug; pick the levels from those./);
  });

  it('accepting the defaults creates the integration with the setter-upper as approver', async () => {
    const card = await linkWithDefaults(j);
    const text = cardText(card);
    expect(text).toMatch(/Linked: Apollo ↔ Phoenix/);
    expect(text).toMatch(/Approvers\nAda Lovelace/);
    const integrations = (await j.bot.bot.store.integrations.list(TENANT)).items;
    expect(integrations).toHaveLength(1);
    integrationId = integrations[0]!.id;
    expect(integrations[0]).toMatchObject({ planProjectName: 'Apollo', adoProjects: ['Phoenix'], process: 'Agile', direction: 'plan-to-ado', approvers: [{ id: ADA.id, name: ADA.name }] });
  });

  it('"sync Apolo" matches fuzzily and turns one progress card into the preview, in place', async () => {
    preview = await j.say('sync Apolo');
    expect(cardText(preview.card)).toMatch(/Preparing a preview: Apollo ↔ Phoenix/);
    const card = await j.waitForUpdate(preview.id, (t) => t.startsWith('Preview:'));
    const updates = j.activities.filter((a) => a.method === 'PUT' && a.activityId === preview.id);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    expect(j.activities.filter((a) => a.method === 'POST').at(-1)!.id).toBe(preview.id);
    const text = cardText(card);
    expect(text).toMatch(/Create in ADO\n\d+/);
    expect(text).toMatch(/Showing 1 to 10 of \d+/);
    // Parents first, in the plan's outline order.
    expect(text.indexOf('Create Epic "Discovery" in ADO')).toBeGreaterThan(0);
    expect(text.indexOf('Create Epic "Discovery" in ADO')).toBeLessThan(text.indexOf('Create Epic "Build" in ADO'));
    preview.card = card;
    approveData = actionsOf(card).find((a) => a.verb === 'sync.approve')!.data;
    expect(approveData.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('"Show more" pages through the changes', async () => {
    const next = await j.click(preview.card, 'Show more');
    expect(cardText(next.card)).toMatch(/Showing 11 to \d+ of \d+/);
  });

  it('refresh gives approvers Approve and everyone else a read-only view', async () => {
    expect((preview.card.refresh as { userIds: string[] }).userIds).toEqual([ADA.id]);
    const refresh = actionsOf({ x: preview.card.refresh })[0]!;
    const mine = await j.invoke(refresh.verb, refresh.data, { trigger: 'automatic', as: ADA });
    expect(actionsOf(mine.card).map((a) => a.title)).toContain('Approve and apply');
    const theirs = await j.invoke(refresh.verb, refresh.data, { trigger: 'automatic', as: GRACE });
    expect(actionsOf(theirs.card).map((a) => a.title)).not.toContain('Approve and apply');
    expect(cardText(theirs.card)).toMatch(/Read-only view\. Approvers: Ada Lovelace/);
  });

  it('a non-approver cannot approve by crafting the invoke', async () => {
    const reply = await j.invoke('sync.approve', approveData, { as: GRACE });
    expect(reply.message).toMatch(/Only the approvers of "Apollo ↔ Phoenix" can do this \(Ada Lovelace\)/);
  });

  it('another tenant cannot approve, with its own stamp or this one', async () => {
    expect((await j.invoke('sync.approve', { ...approveData, t: OTHER_TENANT }, { tenantId: OTHER_TENANT })).message).toMatch(/could not find that integration/);
    expect((await j.invoke('sync.approve', approveData, { tenantId: OTHER_TENANT })).message).toMatch(/made for another organization/);
  });

  it('a replayed or tampered plan hash is refused and nothing is applied', async () => {
    const reply = await j.invoke('sync.approve', { ...approveData, hash: '0'.repeat(64) });
    expect(reply.message).toMatch(/different version of the preview, so nothing was applied/);
    expect((await j.invoke('sync.approve', { ...approveData, hash: undefined })).message).toMatch(/does not say which preview/);
  });

  it('approve clicked twice at once applies once, and the card becomes the report', async () => {
    const itemsBefore = j.ado.state.items.size;
    const planned = Number(/Create in ADO\n(\d+)/.exec(cardText(preview.card))![1]);
    const [a, b] = await Promise.all([
      j.invoke('sync.approve', approveData, { replyToId: preview.id }),
      j.invoke('sync.approve', approveData, { replyToId: preview.id }),
    ]);
    const replies = [a, b];
    expect(replies.filter((r) => r.card && /Applying: Apollo ↔ Phoenix/.test(cardText(r.card)))).toHaveLength(1);
    expect(replies.filter((r) => r.message && /already approved this preview/.test(r.message))).toHaveLength(1);
    const report = await j.waitForUpdate(preview.id, (t) => t.startsWith('Synced'));
    await j.settle();
    expect(j.ado.state.items.size - itemsBefore).toBe(planned);
    const text = cardText(report);
    expect(text).toMatch(/Synced: Apollo ↔ Phoenix/);
    expect(text).toMatch(/Approved by\nAda Lovelace/);
    expect(text).toMatch(/Time taken\n\d+\.\d s/);
    expect(JSON.stringify(report)).toMatch(/_workitems\/edit\/\d+/);
    expect(JSON.stringify(report)).toMatch(/schedule\.aspx\?projuid=/);
    // A third click after the fact is told it was applied once.
    expect((await j.invoke('sync.approve', approveData)).message).toMatch(/applied once/);
  });

  it('black box: ADO holds every plan task with the plan hierarchy, types by level and the marker', async () => {
    const planProject = j.pwa.state.projects.find((p) => p.Name === 'Apollo')!;
    const tasks = planProject.tasks;
    const phoenix = j.ado.state.projects.find((p) => p.name === 'Phoenix')!;
    const ours = [...j.ado.state.items.values()].filter((w) => w.projectId === phoenix.id && String(w.fields['System.Tags'] ?? '').includes('planbridge:'));
    expect(ours).toHaveLength(tasks.length);
    const byTitle = new Map(ours.map((w) => [String(w.fields['System.Title']), w]));
    const parentOf = (w: (typeof ours)[number]) => {
      const rel = w.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
      return rel ? Number(/(\d+)$/.exec(rel.url)![1]) : null;
    };
    for (const task of tasks) {
      const item = byTitle.get(task.Name);
      expect(item, `work item for "${task.Name}"`).toBeDefined();
      const parentTask = tasks.find((t) => t.Id === task.ParentId);
      expect(parentOf(item!), `parent of "${task.Name}"`).toBe(parentTask ? byTitle.get(parentTask.Name)!.id : null);
      const type = String(item!.fields['System.WorkItemType']);
      if (!task.IsSummary) expect(type).toBe('Task');
      else expect(['Epic', 'Feature', 'User Story']).toContain(type);
    }
    expect(byTitle.get('Discovery')!.fields['System.WorkItemType']).toBe('Epic');
  });

  it('links are stored, so the next preview has nothing to do', async () => {
    const links = await j.bot.bot.store.links.list(TENANT, integrationId, { pageSize: 1000 });
    expect(links.items.length).toBeGreaterThan(5);
    const again = await j.say('sync Apollo');
    const card = await j.waitForUpdate(again.id, (t) => /is in step|Preview:/.test(t));
    expect(cardText(card)).toMatch(/Apollo ↔ Phoenix is in step/);
  });

  it('usage counts each work item transferred once in the window, however many runs touched it', async () => {
    const links = (await j.bot.bot.store.links.list(TENANT, integrationId, { pageSize: 1000 })).items.filter((l) => !l.retired);
    const usage = await j.bot.bot.store.usage.current(TENANT);
    expect(usage.byKind['work-item']).toBe(links.length);
    expect(usage.byIntegration).toEqual([{ integrationId, kind: 'work-item', count: links.length }]);
  });

  it('status and history list the run with its outcome, approver and counts', async () => {
    const status = await j.say('status Apollo');
    expect(cardText(status.card)).toMatch(/Status: Apollo ↔ Phoenix/);
    // Without a project: the last run of each integration.
    const all = cardText((await j.say('status')).card);
    expect(all).toMatch(/The last run of each integration:/);
    expect(all).toMatch(/Apollo ↔ Phoenix: (Succeeded|Out of date \(not applied\)|Waiting for approval) \(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
    const history = await j.say('history Apollo');
    const text = cardText(history.card);
    expect(text).toMatch(/Succeeded/);
    // Audited by identity: the Entra object id beside the name, which can change or repeat.
    expect(text).toMatch(/Approved by Ada Lovelace \(Entra ID 00000000-0000-4000-8000-0000000000a1\) · planned: \d+ creations, 0 updates, 0 conflicts · applied \d+, skipped or failed 0/);
    const [run] = (await j.bot.bot.store.runs.list(TENANT, (await j.bot.bot.store.integrations.list(TENANT)).items[0]!.id, { pageSize: 5 })).items.filter((r) => r.status === 'succeeded');
    expect(run!.approvals.at(-1)).toMatchObject({ by: 'Ada Lovelace', aadObjectId: ADA.aadObjectId, userId: ADA.id, decision: 'approved' });
  });
});
