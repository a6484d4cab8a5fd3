import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADO_DEMO_PATS, startAdoSimulator, type AdoSimulator } from '../server.js';

const basic = (pat: string) => `Basic ${Buffer.from(`:${pat}`).toString('base64')}`;
const FULL = { authorization: basic(ADO_DEMO_PATS.fullAccess), 'x-tfs-fedauthredirect': 'Suppress', accept: 'application/json;api-version=7.1' };
const PATCH = 'application/json-patch+json';

describe('ADO simulator protocol', () => {
  let sim: AdoSimulator;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = FULL, type = 'application/json') => {
    const res = await fetch(`${sim.url}/${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': type }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json: any = null;
    try { json = JSON.parse(text); } catch { /* html */ }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  beforeAll(async () => { sim = await startAdoSimulator(); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  it('serves discovery anonymously: OPTIONS per area and ResourceAreas pointing at itself', async () => {
    const opts = await call('OPTIONS', '_apis/wit', undefined, {});
    expect(opts.status).toBe(200);
    expect(opts.body.value.find((l: any) => l.id === '908509b6-4248-4475-a1cd-829139ba419f')).toMatchObject({ routeTemplate: '{project}/_apis/{area}/{resource}', releasedVersion: '7.1', maxVersion: '7.2' });
    expect((await call('OPTIONS', '_apis/nosucharea', undefined, {})).status).toBe(404);
    const areas = await call('GET', '_apis/ResourceAreas', undefined, { accept: 'application/json;api-version=7.2-preview.1' });
    expect(areas.body.value.find((a: any) => a.name === 'wit').locationUrl).toBe(`${sim.url}/`);
  });

  it('answers 401 to missing, unknown and expired PATs, and 203 sign-in without the suppress header', async () => {
    expect((await call('GET', '_apis/projects', undefined, { 'x-tfs-fedauthredirect': 'Suppress', accept: FULL.accept })).status).toBe(401);
    expect((await call('GET', '_apis/projects', undefined, { ...FULL, authorization: basic('wrong') })).status).toBe(401);
    const expired = await call('GET', '_apis/projects', undefined, { ...FULL, authorization: basic(ADO_DEMO_PATS.expired) });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/expired/);
    const page = await call('GET', '_apis/projects', undefined, { authorization: basic('wrong'), accept: FULL.accept });
    expect(page.status).toBe(203);
    expect(page.text).toMatch(/Sign In/);
  });

  it('enforces PAT scopes: read-only can read but gets 401 on writes', async () => {
    const ro = { ...FULL, authorization: basic(ADO_DEMO_PATS.readOnly) };
    expect((await call('POST', 'Phoenix/_apis/wit/wiql', { query: 'SELECT [System.Id] FROM WorkItems' }, ro)).status).toBe(200);
    expect((await call('POST', 'Phoenix/_apis/wit/workitems/$Task', [{ op: 'add', path: '/fields/System.Title', value: 'x' }], ro, PATCH)).status).toBe(401);
  });

  it('requires an api-version and refuses one newer than the server', async () => {
    const none = await call('GET', '_apis/projects', undefined, { ...FULL, accept: 'application/json' });
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/No api-version was supplied/);
    expect((await call('GET', '_apis/projects', undefined, { ...FULL, accept: 'application/json;api-version=7.2' })).body.message).toMatch(/-preview flag/);
    const server = await startAdoSimulator({ mode: 'server2019' });
    try {
      const res = await fetch(`${server.url}/_apis/projects`, { headers: FULL });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).message).toMatch(/7\.1 is out of range.*latest REST API version for this server is 5\.0/);
      expect(await (await fetch(`${server.url}/_apis/ResourceAreas`)).json()).toEqual({ count: 0, value: null });
    } finally {
      await server.close();
    }
  });

  it('runs WIQL clauses and caps results at 20,000 unless $top is given', async () => {
    const q = (query: string, suffix = '') => call('POST', `Phoenix/_apis/wit/wiql${suffix}`, { query });
    const under = await q("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.AreaPath] UNDER 'Phoenix\\Mobile' AND [System.WorkItemType] IN ('Task', 'User Story')");
    expect(under.body.workItems).toHaveLength(3);
    const tags = await q("SELECT [System.Id] FROM WorkItems WHERE [System.Tags] CONTAINS 'q3'");
    expect(tags.body.workItems).toHaveLength(1);
    const after = await q('SELECT [System.Id] FROM WorkItems WHERE [System.Id] > 15 ORDER BY [System.Id] DESC');
    expect(after.body.workItems.map((w: any) => w.id)).toEqual([...sim.state.items.keys()].filter((id) => id > 15).sort((a, b) => b - a));
    expect((await q('SELECT [Nope.Field] FROM WorkItems')).body.message).toMatch(/TF51005/);
    sim.addBigProject({ name: 'Big', items: 20_001, levels: 2 });
    const capped = await q("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = 'Big'");
    expect(capped.status).toBe(400);
    expect(capped.body.message).toMatch(/VS402337.*20000/);
    expect((await q("SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = 'Big'", '?$top=20000')).body.workItems).toHaveLength(20_000);
  });

  it('limits batch reads to 200 ids, omits missing ones on request and refuses $expand with fields', async () => {
    const tooMany = await call('POST', '_apis/wit/workitemsbatch', { ids: Array.from({ length: 201 }, (_, i) => i + 1) });
    expect(tooMany.status).toBe(400);
    expect((await call('POST', '_apis/wit/workitemsbatch', { ids: [1, 9999] })).status).toBe(404);
    const omit = await call('POST', '_apis/wit/workitemsbatch', { ids: [1, 9999], errorPolicy: 2 });
    expect(omit.body.value.map((v: any) => v?.id ?? null)).toEqual([1, null]);
    expect((await call('POST', '_apis/wit/workitemsbatch', { ids: [1], fields: ['System.Title'], $expand: 1 })).status).toBe(400);
    const byGet = await call('GET', '_apis/wit/workitems?ids=1,2&$expand=relations');
    expect(byGet.body.value[1].relations[0].rel).toBe('System.LinkTypes.Hierarchy-Reverse');
  });

  it('applies JSON patch with test /rev (412 when stale), validateOnly, and reciprocal links', async () => {
    const create = (doc: unknown[], q = '') => call('POST', `Phoenix/_apis/wit/workitems/$Task${q}`, doc, FULL, PATCH);
    const before = sim.state.items.size;
    expect((await create([{ op: 'add', path: '/fields/System.Title', value: 'dry run' }], '?validateOnly=true')).status).toBe(200);
    expect(sim.state.items.size).toBe(before);
    expect((await create([{ op: 'add', path: '/fields/System.Title', value: 'x' }], '')).status).toBe(200);
    expect((await call('POST', 'Phoenix/_apis/wit/workitems/$Task', [{ op: 'add', path: '/fields/System.Title', value: 'x' }])).status).toBe(415);
    const noTitle = await create([{ op: 'add', path: '/fields/System.State', value: 'Active' }]);
    expect(noTitle.body.message).toMatch(/TF401320: Rule Error for field Title/);
    const badArea = await create([{ op: 'add', path: '/fields/System.Title', value: 'x' }, { op: 'add', path: '/fields/System.AreaPath', value: 'Phoenix\\Nowhere' }]);
    expect(badArea.body.message).toMatch(/TF401347/);
    const parentRev = sim.state.items.get(4)!.rev;
    const child = await create([{ op: 'add', path: '/fields/System.Title', value: 'child' }, { op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${sim.url}/_apis/wit/workItems/4` } }]);
    expect(sim.state.items.get(4)!.rev).toBe(parentRev + 1);
    expect(sim.state.items.get(4)!.relations.some((r) => r.rel === 'System.LinkTypes.Hierarchy-Forward' && r.url.endsWith(`/${child.body.id}`))).toBe(true);
    const second = await call('PATCH', `Phoenix/_apis/wit/workitems/${child.body.id}`, [{ op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${sim.url}/_apis/wit/workItems/5` } }], FULL, PATCH);
    expect(second.body.message).toMatch(/TF201036/);
    const ok = await call('PATCH', `Phoenix/_apis/wit/workitems/${child.body.id}`, [{ op: 'test', path: '/rev', value: 1 }, { op: 'add', path: '/fields/System.Title', value: 'renamed' }], FULL, PATCH);
    expect(ok.body.rev).toBe(2);
    const stale = await call('PATCH', `Phoenix/_apis/wit/workitems/${child.body.id}`, [{ op: 'test', path: '/rev', value: 1 }, { op: 'add', path: '/fields/System.Title', value: 'lost' }], FULL, PATCH);
    expect(stale.status).toBe(412);
    expect(stale.body.message).toMatch(/TF26071/);
    const revs = await call('GET', `Phoenix/_apis/wit/workItems/${child.body.id}/revisions`);
    expect(revs.body.value.map((r: any) => r.fields['System.Title'])).toEqual(['child', 'renamed']);
  });

  it('rate-limits per PAT with X-RateLimit headers first, then 429 with Retry-After', async () => {
    sim.setRateLimit({ limit: 5, warnAt: 0.6 });
    const statuses: number[] = [];
    let warned: string | null = null;
    for (let i = 0; i < 6; i += 1) {
      const r = await call('GET', '_apis/projects');
      statuses.push(r.status);
      warned ??= r.status === 200 ? r.headers.get('x-ratelimit-remaining') : null;
      if (r.status === 429) {
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(r.body.message).toMatch(/TF400733/);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(warned).toBe('2');
  });

  it('injects 503s and connection resets on demand', async () => {
    sim.injectFault({ kind: 503, count: 1, retryAfter: '4' });
    const r = await call('GET', '_apis/projects');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('4');
    sim.injectFault({ kind: 'reset', count: 1 });
    await expect(call('GET', '_apis/projects')).rejects.toThrow();
    expect((await call('GET', '_apis/projects')).status).toBe(200);
  });

  it('generates a big project 4 levels deep with the process backlog types', () => {
    const p = sim.addBigProject({ name: 'Bench', items: 10_000, levels: 4 });
    const items = [...sim.state.items.values()].filter((i) => i.projectId === p.id);
    expect(items).toHaveLength(10_000);
    expect(new Set(items.map((i) => i.fields['System.WorkItemType']))).toEqual(new Set(['Epic', 'Feature', 'User Story', 'Task']));
    expect(items.filter((i) => i.fields['System.WorkItemType'] === 'Task').every((i) => i.relations.some((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse'))).toBe(true);
  });

  it('exposes admin routes to inspect, reset and tune', async () => {
    const root = sim.url.replace(/\/contoso$/, '');
    const state = await (await fetch(`${root}/_sim/state`)).json() as any;
    expect(state.projects.map((p: any) => p.name)).toEqual(['Phoenix', 'Atlas', 'Hermes', 'Orion']);
    expect(JSON.stringify(state)).not.toContain(ADO_DEMO_PATS.fullAccess);
    await fetch(`${root}/_sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 503, count: 1 }) });
    expect((await call('GET', '_apis/projects')).status).toBe(503);
    await fetch(`${root}/_sim/reset`, { method: 'POST', body: JSON.stringify({ seed: 'empty' }) });
    expect(sim.state.projects).toHaveLength(0);
  });
});
