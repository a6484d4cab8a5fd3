import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlanConnectorError, type PlanTask } from '../../../src/connectors/ppm.js';
import { applyChangeSet, type WriteContext } from '../../../src/connectors/pwa/writes.js';
import type { PwaClient } from '../../../src/connectors/pwa/client.js';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { MATRIX, connectorFor, failure } from './harness.js';

describe.each(MATRIX)('PWA connector deletes plan tasks (%s auth, %s JSON)', (authKind, format) => {
  let sim: PwaSimulator;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 20 }); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });

  const connector = () => connectorFor(sim, authKind, format);
  const apolloId = () => sim.state.projects.find((p) => p.Name === 'Apollo')!.Id;
  const byName = (tasks: PlanTask[], name: string) => tasks.find((t) => t.name === name)!;
  const names = (tasks: PlanTask[]) => tasks.map((t) => t.name);
  const posts = (pattern: RegExp) => sim.requests.filter((r) => r.method === 'POST' && pattern.test(decodeURIComponent(r.path)));

  it('deletes one task with DraftTask.deleteObject in a full edit cycle', async () => {
    const c = connector();
    const goLive = byName(await c.readTasks(apolloId()), 'Go-live');
    sim.clearRequests();
    const result = await c.applyChanges({ projectId: apolloId(), creates: [], updates: [], deletes: [goLive.id] });
    expect(result).toMatchObject({ created: [], updated: [], deleted: [goLive.id] });
    expect(result.jobs.map((j) => [j.step, j.state])).toEqual([['update', 'Success'], ['publish', 'Success'], ['checkIn', 'Success']]);
    expect(posts(new RegExp(`/Draft/Tasks\\('${goLive.id}'\\)/deleteObject\\(\\)$`))).toHaveLength(1);

    const after = await c.readTasks(apolloId());
    expect(names(after)).not.toContain('Go-live');
    expect(byName(after, 'Launch')).toMatchObject({ isSummary: true, outlinePosition: '3' });
    expect((await c.getProject(apolloId())).checkedOut).toBe(false);
  });

  it('deletes a summary task with its subtasks, as Project does', async () => {
    const c = connector();
    const before = await c.readTasks(apolloId());
    const result = await c.applyChanges({ projectId: apolloId(), creates: [], updates: [], deletes: [byName(before, 'API').id] });
    expect(result.deleted).toEqual([byName(before, 'API').id]);
    const after = await c.readTasks(apolloId());
    for (const gone of ['API', 'Design API contract', 'Implement endpoints']) expect(names(after)).not.toContain(gone);
    expect(after).toHaveLength(before.length - 3);
    expect(byName(after, 'Data migration')).toMatchObject({ outlinePosition: '2.1.1', parentId: byName(before, 'Backend').id });
  });

  it('counts a task that is already gone as deleted, and a subtask that went with its summary', async () => {
    const c = connector();
    const before = await c.readTasks(apolloId());
    const missing = randomUUID();
    const api = byName(before, 'API').id;
    const child = byName(before, 'Design API contract').id;
    const result = await c.applyChanges({ projectId: apolloId(), creates: [], updates: [], deletes: [missing, api, child] });
    expect(result.deleted).toEqual([missing, api, child]);
    expect(result.jobs.map((j) => j.step)).toEqual(['update', 'publish', 'checkIn']);
    expect(await c.readTasks(apolloId())).toHaveLength(before.length - 3);

    // A rerun after a crash sends the same deletes again: all done, nothing else touched.
    const rerun = await c.applyChanges({ projectId: apolloId(), creates: [], updates: [], deletes: [api] });
    expect(rerun.deleted).toEqual([api]);
    expect(await c.readTasks(apolloId())).toHaveLength(before.length - 3);
    expect((await c.getProject(apolloId())).checkedOut).toBe(false);
  });

  it('applies creates, updates and deletes in one check-out; a moved child survives its summary', async () => {
    const c = connector();
    const before = await c.readTasks(apolloId());
    const newId = randomUUID();
    sim.clearRequests();
    const result = await c.applyChanges({
      projectId: apolloId(),
      creates: [{ id: newId, parentId: byName(before, 'Launch').id, name: 'Hypercare', durationMinutes: 5 * 480 }],
      updates: [
        { id: byName(before, 'Data migration').id, parentId: byName(before, 'Build').id },
        { id: byName(before, 'User acceptance testing').id, name: 'UAT' },
      ],
      deletes: [byName(before, 'Backend').id, byName(before, 'Go-live').id],
    });
    expect(result).toMatchObject({
      created: [newId],
      updated: [byName(before, 'Data migration').id, byName(before, 'User acceptance testing').id],
      deleted: [byName(before, 'Backend').id, byName(before, 'Go-live').id],
    });
    expect(posts(/\/checkOut$/)).toHaveLength(1);
    expect(posts(/\/Draft\/publish/)).toHaveLength(1);
    expect(posts(/\/Draft\/checkIn\(false\)$/)).toHaveLength(1);

    const after = await c.readTasks(apolloId());
    for (const gone of ['Backend', 'API', 'Design API contract', 'Implement endpoints', 'Go-live']) expect(names(after)).not.toContain(gone);
    expect(byName(after, 'Data migration')).toMatchObject({ parentId: byName(before, 'Build').id, outlineLevel: 2 });
    expect(byName(after, 'UAT').parentId).toBe(byName(before, 'Launch').id);
    expect(after.find((t) => t.id === newId)).toMatchObject({ name: 'Hypercare', parentId: byName(before, 'Launch').id, outlinePosition: '3.2' });
  });

  it('forces a check-in when the cycle fails, and publishes no deletion', async () => {
    const c = connector();
    const goLive = byName(await c.readTasks(apolloId()), 'Go-live');
    sim.failNextJob({ messageType: 24, error: 'ProjectPublishFailure' });
    const err = await failure(c.applyChanges({ projectId: apolloId(), creates: [], updates: [], deletes: [goLive.id] }));
    expect(err.code).toBe('queue-failed');
    expect(err.details.forcedCheckIn).toBe(true);
    expect(names(await c.readTasks(apolloId()))).toContain('Go-live');
    expect((await c.getProject(apolloId())).checkedOut).toBe(false);
  });

  it('forces a check-in when the delete call itself keeps failing', async () => {
    const c = connector();
    const goLive = byName(await c.readTasks(apolloId()), 'Go-live');
    sim.injectFault({ status: 503, count: 10, retryAfter: '0', pathIncludes: 'deleteObject' });
    const err = await failure(c.applyChanges({ projectId: apolloId(), creates: [], updates: [], deletes: [goLive.id] }));
    expect(err.code).toBe('throttled');
    expect(err.details.forcedCheckIn).toBe(true);
    expect(err.message).toMatch(/checked in again/);
    expect(names(await c.readTasks(apolloId()))).toContain('Go-live');
    expect(sim.state.projects.find((p) => p.Id === apolloId())!.checkout).toBeNull();
  });
});

