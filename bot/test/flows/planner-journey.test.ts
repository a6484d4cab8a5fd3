import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS } from '../../../sim/ado/server.js';
import { DATAVERSE_DEMO_CREDENTIALS, SEED_IDS } from '../../../sim/dataverse/server.js';
import { connectorFor as adoConnector } from '../connectors/ado/harness.js';
import { Journey, TENANT, actionsOf, cardText, inputsOf, type Card } from '../support/journey.js';
import { connectBoth, presets } from './support.js';

/**
 * Issue 17 in chat: a new user connects Planner premium (the Dataverse simulator), links "Apollo
 * Cloud" to Phoenix, previews and approves, syncs again with nothing to do, and sees an edit made
 * in Azure DevOps reach Dataverse through an operation set; then history shows the runs.
 */
describe('Planner premium journey', () => {
  const j = new Journey();
  const dataverse = () => j.dataverse!;
  let integrationId: string;

  const apolloTasks = () => dataverse().state.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === SEED_IDS.apollo);
  const ours = () => [...j.ado.state.items.values()].filter((w) => !w.deleted && String(w.fields['System.Tags'] ?? '').includes('planbridge:'));
  const revisions = () => new Map([...j.ado.state.items.values()].map((w) => [w.id, w.rev]));

  async function sync(command: string): Promise<Card> {
    const preview = await j.say(command);
    return j.waitForUpdate(preview.id, (t) => /is in step|^Preview:|Could not/.test(t));
  }

  beforeAll(async () => {
    await j.start({ dataverse: true });
    const ado = await j.say('connect ado');
    await j.click(ado.card, 'Connect', { url: j.ado.url, pat: ADO_DEMO_PATS.fullAccess, name: 'Contoso ADO' });
  });
  afterAll(() => j.stop());

  it('an account without a Project licence is refused, saying why and what to do, and nothing is stored', async () => {
    const { card } = await j.say('connect planner premium');
    expect(cardText(card)).toMatch(/Connect Planner premium/);
    const secret = inputsOf(card).find((i) => i.id === 'secret')!;
    expect(secret).toMatchObject({ style: 'Password', label: expect.stringMatching(/^Access token/) });
    // Microsoft 365 sign-in is offered first (m365-sign-in.test.ts); this journey pastes tokens.
    expect(inputsOf(card).find((i) => i.id === 'method')?.value).toBe('signin');
    const reply = await j.click(card, 'Connect', { method: 'token', url: dataverse().url, secret: DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken, timeZone: 'Europe/Berlin', name: 'Viewer Planner' });
    const text = cardText(reply.card);
    expect(text).toMatch(/A Microsoft Project licence \(Project Plan 1, 3 or 5\)/);
    expect(text).toMatch(/Assign a Project licence to the account in the Microsoft 365 admin center.*Nothing was saved/);
    expect(JSON.stringify(reply.card)).not.toContain(DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken);
    expect(await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' })).toEqual([]);
  });

  it('a licensed token connects, with an access checklist that includes the licence', async () => {
    const { card } = await j.say('connect planner');
    const reply = await j.click(card, 'Connect', { url: `${dataverse().url}/api/data/v9.2/`, secret: DATAVERSE_DEMO_CREDENTIALS.bearerToken, timeZone: 'Europe/Berlin', name: 'Contoso Planner' });
    const text = cardText(reply.card);
    expect(text).toMatch(/Connected to Planner premium: Contoso Planner/);
    expect(text).toMatch(/with an access token \(it expires within about an hour\)/);
    expect(text).toMatch(/✓\s*Microsoft Project licence \(Project Plan 1, 3 or 5\)\s*assigned/);
    expect(text).toMatch(/✓\s*Change plans through the Project schedule APIs\s*allowed/);
    expect(JSON.stringify(reply.card)).not.toContain(DATAVERSE_DEMO_CREDENTIALS.bearerToken);
    const [stored] = await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' });
    // The pasted Web API path is dropped: the environment is its origin.
    expect(stored).toMatchObject({ name: 'Contoso Planner', url: dataverse().url, auth: { type: 'oauth' }, timeZone: 'Europe/Berlin', check: { ok: true } });
    expect(JSON.stringify(stored)).not.toContain(DATAVERSE_DEMO_CREDENTIALS.bearerToken);
  });

  it('"connections" lists it as Planner premium, says the token is short-lived, and offers to connect another', async () => {
    const { card } = await j.say('connections');
    const text = cardText(card);
    expect(text).toMatch(/Contoso Planner/);
    expect(text).toMatch(/Planner premium/);
    expect(text).toMatch(/Signs in with an access token, which expires within about an hour/);
    expect(actionsOf(card).map((a) => a.title)).toContain('Connect Planner premium');
    const [planner] = await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' });
    const again = await j.click(card, 'Check again', {}, { where: { connectionId: planner!.id } });
    expect(cardText(again.card)).toMatch(/Connected to Planner premium: Contoso Planner/);
    // A replacement token of an account without a licence is refused; the stored one stays.
    const key = `secret_${planner!.id.replace(/[^A-Za-z0-9]/g, '')}`;
    const replaced = await j.click(card, 'Check and save', { [key]: DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken }, { where: { connectionId: planner!.id } });
    expect(replaced.message).toMatch(/The new token was not saved, so the old one was kept\. A Microsoft Project licence/);
    expect(await j.bot.bot.store.connections.revealSecret((await j.bot.bot.store.connections.get(TENANT, planner!.id))!)).toBe(DATAVERSE_DEMO_CREDENTIALS.bearerToken);
  });

  it('link finds "Apollo Cloud" in Planner premium and offers all tasks only (no "Sync to ADO" flag there)', async () => {
    const { card } = await j.say('link project "Apollo Cloud" to ADO project Phoenix');
    const text = cardText(card);
    expect(text).toMatch(/Link Apollo Cloud to Azure DevOps/);
    expect(text).toMatch(/Using Contoso Planner \(Planner premium\) and Contoso ADO\./);
    const planTasks = inputsOf(card).find((i) => i.id === 'planTasks')!;
    expect((planTasks.choices as Array<{ value: string }>).map((c) => c.value)).toEqual(['all']);
    // A crafted "flagged" is refused with why.
    const flagged = await j.click(card, 'Create integration', { ...presets(card), planTasks: 'flagged' });
    expect(cardText(flagged.card)).toMatch(/Planner premium plans have no "Sync to ADO" task field/);
    const linked = await j.click(card, 'Create integration', presets(card));
    expect(cardText(linked.card)).toMatch(/Linked: Apollo Cloud ↔ Phoenix/);
    const [integration] = (await j.bot.bot.store.integrations.list(TENANT)).items;
    const [planner] = await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' });
    integrationId = integration!.id;
    expect(integration).toMatchObject({ planConnectionId: planner!.id, planProjectId: SEED_IDS.apollo, planProjectName: 'Apollo Cloud', planTasks: 'all' });
    // Planner premium's defaults: computed effort only flows to ADO; sprints and buckets offered, off.
    const rule = (id: string) => integration!.mapping.find((r) => r.id === id);
    expect(rule('work')).toMatchObject({ planField: 'Work', adoField: 'Microsoft.VSTS.Scheduling.OriginalEstimate', direction: 'two-way', enabled: true });
    expect(rule('remaining-work')).toMatchObject({ planField: 'RemainingWork', direction: 'plan-to-ado', enabled: true });
    expect(rule('actual-work')).toMatchObject({ planField: 'ActualWork', adoField: 'Microsoft.VSTS.Scheduling.CompletedWork', direction: 'plan-to-ado' });
    expect(rule('sprint')).toMatchObject({ planField: 'Sprint', adoField: 'System.IterationPath', enabled: false });
    expect(rule('sprint')!.valueMap).toContainEqual({ plan: 'Sprint 1', ado: 'Phoenix\\Sprint 1' });
    expect(rule('bucket')).toMatchObject({ planField: 'Bucket', adoField: 'System.AreaPath', direction: 'plan-to-ado', enabled: false });
  });

  it('a timed schedule is refused for the bare token, with why and what still works', async () => {
    const { card } = await j.say('schedule "Apollo Cloud" daily at 09:00 Europe/Berlin');
    expect(cardText(card)).toMatch(/"Contoso Planner" signs in to Planner premium with a bare access token, which expires within about an hour/);
  });

  it('sync previews, and approving puts the plan into ADO with its hierarchy', async () => {
    const preview = await j.say('sync project "Apollo Cloud"');
    const card = await j.waitForUpdate(preview.id, (t) => /^Preview:|Could not/.test(t));
    const progress = j.activities.filter((a) => a.method === 'PUT' && a.activityId === preview.id).map((a) => cardText((a.body as { attachments?: Array<{ content: unknown }> }).attachments?.[0]?.content));
    expect(progress.join('\n')).toMatch(/Read Apollo Cloud from Planner premium/);
    const text = cardText(card);
    expect(text).toMatch(/Create in ADO\n16\n/);
    await j.click(card, 'Approve and apply');
    const report = await j.waitForUpdate(preview.id, (t) => /^Synced|Could not|failed/i.test(t));
    await j.settle();
    expect(cardText(report)).toMatch(/Synced: Apollo Cloud ↔ Phoenix/);
    // The report opens the plan where it lives: the project record in the Dataverse environment.
    const open = JSON.stringify(report).match(/"title":"Open the plan in ([^"]+)","url":"([^"]+)"/);
    expect(open?.[1]).toBe('Planner premium');
    expect(open?.[2]).toMatch(/\/main\.aspx\?pagetype=entityrecord&etn=msdyn_project&id=/);

    const tasks = apolloTasks();
    const items = ours();
    expect(items).toHaveLength(tasks.length);
    const byTitle = new Map(items.map((w) => [String(w.fields['System.Title']), w]));
    const parentOf = (w: (typeof items)[number]) => {
      const rel = w.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
      return rel ? Number(/(\d+)$/.exec(rel.url)![1]) : null;
    };
    for (const task of tasks) {
      const item = byTitle.get(String(task.msdyn_subject));
      expect(item, `work item for "${String(task.msdyn_subject)}"`).toBeDefined();
      const parent = tasks.find((t) => t.msdyn_projecttaskid === task._msdyn_parenttask_value);
      expect(parentOf(item!), `parent of "${String(task.msdyn_subject)}"`).toBe(parent ? byTitle.get(String(parent.msdyn_subject))!.id : null);
    }
    expect(byTitle.get('Discovery and design')!.fields['System.WorkItemType']).toBe('Epic');
    expect(byTitle.get('Architecture')!.fields['System.WorkItemType']).toBe('Feature');
    const cluster = byTitle.get('Provision Kubernetes cluster')!;
    expect(cluster.fields).toMatchObject({ 'System.WorkItemType': 'Task', 'Microsoft.VSTS.Scheduling.OriginalEstimate': 40, 'Microsoft.VSTS.Scheduling.RemainingWork': 24, 'Microsoft.VSTS.Scheduling.CompletedWork': 16, 'System.State': 'Active' });
  });

  it('a second run with no edits proposes nothing and changes no work item', async () => {
    const before = revisions();
    const card = await sync('sync project "Apollo Cloud"');
    expect(cardText(card)).toMatch(/Apollo Cloud ↔ Phoenix is in step/);
    await j.settle();
    expect(revisions()).toEqual(before);
  });

  it('an edit in ADO reaches Dataverse two-way, through an operation set', async () => {
    const cluster = ours().find((w) => w.fields['System.Title'] === 'Provision Kubernetes cluster')!;
    await adoConnector(j.ado).update({ id: cluster.id, expectedRev: cluster.rev, fields: { 'System.Title': 'Provision AKS cluster', 'Microsoft.VSTS.Scheduling.OriginalEstimate': 48 } });
    const setsBefore = dataverse().state.list('msdyn_operationset').length;
    const card = await sync('sync project "Apollo Cloud" both ways');
    expect(cardText(card)).toMatch(/^Preview:/);
    expect(cardText(card)).toMatch(/Update in the plan\n1\n/);
    await j.click(card, 'Approve and apply');
    await j.settle();
    await dataverse().settle();
    const task = dataverse().state.get('msdyn_projecttask', SEED_IDS.apolloTask('2.1.1'))!;
    expect(task).toMatchObject({ msdyn_subject: 'Provision AKS cluster', msdyn_effort: 48 });
    const sets = dataverse().state.list('msdyn_operationset').slice(setsBefore);
    expect(sets.length).toBeGreaterThan(0);
    expect(sets.every((s) => s.msdyn_status === 192350003)).toBe(true);
    const again = await sync('sync project "Apollo Cloud" both ways');
    expect(cardText(again)).toMatch(/is in step/);
  });

  it('history shows the runs', async () => {
    const { card } = await j.say('history "Apollo Cloud"');
    const text = cardText(card);
    expect(text).toMatch(/Apollo Cloud ↔ Phoenix/);
    expect(text.match(/Succeeded/g)?.length).toBeGreaterThanOrEqual(2);
    const runs = (await j.bot.bot.store.runs.list(TENANT, integrationId, { pageSize: 10 })).items.filter((r) => r.status === 'succeeded');
    expect(runs.length).toBeGreaterThanOrEqual(2);
  });
});

