import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import { PlanConnectorError } from '../../../src/connectors/ppm.js';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { connectorFor } from './harness.js';

async function failure(p: Promise<unknown>): Promise<PlanConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PlanConnectorError);
  return err as PlanConnectorError;
}

describe('PWA connector: auth, throttling, digests, paging, queue', () => {
  let sim: PwaSimulator;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 20 }); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });
  const apolloId = () => sim.state.projects[0]!.Id;

  it('a rejected OAuth token is a 401 that names the method and marks the connection', async () => {
    const c = new PwaConnector({ siteUrl: sim.url, auth: { kind: 'oauth', getAccessToken: async () => 'expired-token' } });
    const err = await failure(c.listProjects());
    expect(err.code).toBe('auth-failed');
    expect(err.details).toMatchObject({ status: 401, needsAttention: true });
    expect(err.message).toContain('OAuth');
    expect(err.message).not.toContain('expired-token');
  });

  it('wrong on-premises credentials name the account but never the password', async () => {
    const c = new PwaConnector({ siteUrl: sim.url, auth: { kind: 'onprem', username: 'demo\\pm', password: 'wrong-secret' } });
    const err = await failure(c.verifyAccess());
    expect(err.code).toBe('auth-failed');
    expect(err.message).toContain('on-premises credentials for demo\\pm');
    expect(err.message).not.toContain('wrong-secret');
  });

  it('a read-only account can read but is told which permissions are missing', async () => {
    const c = new PwaConnector({ siteUrl: sim.url, auth: { kind: 'oauth', getAccessToken: async () => 'viewer-pwa-token' } });
    const report = await c.verifyAccess(apolloId());
    expect(report).toMatchObject({ canRead: true, canEdit: false, canManageFields: false });
    expect(report.missing).toEqual(['Manage Enterprise Custom Fields (only needed for "Create fields")', 'Save Project on this project', 'Publish Project on this project']);
    const err = await failure(c.createFields());
    expect(err.code).toBe('forbidden');
  });

  it.each([429, 503] as const)('honours Retry-After in seconds on %i', async (status) => {
    sim.injectFault({ status, count: 2, retryAfter: '3' });
    const c = connectorFor(sim, 'oauth', 'nometadata');
    expect((await c.listProjects()).length).toBe(4);
    expect(c.waits).toEqual([3000, 3000]);
    expect(c.client.requestCount).toBe(3);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    sim.injectFault({ status: 429, count: 1, retryAfter: new Date(Date.now() + 20_000).toUTCString() });
    const c = connectorFor(sim, 'oauth', 'nometadata');
    await c.listProjects();
    expect(c.waits).toHaveLength(1);
    expect(c.waits[0]).toBeGreaterThan(15_000);
    expect(c.waits[0]).toBeLessThanOrEqual(20_000);
  });

  it('gives up with a clear error when throttling outlasts the retries', async () => {
    sim.injectFault({ status: 503, count: 10, retryAfter: '1' });
    const err = await failure(connectorFor(sim, 'oauth', 'nometadata').listProjects());
    expect(err.code).toBe('throttled');
    expect(err.details.status).toBe(503);
  });

  it('a sign-in page answered in place of JSON is a clear error naming the site, sent once; for a write it says the change may have been made', async () => {
    sim.injectFault({ status: 'proxy-page', count: 1 });
    const read = connectorFor(sim, 'oauth', 'nometadata');
    const readErr = await failure(read.listProjects());
    expect(readErr.code).toBe('unreachable');
    expect(readErr.message).toContain(`Project Web App at ${sim.url} answered 200 with text/html; charset=utf-8 instead of JSON`);
    expect(readErr.message).not.toMatch(/may have been made/);
    expect(read.client.requestCount).toBe(1);

    sim.injectFault({ status: 'proxy-page', count: 1, pathIncludes: 'CustomFields/Add' });
    const write = connectorFor(sim, 'oauth', 'nometadata');
    const writeErr = await failure(write.createFields([{ name: 'Proxied', type: 'text', entity: 'task', description: '' }]));
    expect(writeErr.code).toBe('unreachable');
    expect(writeErr.message).toMatch(/instead of JSON.*The change may have been made/);
  });

  it('refreshes an expired form digest once and carries on (on-premises)', async () => {
    const c = connectorFor(sim, 'onprem', 'nometadata');
    await c.createFields([{ name: 'First', type: 'text', entity: 'task', description: '' }]);
    sim.expireDigests();
    const checks = await c.createFields([{ name: 'Second', type: 'text', entity: 'task', description: '' }]);
    expect(checks[0]!.status).toBe('ok');
    expect(sim.requests.filter((r) => r.path.endsWith('/_api/contextinfo')).length).toBe(2);
    expect(sim.requests.some((r) => r.status === 403)).toBe(true);
  });

  it('reads past 1,000 tasks by following every server page of 100', async () => {
    const big = sim.addBigProject({ tasks: 1234, levels: 5 });
    sim.clearRequests();
    const tasks = await connectorFor(sim, 'oauth', 'verbose').readTasks(big.Id);
    expect(tasks).toHaveLength(1234);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(1234);
    expect(Math.max(...tasks.map((t) => t.outlineLevel))).toBe(5);
    const ids = new Set(tasks.map((t) => t.id));
    expect(tasks.every((t) => t.parentId === null || ids.has(t.parentId))).toBe(true);
    // 13 pages, read concurrently in growing windows: at most 7 empty pages past the end.
    const pages = sim.requests.filter((r) => r.path.includes('/Tasks')).length;
    expect(pages).toBeGreaterThanOrEqual(13);
    expect(pages).toBeLessThanOrEqual(13 + 7);
  });

  it('serialises concurrent edits of one project so queue jobs never overlap', async () => {
    const c = connectorFor(sim, 'oauth', 'nometadata');
    const tasks = await c.readTasks(apolloId());
    const [a, b] = await Promise.all([
      c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: tasks[1]!.id, name: 'First edit' }] }),
      c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: tasks[2]!.id, name: 'Second edit' }] }),
    ]);
    expect(a.jobs.length + b.jobs.length).toBe(6);
    const after = await c.readTasks(apolloId());
    expect([after[1]!.name, after[2]!.name]).toEqual(['First edit', 'Second edit']);
    expect(sim.requests.some((r) => r.status === 500)).toBe(false);
  });

  it('waits out error 26005 when another client has a job running on the project', async () => {
    const c = connectorFor(sim, 'oauth', 'nometadata', { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    const tasks = await c.readTasks(apolloId());
    // Another client's queue job on Apollo is still processing when ours is submitted.
    const busy = randomUUID();
    const other = {
      Id: busy, ProjectId: apolloId(), MessageType: 24, JobState: 3, PercentComplete: 0,
      submittedAt: Date.now(), doneAt: Number.MAX_SAFE_INTEGER, effect: null, failure: null,
    };
    sim.state.jobs.set(busy, other);
    // The other job finishes only once ours has been refused with 26005: no race with the clock.
    const refused = () => sim.requests.some((r) => r.status === 500 && r.path.includes('update'));
    const release = setInterval(() => { if (refused()) { other.doneAt = Date.now(); clearInterval(release); } }, 5);
    const result = await c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: tasks[1]!.id, name: 'After the wait' }] })
      .finally(() => clearInterval(release));
    expect(result.jobs.map((j) => j.state)).toEqual(['Success', 'Success', 'Success']);
    expect(sim.requests.some((r) => r.status === 500 && r.path.includes('update'))).toBe(true);
    expect((await c.readTasks(apolloId()))[1]!.name).toBe('After the wait');
  });

  it('an unknown task id from another project is reported as deleted, not as a crash', async () => {
    const err = await failure(connectorFor(sim, 'onprem', 'verbose').applyChanges({ projectId: apolloId(), creates: [{ id: randomUUID(), parentId: randomUUID(), name: 'orphan' }], updates: [] }));
    expect(err.code).toBe('task-deleted');
    expect(err.details.forcedCheckIn).toBe(true);
  });
});