describe('PWA delete guard', () => {
  it('does not take a 404 for a delete while the task is still in the draft', async () => {
    // A server that does not know the call answers 404 too; only a confirmed absence counts as deleted.
    const calls: string[] = [];
    const client = {
      post: async (path: string) => {
        calls.push(`POST ${path}`);
        if (path.endsWith('/deleteObject()')) throw new PlanConnectorError('server-error', 'Cannot find resource for the request deleteObject.', { status: 404 });
        return path.includes('checkIn') ? { Id: 'job', JobState: 4 } : {};
      },
      get: async (path: string) => { calls.push(`GET ${path}`); return { Id: 'still-here' }; },
    } as unknown as PwaClient;
    const ctx: WriteContext = {
      client,
      project: { id: 'p1', name: 'Apollo', start: null, finish: null, lastPublished: null, archived: false, checkedOut: false, checkedOutBy: null, minutesPerDay: 480 },
      taskFields: [], blockedRetries: 0,
      polling: { pollIntervalMs: 1, timeoutMs: 1000, sleep: async () => undefined },
    };
    const err = await failure(applyChangeSet(ctx, { projectId: 'p1', creates: [], updates: [], deletes: ['t1'] }));
    expect(err.details).toMatchObject({ status: 404, forcedCheckIn: true });
    expect(calls).toEqual([
      "POST ProjectServer/Projects('p1')/checkOut",
      "POST ProjectServer/Projects('p1')/Draft/Tasks('t1')/deleteObject()",
      "GET ProjectServer/Projects('p1')/Draft/Tasks('t1')",
      "POST ProjectServer/Projects('p1')/Draft/checkIn(true)",
    ]);
  });
});
