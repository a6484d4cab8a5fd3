import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PWA_DEMO_CREDENTIALS, startPwaSimulator, type PwaSimulator } from '../server.js';

const bearer = { authorization: `Bearer ${PWA_DEMO_CREDENTIALS.bearerToken}` };
const basic = { authorization: `Basic ${Buffer.from(`${PWA_DEMO_CREDENTIALS.username}:${PWA_DEMO_CREDENTIALS.password}`).toString('base64')}` };
const VERBOSE = 'application/json;odata=verbose';
const NOMETA = 'application/json;odata=nometadata';

describe('PWA simulator protocol', () => {
  let sim: PwaSimulator;
  let api: string;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 40 }); api = `${sim.url}/_api/ProjectServer`; });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  const get = async (path: string, accept: string, headers: Record<string, string> = bearer) => {
    const res = await fetch(`${api}/${path}`, { headers: { ...headers, accept } });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const post = async (path: string, body?: unknown, headers: Record<string, string> = bearer) => {
    const res = await fetch(path.startsWith('http') ? path : `${api}/${path}`, { method: 'POST', headers: { ...headers, accept: NOMETA, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
  };

  it('serves the site under /sites/pwa on loopback', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sites\/pwa$/);
  });

  it('answers verbose with d.results and __metadata, nometadata with a bare value array', async () => {
    const v = await get('Projects?$select=Id,Name', VERBOSE);
    expect(v.body.d.results[0].__metadata.type).toBe('PS.PublishedProject');
    expect(Object.keys(v.body.d.results[0]).sort()).toEqual(['Id', 'Name', '__metadata']);
    const n = await get('Projects?$select=Id,Name', NOMETA);
    expect(Object.keys(n.body)).toEqual(['value']);
    expect(n.body.value[0]).toEqual({ Id: sim.state.projects[0]!.Id, Name: 'Apollo' });
    const m = await get('Projects?$select=Name', 'application/json');
    expect(m.body['odata.metadata']).toContain('$metadata#Projects');
  });

  it('filters and limits projects', async () => {
    const r = await get(`Projects?$select=Name&$filter=startswith(Name,'Apollo') and ProjectType eq 0&$top=1`, NOMETA);
    expect(r.body.value).toEqual([{ Name: 'Apollo' }]);
    const bad = await get(`Projects?$filter=Name eq`, NOMETA);
    expect(bad.status).toBe(400);
    expect(bad.body['odata.error'].message.value).toMatch(/\$filter/);
  });

  it('pages tasks at 100 with __next and odata.nextLink', async () => {
    const big = sim.addBigProject({ tasks: 250 });
    const first = await get(`Projects('${big.Id}')/Tasks?$select=Id`, VERBOSE);
    expect(first.body.d.results).toHaveLength(100);
    const second = await fetch(first.body.d.__next, { headers: { ...bearer, accept: VERBOSE } }).then((r) => r.json()) as any;
    expect(second.d.results).toHaveLength(100);
    const third = await fetch(second.d.__next, { headers: { ...bearer, accept: VERBOSE } }).then((r) => r.json()) as any;
    expect(third.d.results).toHaveLength(50);
    expect(third.d.__next).toBeUndefined();
    const light = await get(`Projects('${big.Id}')/Tasks?$select=Id&$top=150`, NOMETA);
    expect(light.body.value).toHaveLength(100);
    const rest = await fetch(light.body['odata.nextLink'], { headers: { ...bearer, accept: NOMETA } }).then((r) => r.json()) as any;
    expect(rest.value).toHaveLength(50);
    expect(rest['odata.nextLink']).toBeUndefined();
  });

  it('returns errors in the error / odata.error shapes', async () => {
    const v = await get(`Projects('00000000-0000-0000-0000-000000000001')`, VERBOSE);
    expect(v.status).toBe(404);
    expect(v.body.error.code).toBe('1000, Microsoft.ProjectServer.PJClientCallableException');
    const n = await get(`Projects('00000000-0000-0000-0000-000000000001')`, NOMETA);
    expect(n.body['odata.error'].message).toMatchObject({ lang: 'en-US' });
  });

  it('challenges callers without valid credentials', async () => {
    const res = await fetch(`${api}/Projects`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await get('Projects', NOMETA, basic)).status).toBe(200);
  });

  it('requires a form digest for Basic-auth writes but not for bearer ones', async () => {
    const id = sim.state.projects[0]!.Id;
    const refused = await post(`Projects('${id}')/checkOut`, undefined, basic);
    expect(refused.status).toBe(403);
    expect(refused.body['odata.error'].code).toMatch(/^-2130575251/);
    const ctx = await post(`${sim.url}/_api/contextinfo`, undefined, basic);
    expect(ctx.body.FormDigestTimeoutSeconds).toBe(1800);
    const ok = await post(`Projects('${id}')/checkOut`, undefined, { ...basic, 'x-requestdigest': ctx.body.FormDigestValue });
    expect(ok.status).toBe(200);
    expect((await post(`Projects('${sim.state.projects[1]!.Id}')/checkOut`)).status).toBe(200);
  });

  it('runs the edit flow with queue jobs moving from Processing to Success, and 26005 on overlap', async () => {
    const p = sim.state.projects[0]!;
    await post(`Projects('${p.Id}')/checkOut`);
    const added = await post(`Projects('${p.Id}')/Draft/Tasks/Add`, { parameters: { Name: 'New work', ParentId: p.tasks[0]!.Id, Duration: '2d' } });
    expect(added.body).toMatchObject({ Name: 'New work', OutlineLevel: 2, Duration: '2d' });
    const patch = await fetch(`${api}/Projects('${p.Id}')/Draft/Tasks('${added.body.Id}')`, { method: 'PATCH', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ Name: 'Renamed work' }) });
    expect(patch.status).toBe(204);
    const job = await post(`Projects('${p.Id}')/Draft/update()`);
    expect(job.body.JobState).toBe(3);
    const blocked = await post(`Projects('${p.Id}')/Draft/publish(true)`);
    expect(blocked.status).toBe(500);
    expect(blocked.body['odata.error'].code).toMatch(/^26005,/);
    let state = 3;
    while (state === 3) {
      await new Promise((r) => setTimeout(r, 20));
      state = (await get(`Projects('${p.Id}')/QueueJobs('${job.body.Id}')`, NOMETA)).body.JobState;
    }
    expect(state).toBe(4);
    expect(sim.state.projects[0]!.tasks.some((t) => t.Name === 'Renamed work')).toBe(false); // not published yet
  });

  it('refuses PATCH of custom field properties, as the REST API has no such write', async () => {
    const p = sim.state.projects[0]!;
    await post(`Projects('${p.Id}')/checkOut`);
    const res = await fetch(`${api}/Projects('${p.Id}')/Draft/Tasks('${p.tasks[1]!.Id}')`, { method: 'PATCH', headers: { ...bearer, 'content-type': 'application/json', accept: NOMETA }, body: JSON.stringify({ Custom_x005f_0123456789abcdef0123456789abcdef: 'x' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any)['odata.error'].message.value).toMatch(/does not exist on type 'PS.DraftTask'/);
  });

  it('reports a lock held by another user with their name', async () => {
    sim.checkOutAs('Apollo');
    const res = await post(`Projects('${sim.state.projects[0]!.Id}')/checkOut`);
    expect(res.status).toBe(500);
    expect(res.body['odata.error'].message.value).toMatch(/CICOCheckedOutToOtherUser[\s\S]*userName = demo\\other/);
  });

  it('throttles on demand with Retry-After', async () => {
    sim.injectFault({ status: 429, count: 1, retryAfter: '7' });
    const res = await fetch(`${api}/Projects`, { headers: bearer });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${api}/Projects`, { headers: bearer })).status).toBe(200);
  });

  it('generates a 5,000-task project in 5 outline levels', () => {
    const big = sim.addBigProject();
    expect(big.tasks).toHaveLength(5000);
    expect(Math.max(...big.tasks.map((t) => t.OutlineLevel))).toBe(5);
    expect(big.tasks.filter((t) => t.IsSummary).length).toBeGreaterThan(100);
  });

  it('exposes admin routes to inspect and reset state', async () => {
    sim.checkOutAs('Apollo');
    const state = await fetch(`${sim.url.replace('/sites/pwa', '')}/_sim/state`).then((r) => r.json()) as any;
    expect(state.projects[0]).toMatchObject({ name: 'Apollo', checkedOutBy: 'demo\\other' });
    await fetch(`${sim.url.replace('/sites/pwa', '')}/_sim/reset`, { method: 'POST' });
    expect(sim.state.projects[0]!.checkout).toBeNull();
  });
});
