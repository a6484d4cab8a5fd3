import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator } from '../server.js';
import { examples, readExample, specChecker } from './specs.js';

/**
 * Every response shape the connector uses, checked against the official 7.1 OpenAPI definitions;
 * the official examples are validated with the same checker so the checker itself is known good.
 */
const wit = specChecker('wit-7.1.json');
const core = specChecker('core-7.1.json');
const work = specChecker('work-7.1.json');

describe('the spec checker', () => {
  it.each(['workItems', 'workItemsBatch'])('accepts the official %s examples and rejects a broken item', (resource) => {
    const items = examples('wit', resource).flatMap(({ body }) => {
      const b = body as { value?: unknown[] } | undefined;
      return b?.value ?? (b && typeof b === 'object' && 'id' in b ? [b] : []);
    });
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(wit.check('WorkItem', item)).toEqual([]);
    expect(wit.check('WorkItem', { id: 'seven', rev: 1, fields: {} })).not.toEqual([]);
  });
});

describe('the spec checker on team members', () => {
  it('accepts the official members example and rejects a broken member', () => {
    const members = examples('core', 'members').flatMap(({ body }) => (body as { value?: unknown[] } | undefined)?.value ?? []);
    expect(members.length).toBeGreaterThan(0);
    for (const m of members) expect(core.check('TeamMember', m)).toEqual([]);
    expect(core.check('TeamMember', { isTeamAdmin: 'yes', identity: { id: 7 } })).not.toEqual([]);
  });
});