/**
 * "link project Apollo ..." with a Project Web App site and a Planner premium environment both
 * connected: a name only one of them has goes straight to the link card; a name both have is asked
 * about, one button per plan system.
 */
describe('link with both plan systems connected', () => {
  const j = new Journey();
  const PLANNER_APOLLO = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';

  beforeAll(async () => {
    await j.start({ dataverse: true });
    await connectBoth(j);
    const { card } = await j.say('connect planner');
    await j.click(card, 'Connect', { url: j.dataverse!.url, secret: DATAVERSE_DEMO_CREDENTIALS.bearerToken, timeZone: 'UTC', name: 'Contoso Planner' });
    // A Planner premium plan with the same name as PWA's demo plan "Apollo".
    j.dataverse!.state.insert('msdyn_project', 'msdyn_projectid', { msdyn_projectid: PLANNER_APOLLO, msdyn_subject: 'Apollo', msdyn_start: '2026-11-02T09:00:00Z', msdyn_finish: '2026-11-02T09:00:00Z' });
  });
  afterAll(() => j.stop());

  it('a name only Planner premium has links from there at once', async () => {
    const { card } = await j.say('link project "Apollo Cloud" to ADO project Phoenix');
    expect(cardText(card)).toMatch(/Link Apollo Cloud to Azure DevOps/);
    expect(cardText(card)).toMatch(/Using Contoso Planner \(Planner premium\) and Contoso ADO\./);
    expect(presets(card).planProjectId).toBe(SEED_IDS.apollo);
    // Both plan connections can be picked, each named with its system.
    const picker = inputsOf(card).find((i) => i.id === 'pickPlanConnection')!;
    expect((picker.choices as Array<{ title: string }>).map((c) => c.title)).toEqual(['Contoso PWA (Project Web App, yours)', 'Contoso Planner (Planner premium, yours)']);
  });

  it('a name both have is asked about, and the answer decides the plan system', async () => {
    const { card } = await j.say('link project Apollo to ADO project Phoenix');
    expect(cardText(card)).toMatch(/Which "Apollo"\?/);
    expect(cardText(card)).toMatch(/More than one plan system you can use has a plan called "Apollo"/);
    expect(actionsOf(card).map((a) => a.title).sort()).toEqual(['Apollo in Planner premium (Contoso Planner)', 'Apollo in Project Web App (Contoso PWA)']);

    const planner = await j.click(card, 'Apollo in Planner premium (Contoso Planner)');
    expect(cardText(planner.card)).toMatch(/Using Contoso Planner \(Planner premium\) and Contoso ADO\./);
    expect(presets(planner.card!).planProjectId).toBe(PLANNER_APOLLO);
    expect((inputsOf(planner.card).find((i) => i.id === 'planTasks')!.choices as unknown[])).toHaveLength(1);

    const pwa = await j.click(card, 'Apollo in Project Web App (Contoso PWA)');
    expect(cardText(pwa.card)).toMatch(/Link Apollo to Azure DevOps/);
    expect(cardText(pwa.card)).toMatch(/Using Contoso PWA and Contoso ADO\./);
    expect((inputsOf(pwa.card).find((i) => i.id === 'planTasks')!.choices as unknown[])).toHaveLength(2);

    // The integration records the plan connection the person chose.
    const linked = await j.click(planner.card!, 'Create integration', presets(planner.card!));
    expect(cardText(linked.card)).toMatch(/Linked: Apollo ↔ Phoenix/);
    const [plannerConnection] = await j.bot.bot.store.connections.list(TENANT, { kind: 'planner' });
    expect((await j.bot.bot.store.integrations.list(TENANT)).items[0]).toMatchObject({ planConnectionId: plannerConnection!.id, planProjectId: PLANNER_APOLLO });
  });
});
