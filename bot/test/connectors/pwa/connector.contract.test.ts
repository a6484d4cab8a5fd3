import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PLANBRIDGE_FIELDS, type PlanTask } from '../../../src/connectors/ppm.js';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { MATRIX, connectorFor, failure } from './harness.js';

describe.each(MATRIX)('PWA connector contract (%s auth, %s JSON)', (authKind, format) => {
  let sim: PwaSimulator;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 20 }); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => { sim.reset(); sim.clearRequests(); });

  const connector = () => connectorFor(sim, authKind, format);
  const apolloId = () => sim.state.projects.find((p) => p.Name === 'Apollo')!.Id;
  const byName = (tasks: PlanTask[], name: string) => tasks.find((t) => t.name === name)!;

  it('lists the demo projects and flags the archived one', async () => {
    const projects = await connector().listProjects();
    expect(projects.map((p) => p.name)).toEqual(['Apollo', 'Apollo Rollout', 'Hermes Website Refresh', 'Legacy CRM Retirement']);
    expect(projects.find((p) => p.name === 'Legacy CRM Retirement')!.archived).toBe(true);
    expect(projects.find((p) => p.name === 'Apollo')).toMatchObject({ archived: false, checkedOut: false, minutesPerDay: 480, start: '2026-03-02T08:00:00' });
  });

  it('finds "project apollo" with the exact name first, then the longer one', async () => {
    const matches = await connector().findProjects('apollo');
    expect(matches.map((m) => [m.project.name, m.match])).toEqual([['Apollo', 'exact'], ['Apollo Rollout', 'prefix']]);
    expect((await connector().findProjects('rollout apollo')).map((m) => m.project.name)).toEqual(['Apollo Rollout']);
  });

  it('reads every task with hierarchy, units, assignments and lookup custom values', async () => {
    const tasks = await connector().readTasks(apolloId());
    expect(tasks).toHaveLength(sim.state.projects[0]!.tasks.length);
    const ids = new Map(tasks.map((t) => [t.id, t]));
    for (const t of tasks) {
      if (t.parentId === null) expect(t.outlineLevel).toBe(1);
      else expect(t.outlinePosition.startsWith(`${ids.get(t.parentId)!.outlinePosition}.`)).toBe(true);
    }
    expect(Math.max(...tasks.map((t) => t.outlineLevel))).toBe(4);
    const endpoints = byName(tasks, 'Implement endpoints');
    expect(endpoints).toMatchObject({ outlinePosition: '2.1.1.2', outlineLevel: 4, isSummary: false, durationMinutes: 8 * 480, workMinutes: 2 * 8 * 480, notes: 'Includes paging and retries.' });
    expect(endpoints.assignments.map((a) => a.resourceName).sort()).toEqual(['Bob Lee', 'Chen Wu']);
    expect(endpoints.customFields['Cost Center']).toEqual(['Engineering']);
    expect(byName(tasks, 'API')).toMatchObject({ isSummary: true, parentId: byName(tasks, 'Backend').id });
    expect(byName(tasks, 'Stakeholder interviews').customFields).toEqual({});
  });

  it('says clearly when a project does not exist', async () => {
    const err = await failure(connector().readTasks(randomUUID()));
    expect(err.code).toBe('project-not-found');
    expect(err.message).toMatch(/no project with id/);
  });

  it('verifies access: read, edit and field rights for the demo account', async () => {
    const report = await connector().verifyAccess(apolloId());
    expect(report).toMatchObject({ canRead: true, canEdit: true, canManageFields: true, missing: [] });
  });

  it('creates the PlanBridge fields, then verifies them as ok', async () => {
    const c = connector();
    expect((await c.verifyFields()).map((f) => f.status)).toEqual(PLANBRIDGE_FIELDS.map(() => 'missing'));
    const created = await c.createFields();
    expect(created.every((f) => f.status === 'ok')).toBe(true);
    const fields = await c.listFields();
    expect(fields.find((f) => f.name === 'Sync to ADO')).toMatchObject({ type: 'flag', entity: 'task' });
    expect(fields.find((f) => f.name === 'ADO Work Item ID')).toMatchObject({ type: 'number', entity: 'task' });
  });

  it('adds tasks under the right parent and updates fields and custom values in one cycle', async () => {
    const c = connector();
    await c.createFields();
    const before = await c.readTasks(apolloId());
    const build = byName(before, 'Build');
    const design = byName(before, 'Design API contract');
    const epicId = randomUUID();
    const storyId = randomUUID();
    const result = await c.applyChanges({
      projectId: apolloId(),
      creates: [
        // Child listed first: the connector must still create the parent first.
        { id: storyId, parentId: epicId, name: 'Mobile login', start: '2026-05-04T08:00:00', durationMinutes: 3 * 480, customFields: { 'Sync to ADO': true, 'ADO Work Item Type': 'User Story' } },
        { id: epicId, parentId: build.id, name: 'Mobile app', notes: 'From ADO' },
      ],
      updates: [{ id: design.id, name: 'Design API contract v2', percentComplete: 50, customFields: { 'ADO Work Item ID': 42, 'Cost Center': ['Marketing'] } }],
    });
    expect(result.created).toEqual([epicId, storyId]);
    expect(result.jobs.map((j) => [j.step, j.state])).toEqual([['update', 'Success'], ['publish', 'Success'], ['checkIn', 'Success']]);

    const after = await c.readTasks(apolloId());
    const epic = after.find((t) => t.id === epicId)!;
    const story = after.find((t) => t.id === storyId)!;
    expect(epic).toMatchObject({ parentId: build.id, isSummary: true, outlineLevel: 2, notes: 'From ADO' });
    expect(epic.outlinePosition).toBe(`${build.outlinePosition}.3`);
    expect(story).toMatchObject({ parentId: epicId, outlineLevel: 3, start: '2026-05-04T08:00:00', finish: '2026-05-06T17:00:00', durationMinutes: 1440 });
    expect(story.customFields).toMatchObject({ 'Sync to ADO': true, 'ADO Work Item Type': 'User Story' });
    expect(after.find((t) => t.id === design.id)).toMatchObject({ name: 'Design API contract v2', percentComplete: 50, customFields: { 'ADO Work Item ID': 42, 'Cost Center': ['Marketing'] } });
    expect((await c.getProject(apolloId())).checkedOut).toBe(false);
  });

  it('reports a project checked out by someone else and leaves their lock alone', async () => {
    sim.checkOutAs('Apollo');
    const c = connector();
    const tasks = await c.readTasks(apolloId());
    const err = await failure(c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: tasks[1]!.id, name: 'x' }] }));
    expect(err.code).toBe('checked-out');
    expect(err.details.checkedOutBy).toBe('demo\\other');
    expect(err.message).toContain('Apollo is checked out by demo\\other');
    expect(sim.state.projects[0]!.checkout?.user).toBe('demo\\other');
  });

  it('forces a check-in when a queue job fails, so the plan is not left locked', async () => {
    const c = connector();
    const tasks = await c.readTasks(apolloId());
    sim.failNextJob({ messageType: 24, error: 'ProjectPublishFailure' });
    const err = await failure(c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: tasks[1]!.id, name: 'Renamed' }] }));
    expect(err.code).toBe('queue-failed');
    expect(err.details).toMatchObject({ forcedCheckIn: true, jobState: 'Failed' });
    expect(err.message).toMatch(/checked in again/);
    const project = await c.getProject(apolloId());
    expect(project.checkedOut).toBe(false);
    expect((await c.readTasks(apolloId()))[1]!.name).toBe(tasks[1]!.name);
  });

  it('names a deleted task and still checks the project back in', async () => {
    const c = connector();
    const err = await failure(c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: randomUUID(), name: 'gone' }] }));
    expect(err.code).toBe('task-deleted');
    expect(err.details.forcedCheckIn).toBe(true);
    expect((await c.getProject(apolloId())).checkedOut).toBe(false);
  });

  it('refuses to edit an archived project before checking it out', async () => {
    const legacy = sim.state.projects.find((p) => p.Name === 'Legacy CRM Retirement')!;
    const err = await failure(connector().applyChanges({ projectId: legacy.Id, creates: [], updates: [{ id: legacy.tasks[0]!.Id, name: 'x' }] }));
    expect(err.code).toBe('project-archived');
    expect(sim.requests.some((r) => r.method === 'POST' && /\/checkOut$/i.test(r.path))).toBe(false);
  });

  it('rejects an unknown custom field before any check-out', async () => {
    const c = connector();
    const tasks = await c.readTasks(apolloId());
    const err = await failure(c.applyChanges({ projectId: apolloId(), creates: [], updates: [{ id: tasks[1]!.id, customFields: { 'No Such Field': 'x' } }] }));
    expect(err.code).toBe('field-missing');
    expect(sim.state.projects[0]!.checkout).toBeNull();
  });
});
