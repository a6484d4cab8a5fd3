import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdoConnector } from '../../../src/connectors/ado/connector.js';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { ADO_DEMO_PATS, type AdoSimulator } from '../../../../sim/ado/server.js';
import { connectorFor, MODES, startSim } from './harness.js';

async function failure(p: Promise<unknown>): Promise<AdoConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdoConnectorError);
  return err as AdoConnectorError;
}

describe.each(MODES)('ADO connector failures and resilience (%s)', (mode) => {
  let sim: AdoSimulator;
  beforeAll(async () => { sim = await startSim(mode); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.setSignInPage(false); sim.clearRequests(); });

  it('names the missing scope on a write with a read-only PAT, and never echoes the PAT', async () => {
    const err = await failure(connectorFor(sim, ADO_DEMO_PATS.readOnly).create({ project: 'Phoenix', type: 'Task', marker: 'pb-1', fields: { 'System.Title': 't' } }));
    expect(err.code).toBe('missing-scope');
    expect(err.details.scope).toBe('work-write');
    expect(err.message).toContain('"Work Items: Read & write" scope (vso.work_write)');
    expect(err.message).not.toContain(ADO_DEMO_PATS.readOnly);
  });

  it('says an expired PAT has expired', async () => {
    const c = connectorFor(sim, ADO_DEMO_PATS.expired);
    const err = await failure(c.listProjects());
    expect(err.code).toBe('pat-expired');
    expect(err.message).toMatch(/has expired.*_usersSettings\/tokens/);
    const check = await failure(c.checkConnection());
    expect(check.code).toBe('pat-expired');
  });

  it('turns a 203 sign-in page into "the PAT was not accepted"', async () => {
    sim.setSignInPage(true);
    const c = connectorFor(sim, 'not-a-real-token');
    expect((await failure(c.checkConnection())).code).toBe('pat-rejected');
    const err = await failure(c.readScope([{ project: 'Phoenix' }]));
    expect(err.code).toBe('pat-rejected');
    expect(err.message).toMatch(/sign-in page/);
  });

  it('reports an unknown organization or collection', async () => {
    const wrong = sim.url.replace(/[^/]+$/, 'nosuchorg');
    const c = new AdoConnector({ url: wrong, pat: ADO_DEMO_PATS.fullAccess, localMode: true });
    const err = await failure(c.checkConnection());
    expect(err.code).toBe('org-not-found');
    expect(err.message).toContain(wrong);
    expect((await failure(c.listProjects())).code).toBe('org-not-found');
  });

  it('reports an unknown project by name', async () => {
    const err = await failure(connectorFor(sim).readScope([{ project: 'Nope' }]));
    expect(err.code).toBe('project-not-found');
    expect(err.message).toContain('"Nope"');
    expect((await failure(connectorFor(sim).listTeams('Nope'))).code).toBe('project-not-found');
  });

  it('marks a working connection "needs attention" when its PAT is revoked', async () => {
    sim.addPat('soon-revoked', ['app_token']);
    const c = connectorFor(sim, 'soon-revoked');
    await c.listProjects();
    expect(c.health).toBe('ok');
    sim.revokePat('soon-revoked');
    const err = await failure(c.listProjects());
    expect(err.needsAttention).toBe(true);
    expect(c.health).toBe('needs-attention');
  });

  it('rides out a 429 storm, waiting as long as Retry-After asks', async () => {
    const c = connectorFor(sim);
    await c.listProjects();
    sim.injectFault({ kind: 429, count: 3, retryAfter: '2', pathIncludes: '/wiql' });
    const items = await c.readScope([{ project: 'Phoenix' }]);
    expect(items).toHaveLength(17);
    expect(c.waits.filter((w) => w === 2000)).toHaveLength(3);
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(3);
  });

  it('gives up with a clear message when Retry-After is over 300 s', async () => {
    sim.injectFault({ kind: 429, count: 1, retryAfter: '900', pathIncludes: '/wiql' });
    const err = await failure(connectorFor(sim).readScope([{ project: 'Phoenix' }]));
    expect(err.code).toBe('throttled');
  });

  it('slows down when X-RateLimit-Remaining runs low, before any 429', async () => {
    sim.setRateLimit({ limit: 40, warnAt: 0.5 });
    const c = connectorFor(sim);
    for (let i = 0; i < 34; i += 1) await c.listProjects();
    expect(c.session.gate.currentSpacingMs).toBeGreaterThan(0);
    expect(sim.requests.some((r) => r.status === 429)).toBe(false);
  });

  it('retries reads through 503s and connection resets', async () => {
    const c = connectorFor(sim);
    await c.listProjects();
    sim.injectFault({ kind: 503, count: 2, pathIncludes: 'workItemsBatch' });
    sim.injectFault({ kind: 'reset', count: 2, pathIncludes: 'workItemsBatch' });
    const items = await c.readScope([{ project: 'Phoenix' }]);
    expect(items).toHaveLength(17);
    expect(c.session.stats.retries).toBe(4);
  });

  it('creates exactly once when the answer to a create is lost', async () => {
    const c = connectorFor(sim);
    sim.injectFault({ kind: 'reset-after', count: 1, method: 'POST', pathIncludes: '$Task' });
    const created = await c.create({ project: 'Phoenix', type: 'Task', marker: 'pb-once', fields: { 'System.Title': 'Exactly once' } });
    const twins = [...sim.state.items.values()].filter((i) => i.fields['System.Title'] === 'Exactly once');
    expect(twins).toHaveLength(1);
    expect(created.id).toBe(twins[0]!.id);
  });

  it('retries a create that never reached the server after checking the marker', async () => {
    const c = connectorFor(sim);
    sim.injectFault({ kind: 'reset', count: 1, method: 'POST', pathIncludes: '$Task' });
    const created = await c.create({ project: 'Phoenix', type: 'Task', marker: 'pb-retry', fields: { 'System.Title': 'Sent twice' } });
    expect([...sim.state.items.values()].filter((i) => i.fields['System.Title'] === 'Sent twice')).toHaveLength(1);
    expect(created.title).toBe('Sent twice');
    expect(sim.requests.some((r) => r.method === 'POST' && r.path.includes('/wiql'))).toBe(true);
  });

  it('reads everything under random 503s and resets (seeded chaos)', async () => {
    const c = connectorFor(sim, ADO_DEMO_PATS.fullAccess, { retry: { random: () => 0.5, maxRetries: 8 } });
    await c.listProjects();
    sim.setChaos({ errorRate: 0.2, resetRate: 0.1, seed: 7 });
    const items = await c.readScope([{ project: 'Phoenix' }, { project: 'Atlas' }, { project: 'Orion' }]);
    sim.setChaos({});
    expect(items).toHaveLength(25);
    expect(c.session.stats.retries).toBeGreaterThan(0);
  });
});
