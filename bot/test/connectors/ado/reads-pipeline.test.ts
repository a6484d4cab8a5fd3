import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdoConnector } from '../../../src/connectors/ado/connector.js';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { RequestGate } from '../../../src/net/request-gate.js';
import { IdentityPool } from '../../../src/connectors/ado/identity-pool.js';
import { areaLocations } from '../../../../sim/ado/locations.js';
import { ADO_DEMO_PATS, type AdoSimulator } from '../../../../sim/ado/server.js';
import { json, startFakeServer } from '../../net/fake-server.js';
import { connectorFor, startSim } from './harness.js';

/**
 * Issue 19, faster reads: scopes are queried at once, batches start as ids arrive, the next WIQL
 * page goes ahead of queued batches, and a read keeps one copy of each person.
 */
describe('request gate order', () => {
  it('lets a `first` caller ahead of the queue', async () => {
    const gate = new RequestGate({ maxInFlight: 1 });
    const order: string[] = [];
    let release!: () => void;
    const blocker = gate.run(() => new Promise<void>((r) => { release = r; }));
    const queued = ['a', 'b', 'c'].map((x) => gate.run(async () => { order.push(x); }));
    const urgent = gate.run(async () => { order.push('first'); }, { first: true });
    await new Promise((r) => setTimeout(r, 0));
    release();
    await Promise.all([blocker, ...queued, urgent]);
    expect(order).toEqual(['first', 'a', 'b', 'c']);
  });

  it('hands a freed slot to the waiter, so a caller arriving meanwhile cannot go over the cap', async () => {
    const gate = new RequestGate({ maxInFlight: 1 });
    let active = 0;
    let peak = 0;
    const work = async () => { active += 1; peak = Math.max(peak, active); await new Promise((r) => setTimeout(r, 1)); active -= 1; };
    const first = gate.run(work);
    const waiting = gate.run(work);
    await first;
    // The waiter has been handed the slot but has not run yet: a newcomer must queue.
    const newcomer = gate.run(work);
    await Promise.all([waiting, newcomer]);
    expect(peak).toBe(1);
    expect(gate.peakInFlight).toBe(1);
    expect(gate.inFlight).toBe(0);
  });
});

