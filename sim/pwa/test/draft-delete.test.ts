import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator, type PwaSimulator } from '../server.js';

/**
 * Conformance of `DraftTask.DeleteObject` (`POST .../Draft/Tasks('{id}')/deleteObject()`) with the
 * PS container of the 2019 `$metadata` dump and Project's behaviour: a draft write like the others.
 */

const bearer = { authorization: `Bearer ${PWA_DEMO_CREDENTIALS.bearerToken}` };
const VERBOSE = 'application/json;odata=verbose';
const NOMETA = 'application/json;odata=nometadata';

describe('PWA simulator: deleting draft tasks', () => {
  let sim: PwaSimulator;
  let api: string;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 0 }); api = `${sim.url}/_api/ProjectServer`; });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  const apollo = () => sim.state.projects.find((p) => p.Name === 'Apollo')!;
  const taskId = (name: string) => apollo().tasks.find((t) => t.Name === name)!.Id;
  const call = async (method: string, path: string, accept = NOMETA) => {
    const res = await fetch(`${api}/${path}`, { method, headers: { ...bearer, accept, 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
  };
  const del = (id: string, accept = NOMETA) => call('POST', `Projects('${apollo().Id}')/Draft/Tasks('${id}')/deleteObject()`, accept);
  const checkOut = () => call('POST', `Projects('${apollo().Id}')/checkOut`);
  const draftNames = () => apollo().draft!.map((t) => t.Name);

  it('is the bound, void DeleteObject of PS.DraftTask in the PS container', () => {
    const xml = readFileSync(fileURLToPath(new URL('../../../../shared/specs/pwa/PS-container.2019.xml', import.meta.url)), 'utf8');
    const fn = [...xml.matchAll(/<FunctionImport Name="DeleteObject"([^>]*)>([\s\S]*?)<\/FunctionImport>/g)]
      .find((m) => m[2]!.includes('Type="PS.DraftTask"'));
    expect(fn).toBeDefined();
    expect(fn![1]).toContain('IsBindable="true"');
    expect(fn![1]).not.toContain('ReturnType');
  });

  it('answers a void result in both JSON formats and leaves the published plan alone until publish', async () => {
    await checkOut();
    const light = await del(taskId('Go-live'));
    expect(light).toEqual({ status: 200, body: { 'odata.null': true } });
    const verbose = await del(taskId('Stakeholder interviews'), VERBOSE);
    expect(verbose).toEqual({ status: 200, body: { d: { DeleteObject: null } } });
    expect(draftNames()).not.toContain('Go-live');
    expect(apollo().tasks.map((t) => t.Name)).toContain('Go-live');

    await call('POST', `Projects('${apollo().Id}')/Draft/publish(true)`);
    const published = await call('GET', `Projects('${apollo().Id}')/Tasks?$select=Name`);
    const names = (published.body.value as Array<{ Name: string }>).map((t) => t.Name);
    expect(names).not.toContain('Go-live');
    expect(names).not.toContain('Stakeholder interviews');
    expect(names).toContain('User acceptance testing');
    expect(apollo().checkout).toBeNull();
  });

  it('deletes a summary with its subtree and recomputes the outline', async () => {
    await checkOut();
    await del(taskId('API'));
    for (const gone of ['API', 'Design API contract', 'Implement endpoints']) expect(draftNames()).not.toContain(gone);
    const migration = apollo().draft!.find((t) => t.Name === 'Data migration')!;
    expect(migration).toMatchObject({ OutlinePosition: '2.1.1', OutlineLevel: 3 });

    // Deleting a summary's only child turns the summary into a plain task.
    await del(taskId('Dashboard screens'));
    expect(apollo().draft!.find((t) => t.Name === 'Frontend')).toMatchObject({ IsSummary: false, OutlinePosition: '2.2' });

    const draft = await call('GET', `Projects('${apollo().Id}')/Draft/Tasks?$select=Name,OutlinePosition`);
    expect(draft.body.value).toHaveLength(apollo().tasks.length - 4);
  });

  it('refuses an unknown task with the same TaskNotFound error as other draft task calls', async () => {
    await checkOut();
    const missing = '00000000-0000-0000-0000-00000000abcd';
    const res = await del(missing);
    const patch = await fetch(`${api}/Projects('${apollo().Id}')/Draft/Tasks('${missing}')`, { method: 'PATCH', headers: { ...bearer, accept: NOMETA, 'content-type': 'application/json' }, body: '{"Name":"x"}' });
    expect(res.status).toBe(404);
    expect(patch.status).toBe(404);
    expect(res.body['odata.error']).toEqual(((await patch.json()) as any)['odata.error']);
    expect(res.body['odata.error'].message.value).toMatch(/TaskNotFound[\s\S]*taskUid = /);
  });

  it('refuses a project that is not checked out, or checked out by someone else', async () => {
    const notOut = await del(taskId('Go-live'));
    expect(notOut.status).toBe(500);
    expect(notOut.body['odata.error'].message.value).toMatch(/CICONotCheckedOut/);

    sim.checkOutAs('Apollo');
    const other = await del(taskId('Go-live'));
    expect(other.status).toBe(500);
    expect(other.body['odata.error'].message.value).toMatch(/CICOCheckedOutToOtherUser[\s\S]*userName = demo\\other/);
    expect(draftNames()).toContain('Go-live');
  });

  it('takes POST only', async () => {
    await checkOut();
    const res = await call('GET', `Projects('${apollo().Id}')/Draft/Tasks('${taskId('Go-live')}')/deleteObject()`);
    expect(res.status).toBe(405);
    expect(draftNames()).toContain('Go-live');
  });
});
