import * as azdev from 'azure-devops-node-api';
import { TreeStructureGroup } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCATIONS } from '../locations.js';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator } from '../server.js';

/**
 * Issue 15, the ADO simulator as strict as the service: every advertised route answers (through
 * the real client library, which turns a 404 into a silent null), patches behave as the official
 * examples show, and refusals carry the service's status, typeKey and errorCode.
 */
const basic = (pat: string) => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;
const HEADERS = { authorization: basic(ADO_DEMO_PATS.fullAccess), 'x-tfs-fedauthredirect': 'Suppress', accept: 'application/json;api-version=7.1' };
const PATCH = 'application/json-patch+json';

describe('ADO simulator strictness', () => {
  let sim: AdoSimulator;
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${sim.url}/${path}`, { method, headers: { ...HEADERS, ...(body === undefined ? {} : { 'content-type': type }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const patch = (id: number, ops: unknown[], query = '') => call('PATCH', `_apis/wit/workitems/${id}${query}`, ops, PATCH);
  const phoenix = () => sim.state.projects.find((p) => p.name === 'Phoenix')!;
  beforeAll(async () => { sim = await startAdoSimulator(); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  describe('no route answers a silent null', () => {
    const api = () => new azdev.WebApi(sim.url, azdev.getPersonalAccessTokenHandler(ADO_DEMO_PATS.fullAccess));

    it('serves type categories, a team iteration, a backlog and the work item template through the client library', async () => {
      const wit = await api().getWorkItemTrackingApi();
      const work = await api().getWorkApi();
      const team = { project: 'Phoenix', team: 'Web Team' };
      const categories = await wit.getWorkItemTypeCategories('Phoenix');
      expect(categories.map((c) => c.referenceName)).toEqual(expect.arrayContaining(['Microsoft.RequirementCategory', 'Microsoft.BugCategory']));
      expect((await wit.getWorkItemTypeCategory('Phoenix', 'Microsoft.RequirementCategory')).defaultWorkItemType?.name).toBe('User Story');
      const sprint = phoenix().iterations.children[1]!;
      expect((await work.getTeamIteration(team, sprint.identifier)).name).toBe(sprint.name);
      expect((await work.getBacklog(team, 'Microsoft.FeatureCategory')).name).toBe('Features');
      const template = await wit.getWorkItemTemplate('Phoenix', 'Bug');
      expect(template.fields?.['System.State']).toBe('New');
      expect(template.id).toBeUndefined();
    });

    it('creates, renames and deletes classification nodes, and creates fields, instead of resolving null', async () => {
      const wit = await api().getWorkItemTrackingApi();
      // The library drops TreeStructureGroup.Areas (0) from the URL (notes/ado-wire.md): that must throw, not resolve null.
      await expect(wit.createOrUpdateClassificationNode({ name: 'Payments' }, 'Phoenix', TreeStructureGroup.Areas)).rejects.toMatchObject({ statusCode: 400 });
      const areas = 'areas' as unknown as TreeStructureGroup;
      const node = await wit.createOrUpdateClassificationNode({ name: 'Payments' }, 'Phoenix', areas);
      expect(node).toMatchObject({ name: 'Payments', structureType: 0 });
      const renamed = await wit.updateClassificationNode({ name: 'Billing' }, 'Phoenix', areas, 'Payments');
      expect(renamed.name).toBe('Billing');
      await expect(wit.createOrUpdateClassificationNode({ name: 'Billing' }, 'Phoenix', areas)).rejects.toMatchObject({ statusCode: 409 });
      const field = await wit.createField({ name: 'Plan Key', referenceName: 'Custom.PlanKey', type: 0 } as never);
      expect(field.referenceName).toBe('Custom.PlanKey');
      expect((await wit.getField('Custom.PlanKey')).name).toBe('Plan Key');
    });

    it('a read-only PAT cannot write nodes or fields (vso.work_write, as the spec says)', async () => {
      const ro = { ...HEADERS, authorization: basic(ADO_DEMO_PATS.readOnly), 'content-type': 'application/json' };
      const res = await fetch(`${sim.url}/Phoenix/_apis/wit/classificationNodes/areas`, { method: 'POST', headers: ro, body: JSON.stringify({ name: 'x' }) });
      expect(res.status).toBe(401);
      expect((await fetch(`${sim.url}/_apis/wit/fields`, { method: 'POST', headers: ro, body: JSON.stringify({ name: 'x' }) })).status).toBe(401);
    });

    it('moves a node and deletes it, reclassifying its work items', async () => {
      await call('POST', 'Phoenix/_apis/wit/classificationNodes/areas', { name: 'Old' });
      const moved = await call('POST', 'Phoenix/_apis/wit/classificationNodes/areas/Old', { id: phoenix().areas.children.find((c) => c.name === 'Mobile')!.id });
      expect(moved.body.path).toBe('\\Phoenix\\Area\\Old\\Mobile');
      expect(sim.state.items.get(10)!.fields['System.AreaPath']).toBe('Phoenix\\Old\\Mobile');
      const del = await call('DELETE', `Phoenix/_apis/wit/classificationNodes/areas/Old?$reclassifyId=${phoenix().areas.id}`);
      expect(del.status).toBe(204);
      expect(sim.state.items.get(10)!.fields['System.AreaPath']).toBe('Phoenix');
      expect(phoenix().teams.find((t) => t.name === 'Mobile Team')!.defaultArea).toBe('Phoenix');
    });

    it('answers every GET location it advertises (no 404 for a route it lists)', async () => {
      const sprint = phoenix().iterations.children[0]!.identifier;
      const paths: Record<string, string> = {
        ConnectionData: '_apis/connectionData', ResourceAreas: '_apis/ResourceAreas', projects: '_apis/projects', teams: '_apis/teams', members: '_apis/projects/Phoenix/teams/Web%20Team/members',
        processes: '_apis/process/processes', workItems: 'Phoenix/_apis/wit/workItems/1', workItemTypes: 'Phoenix/_apis/wit/workItemTypes', states: 'Phoenix/_apis/wit/workItemTypes/Bug/states',
        fields: 'Phoenix/_apis/wit/fields', classificationNodes: 'Phoenix/_apis/wit/classificationNodes', workItemRelationTypes: '_apis/wit/workItemRelationTypes',
        updates: 'Phoenix/_apis/wit/workItems/1/updates', revisions: 'Phoenix/_apis/wit/workItems/1/revisions', comments: 'Phoenix/_apis/wit/workItems/1/comments',
        workItemTypeCategories: 'Phoenix/_apis/wit/workItemTypeCategories', iterations: `Phoenix/_apis/work/teamsettings/iterations/${sprint}`, teamsettings: 'Phoenix/_apis/work/teamsettings',
        backlogs: 'Phoenix/_apis/work/backlogs/Microsoft.TaskCategory', teamfieldvalues: 'Phoenix/_apis/work/teamsettings/teamfieldvalues', workItemsBatch: '', wiql: '',
      };
      for (const l of LOCATIONS) {
        const path = l.resourceName === 'processes' && l.area === 'processes' ? '_apis/work/processes' : paths[l.resourceName];
        expect(path, `no probe for advertised ${l.area}/${l.resourceName}`).toBeDefined();
        if (!path) continue; // POST-only resources, covered by the conformance replays
        const res = await fetch(`${sim.url}/${path}`, { headers: { ...HEADERS, accept: 'application/json;api-version=7.1-preview.4' } });
        expect(res.status, `${l.area}/${l.resourceName} ${path}`).toBe(200);
      }
    });
  });

  describe('patches as in the official examples', () => {
    it('honours bypassRules: an unknown identity and a state outside the type are stored as sent', async () => {
      const refused = await patch(5, [{ op: 'add', path: '/fields/System.AssignedTo', value: 'Invalid Value' }]);
      expect(refused.status).toBe(400);
      const bypassed = await patch(5, [{ op: 'add', path: '/fields/System.AssignedTo', value: 'Invalid Value' }, { op: 'add', path: '/fields/System.State', value: 'Parked' }], '?bypassRules=true');
      expect(bypassed.status).toBe(200);
      expect(bypassed.body.fields).toMatchObject({ 'System.AssignedTo': 'Invalid Value', 'System.State': 'Parked' });
    });

    it('refuses a ChangedDate in the future (or not after the last one) with 400, and takes a past one with bypassRules', async () => {
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const ahead = await patch(5, [{ op: 'add', path: '/fields/System.ChangedDate', value: future }], '?bypassRules=true');
      expect(ahead.status).toBe(400);
      expect(ahead.body).toMatchObject({ typeKey: 'RuleValidationException' });
      expect(ahead.body.message).toMatch(/VS402625/);
      const before = await patch(5, [{ op: 'add', path: '/fields/System.ChangedDate', value: '2020-01-01T00:00:00Z' }], '?bypassRules=true');
      expect(before.status).toBe(400);
      expect((await patch(5, [{ op: 'add', path: '/fields/System.ChangedDate', value: new Date(Date.now() - 1000).toISOString() }])).status).toBe(400);
      const past = new Date(Date.parse(String(sim.state.items.get(5)!.fields['System.ChangedDate'])) + 1).toISOString();
      await new Promise((r) => setTimeout(r, 5));
      const ok = await patch(5, [{ op: 'add', path: '/fields/System.Title', value: 'Backdated' }, { op: 'add', path: '/fields/System.ChangedDate', value: past }], '?bypassRules=true');
      expect(ok.status).toBe(200);
      expect(ok.body.fields['System.ChangedDate']).toBe(past);
    });

    it('moves an item to another project and changes its type', async () => {
      const moved = await patch(9, [{ op: 'add', path: '/fields/System.TeamProject', value: 'Atlas' }, { op: 'add', path: '/fields/System.AreaPath', value: 'Atlas' }, { op: 'add', path: '/fields/System.IterationPath', value: 'Atlas' }]);
      expect(moved.status).toBe(200);
      expect(moved.body.fields).toMatchObject({ 'System.TeamProject': 'Atlas', 'System.AreaPath': 'Atlas' });
      expect(sim.state.items.get(9)!.projectId).toBe(sim.state.projects.find((p) => p.name === 'Atlas')!.id);
      const wiql = await call('POST', 'Atlas/_apis/wit/wiql', { query: 'SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project' });
      expect(wiql.body.workItems.map((w: { id: number }) => w.id)).toContain(9);
      const retyped = await patch(9, [{ op: 'add', path: '/fields/System.WorkItemType', value: 'Task' }, { op: 'add', path: '/fields/System.State', value: 'To Do' }]);
      expect(retyped.body.fields).toMatchObject({ 'System.WorkItemType': 'Task', 'System.State': 'To Do' });
      expect((await patch(9, [{ op: 'add', path: '/fields/System.TeamProject', value: 'Nowhere' }])).status).toBe(400);
    });

    it('replaces a relation comment by index', async () => {
      const res = await patch(5, [{ op: 'replace', path: '/relations/0/attributes/comment', value: 'Traceability' }]);
      expect(res.status).toBe(200);
      expect(sim.state.items.get(5)!.relations[0]!.attributes.comment).toBe('Traceability');
      expect((await patch(5, [{ op: 'replace', path: '/relations/9/attributes/comment', value: 'x' }])).status).toBe(400);
    });
  });

  describe('error bodies as the service sends them', () => {
    it('404 for a missing work item: WorkItemUnauthorizedAccessException, errorCode 0, the WIT server type', async () => {
      const res = await call('GET', '_apis/wit/workitems/99999');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        message: 'TF401232: Work item 99999 does not exist, or you do not have permissions to read it.',
        typeName: 'Microsoft.TeamFoundation.WorkItemTracking.Server.WorkItemUnauthorizedAccessException, Microsoft.TeamFoundation.WorkItemTracking.Server',
        typeKey: 'WorkItemUnauthorizedAccessException', errorCode: 0, eventId: 3200,
      });
    });

    it('400 for a broken rule: RuleValidationException with the field in customProperties', async () => {
      const res = await call('POST', 'Phoenix/_apis/wit/workitems/$Task', [{ op: 'add', path: '/fields/System.State', value: 'Active' }], PATCH);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ typeKey: 'RuleValidationException', errorCode: 600171, customProperties: { RuleValidationErrors: [{ fieldReferenceName: 'System.Title' }] } });
    });

    it('a failed test /rev is 412 TF26071 in the service words', async () => {
      const res = await patch(5, [{ op: 'test', path: '/rev', value: 99 }, { op: 'add', path: '/fields/System.Title', value: 'x' }]);
      expect(res.status).toBe(412);
      expect(res.body.message).toBe('TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes.');
      expect(res.body.typeKey).toBe('WorkItemRevisionMismatchException');
    });

    it('more than 200 ids is VS403474, never the WIQL timeout VS402335', async () => {
      const res = await call('POST', '_apis/wit/workitemsbatch', { ids: Array.from({ length: 201 }, (_, i) => i + 1) });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('VS403474: You requested 201 work items which exceeds the limit of 200');
      expect(JSON.stringify(res.body)).not.toContain('VS402335');
    });
  });

  describe('queries that honour their parameters', () => {
    it('teams?$mine=true lists only the teams the caller is a member of', async () => {
      const all = await call('GET', '_apis/teams');
      const mine = await call('GET', '_apis/teams?$mine=true');
      const dana = sim.state.users.find((u) => u.uniqueName === 'dana@contoso.com')!;
      const expected = sim.state.projects.flatMap((p) => p.teams.filter((t) => (t.members ?? []).some((m) => m.userId === dana.id)).map((t) => t.name));
      expect(mine.body.value.map((t: { name: string }) => t.name)).toEqual(expected);
      expect(mine.body.count).toBeLessThan(all.body.count);
    });

    it('classificationNodes?ids= returns those nodes, with null for a missing one only under errorPolicy=omit', async () => {
      const web = phoenix().areas.children[0]!;
      const sprint = phoenix().iterations.children[2]!;
      const res = await call('GET', `Phoenix/_apis/wit/classificationNodes?ids=${sprint.id},${web.id}`);
      expect(res.body.value.map((n: { name: string }) => n.name)).toEqual([sprint.name, web.name]);
      expect(res.body.value[1].path).toBe('\\Phoenix\\Area\\Web');
      expect((await call('GET', `Phoenix/_apis/wit/classificationNodes?ids=${web.id},999999`)).status).toBe(404);
      expect((await call('GET', `Phoenix/_apis/wit/classificationNodes?ids=${web.id},999999&errorPolicy=omit`)).body.value[1]).toBeNull();
    });
  });
});