describe('request gate, optional requests', () => {
  it('runs one only in a free slot, with nobody waiting and no pause', async () => {
    let clock = 0;
    const gate = new RequestGate({ maxInFlight: 1, now: () => clock });
    expect(await gate.tryRun(async () => 'ran')).toBe('ran');
    let release!: () => void;
    const busy = gate.run(() => new Promise<void>((r) => { release = r; }));
    expect(gate.tryRun(async () => 'ran')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await busy;
    gate.observe({ retryAfter: 2 });
    expect(gate.tryRun(async () => 'ran')).toBeUndefined();
    clock += 2000;
    expect(await gate.tryRun(async () => 'ran')).toBe('ran');
  });
});

describe('identity pool', () => {
  const dana = () => ({ displayName: 'Dana Demo', uniqueName: 'dana@contoso.com', id: 'u1', _links: { avatar: { href: 'https://x/a' } } });

  it('shares equal identities between items, frozen, and keeps a different one apart', () => {
    const pool = new IdentityPool();
    const a: Record<string, unknown> = { 'System.CreatedBy': dana(), 'System.ChangedBy': dana(), 'System.Title': 'a' };
    const b: Record<string, unknown> = { 'System.AssignedTo': dana(), 'System.CreatedBy': { ...dana(), displayName: 'Dana D.' } };
    pool.share(a);
    pool.share(b);
    expect(a['System.ChangedBy']).toBe(a['System.CreatedBy']);
    expect(b['System.AssignedTo']).toBe(a['System.CreatedBy']);
    expect(Object.isFrozen(a['System.CreatedBy'])).toBe(true);
    expect(Object.isFrozen((a['System.CreatedBy'] as { _links: object })._links)).toBe(true);
    expect(b['System.CreatedBy']).not.toBe(a['System.CreatedBy']);
    expect((b['System.CreatedBy'] as { displayName: string }).displayName).toBe('Dana D.');
    expect(a['System.Title']).toBe('a');
  });
});

describe('ADO reads as a pipeline', () => {
  let sim: AdoSimulator;
  beforeAll(async () => { sim = await startSim('cloud'); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });

  it('queries several scopes at once with one discovery, and reads each item once, in id order', async () => {
    const c = connectorFor(sim);
    const items = await c.readScope([{ project: 'Phoenix' }, { project: 'Atlas' }, { project: 'Phoenix', areaPath: 'Phoenix\\Web' }, { project: 'Orion', ids: [1, 2] }]);
    const ids = items.map((i) => i.id);
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    expect(new Set(items.map((i) => i.project))).toEqual(new Set(['Phoenix', 'Atlas']));
    const paths = sim.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`);
    expect(paths.filter((p) => p.endsWith('/_apis/ResourceAreas'))).toHaveLength(1);
    expect(paths.filter((p) => p === 'OPTIONS /contoso/_apis/wit')).toHaveLength(1);
    expect(paths.filter((p) => p.includes('workItemsBatch'))).toHaveLength(Math.ceil(ids.length / 200));
  });

  it('asks where the wit area is and for its resource locations at once, within the in-flight cap', async () => {
    const items = await connectorFor(sim).readScope([{ project: 'Phoenix' }]);
    expect(items).toHaveLength(17);
    const first = sim.requests.slice(0, 4).map((r) => `${r.method} ${r.path.split('?')[0]}`);
    // OPTIONS wit goes out with OPTIONS Location, not after GET ResourceAreas; still one of each.
    expect(first.slice(0, 2).sort()).toEqual(['OPTIONS /contoso/_apis/Location', 'OPTIONS /contoso/_apis/wit']);
    expect(first.slice(2)).toEqual(['GET /contoso/_apis/ResourceAreas', 'POST /contoso/Phoenix/_apis/wit/wiql']);
    expect(sim.requests.filter((r) => r.method === 'OPTIONS')).toHaveLength(2);
    sim.clearRequests();
    // One request in flight allowed: no guess, discovery in turn.
    const one = connectorFor(sim, ADO_DEMO_PATS.fullAccess, { maxInFlight: 1 });
    expect(await one.readScope([{ project: 'Phoenix' }])).toHaveLength(17);
    expect(sim.load.peakInFlight).toBe(1);
    expect(sim.requests.slice(0, 3).map((r) => `${r.method} ${r.path}`)).toEqual(['OPTIONS /contoso/_apis/Location', 'GET /contoso/_apis/ResourceAreas', 'OPTIONS /contoso/_apis/wit']);
  });

  it('reads given ids in the order given, leaving out deleted ones', async () => {
    const c = connectorFor(sim);
    const all = await c.readScope([{ project: 'Phoenix' }]);
    const wanted = all.map((i) => i.id).reverse();
    const missing = 999_999;
    expect((await c.readByIds([...wanted, missing, wanted[0]!])).map((i) => i.id)).toEqual(wanted);
  });

  it('keeps one frozen copy of each person across the items of a read', async () => {
    const items = await connectorFor(sim).readScope([{ project: 'Phoenix' }]);
    const creators = new Set(items.map((i) => i.fields['System.CreatedBy']));
    expect(creators.size).toBe(1);
    expect(Object.isFrozen([...creators][0])).toBe(true);
    expect(items[0]!.fields['System.ChangedBy']).toBe(items[0]!.fields['System.CreatedBy']);
  });

  it('asks for the next WIQL page ahead of the batches queued from the first', async () => {
    sim.addBigProject({ name: 'Huge', items: 20_450, levels: 4 });
    const c = connectorFor(sim, ADO_DEMO_PATS.fullAccess, { maxInFlight: 4 });
    sim.clearRequests();
    const items = await c.readScope([{ project: 'Huge' }]);
    expect(items).toHaveLength(20_450);
    const paths = sim.requests.map((r) => r.path);
    const wiql = paths.flatMap((p, i) => (p.includes('/wiql') ? [i] : []));
    expect(wiql).toHaveLength(2);
    // Page one starts 100 batches; with 4 in flight, page two leaves as soon as the first slot frees.
    const batchesBefore = paths.slice(0, wiql[1]).filter((p) => p.includes('workItemsBatch')).length;
    expect(batchesBefore).toBeLessThanOrEqual(5);
    expect(paths.filter((p) => p.includes('workItemsBatch'))).toHaveLength(Math.ceil(20_450 / 200));
    expect(sim.load.peakInFlight).toBeLessThanOrEqual(4);
  }, 30_000);
});

describe('ADO batch reads against answers Azure DevOps never gives', () => {
  const wiqlAnswer = { queryType: 'flat', workItems: [{ id: 1, url: 'x' }, { id: 2, url: 'y' }] };
  async function withServer(batch: (res: import('node:http').ServerResponse) => void, run: (c: AdoConnector) => Promise<void>): Promise<void> {
    const fake = await startFakeServer((req, res) => {
      if (req.method === 'OPTIONS') return json(res, areaLocations(req.url!.split('/').at(-1)!, 'server2019') ?? {}, 200);
      if (req.url?.includes('ResourceAreas')) return json(res, { count: 0, value: null });
      if (req.url?.includes('/wiql')) return json(res, wiqlAnswer);
      if (req.url?.includes('workItemsBatch')) return batch(res);
      return json(res, { message: 'not here' }, 404);
    });
    try {
      await run(new AdoConnector({ url: `${fake.origin}/tfs/DefaultCollection`, pat: 'pat', localMode: true }));
    } finally {
      await fake.close();
    }
  }
  const failure = async (p: Promise<unknown>): Promise<AdoConnectorError> => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AdoConnectorError);
    return err as AdoConnectorError;
  };

  it('asks again where the resource areas say the wit area is, when that is not the organization URL', async () => {
    const fake = await startFakeServer((req, res) => {
      const path = req.url ?? '';
      if (req.method === 'OPTIONS') return json(res, areaLocations(path.split('/').at(-1)!, 'cloud') ?? {}, 200);
      if (path.includes('ResourceAreas')) return json(res, { count: 1, value: [{ id: '5264459e-e5e0-4bd8-b118-0985e68a4ec5', name: 'wit', locationUrl: `${fake.origin}/elsewhere/` }] });
      if (path.startsWith('/elsewhere/') && path.includes('/wiql')) return json(res, wiqlAnswer);
      if (path.startsWith('/elsewhere/') && path.includes('workItemsBatch')) return json(res, { count: 2, value: [{ id: 1, rev: 1, fields: {} }, { id: 2, rev: 1, fields: {} }] });
      return json(res, { message: 'not here' }, 404);
    });
    try {
      const c = new AdoConnector({ url: `${fake.origin}/org`, pat: 'pat', localMode: true });
      expect((await c.readScope([{ project: 'P' }])).map((i) => i.id)).toEqual([1, 2]);
      const options = fake.requests.filter((r) => r.method === 'OPTIONS').map((r) => r.url);
      expect(options).toEqual(expect.arrayContaining(['/org/_apis/wit', '/elsewhere/_apis/wit']));
      expect(fake.requests.filter((r) => r.url.includes('/wiql')).every((r) => r.url.startsWith('/elsewhere/'))).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('says a batch answer of another shape is not Azure DevOps', async () => {
    await withServer((res) => json(res, { Code: 'Success' }), async (c) => {
      const err = await failure(c.readScope([{ project: 'P' }]));
      expect(err.code).toBe('server-error');
      expect(err.message).toMatch(/form Azure DevOps does not use/);
    });
  });

  it('reads a batch answer whose elements it cannot cut, whole', async () => {
    const value = [{ rev: 1, id: 1, fields: { 'System.Title': 'one' } }, { rev: 2, id: 2, fields: { 'System.Title': 'two' } }];
    await withServer((res) => json(res, { count: 2, value }), async (c) => {
      expect((await c.readScope([{ project: 'P' }])).map((i) => [i.id, i.title, i.rev])).toEqual([[1, 'one', 1], [2, 'two', 2]]);
    });
  });

  it('reports a server failure on the batch with the service\'s message', async () => {
    await withServer((res) => json(res, { message: 'TF400898: An internal error occurred.', typeKey: 'X' }, 500), async (c) => {
      const err = await failure(c.readScope([{ project: 'P' }]));
      expect(err.code).toBe('server-error');
      expect(err.details.status).toBe(500);
      expect(err.message).toContain('TF400898');
    });
  });
});
