import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_IDS, startDataverseSimulator, type DataverseSimulator } from '../server.js';
import { TestClient } from './client.js';

/** OData reads: $select, $filter, $orderby, $top, $expand and paging, and their refusals. */
describe('Dataverse simulator reads', () => {
  let sim: DataverseSimulator;
  let dv: TestClient;
  let big: string;
  beforeAll(async () => {
    sim = await startDataverseSimulator({ executionDelayMs: 0 });
    dv = new TestClient(sim);
    big = sim.addBigProject({ tasks: 250, name: 'Paging Plan' });
  });
  afterAll(async () => { await sim.close(); });

  const subjects = async (query: string): Promise<string[]> => {
    const r = await dv.get(`msdyn_projecttasks?$select=msdyn_subject&${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.value.map((t: any) => t.msdyn_subject);
  };
  const apollo = `_msdyn_project_value eq ${SEED_IDS.apollo}`;

  it('returns only the selected columns, the key and the etag', async () => {
    const r = await dv.get(`msdyn_projecttasks(${SEED_IDS.apolloTask('1.1')})?$select=msdyn_subject,_msdyn_projectbucket_value`);
    expect(Object.keys(r.body).sort()).toEqual(['@odata.context', '@odata.etag', '_msdyn_projectbucket_value', 'msdyn_projecttaskid', 'msdyn_subject']);
    expect(r.body['@odata.context']).toBe(`${sim.apiUrl}$metadata#msdyn_projecttasks(msdyn_subject,_msdyn_projectbucket_value)/$entity`);
    expect(r.body._msdyn_projectbucket_value).toBe(SEED_IDS.apolloBucket('Backlog'));
  });

  it('filters with eq, ne, gt, ge, lt, le, and, or, not and string functions', async () => {
    expect(await subjects(`$filter=${apollo} and msdyn_subject eq 'security review'`)).toEqual(['Security review']);
    expect(await subjects(`$filter=${apollo} and msdyn_effort gt 32 and msdyn_summary eq false&$orderby=msdyn_subject`)).toEqual(['Migration scripts', 'Provision Kubernetes cluster']);
    expect(await subjects(`$filter=${apollo} and msdyn_effort ge 32 and msdyn_effort le 32`)).toEqual(['Landing zone design', 'CI/CD pipelines']);
    expect(await subjects(`$filter=${apollo} and msdyn_outlinelevel lt 2 and msdyn_subject ne 'Build'`)).toEqual(['Discovery and design', 'Launch']);
    expect(await subjects(`$filter=${apollo} and (msdyn_ismilestone eq true or msdyn_priority eq 1)&$orderby=msdyn_displaysequence desc`)).toEqual(['Go-live', 'Production cutover', 'Design sign-off', 'Security review']);
    expect(await subjects(`$filter=${apollo} and not (msdyn_outlinelevel ne 3) and startswith(msdyn_subject,'m')`)).toEqual(['Migration scripts']);
    expect(await subjects(`$filter=_msdyn_parenttask_value eq ${SEED_IDS.apolloTask('2.2')}`)).toEqual(['Migration scripts', 'Dry-run migration']);
    expect(await subjects(`$filter=${apollo} and _msdyn_parenttask_value eq null&$orderby=msdyn_displaysequence`)).toEqual(['Discovery and design', 'Build', 'Launch']);
    expect(await subjects(`$filter=${apollo} and msdyn_start ge 2026-12-14T00:00:00Z and contains(msdyn_subject,'o')`)).toEqual(['Production cutover', 'Go-live']);
  });

  it('refuses unknown columns, quoted GUIDs, wrong types and bad syntax with 400 0x80060888', async () => {
    for (const query of [
      'msdyn_projecttasks?$filter=msdyn_nope eq 1',
      `msdyn_projecttasks?$filter=_msdyn_project_value eq '${SEED_IDS.apollo}'`,
      "msdyn_projecttasks?$filter=msdyn_effort eq 'ten'",
      'msdyn_projecttasks?$filter=msdyn_subject eq',
      'msdyn_projecttasks?$select=msdyn_project',
      'msdyn_projecttasks?$orderby=msdyn_nope',
      'msdyn_projecttasks?$top=-1',
      'msdyn_projecttasks?$select=msdyn_subject&$select=msdyn_effort',
      'msdyn_projecttasks?$apply=groupby((msdyn_subject))',
    ]) {
      const r = await dv.get(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error.code, query).toBe('0x80060888');
    }
    const unknownSet = await dv.get('msdyn_Projecttasks');
    expect(unknownSet.status).toBe(404);
    expect(unknownSet.body.error.message).toContain("'msdyn_Projecttasks'");
    const missing = await dv.get('msdyn_projecttasks(6b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e)');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: '0x80040217' } } });
  });

  it('expands lookups and collections, and refuses navigation properties it does not serve', async () => {
    const r = await dv.get(`msdyn_projecttasks(${SEED_IDS.apolloTask('2.1.1')})?$select=msdyn_subject&$expand=msdyn_parenttask($select=msdyn_subject;$expand=msdyn_parenttask($select=msdyn_subject)),msdyn_projectsprint($select=msdyn_name)`);
    expect(r.status).toBe(200);
    expect(r.body.msdyn_parenttask.msdyn_subject).toBe('Platform services');
    expect(r.body.msdyn_parenttask.msdyn_parenttask.msdyn_subject).toBe('Build');
    expect(r.body.msdyn_projectsprint.msdyn_name).toBe('Sprint 2');
    const nested = await dv.get(`msdyn_projects(${SEED_IDS.apollo})?$select=msdyn_subject&$expand=msdyn_msdyn_project_msdyn_projecttask_project($select=msdyn_subject;$filter=msdyn_summary eq true;$orderby=msdyn_displaysequence)`);
    expect(nested.body.msdyn_msdyn_project_msdyn_projecttask_project.map((t: any) => t.msdyn_subject)).toEqual(['Discovery and design', 'Architecture', 'Build', 'Platform services', 'Data migration', 'Launch']);
    const team = await dv.get(`msdyn_projectteams?$select=msdyn_name&$filter=_msdyn_project_value eq ${SEED_IDS.apollo}&$expand=msdyn_bookableresourceid($select=name;$expand=UserId($select=domainname))&$orderby=msdyn_name`);
    expect(team.body.value[0].msdyn_bookableresourceid.UserId.domainname).toBe('marcus.chen@contoso.onmicrosoft.com');
    const deps = await dv.get(`msdyn_projecttaskdependencies?$filter=_msdyn_project_value eq ${SEED_IDS.apollo}&$expand=msdyn_PredecessorTask($select=msdyn_subject)&$top=1`);
    expect(deps.body.value[0].msdyn_PredecessorTask.msdyn_subject).toBe('Requirements workshop');
    for (const nav of ['msdyn_predecessortask', 'msdyn_children', 'msdyn_project_tasks', 'msdyn_projectbucket($top=1)']) {
      const table = nav.startsWith('msdyn_predecessortask') ? 'msdyn_projecttaskdependencies' : nav.startsWith('msdyn_projectbucket') ? 'msdyn_projecttasks' : 'msdyn_projects';
      const bad = await dv.get(`${table}?$expand=${nav}`);
      expect(bad.status, nav).toBe(400);
      expect(bad.body.error.code).toBe('0x80060888');
    }
  });

  it('follows nextLink through every page at the same page size, and refuses a changed one', async () => {
    const seen: string[] = [];
    let next: string | undefined = `msdyn_projecttasks?$select=msdyn_subject&$filter=_msdyn_project_value eq ${big}&$orderby=msdyn_displaysequence`;
    let pages = 0;
    let first: string | undefined;
    while (next) {
      const r: any = await dv.get(next, { prefer: 'odata.maxpagesize=100' });
      expect(r.status).toBe(200);
      expect(r.headers.get('preference-applied')).toBe('odata.maxpagesize=100');
      seen.push(...r.body.value.map((t: any) => t.msdyn_projecttaskid));
      next = r.body['@odata.nextLink'];
      first ??= next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(250);
    const changed = await dv.get(first!, { prefer: 'odata.maxpagesize=50' });
    expect(changed.status).toBe(400);
    const top = await dv.get(`msdyn_projecttasks?$select=msdyn_subject&$top=120`, { prefer: 'odata.maxpagesize=100' });
    expect(top.body.value).toHaveLength(120);
    expect(top.body['@odata.nextLink']).toBeUndefined();
    const count = await dv.get(`msdyn_projecttasks?$select=msdyn_subject&$filter=_msdyn_project_value eq ${big}&$count=true`, { prefer: 'odata.maxpagesize=10' });
    expect(count.body['@odata.count']).toBe(250);
  });

  it('serves WhoAmI, the licence of a user and the service document', async () => {
    const me = await dv.get('WhoAmI');
    const licence = await dv.get(`systemusers(${me.body.UserId})/Microsoft.Dynamics.CRM.RetrieveUserLicenseInfo()`);
    expect(licence.body.licenseInfo.ServicePlans.map((p: any) => p.Name)).toContain('PROJECT_PROFESSIONAL');
    const viewer = await dv.as('demo-dataverse-unlicensed-token').get('WhoAmI');
    const none = await dv.get(`systemusers(${viewer.body.UserId})/Microsoft.Dynamics.CRM.RetrieveUserLicenseInfo()`);
    expect(none.body.licenseInfo.ServicePlans.map((p: any) => p.Name)).not.toContain('PROJECT_PROFESSIONAL');
    const doc = await dv.get('');
    expect(doc.body.value.map((s: any) => s.name)).toContain('msdyn_projectsprints');
  });
});
