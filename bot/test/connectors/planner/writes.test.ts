import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS, type DataverseSimulator } from '../../../../sim/dataverse/server.js';
import type { PlanTask } from '../../../src/connectors/ppm.js';
import { failure, plannerFor, startSim } from './harness.js';

/** Writes through operation sets only: creates, updates, deletes, what is never sent, and the checks before sending. */
describe('Planner premium connector writes', () => {
  let sim: DataverseSimulator;
  beforeAll(async () => { sim = await startSim(); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });

  const P = SEED_IDS.atlas;
  const T = SEED_IDS.apolloTask;
  const read = async (projectId: string, id: string, zone = 'UTC'): Promise<PlanTask | undefined> =>
    (await plannerFor(sim, { timeZone: zone }).readTasks(projectId)).find((t) => t.id === id);
  const row = (id: string) => sim.state.get('msdyn_projecttask', id);
  const actions = (): string[] => sim.requests.filter((r) => r.method !== 'GET').map((r) => r.path.replace('/api/data/v9.2/', ''));

  it('creates a tree through one operation set: parents first, client-chosen ids, progress by an update in the same set', async () => {
    const [epic, story] = [randomUUID(), randomUUID()];
    const result = await plannerFor(sim).applyChanges({
      projectId: P,
      creates: [
        { id: story, parentId: epic, name: 'Pack boxes', start: '2027-03-01T09:00:00', finish: '2027-03-03T17:00:00', workMinutes: 16 * 60, percentComplete: 25, notes: 'Fragile <glass> & china' },
        { id: epic, parentId: null, name: 'Move out', workMinutes: 99 * 60, percentComplete: 10 },
      ],
      updates: [],
    });
    expect(result).toMatchObject({ created: [epic, story], updated: [], deleted: [], jobs: [{ step: 'operationSet', state: 'Completed' }] });
    expect(actions()).toEqual(['msdyn_CreateOperationSetV1', 'msdyn_PssCreateV2', 'msdyn_PssUpdateV2', 'msdyn_ExecuteOperationSetV1']);
    const child = (await read(P, story))!;
    expect(child).toMatchObject({
      parentId: epic, name: 'Pack boxes', start: '2027-03-01T09:00:00', finish: '2027-03-03T17:00:00',
      workMinutes: 960, percentComplete: 25, actualWorkMinutes: 240, remainingWorkMinutes: 720, notes: 'Fragile <glass> & china',
      customFields: { Bucket: 'Bucket 1', Priority: 'Medium' },
    });
    // The summary's effort and progress were never sent: they roll up from the child.
    expect(await read(P, epic)).toMatchObject({ isSummary: true, workMinutes: 960, percentComplete: 25 });
    const payloads = sim.state.list('msdyn_operationsetdetail').map((d) => JSON.parse(String(d.msdyn_cdspayload)));
    expect(payloads.find((p) => p.msdyn_projecttaskid === epic && p.msdyn_subject)).not.toHaveProperty('msdyn_effort');
  });

  it('writes dates as the UTC instants of the connection\'s zone, and reads them back unshifted', async () => {
    const id = randomUUID();
    await plannerFor(sim, { timeZone: 'Pacific/Auckland' }).applyChanges({ projectId: P, creates: [{ id, parentId: null, name: 'Keys handover', start: '2027-03-01T08:00:00', finish: '2027-03-02T17:00:00' }], updates: [] });
    // 08:00 on 1 March in Auckland (UTC+13) is 19:00Z on 28 February.
    expect(row(id)).toMatchObject({ msdyn_start: '2027-02-28T19:00:00Z', msdyn_finish: '2027-03-02T04:00:00Z' });
    expect(await read(P, id, 'Pacific/Auckland')).toMatchObject({ start: '2027-03-01T08:00:00', finish: '2027-03-02T17:00:00' });
  });

  it('a rerun of the same creates finds the tasks by id and sends nothing', async () => {
    const id = randomUUID();
    const changes = { projectId: P, creates: [{ id, parentId: null, name: 'Once' }], updates: [] };
    await plannerFor(sim).applyChanges(changes);
    sim.clearRequests();
    expect((await plannerFor(sim).applyChanges(changes)).created).toEqual([id]);
    expect(actions()).toEqual([]);
    expect(sim.state.list('msdyn_projecttask').filter((t) => t.msdyn_subject === 'Once')).toHaveLength(1);
  });

  it('updates name, notes, dates, effort, progress, bucket, sprint and priority; a summary gets only what it may', async () => {
    const connector = plannerFor(sim);
    const before = (await read(SEED_IDS.apollo, T('2.1.2')))!;
    const result = await connector.applyChanges({
      projectId: SEED_IDS.apollo, creates: [],
      updates: [
        { id: T('2.1.2'), expectedVersion: before.version, name: 'CI/CD pipelines v2', notes: 'GitHub Actions', finish: '2026-11-30T17:00:00', workMinutes: 40 * 60, percentComplete: 50, customFields: { Bucket: 'Migration', Sprint: 'Sprint 3', Priority: 'Urgent' } },
        { id: T('2.1'), name: 'Platform', start: '2020-01-01T09:00:00', workMinutes: 1, percentComplete: 99 },
      ],
    });
    expect(result.updated).toEqual([T('2.1.2'), T('2.1')]);
    expect(await read(SEED_IDS.apollo, T('2.1.2'))).toMatchObject({
      name: 'CI/CD pipelines v2', notes: 'GitHub Actions', start: '2026-11-23T09:00:00', finish: '2026-11-30T17:00:00',
      workMinutes: 2400, percentComplete: 50, actualWorkMinutes: 1200, remainingWorkMinutes: 1200,
      customFields: { Bucket: 'Migration', Sprint: 'Sprint 3', Priority: 'Urgent' },
    });
    const summary = (await read(SEED_IDS.apollo, T('2.1')))!;
    expect(summary).toMatchObject({ name: 'Platform', start: '2026-11-16T09:00:00', workMinutes: (40 + 40) * 60 });
  });

  it('moves a task under another parent; back to the top level is refused before anything is sent', async () => {
    const connector = plannerFor(sim);
    await connector.applyChanges({ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: T('3.1'), parentId: T('2.2') }] });
    expect(row(T('3.1'))!._msdyn_parenttask_value).toBe(T('2.2'));
    sim.clearRequests();
    const err = await failure(connector.applyChanges({ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: T('3.1'), parentId: null }] }));
    expect(err.code).toBe('invalid-request');
    expect(err.message).toMatch(/"Production cutover" back to the top level/);
    expect(actions()).toEqual([]);
  });

  it('deletes after creates and updates; a gone task counts as deleted, a summary takes its subtasks', async () => {
    const connector = plannerFor(sim);
    const gone = randomUUID();
    const result = await connector.applyChanges({ projectId: SEED_IDS.apollo, creates: [], updates: [], deletes: [T('2.2'), T('2.2.1'), gone, T('2.2').toUpperCase()] });
    expect(result.deleted).toEqual([T('2.2'), T('2.2.1'), gone]);
    expect(actions().filter((a) => a === 'msdyn_PssDeleteV2')).toHaveLength(1);
    for (const id of [T('2.2'), T('2.2.1'), T('2.2.2')]) expect(row(id)).toBeUndefined();
    expect(sim.requests.every((r) => r.method === 'GET' || r.path.includes('msdyn_'))).toBe(true);
  });

  it('refuses a stale update: the version read before someone else\'s change no longer holds, and nothing is written', async () => {
    const connector = plannerFor(sim);
    const stale = (await read(SEED_IDS.apollo, T('1.2.1')))!.version;
    await connector.applyChanges({ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: T('1.2.1'), name: 'Someone else' }] });
    sim.clearRequests();
    const err = await failure(connector.applyChanges({ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: T('1.2.1'), expectedVersion: stale, name: 'Mine' }] }));
    expect(err.code).toBe('task-changed');
    expect(err.message).toMatch(/"Someone else" changed in Planner/);
    expect(actions()).toEqual([]);
    expect(row(T('1.2.1'))!.msdyn_subject).toBe('Someone else');
  });

  it('checks every value before sending: unknown fields, sprints and priorities, and deleted tasks fail with nothing sent', async () => {
    const connector = plannerFor(sim);
    const cases: Array<[Parameters<typeof connector.applyChanges>[0], string, RegExp]> = [
      [{ projectId: P, creates: [{ id: randomUUID(), parentId: null, name: 'X', customFields: { 'Risk Notes': 'high' } }], updates: [] }, 'field-missing', /no task field "Risk Notes"/],
      [{ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: T('1.1'), customFields: { Sprint: 'Sprint 9' } }] }, 'invalid-request', /no sprint "Sprint 9".*Sprint 1, Sprint 2/],
      [{ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: T('1.1'), customFields: { Priority: 'Whenever' } }] }, 'invalid-request', /not a Planner priority/],
      [{ projectId: SEED_IDS.apollo, creates: [], updates: [{ id: randomUUID(), name: 'Ghost' }] }, 'task-deleted', /not in the plan any more/],
    ];
    for (const [changes, code, message] of cases) {
      const err = await failure(connector.applyChanges(changes));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    }
    expect(actions()).toEqual([]);
  });

  it('a new bucket name becomes a bucket, created in the same set before the task', async () => {
    const id = randomUUID();
    await plannerFor(sim).applyChanges({ projectId: P, creates: [{ id, parentId: null, name: 'Book movers', customFields: { Bucket: 'Logistics' } }], updates: [] });
    expect((await read(P, id))!.customFields.Bucket).toBe('Logistics');
    expect(sim.state.list('msdyn_projectbucket').filter((b) => b._msdyn_project_value === P).map((b) => b.msdyn_name).sort()).toEqual(['Bucket 1', 'Logistics']);
  });

  it('never writes an inactive plan', async () => {
    sim.state.get('msdyn_project', P)!.statecode = 1;
    const err = await failure(plannerFor(sim).applyChanges({ projectId: P, creates: [{ id: randomUUID(), parentId: null, name: 'X' }], updates: [] }));
    expect(err.code).toBe('project-archived');
  });
});
