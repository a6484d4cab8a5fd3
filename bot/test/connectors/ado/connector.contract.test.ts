import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { ADO_DEMO_PATS, type AdoSimulator } from '../../../../sim/ado/server.js';
import { connectorFor, MODES, startSim } from './harness.js';

describe.each(MODES)('ADO connector against the simulator (%s)', (mode) => {
  let sim: AdoSimulator;
  beforeAll(async () => { sim = await startSim(mode); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });

  it('negotiates the api-version the server advertises', async () => {
    await connectorFor(sim).listProjects();
    const versions = new Set(sim.requests.filter((r) => r.apiVersion && !r.path.includes('ResourceAreas')).map((r) => r.apiVersion!.split('-')[0]));
    expect([...versions]).toEqual([mode === 'cloud' ? '7.2' : '5.0']);
    expect(sim.url).toMatch(mode === 'cloud' ? /\/contoso$/ : /\/tfs\/DefaultCollection$/);
  });

  it('reports every scope present for a full-access PAT', async () => {
    const report = await connectorFor(sim).checkConnection();
    expect(report.user).toEqual({ displayName: 'Dana Demo', uniqueName: 'dana@contoso.com' });
    expect(report.deployment).toBe(mode === 'cloud' ? 'services' : 'server');
    expect(report.scopes.map((s) => [s.scope, s.present])).toEqual([
      ['project-read', true], ['work-read', true], ['work-write', true], ['identity-read', true], ['graph-read', true],
    ]);
    expect(report.missing).toEqual([]);
    expect(report.advice).toBeNull();
  });

  it('names the missing write scope of a read-only PAT without writing anything', async () => {
    const before = sim.state.items.size;
    const report = await connectorFor(sim, ADO_DEMO_PATS.readOnly).checkConnection();
    expect(report.missing).toEqual(['Work Items: Read & write']);
    expect(report.advice).toContain('_usersSettings/tokens');
    expect(report.advice).toContain('Work Items: Read & write');
    expect(sim.state.items.size).toBe(before);
    const full = await connectorFor(sim).checkConnection();
    expect(full.scopes.find((s) => s.scope === 'work-write')?.present).toBe(true);
    expect(sim.state.items.size).toBe(before);
  });

  it('lists every missing scope of a narrow PAT', async () => {
    sim.addPat('only-project', ['vso.project']);
    const report = await connectorFor(sim, 'only-project').checkConnection();
    expect(report.missing).toEqual(['Work Items: Read', 'Work Items: Read & write', 'Identity: Read', 'Graph: Read']);
  });

  it('discovers projects, process, teams, paths, types, fields and backlog levels', async () => {
    const c = connectorFor(sim);
    expect((await c.listProjects()).map((p) => p.name)).toEqual(['Phoenix', 'Atlas', 'Hermes', 'Orion']);
    expect(await c.processOf('Phoenix')).toBe('Agile');
    expect(await c.processOf('Atlas')).toBe('Scrum');
    expect((await c.listTeams('Phoenix')).map((t) => t.name)).toEqual(['Phoenix Team', 'Web Team', 'Mobile Team']);
    const paths = await c.classificationPaths('Phoenix');
    expect(paths.areas.map((a) => a.path)).toEqual(['Phoenix', 'Phoenix\\Web', 'Phoenix\\Mobile']);
    expect(paths.iterations.map((i) => i.path)).toEqual(['Phoenix', 'Phoenix\\Sprint 1', 'Phoenix\\Sprint 2', 'Phoenix\\Sprint 3']);
    expect(paths.iterations[1]!.startDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await c.teamAreaPaths('Phoenix', 'Web Team')).toEqual([{ path: 'Phoenix\\Web', includeChildren: true }]);
    expect((await c.teamIterations('Phoenix', 'Web Team')).map((i) => i.path)).toContain('Phoenix\\Sprint 2');
    const types = await c.workItemTypes('Phoenix');
    expect(types.find((t) => t.name === 'User Story')?.states.map((s) => s.name)).toEqual(['New', 'Active', 'Resolved', 'Closed', 'Removed']);
    expect((await c.workItemTypes('Hermes')).map((t) => t.name)).toEqual(['Epic', 'Issue', 'Task']);
    expect((await c.fields('Phoenix')).some((f) => f.referenceName === 'Microsoft.VSTS.Scheduling.StoryPoints')).toBe(true);
    expect((await c.backlogLevels('Phoenix')).map((b) => [b.kind, b.defaultType])).toEqual([
      ['portfolio', 'Epic'], ['portfolio', 'Feature'], ['requirement', 'User Story'], ['task', 'Task'],
    ]);
  });

  it('reads a project with every parent id, from relations (Server 2019 has no System.Parent)', async () => {
    const items = await connectorFor(sim).readScope([{ project: 'Phoenix' }]);
    expect(items).toHaveLength(17);
    const byTitle = new Map(items.map((i) => [i.title, i]));
    const story = byTitle.get('Pay with a saved card')!;
    expect(byTitle.get('Card vault API client')!.parentId).toBe(story.id);
    expect(story.parentId).toBe(byTitle.get('Checkout')!.id);
    expect(byTitle.get('Online ordering')!.parentId).toBeNull();
    expect(story.childIds).toHaveLength(2);
    expect(story.rev).toBe(1);
    expect(story.url).toBe(`${sim.url}/_apis/wit/workItems/${story.id}`);
    expect('System.Parent' in story.fields).toBe(mode === 'cloud');
  });

  it('narrows by team, area, iteration and type; runs saved queries; unions projects', async () => {
    const c = connectorFor(sim);
    const web = await c.readScope([{ project: 'Phoenix', team: 'Web Team' }]);
    expect(web.length).toBeGreaterThan(0);
    expect(web.every((i) => String(i.fields['System.AreaPath']).startsWith('Phoenix\\Web'))).toBe(true);
    const sprint1 = await c.readScope([{ project: 'Phoenix', iterationPath: 'Phoenix\\Sprint 1' }]);
    expect(sprint1.map((i) => i.title).sort()).toEqual(['Card vault API client', 'Pay with a saved card', 'Saved card picker UI']);
    const epics = await c.readScope([{ project: 'Phoenix', types: ['Epic', 'Feature'] }]);
    expect(new Set(epics.map((i) => i.type))).toEqual(new Set(['Epic', 'Feature']));
    const saved = await c.readScope([{ project: 'Phoenix', queryId: sim.state.queries[0]!.id }]);
    expect(saved.map((i) => i.title)).toEqual(['Pay with a saved card']);
    const union = await c.readScope([{ project: 'Phoenix', areaPath: 'Phoenix\\Mobile' }, { project: 'Atlas' }, { project: 'Atlas' }]);
    expect(new Set(union.map((i) => i.project))).toEqual(new Set(['Phoenix', 'Atlas']));
    expect(new Set(union.map((i) => i.id)).size).toBe(union.length);
  });

  it('pages WIQL past 20,000 ids and batches reads by 200 within the in-flight cap', async () => {
    sim.addBigProject({ name: 'Huge', items: 20_450, levels: 4 });
    const c = connectorFor(sim, ADO_DEMO_PATS.fullAccess, { maxInFlight: 4 });
    sim.clearRequests();
    const items = await c.readScope([{ project: 'Huge' }]);
    expect(items).toHaveLength(20_450);
    expect(new Set(items.map((i) => i.id)).size).toBe(20_450);
    const wiql = sim.requests.filter((r) => r.path.endsWith('/wiql') || r.path.includes('/wiql?'));
    const batches = sim.requests.filter((r) => r.path.includes('workItemsBatch'));
    expect(wiql).toHaveLength(2);
    expect(batches).toHaveLength(Math.ceil(20_450 / 200));
    expect(sim.load.peakInFlight).toBeLessThanOrEqual(4);
    expect(c.session.gate.peakInFlight).toBe(4);
    const depth = (id: number, byId: Map<number, { parentId: number | null }>): number => {
      const p = byId.get(id)?.parentId;
      return p ? 1 + depth(p, byId) : 1;
    };
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(Math.max(...items.map((i) => depth(i.id, byId)))).toBe(4);
  });

  it('creates with fields, parent, marker tag and hyperlink, and finds it by marker', async () => {
    const c = connectorFor(sim);
    const [feature] = await c.readScope([{ project: 'Phoenix', types: ['Feature'] }]);
    const created = await c.create({
      project: 'Phoenix', type: 'User Story', parentId: feature!.id, marker: 'pb-link-42',
      fields: { 'System.Title': 'Gift cards', 'Microsoft.VSTS.Scheduling.StoryPoints': 3, 'System.AreaPath': 'Phoenix\\Web', 'System.Tags': 'from-plan' },
      link: { url: 'https://contoso.sharepoint.com/sites/pwa/project/42', comment: 'Plan task' },
    });
    expect(created).toMatchObject({ type: 'User Story', title: 'Gift cards', parentId: feature!.id, rev: 1, tags: ['from-plan', 'pb-link-42'] });
    expect(created.hyperlinks).toEqual([{ url: 'https://contoso.sharepoint.com/sites/pwa/project/42', comment: 'Plan task' }]);
    const [parentNow] = await c.readByIds([feature!.id]);
    expect(parentNow!.childIds).toContain(created.id);
    const found = await c.findByMarkers(['pb-link-42', 'pb-link-missing']);
    expect(found.get('pb-link-42')?.id).toBe(created.id);
    expect(found.has('pb-link-missing')).toBe(false);
  });

  it('updates guarded by rev, reports a stale rev as a result, and moves parents', async () => {
    const c = connectorFor(sim);
    const items = await c.readScope([{ project: 'Phoenix' }]);
    const task = items.find((i) => i.title === 'Mobile cart screen')!;
    const otherStory = items.find((i) => i.title === 'See my points balance')!;
    const done = await c.update({ id: task.id, expectedRev: task.rev, fields: { 'System.State': 'Active', 'Microsoft.VSTS.Scheduling.RemainingWork': 7 } });
    expect(done.status).toBe('done');
    if (done.status !== 'done') return;
    expect(done.item.rev).toBe(task.rev + 1);
    expect(done.item.fields['Microsoft.VSTS.Scheduling.RemainingWork']).toBe(7);
    expect(await c.update({ id: task.id, expectedRev: task.rev, fields: { 'System.Title': 'lost update' } })).toEqual({ status: 'stale', id: task.id });
    const moved = await c.update({ id: task.id, expectedRev: done.item.rev, parentId: otherStory.id });
    expect(moved.status === 'done' && moved.item.parentId).toBe(otherStory.id);
    const [reread] = await c.readByIds([task.id]);
    expect(reread!.title).toBe('Mobile cart screen');
    expect(reread!.parentId).toBe(otherStory.id);
  });

  it('removes only at the expected rev', async () => {
    const c = connectorFor(sim);
    const [task] = await c.readScope([{ project: 'Hermes', types: ['Task'] }]);
    expect(await c.remove(task!.id, task!.rev + 5)).toBe('stale');
    expect(await c.remove(task!.id, task!.rev)).toBe('done');
    expect(await c.readByIds([task!.id])).toEqual([]);
  });

  it('turns a rule violation into a message with the server reason', async () => {
    const err = await connectorFor(sim).create({ project: 'Phoenix', type: 'Task', marker: 'pb-x', fields: { 'System.Title': 'x', 'System.State': 'Nonsense' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdoConnectorError);
    expect((err as AdoConnectorError).code).toBe('invalid-request');
    expect((err as AdoConnectorError).message).toMatch(/TF401320: Rule Error for field State/);
  });
});