describe.each(['cloud', 'server2019'] as const)('simulator responses match the ADO 7.1 specs (%s)', (mode) => {
  let sim: AdoSimulator;
  const bodies: Record<string, any> = {};
  beforeAll(async () => {
    sim = await startAdoSimulator({ mode });
    const v = mode === 'cloud' ? '7.1' : '5.0';
    const headers = { authorization: `Basic ${Buffer.from(`:${ADO_DEMO_PATS.fullAccess}`).toString('base64')}`, 'x-tfs-fedauthredirect': 'Suppress', accept: `application/json;api-version=${v}` };
    const get = async (path: string) => (await fetch(`${sim.url}/${path}`, { headers })).json();
    const send = async (method: string, path: string, body: unknown, type = 'application/json') => (await fetch(`${sim.url}/${path}`, { method, headers: { ...headers, 'content-type': type }, body: JSON.stringify(body) })).json();
    bodies.projects = await get('_apis/projects');
    bodies.project = await get('_apis/projects/Phoenix?includeCapabilities=true');
    bodies.teams = await get('_apis/projects/Phoenix/teams');
    bodies.members = await get('_apis/projects/Phoenix/teams/Phoenix%20Team/members');
    bodies.wiql = await send('POST', 'Phoenix/_apis/wit/wiql', { query: "SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.TeamProject] = @project ORDER BY [System.Id]" });
    const ids = bodies.wiql.workItems.map((w: { id: number }) => w.id);
    bodies.batch = await send('POST', 'Phoenix/_apis/wit/workitemsbatch', { ids, $expand: 1, errorPolicy: 2 });
    bodies.batchFields = await send('POST', '_apis/wit/workitemsbatch', { ids: ids.slice(0, 3), fields: ['System.Id', 'System.Title', 'System.AssignedTo'] });
    bodies.created = await send('POST', 'Phoenix/_apis/wit/workitems/$Task', [
      { op: 'add', path: '/fields/System.Title', value: 'Spec check' },
      { op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${sim.url}/_apis/wit/workItems/${ids[3]}` } },
      { op: 'add', path: '/relations/-', value: { rel: 'Hyperlink', url: 'https://example.com/plan/1', attributes: { comment: 'plan' } } },
    ], 'application/json-patch+json');
    bodies.updated = await send('PATCH', `Phoenix/_apis/wit/workitems/${bodies.created.id}`, [
      { op: 'test', path: '/rev', value: 1 }, { op: 'add', path: '/fields/System.State', value: 'Active' },
    ], 'application/json-patch+json');
    bodies.updates = await get(`Phoenix/_apis/wit/workItems/${bodies.created.id}/updates`);
    bodies.revisions = await get(`Phoenix/_apis/wit/workItems/${bodies.created.id}/revisions?$expand=1`);
    bodies.types = await get('Phoenix/_apis/wit/workitemtypes');
    bodies.states = await get('Phoenix/_apis/wit/workitemtypes/User%20Story/states');
    bodies.typeFields = await get('Phoenix/_apis/wit/workitemtypes/Task/fields');
    bodies.fields = await get('Phoenix/_apis/wit/fields');
    bodies.nodes = await get('Phoenix/_apis/wit/classificationnodes?$depth=3');
    bodies.relationTypes = await get('_apis/wit/workitemrelationtypes');
    bodies.teamSettings = await get('Phoenix/Web%20Team/_apis/work/teamsettings');
    bodies.iterations = await get('Phoenix/Web%20Team/_apis/work/teamsettings/iterations');
    bodies.teamFieldValues = await get('Phoenix/Web%20Team/_apis/work/teamsettings/teamfieldvalues');
    bodies.backlogs = await get('Phoenix/Web%20Team/_apis/work/backlogs');
    bodies.deleted = await (await fetch(`${sim.url}/Phoenix/_apis/wit/workitems/${bodies.created.id}`, { method: 'DELETE', headers })).json();
  });
  afterAll(async () => { await sim.close(); });

  const cases: Array<[string, string, (b: Record<string, any>) => unknown[], ReturnType<typeof specChecker>]> = [
    ['projects', 'TeamProjectReference', (b) => b.projects.value, core],
    ['project', 'TeamProject', (b) => [b.project], core],
    ['teams', 'WebApiTeam', (b) => b.teams.value, core],
    ['members', 'TeamMember', (b) => b.members.value, core],
    ['wiql', 'WorkItemQueryResult', (b) => [b.wiql], wit],
    ['batch', 'WorkItem', (b) => b.batch.value, wit],
    ['batchFields', 'WorkItem', (b) => b.batchFields.value, wit],
    ['created', 'WorkItem', (b) => [b.created], wit],
    ['updated', 'WorkItem', (b) => [b.updated], wit],
    ['updates', 'WorkItemUpdate', (b) => b.updates.value, wit],
    ['revisions', 'WorkItem', (b) => b.revisions.value, wit],
    ['types', 'WorkItemType', (b) => b.types.value, wit],
    ['states', 'WorkItemStateColor', (b) => b.states.value, wit],
    ['typeFields', 'WorkItemTypeFieldWithReferences', (b) => b.typeFields.value, wit],
    ['fields', 'WorkItemField2', (b) => b.fields.value, wit],
    ['nodes', 'WorkItemClassificationNode', (b) => b.nodes.value, wit],
    ['relationTypes', 'WorkItemRelationType', (b) => b.relationTypes.value, wit],
    ['teamSettings', 'TeamSetting', (b) => [b.teamSettings], work],
    ['iterations', 'TeamSettingsIteration', (b) => b.iterations.value, work],
    ['teamFieldValues', 'TeamFieldValues', (b) => [b.teamFieldValues], work],
    ['backlogs', 'BacklogLevelConfiguration', (b) => b.backlogs.value, work],
    ['deleted', 'WorkItemDelete', (b) => [b.deleted], wit],
  ];

  it.each(cases)('%s is a valid %s with only declared properties', (key, definition, pick, checker) => {
    const values = pick(bodies);
    expect(values.length, `${key} returned nothing: ${JSON.stringify(bodies[key]).slice(0, 300)}`).toBeGreaterThan(0);
    for (const v of values) {
      expect(checker.check(definition, v)).toEqual([]);
      expect(checker.unknownProperties(definition, v as Record<string, unknown>)).toEqual([]);
    }
  });

  it('team members carry identities with only the IdentityRef properties the spec declares', () => {
    for (const m of bodies.members.value) expect(core.unknownProperties('IdentityRef', m.identity)).toEqual([]);
    expect(bodies.members.value.map((m: { identity: { displayName: string } }) => m.identity.displayName)).toContain('Chen Wu');
  });

  it('fills the relations and links the connector relies on', () => {
    expect(bodies.created.relations.map((r: { rel: string }) => r.rel)).toEqual(['System.LinkTypes.Hierarchy-Reverse', 'Hyperlink']);
    expect(bodies.updated.rev).toBe(2);
    expect(bodies.updates.value[1].fields['System.State']).toEqual({ oldValue: 'New', newValue: 'Active' });
  });
});

describe('official request examples replayed against the simulator', () => {
  let sim: AdoSimulator;
  const headers = { authorization: `Basic ${Buffer.from(`:${ADO_DEMO_PATS.fullAccess}`).toString('base64')}`, 'x-tfs-fedauthredirect': 'Suppress', accept: 'application/json;api-version=7.1' };
  // The examples name Fabrikam's project and area; the demo org has Phoenix and Phoenix\Web.
  const localize = (v: unknown): unknown => JSON.parse(JSON.stringify(v).replace(/Fabrikam-Fiber-Git\\\\Website/g, 'Phoenix\\\\Web'));
  beforeAll(async () => { sim = await startAdoSimulator(); });
  afterAll(async () => { await sim.close(); });

  it('answers the WIQL example with the same shape as the official response', async () => {
    const ex = readExample('wit', 'wiql', 'GET__wit_get_id_workitems.json');
    const res = await fetch(`${sim.url}/Phoenix/_apis/wit/wiql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(ex.parameters.body) });
    const body = (await res.json()) as Record<string, any>;
    expect(res.status).toBe(200);
    expect(wit.check('WorkItemQueryResult', body)).toEqual([]);
    expect(Object.keys(ex.responses['200'].body).filter((k) => !(k in body))).toEqual([]);
    expect(body.sortColumns.map((c: any) => [c.field.referenceName, c.descending])).toEqual([['Microsoft.VSTS.Common.Priority', false], ['System.CreatedDate', true]]);
    expect(body.workItems.length).toBeGreaterThan(0);
  });

  it('applies the "move to the right area path" update example', async () => {
    const ex = readExample('wit', 'workItems', 'PATCH__wit_workitems__taskId_.json');
    const task = [...sim.state.items.values()].find((i) => i.fields['System.WorkItemType'] === 'Task' && i.rev === 1)!;
    const res = await fetch(`${sim.url}/_apis/wit/workitems/${task.id}`, { method: 'PATCH', headers: { ...headers, 'content-type': 'application/json-patch+json' }, body: JSON.stringify(localize(ex.parameters.body)) });
    const body = (await res.json()) as Record<string, any>;
    expect(res.status).toBe(200);
    expect(wit.check('WorkItem', body)).toEqual([]);
    expect(body.fields['System.AreaPath']).toBe('Phoenix\\Web');
    expect(body.fields['System.CommentCount']).toBe(1);
    expect(Object.keys(body).filter((k) => k !== 'relations').sort()).toEqual(Object.keys(ex.responses['200'].body).filter((k) => k !== 'relations' && k !== 'commentVersionRef').sort());
  });

  it('creates a work item from the create example', async () => {
    const ex = readExample('wit', 'workItems', 'POST__wit_workitems_create.json');
    const res = await fetch(`${sim.url}/Phoenix/_apis/wit/workitems/$Task`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json-patch+json' }, body: JSON.stringify(ex.parameters.body) });
    const body = (await res.json()) as Record<string, any>;
    expect(wit.check('WorkItem', body)).toEqual([]);
    const officialFields = Object.keys(ex.responses['200'].body.fields);
    expect(officialFields.filter((f) => !(f in body.fields))).toEqual([]);
  });
});
