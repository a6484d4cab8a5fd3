import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DATAVERSE_DEMO_CREDENTIALS, SEED_IDS, type DataverseSimulator } from '../../../../sim/dataverse/server.js';
import { OPERATIONS_PER_SET } from '../../../src/connectors/planner/limits.js';
import type { NewPlanTask } from '../../../src/connectors/ppm.js';
import { failure, plannerFor, startSim } from './harness.js';

/** The limits and failures of Planner premium: 200 operations per set, the licence, 429s, failed and abandoned sets. */
describe('Planner premium connector limits and failures', () => {
  let sim: DataverseSimulator;
  beforeAll(async () => { sim = await startSim(); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); sim.setExecutionDelay(0); sim.setLatency(0); });

  const P = SEED_IDS.atlas;
  const count = (path: string): number => sim.requests.filter((r) => r.path.endsWith(path)).length;
  const tasksOf = (projectId: string) => sim.state.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === projectId);
  const creates = (n: number, name = 'Task'): NewPlanTask[] => Array.from({ length: n }, (_, i) => ({ id: randomUUID(), parentId: null, name: `${name} ${i + 1}` }));

  it(`splits 450 creates into ceil(450/${OPERATIONS_PER_SET}) = 3 operation sets, run in order`, async () => {
    const result = await plannerFor(sim).applyChanges({ projectId: P, creates: creates(450), updates: [] });
    expect(result.created).toHaveLength(450);
    expect(result.jobs.map((j) => j.state)).toEqual(['Completed', 'Completed', 'Completed']);
    expect(count('/msdyn_CreateOperationSetV1')).toBe(3);
    expect(count('/msdyn_ExecuteOperationSetV1')).toBe(3);
    // Queued by the list action, at most ENTITIES_PER_REQUEST a request: 200 + 200 + 50.
    expect(count('/msdyn_PssCreateV1')).toBe(0);
    expect(count('/msdyn_PssCreateV2')).toBe(4 + 4 + 1);
    expect(tasksOf(P)).toHaveLength(450);
    const sets = sim.state.list('msdyn_operationset').map((s) => String(s.msdyn_description));
    expect(sets).toEqual([1, 2, 3].map((i) => `PlanBridge: 450 new, 0 changed, 0 deleted (${i} of 3)`));
  });

  it('keeps a create and its progress update in the same set across the 200 boundary', async () => {
    const batch = creates(199).concat([{ id: randomUUID(), parentId: null, name: 'Started', percentComplete: 30, workMinutes: 600 }]);
    const result = await plannerFor(sim).applyChanges({ projectId: P, creates: batch, updates: [] });
    expect(result.jobs).toHaveLength(2);
    const details = sim.state.list('msdyn_operationsetdetail');
    const perSet = new Map<string, number>();
    for (const d of details) perSet.set(String(d._msdyn_operationset_value), (perSet.get(String(d._msdyn_operationset_value)) ?? 0) + 1);
    expect([...perSet.values()]).toEqual([199, 2]);
    expect(tasksOf(P).find((t) => t.msdyn_subject === 'Started')).toMatchObject({ msdyn_progress: 0.3, msdyn_effortcompleted: 3 });
  });

  it('an unlicensed user\'s write is refused with a message naming the Project licence, and nothing is written', async () => {
    const connector = plannerFor(sim, { getAccessToken: async () => DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken, account: DATAVERSE_DEMO_CREDENTIALS.unlicensedAccount });
    const err = await failure(connector.applyChanges({ projectId: P, creates: creates(1), updates: [] }));
    expect(err).toMatchObject({ code: 'not-licensed', needsAttention: true, details: { serverCode: 'E_OPERATION_BLOCKED_BY_LICENSE' } });
    expect(err.message).toMatch(/Microsoft Project licence.*viewer@.*connect planner/);
    expect(tasksOf(P)).toHaveLength(0);
  });

  it('honours Retry-After on a 429 and pauses every request of the connection', async () => {
    // The connection's gate waits out the pause (the recorded sleeps do not move its clock, so each
    // half gets its own connector); what it waits is what is left of the Retry-After.
    const asked = (ms: number) => (wait: number) => wait <= ms && wait > ms - 100;
    const reader = plannerFor(sim);
    sim.injectFault({ kind: 'requests', retryAfter: 7, count: 1, pathIncludes: 'msdyn_projecttasks' });
    const tasks = await reader.readTasks(SEED_IDS.apollo);
    expect(tasks).toHaveLength(16);
    expect(reader.waits.some(asked(7000))).toBe(true);
    const writer = plannerFor(sim);
    sim.injectFault({ kind: 'concurrency', retryAfter: 1, count: 1, method: 'POST' });
    await writer.applyChanges({ projectId: P, creates: creates(1), updates: [] });
    expect(writer.waits.some(asked(1000))).toBe(true);
    expect(tasksOf(P)).toHaveLength(1);
  });

  it('a 429 that does not clear after the retries is "throttled"; a Retry-After over the cap gives up at once', async () => {
    sim.injectFault({ kind: 'execution-time', retryAfter: 1, count: 10 });
    const err = await failure(plannerFor(sim).listProjects());
    expect(err).toMatchObject({ code: 'throttled', details: { status: 429 } });
    expect(err.message).toMatch(/throttling/);
    sim.reset();
    sim.injectFault({ kind: 'requests', retryAfter: 300, count: 1 });
    const capped = plannerFor(sim);
    expect((await failure(capped.listProjects())).code).toBe('throttled');
    expect(capped.waits).toEqual([]);
  });

  it('an operation set that fails halfway leaves nothing applied, and the error names the task it failed at', async () => {
    sim.failNextExecution({ afterOperations: 2 });
    const batch = creates(4, 'Crate');
    const err = await failure(plannerFor(sim).applyChanges({ projectId: P, creates: batch, updates: [] }));
    expect(err).toMatchObject({ code: 'queue-failed', details: { jobState: 'failed', serverCode: 'E_BATCHFAILED' } });
    expect(err.message).toMatch(/at "Crate 3".*Nothing of this batch was saved/);
    expect(tasksOf(P)).toHaveLength(0);
  });

  it('a value the scheduling service refuses at execution fails the set, naming the task', async () => {
    const batch = [...creates(2, 'Fine'), { id: randomUUID(), parentId: null, name: 'Too early', start: '1999-06-01T09:00:00', finish: '1999-06-02T17:00:00' }];
    const err = await failure(plannerFor(sim).applyChanges({ projectId: P, creates: batch, updates: [] }));
    expect(err.message).toMatch(/at "Too early".*2000-01-01/);
    expect(tasksOf(P)).toHaveLength(0);
  });

  it('when a later set fails, the error says the earlier sets were saved, and a rerun finds them and carries on', async () => {
    const batch = creates(250);
    let scripted = false;
    const connector = plannerFor(sim, {
      // Scripts the failure for the second set: the first request after the first set completed.
      getAccessToken: async () => {
        if (!scripted && sim.state.list('msdyn_operationset').some((s) => s.msdyn_status === 192350003)) {
          scripted = true;
          sim.failNextExecution({ afterOperations: 10 });
        }
        return DATAVERSE_DEMO_CREDENTIALS.bearerToken;
      },
    });
    const err = await failure(connector.applyChanges({ projectId: P, creates: batch, updates: [] }));
    expect(err.message).toMatch(/The 200 changes of the 1 operation set before it were saved/);
    expect(tasksOf(P)).toHaveLength(200);
    const rerun = await plannerFor(sim).applyChanges({ projectId: P, creates: batch, updates: [] });
    expect(rerun.created).toHaveLength(250);
    expect(rerun.jobs).toHaveLength(1);
    expect(tasksOf(P)).toHaveLength(250);
  });

  it('a send that fails while queueing abandons the open set, so no set is left open', async () => {
    sim.injectFault({ kind: 'reset', count: 1, pathIncludes: 'msdyn_PssCreateV2' });
    const err = await failure(plannerFor(sim).applyChanges({ projectId: P, creates: creates(3, 'Box'), updates: [] }));
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/did not take "Box 1" and 2 other changes.*abandoned/);
    expect(count('/msdyn_AbandonOperationSetV1')).toBe(1);
    const statuses = sim.state.list('msdyn_operationset').map((s) => s.msdyn_status);
    expect(statuses).toEqual([192350004]);
    expect(tasksOf(P)).toHaveLength(0);
  });

  it('no answer to Execute is never resent: the error says the changes may have been saved', async () => {
    sim.injectFault({ kind: 'reset', count: 1, pathIncludes: 'msdyn_ExecuteOperationSetV1' });
    const err = await failure(plannerFor(sim).applyChanges({ projectId: P, creates: creates(1), updates: [] }));
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/may or may not have been saved.*syncing again finds/);
    expect(count('/msdyn_ExecuteOperationSetV1')).toBe(1);
  });

  it('an unreadable answer to Execute (a proxy\'s sign-in page) is treated as no answer: never resent, and the error says the changes may have been saved', async () => {
    sim.injectFault({ kind: 'proxy-page', count: 1, pathIncludes: 'msdyn_ExecuteOperationSetV1' });
    const err = await failure(plannerFor(sim).applyChanges({ projectId: P, creates: creates(1), updates: [] }));
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/answered 200 with text\/html; charset=utf-8 instead of JSON.*may or may not have been saved.*syncing again finds/);
    expect(count('/msdyn_ExecuteOperationSetV1')).toBe(1);
  });

  it('an unreadable answer to a read names the environment URL to check', async () => {
    sim.injectFault({ kind: 'proxy-page', count: 1, pathIncludes: 'msdyn_projects' });
    const err = await failure(plannerFor(sim).listProjects());
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain(`The Dataverse environment at ${sim.url} answered 200 with text/html; charset=utf-8 instead of JSON`);
    expect(err.message).not.toMatch(/may have been made/);
  });

  it('reads Failed by its label whichever code the tenant uses for it', async () => {
    const other = await startSim({ failedStatus: 192350004 });
    try {
      other.failNextExecution({});
      const err = await failure(plannerFor(other).applyChanges({ projectId: P, creates: creates(2), updates: [] }));
      expect(err.details.jobState).toBe('failed');
    } finally {
      await other.close();
    }
  });

  it('gives up polling after the timeout with a message that the set may still finish', async () => {
    sim.setExecutionDelay(5_000);
    const err = await failure(plannerFor(sim, { operationSetTimeoutMs: 30 }).applyChanges({ projectId: P, creates: creates(1), updates: [] }));
    expect(err.code).toBe('queue-timeout');
    expect(err.message).toMatch(/may still finish/);
  });

  it('keeps requests in flight under the connection\'s cap', async () => {
    sim.setLatency(20);
    const connector = plannerFor(sim, { maxInFlight: 2, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    await connector.readTasks(SEED_IDS.apollo);
    expect(connector.client.gate.peakInFlight).toBe(2);
  });
});
