import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS, startDataverseSimulator, type DataverseSimulator } from '../server.js';
import { bind, TestClient, taskEntity, UNLICENSED } from './client.js';

/** Writes through the Project Schedule APIs: the operation set lifecycle, roll-ups, limits and refusals. */
const P = SEED_IDS.apollo;
const projectBind = { 'msdyn_project@odata.bind': bind('msdyn_projects', P), 'msdyn_projectbucket@odata.bind': bind('msdyn_projectbuckets', SEED_IDS.apolloBucket('Platform')) };
const newTask = (id: string, subject: string, parent: string | null, extra: Record<string, unknown> = {}) => taskEntity({
  msdyn_projecttaskid: id, msdyn_subject: subject, ...projectBind, ...(parent ? { 'msdyn_parenttask@odata.bind': bind('msdyn_projecttasks', parent) } : {}), ...extra,
});
const ID = {
  epic: 'a0e1c2d3-4b5f-4a6b-9c7d-8e9f0a1b2c01',
  story: 'a0e1c2d3-4b5f-4a6b-9c7d-8e9f0a1b2c02',
  task: 'a0e1c2d3-4b5f-4a6b-9c7d-8e9f0a1b2c03',
};

describe('Dataverse simulator operation sets', () => {
  let sim: DataverseSimulator;
  let dv: TestClient;
  beforeAll(async () => { sim = await startDataverseSimulator({ executionDelayMs: 0 }); dv = new TestClient(sim); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.setExecutionDelay(0); });

  it('moves a set from Open to Pending to Completed, and only then applies it', async () => {
    sim.setExecutionDelay(150);
    const s = await dv.openSet(P, 'lifecycle');
    const status = async () => (await dv.get(`msdyn_operationsets(${s})?$select=msdyn_status`, { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' })).body;
    expect((await status())['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Open');
    await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'Observability', null, { msdyn_scheduledstart: '2026-12-21T09:00:00Z', msdyn_scheduledend: '2026-12-23T17:00:00Z', msdyn_effort: 24 }) });
    expect((await dv.get(`msdyn_projecttasks(${ID.epic})`)).status).toBe(404);
    await dv.action('msdyn_ExecuteOperationSetV1', { OperationSetId: s });
    expect(await status()).toMatchObject({ msdyn_status: 192350001, 'msdyn_status@OData.Community.Display.V1.FormattedValue': 'Pending' });
    expect((await dv.get(`msdyn_projecttasks(${ID.epic})`)).status).toBe(404);
    await sim.settle();
    const done = await dv.get(`msdyn_operationsets(${s})`);
    expect(done.body).toMatchObject({ msdyn_status: 192350003, msdyn_description: 'lifecycle', _msdyn_project_value: P });
    expect(done.body.msdyn_completedon).toMatch(/Z$/);
    const created = await dv.task(ID.epic);
    expect(created).toMatchObject({ msdyn_subject: 'Observability', msdyn_outlinelevel: 1, msdyn_effort: 24, msdyn_effortremaining: 24, msdyn_duration: 3, msdyn_wbsid: '4' });
    const again = await dv.action('msdyn_ExecuteOperationSetV1', { OperationSetId: s });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain('Completed');
  });

  it('rolls summary dates, effort and progress up to the parents and the project after execute', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssCreateV2', {
      OperationSetId: s, EntityCollection: [
        newTask(ID.story, 'Disaster recovery', SEED_IDS.apolloTask('2.1'), {}),
        newTask(ID.task, 'Backup vault', ID.story, { msdyn_scheduledstart: '2026-12-28T09:00:00Z', msdyn_scheduledend: '2026-12-30T17:00:00Z', msdyn_effort: 20 }),
      ],
    });
    expect((await dv.execute(s)).msdyn_status).toBe(192350003);
    const story = await dv.task(ID.story);
    expect(story).toMatchObject({ msdyn_summary: true, msdyn_outlinelevel: 3, msdyn_effort: 20, msdyn_start: '2026-12-28T09:00:00Z', msdyn_finish: '2026-12-30T17:00:00Z', msdyn_wbsid: '2.1.3' });
    const platform = await dv.task(SEED_IDS.apolloTask('2.1'));
    expect(platform).toMatchObject({ msdyn_effort: 92, msdyn_finish: '2026-12-30T17:00:00Z' });
    const before = platform.msdyn_progress;
    const u = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: u, Entity: taskEntity({ msdyn_projecttaskid: ID.task, msdyn_progress: 0.5 }) });
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: u, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('2.1.1'), msdyn_effort: 48 }) });
    await dv.execute(u);
    const leaf = await dv.task(ID.task);
    expect(leaf).toMatchObject({ msdyn_progress: 0.5, msdyn_effortcompleted: 10, msdyn_effortremaining: 10 });
    const cluster = await dv.task(SEED_IDS.apolloTask('2.1.1'));
    expect(cluster).toMatchObject({ msdyn_effort: 48, msdyn_progress: 0.4, msdyn_effortcompleted: 19.2 });
    const after = await dv.task(SEED_IDS.apolloTask('2.1'));
    expect(after.msdyn_effort).toBe(100);
    expect(after.msdyn_effortcompleted).toBeCloseTo(19.2 + 8 + 10, 4);
    expect(after.msdyn_progress).not.toBe(before);
    expect(after['@odata.etag']).not.toBe(platform['@odata.etag']);
    const project = (await dv.get(`msdyn_projects(${P})?$select=msdyn_effort,msdyn_finish,msdyn_progress`)).body;
    expect(project.msdyn_finish).toBe('2026-12-30T17:00:00Z');
    const tasks = (await dv.get(`msdyn_projecttasks?$select=msdyn_effort&$filter=_msdyn_project_value eq ${P} and msdyn_outlinelevel eq 1`)).body.value;
    expect(project.msdyn_effort).toBe(tasks.reduce((s: number, t: any) => s + t.msdyn_effort, 0));
  });

  it('deletes a summary task with its children, assignments and links', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssDeleteV2', { OperationSetId: s, EntityCollection: [{ '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask', msdyn_projecttaskid: SEED_IDS.apolloTask('2.2') }] });
    expect((await dv.execute(s)).msdyn_status).toBe(192350003);
    for (const wbs of ['2.2', '2.2.1', '2.2.2']) expect((await dv.get(`msdyn_projecttasks(${SEED_IDS.apolloTask(wbs)})`)).status).toBe(404);
    const assigned = await dv.get(`msdyn_resourceassignments?$filter=_msdyn_taskid_value eq ${SEED_IDS.apolloTask('2.2.2')}`);
    expect(assigned.body.value).toHaveLength(0);
    const links = await dv.get(`msdyn_projecttaskdependencies?$filter=_msdyn_successortask_value eq ${SEED_IDS.apolloTask('2.2.1')}`);
    expect(links.body.value).toHaveLength(0);
    expect((await dv.task(SEED_IDS.apolloTask('3'))).msdyn_wbsid).toBe('3');
  });

  it('abandons an open set, which then refuses more operations', async () => {
    const s = await dv.openSet(P);
    const r = await dv.action('msdyn_AbandonOperationSetV1', { OperationSetId: s });
    expect(JSON.parse(r.body.OperationSetResponse).operationSetId).toBe(s);
    const row = (await dv.get(`msdyn_operationsets(${s})`, { prefer: 'odata.include-annotations="*"' })).body;
    expect(row['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Abandoned');
    expect([192350002, 192350004]).toContain(row.msdyn_status);
    const late = await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'Late', null) });
    expect(late.status).toBe(400);
  });

  it('applies nothing when a set fails halfway, and records the failure on the set', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.1'), msdyn_subject: 'Renamed first' }) });
    await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'Created second', null) });
    await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.story, 'Broken third', 'ffffffff-0000-4000-8000-000000000000') });
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.2.1'), msdyn_subject: 'Renamed fourth' }) });
    const failed = await dv.execute(s);
    expect(failed['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Failed');
    expect(failed.msdyn_status).toBe(192350002);
    expect((await dv.task(SEED_IDS.apolloTask('1.1'))).msdyn_subject).toBe('Requirements workshop');
    expect((await dv.get(`msdyn_projecttasks(${ID.epic})`)).status).toBe(404);
    const log = (await dv.get(`msdyn_psserrorlogs(${failed._msdyn_psserrorlog_value})`)).body;
    expect(log).toMatchObject({ msdyn_errorcode: 'E_BATCHFAILED', _msdyn_project_value: P });
    expect(JSON.parse(log.msdyn_log).recordId).toBe(ID.story);
    // The scripted variant: operations applied to the draft, then a failure.
    const t = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: t, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.1'), msdyn_subject: 'Applied then dropped' }) });
    sim.failNextExecution({ afterOperations: 1, key: 'E_LIMITEXCEEDED_TASKLEVEL' });
    expect((await dv.execute(t))['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Failed');
    expect((await dv.task(SEED_IDS.apolloTask('1.1'))).msdyn_subject).toBe('Requirements workshop');
  });

  it('a scripted failure names the operation it failed at in the error log', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.1'), msdyn_subject: 'One' }) });
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.2.1'), msdyn_subject: 'Two' }) });
    sim.failNextExecution({ afterOperations: 1 });
    const failed = await dv.execute(s);
    const log = (await dv.get(`msdyn_psserrorlogs(${failed._msdyn_psserrorlog_value})`)).body;
    expect(JSON.parse(log.msdyn_log).recordId).toBe(SEED_IDS.apolloTask('1.2.1'));
  });

  it('a new start alone moves the task and keeps its duration, as the scheduling engine does', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('2.1.1'), msdyn_scheduledstart: '2026-12-21T09:00:00Z' }) });
    expect((await dv.execute(s)).msdyn_status).toBe(192350003);
    expect(await dv.task(SEED_IDS.apolloTask('2.1.1'))).toMatchObject({ msdyn_start: '2026-12-21T09:00:00Z', msdyn_finish: '2026-12-25T17:00:00Z', msdyn_duration: 5 });
  });

  it('refuses read-only and computed fields in Pss payloads, at the call', async () => {
    const s = await dv.openSet(P);
    const refusals: Array<[string, unknown]> = [
      ['msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'x', null, { msdyn_outlinelevel: 2 }) }],
      ['msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'x', null, { msdyn_ismilestone: true }) }],
      ['msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'x', null, { msdyn_effortcompleted: 2 }) }],
      ['msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.1'), msdyn_displaysequence: 3 }) }],
      ['msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.1'), 'msdyn_project@odata.bind': bind('msdyn_projects', SEED_IDS.hermes) }) }],
      ['msdyn_PssUpdateV1', { OperationSetId: s, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_project', msdyn_projectid: P, msdyn_finish: '2027-01-01T17:00:00Z' } }],
      ['msdyn_PssUpdateV1', { OperationSetId: s, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_project', msdyn_projectid: P, msdyn_progress: 0.5 } }],
      ['msdyn_PssCreateV1', { OperationSetId: s, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_resourceassignment', 'msdyn_taskid@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('3.1')), 'msdyn_projectteamid@odata.bind': bind('msdyn_projectteams', SEED_IDS.apolloTeam('Priya Natarajan')), msdyn_plannedwork: 8 } }],
    ];
    for (const [name, body] of refusals) {
      const r = await dv.action(name, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toMatch(/^ScheduleAPI-AV-0001 /);
    }
    const updateAssignment = await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_resourceassignment', msdyn_resourceassignmentid: SEED_IDS.apolloTask('x'), msdyn_name: 'y' } });
    expect(updateAssignment.status).toBe(400);
    const lowercase = await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttaskdependency', 'msdyn_predecessortask@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('1.1')), 'msdyn_SuccessorTask@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('3.1')) } });
    expect(lowercase.body.error).toMatchObject({ code: '0x80060888' });
    const unparent = await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('1.1'), 'msdyn_parenttask@odata.bind': null }) });
    expect(unparent.status).toBe(400);
    const details = await dv.get(`msdyn_operationsetdetails?$filter=_msdyn_operationset_value eq ${s}`);
    expect(details.body.value).toHaveLength(0);
  });

  it('fails a set that edits a summary task\'s rolled-up fields or links a summary task', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('2'), msdyn_effort: 5 }) });
    expect((await dv.execute(s))['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Failed');
    const rename = await dv.openSet(P);
    await dv.action('msdyn_PssUpdateV1', { OperationSetId: rename, Entity: taskEntity({ msdyn_projecttaskid: SEED_IDS.apolloTask('2'), msdyn_subject: 'Build and test' }) });
    expect((await dv.execute(rename)).msdyn_status).toBe(192350003);
    const link = await dv.openSet(P);
    await dv.action('msdyn_PssCreateV1', { OperationSetId: link, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttaskdependency', 'msdyn_PredecessorTask@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('1')), 'msdyn_SuccessorTask@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('3.1')) } });
    expect((await dv.execute(link))['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Failed');
    const good = await dv.openSet(P);
    await dv.action('msdyn_PssCreateV1', { OperationSetId: good, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttaskdependency', 'msdyn_Project@odata.bind': bind('msdyn_projects', P), 'msdyn_PredecessorTask@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('1.1')), 'msdyn_SuccessorTask@odata.bind': bind('msdyn_projecttasks', SEED_IDS.apolloTask('3.1')) } });
    expect((await dv.execute(good)).msdyn_status).toBe(192350003);
  });

  it('honours client-set ids once: a resent create fails instead of making a twin', async () => {
    for (const expected of [192350003, 192350002]) {
      const s = await dv.openSet(P);
      await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: newTask(ID.epic, 'Once', null) });
      expect((await dv.execute(s)).msdyn_status).toBe(expected);
    }
    const rows = await dv.get(`msdyn_projecttasks?$filter=msdyn_subject eq 'Once'`);
    expect(rows.body.value).toHaveLength(1);
  });

  it('refuses plain POST, PATCH and DELETE on scheduling tables, but lets a project be created plainly', async () => {
    const post = await dv.request('POST', 'msdyn_projecttasks', { msdyn_subject: 'Direct', 'msdyn_project@odata.bind': bind('msdyn_projects', P) });
    expect(post.body).toEqual({ error: { code: '0x80040265', message: "You cannot directly do 'Create' operation to 'msdyn_projecttask'" } });
    const patch = await dv.request('PATCH', `msdyn_projecttasks(${SEED_IDS.apolloTask('1.1')})`, { msdyn_subject: 'Direct' });
    expect(patch.body.error.message).toBe("You cannot directly do 'Update' operation to 'msdyn_projecttask'");
    const del = await dv.request('DELETE', `msdyn_projectbuckets(${SEED_IDS.apolloBucket('Launch')})`);
    expect(del.body.error.message).toBe("You cannot directly do 'Delete' operation to 'msdyn_projectbucket'");
    const project = await dv.request('POST', 'msdyn_projects', { msdyn_subject: 'Zephyr Pilot' });
    expect(project.status).toBe(204);
    expect(project.headers.get('odata-entityid')).toMatch(/msdyn_projects\([0-9a-f-]{36}\)$/);
    const effort = await dv.request('POST', 'msdyn_projects', { msdyn_subject: 'Zephyr', msdyn_effort: 10 });
    expect(effort.status).toBe(400);
    const created = await dv.action('msdyn_CreateProjectV1', { Project: { msdyn_subject: 'Apollo Phase 2' } });
    const buckets = await dv.get(`msdyn_projectbuckets?$filter=_msdyn_project_value eq ${created.body.ProjectId}`);
    expect(buckets.body.value.map((b: any) => b.msdyn_name)).toEqual(['Bucket 1']);
  });

  it('refuses every schedule API and plain write of an unlicensed or application user, but lets them read', async () => {
    for (const token of [UNLICENSED, 'demo-dataverse-app-token']) {
      const other = dv.as(token);
      expect((await other.get(`msdyn_projecttasks?$top=1`)).status).toBe(200);
      const r = await other.action('msdyn_CreateOperationSetV1', { ProjectId: P, Description: 'nope' });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('0x80040265');
      expect(JSON.parse(r.body.error.message).errorCode).toBe('E_OPERATION_BLOCKED_BY_LICENSE');
      expect((await other.request('POST', 'msdyn_projects', { msdyn_subject: 'x' })).status).toBe(400);
    }
    const mine = await dv.openSet(P);
    const theirs = await dv.as(UNLICENSED).action('msdyn_ExecuteOperationSetV1', { OperationSetId: mine });
    expect(JSON.parse(theirs.body.error.message).errorCode).toBe('E_OPERATION_BLOCKED_BY_LICENSE');
  });

  it('keeps sprints apart and refuses parameters an action does not take', async () => {
    const s = await dv.openSet(P);
    await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projectsprint', msdyn_name: 'Overlap', msdyn_start: '2026-12-21T09:00:00Z', msdyn_finish: '2027-01-08T17:00:00Z', 'msdyn_project@odata.bind': bind('msdyn_projects', P) } });
    expect((await dv.execute(s))['msdyn_status@OData.Community.Display.V1.FormattedValue']).toBe('Failed');
    const t = await dv.openSet(P);
    await dv.action('msdyn_PssCreateV1', { OperationSetId: t, Entity: { '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projectsprint', msdyn_name: 'Sprint 5', msdyn_start: '2026-12-28T09:00:00Z', msdyn_finish: '2027-01-08T17:00:00Z', 'msdyn_project@odata.bind': bind('msdyn_projects', P) } });
    expect((await dv.execute(t)).msdyn_status).toBe(192350003);
    const extra = await dv.action('msdyn_ExecuteOperationSetV1', { OperationSetId: t, Force: true });
    expect(extra.status).toBe(400);
    expect((await dv.action('msdyn_ExecuteOperationSetV3', { ProjectId: P })).status).toBe(501);
  });
});
