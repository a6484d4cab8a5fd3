import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS, startDataverseSimulator, type DataverseSimulator } from '../server.js';
import { bind, TestClient, taskEntity } from './client.js';
import {
  directWriteRefusal, entitySets, operationSetResponseKeys, operationSetStatuses, preconditionMessage, readNotes,
  serviceProtectionTable, taskColumns, whoAmIKeys, wholePlanExpand, writeLimits,
} from './notes.js';

/**
 * The simulator against ../shared/notes/planner-premium.md: every request and response shape the
 * notes give, read from the notes file, checked on the wire.
 */
const notes = readNotes();
const HEX = /^0x[0-9a-f]{8}$/;

describe('Dataverse simulator conforms to the Planner premium notes', () => {
  let sim: DataverseSimulator;
  let dv: TestClient;
  beforeAll(async () => { sim = await startDataverseSimulator({ executionDelayMs: 0 }); dv = new TestClient(sim); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  it('serves every task column of the notes on a task row, with the etag equal to versionnumber', async () => {
    const columns = taskColumns(notes);
    expect(columns.length).toBeGreaterThan(20);
    const r = await dv.get(`msdyn_projecttasks(${SEED_IDS.apolloTask('1.2.1')})`);
    expect(r.status).toBe(200);
    for (const c of columns) expect(r.body, `column ${c}`).toHaveProperty(c);
    expect(r.body['@odata.etag']).toBe(`W/"${r.body.versionnumber}"`);
    expect(r.body['@odata.context']).toBe(`${sim.apiUrl}$metadata#msdyn_projecttasks/$entity`);
    expect(r.body._msdyn_parenttask_value).toBe(SEED_IDS.apolloTask('1.2'));
    expect(r.body.msdyn_progress).toBeGreaterThanOrEqual(0);
    expect(r.body.msdyn_progress).toBeLessThanOrEqual(1);
    const top = await dv.task(SEED_IDS.apolloTask('1'));
    expect(top._msdyn_parenttask_value).toBeNull();
  });

  it('serves every entity set of the notes, with the lookups named beside them', async () => {
    const { sets, lookups } = entitySets(notes);
    expect(sets).toContain('msdyn_projecttasks');
    for (const set of sets) {
      const r = await dv.get(`${set}?$top=1`);
      expect(r.status, set).toBe(200);
      expect(r.body['@odata.context']).toBe(`${sim.apiUrl}$metadata#${set}`);
      for (const lookup of lookups[set] ?? []) {
        const s = await dv.get(`${set}?$select=${lookup}&$top=1`);
        expect(s.status, `${set} ${lookup}`).toBe(200);
        expect(s.body.value[0]).toHaveProperty(lookup);
      }
    }
  });

  it('answers the whole-plan $expand of the notes in one call', async () => {
    const navs = wholePlanExpand(notes);
    const r = await dv.get(`msdyn_projects(${SEED_IDS.apollo})?$expand=${navs.join(',')}`);
    expect(r.status).toBe(200);
    const [tasks, links, assignments] = navs.map((n) => r.body[n] as any[]);
    expect(tasks!.length).toBe(16);
    expect(links!.length).toBe(6);
    expect(assignments!.length).toBe(9);
    expect(tasks![0]['@odata.etag']).toMatch(/^W\/"\d+"$/);
  });

  it('filters as the notes query does: unquoted GUID, modifiedon, ordered by display sequence', async () => {
    const r = await dv.get(`msdyn_projecttasks?$select=msdyn_subject,msdyn_displaysequence&$filter=_msdyn_project_value eq ${SEED_IDS.apollo} and modifiedon gt 2000-12-01T00:00:00Z&$orderby=msdyn_displaysequence asc`);
    expect(r.status).toBe(200);
    expect(r.body.value.map((t: any) => t.msdyn_displaysequence)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const quoted = await dv.get(`msdyn_projecttasks?$filter=_msdyn_project_value eq '${SEED_IDS.apollo}'`);
    expect(quoted.status).toBe(400);
    expect(quoted.body.error.code).toMatch(HEX);
  });

  it('pages with Prefer odata.maxpagesize, a $skiptoken nextLink and Preference-Applied; no $skip', async () => {
    const r = await dv.get(`msdyn_projecttasks?$select=msdyn_subject&$filter=_msdyn_project_value eq ${SEED_IDS.apollo}`, { prefer: 'odata.maxpagesize=5' });
    expect(r.body.value).toHaveLength(5);
    expect(r.headers.get('preference-applied')).toBe('odata.maxpagesize=5');
    expect(r.body['@odata.nextLink']).toContain('$skiptoken=');
    const skip = await dv.get('msdyn_projecttasks?$skip=5');
    expect(skip.status).toBe(400);
    expect(skip.body.error.message).toContain('$skip');
  });

  it('adds FormattedValue labels with Prefer odata.include-annotations', async () => {
    const r = await dv.get(`msdyn_projecttasks(${SEED_IDS.apolloTask('1.2.2')})?$select=msdyn_priority,_msdyn_project_value`, { prefer: 'odata.include-annotations="*"' });
    expect(r.body['msdyn_priority@OData.Community.Display.V1.FormattedValue']).toBe('Urgent');
    expect(r.body['_msdyn_project_value@OData.Community.Display.V1.FormattedValue']).toBe('Apollo Cloud');
    expect(r.headers.get('preference-applied')).toBe('odata.include-annotations="*"');
  });

  it('answers If-None-Match with 304, but not with $expand', async () => {
    const row = await dv.task(SEED_IDS.apolloTask('2.1.1'));
    const path = `msdyn_projecttasks(${SEED_IDS.apolloTask('2.1.1')})`;
    expect((await dv.get(path, { 'if-none-match': row['@odata.etag'] })).status).toBe(304);
    expect((await dv.get(`${path}?$expand=msdyn_parenttask($select=msdyn_subject)`, { 'if-none-match': row['@odata.etag'] })).status).toBe(200);
  });

  it('refuses If-Match mismatches with 412 and the message of the notes', async () => {
    const r = await dv.request('PATCH', `msdyn_projects(${SEED_IDS.apollo})`, { msdyn_subject: 'x' }, { 'if-match': 'W/"1"' });
    expect(r.status).toBe(412);
    expect(r.body.error.message).toBe(preconditionMessage(notes));
  });

  it('refuses plain writes on scheduling tables with the code and message of the notes', async () => {
    const quoted = directWriteRefusal(notes);
    const r = await dv.request('PATCH', `msdyn_projects(${SEED_IDS.apollo})`, { msdyn_subject: 'Renamed' });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: quoted.code, message: quoted.message } });
  });

  it('answers GET WhoAmI with the keys of the notes; UserId is the systemuserid', async () => {
    const r = await dv.get('WhoAmI');
    expect(Object.keys(r.body).filter((k) => !k.startsWith('@')).sort()).toEqual(whoAmIKeys(notes).sort());
    const me = await dv.get(`systemusers(${r.body.UserId})?$select=domainname`);
    expect(me.body.domainname).toBe('pm@contoso.onmicrosoft.com');
  });

  it('answers the schedule APIs with the shapes of the notes', async () => {
    const created = await dv.action('msdyn_CreateOperationSetV1', { ProjectId: SEED_IDS.atlas, Description: 'run 42' });
    expect(Object.keys(created.body).filter((k) => !k.startsWith('@'))).toEqual(['OperationSetId']);
    const s = created.body.OperationSetId as string;
    const t = '0d6c1f7a-4b2e-4c9d-8a3f-5e1b7c9d2a40';
    const pss = await dv.action('msdyn_PssCreateV1', {
      OperationSetId: s,
      Entity: taskEntity({
        msdyn_projecttaskid: t, msdyn_subject: 'Design', 'msdyn_project@odata.bind': bind('msdyn_projects', SEED_IDS.atlas),
        'msdyn_projectbucket@odata.bind': bind('msdyn_projectbuckets', SEED_IDS.atlasBucket),
        msdyn_scheduledstart: '2027-03-01T09:00:00Z', msdyn_scheduledend: '2027-03-05T17:00:00Z', msdyn_effort: 16,
      }),
    });
    expect(pss.status).toBe(200);
    expect(typeof pss.body.OperationSetResponse).toBe('string');
    const parsed = JSON.parse(pss.body.OperationSetResponse);
    expect(Object.keys(parsed).sort()).toEqual(operationSetResponseKeys(notes).sort());
    expect(parsed).toMatchObject({ operationSetId: s, operationType: 'Create', recordId: t });
    const update = await dv.action('msdyn_PssUpdateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_projecttaskid: t, msdyn_subject: 'New' }) });
    expect(JSON.parse(update.body.OperationSetResponse).operationType).toBe('Update');
    const exec = await dv.action('msdyn_ExecuteOperationSetV1', { OperationSetId: s });
    expect(Object.keys(JSON.parse(exec.body.OperationSetResponse)).sort()).toEqual(operationSetResponseKeys(notes).sort());
    await sim.settle();
    const set = await dv.get(`msdyn_operationsets(${s})?$select=msdyn_status`);
    expect(operationSetStatuses(notes)).toContain(set.body.msdyn_status);
    expect(set.body.msdyn_status).toBe(192350003);
    expect((await dv.task(t)).msdyn_subject).toBe('New');
    const del = await dv.action('msdyn_PssDeleteV1', { OperationSetId: await dv.openSet(SEED_IDS.atlas), RecordId: t, EntityLogicalName: 'msdyn_projecttask' });
    expect(JSON.parse(del.body.OperationSetResponse).operationType).toBe('Delete');
  });

  it('enforces the limits the notes give: operations per set and open sets per user', async () => {
    const limits = writeLimits(notes);
    const s = await dv.openSet(SEED_IDS.atlas);
    const entity = (i: number) => taskEntity({ msdyn_subject: `T${i}`, 'msdyn_project@odata.bind': bind('msdyn_projects', SEED_IDS.atlas), 'msdyn_projectbucket@odata.bind': bind('msdyn_projectbuckets', SEED_IDS.atlasBucket) });
    const over = await dv.action('msdyn_PssCreateV2', { OperationSetId: s, EntityCollection: Array.from({ length: limits.operations + 1 }, (_, i) => entity(i)) });
    expect(over.status).toBe(400);
    expect(over.body.error.code).toMatch(HEX);
    const full = await dv.action('msdyn_PssCreateV2', { OperationSetId: s, EntityCollection: Array.from({ length: limits.operations }, (_, i) => entity(i)) });
    expect(full.status).toBe(200);
    for (let i = 1; i < limits.openSets; i += 1) await dv.openSet(SEED_IDS.atlas);
    const eleventh = await dv.action('msdyn_CreateOperationSetV1', { ProjectId: SEED_IDS.atlas, Description: 'one too many' });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.error.message).toContain(String(limits.openSets));
  });

  it('quotes the ScheduleAPI errors of the notes', async () => {
    const s = await dv.openSet(SEED_IDS.apollo);
    const progress = await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_subject: 'x', msdyn_progress: 0.5, 'msdyn_project@odata.bind': bind('msdyn_projects', SEED_IDS.apollo), 'msdyn_projectbucket@odata.bind': bind('msdyn_projectbuckets', SEED_IDS.apolloBucket('Backlog')) }) });
    expect(progress.status).toBe(400);
    expect(progress.body.error.message).toMatch(/^ScheduleAPI-AV-0001 .*msdyn_progress.*during create operation is not allowed/);
    const missingParent = '7f3e9a2c-1b4d-4e6f-8a0c-2d4b6f8a0c1e';
    await dv.action('msdyn_PssCreateV1', { OperationSetId: s, Entity: taskEntity({ msdyn_subject: 'Orphan', 'msdyn_project@odata.bind': bind('msdyn_projects', SEED_IDS.apollo), 'msdyn_projectbucket@odata.bind': bind('msdyn_projectbuckets', SEED_IDS.apolloBucket('Backlog')), 'msdyn_parenttask@odata.bind': bind('msdyn_projecttasks', missingParent) }) });
    const set = await dv.execute(s);
    const log = await dv.get(`msdyn_psserrorlogs(${set._msdyn_psserrorlog_value})`);
    expect(log.body.msdyn_log).toMatch(/ScheduleAPI-AV-0006 Referenced row of msdyn_parenttask/);
  });

  it('answers each service protection limit of the notes with 429, its hex code and Retry-After in seconds', async () => {
    const table = serviceProtectionTable(notes);
    expect(table).toHaveLength(3);
    const kinds = { '6,000 requests': 'requests', '1,200 s of combined execution time': 'execution-time', '52 concurrent requests (answered at once)': 'concurrency' } as const;
    for (const row of table) {
      sim.injectFault({ kind: kinds[row.limit as keyof typeof kinds], retryAfter: 7 });
      const r = await dv.get('WhoAmI');
      expect(r.status, row.limit).toBe(429);
      expect(r.body.error.code).toBe(row.hex);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });
});
