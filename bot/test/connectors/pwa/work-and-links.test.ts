import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import type { PlanTask } from '../../../src/connectors/ppm.js';
import { connectorFor } from './harness.js';

/**
 * A plan in flight ("Orion Network Upgrade": timesheet actuals, dependencies, milestones, a
 * deadline, an inactive and a fixed-work task), read as Project holds it, in both JSON formats.
 */
describe.each(['nometadata', 'verbose'] as const)('the PWA connector reads what Project holds (%s)', (format) => {
  let sim: PwaSimulator;
  let tasks: Map<string, PlanTask>;
  let projectId: string;
  const connector = () => connectorFor(sim, 'onprem', format);

  beforeAll(async () => {
    sim = await startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'orion' });
    projectId = (await connector().findProjects('Orion Network Upgrade'))[0]!.project.id;
    tasks = new Map((await connector().readTasks(projectId)).map((t) => [t.name, t]));
  });
  afterAll(async () => sim?.close());

  it('reads actual and remaining work as reported, not as Work × % complete', () => {
    const switches = tasks.get('Install core switches')!;
    expect(switches).toMatchObject({ workMinutes: 96 * 60, actualWorkMinutes: 36 * 60, remainingWorkMinutes: 60 * 60, percentComplete: 40 });
    expect(switches.actualWorkMinutes).not.toBe(Math.round(switches.workMinutes * 0.4));
    expect(switches.assignments.map((a) => [a.resourceName, a.workMinutes / 60, a.actualWorkMinutes / 60, a.remainingWorkMinutes / 60]))
      .toEqual(expect.arrayContaining([['Erin Park', 48, 30, 18], ['Gus Olsen', 48, 6, 42]]));
    for (const t of tasks.values()) expect(t.actualWorkMinutes + t.remainingWorkMinutes, t.name).toBe(t.workMinutes);
  });

  it('reads each dependency with its kind, on the successor', () => {
    const id = (name: string) => tasks.get(name)!.id;
    expect(tasks.get('Install core switches')!.predecessors).toEqual([{ predecessorId: id('Order hardware'), kind: 'finish-to-start' }]);
    expect(tasks.get('Configure VLANs')!.predecessors).toEqual([{ predecessorId: id('Install core switches'), kind: 'start-to-start' }]);
    expect(tasks.get('Cutover weekend')!.predecessors).toEqual([{ predecessorId: id('Configure VLANs'), kind: 'finish-to-finish' }]);
    expect(tasks.get('Site survey')!.predecessors).toEqual([]);
  });

  it('reads milestones, deadlines, inactive and fixed-work tasks', () => {
    expect(tasks.get('Design sign-off')).toMatchObject({ isMilestone: true, deadline: '2026-02-13T17:00:00', workMinutes: 0 });
    expect(tasks.get('Install core switches')).toMatchObject({ isMilestone: false, deadline: null, isActive: true, taskType: 'fixed-units' });
    expect(tasks.get('Legacy firewall migration')!.isActive).toBe(false);
    expect(tasks.get('Order hardware')!.taskType).toBe('fixed-work');
    // Fractional seconds in Modified do not break dates.
    expect(tasks.get('Install core switches')!.modified).toBe('2026-02-24T18:02:51');
  });

  it('lists the project team with e-mail addresses, and a generic role without one', async () => {
    const team = await connector().listResources(projectId);
    expect(team.find((r) => r.name === 'Erin Park')).toMatchObject({ email: 'erin@contoso.example', isGeneric: false });
    expect(team.find((r) => r.name === 'Procurement Officer')).toMatchObject({ email: null, isGeneric: true });
    const onAssignments = tasks.get('Install core switches')!.assignments.find((a) => a.resourceName === 'Erin Park')!;
    expect(onAssignments.resourceEmail).toBe('erin@contoso.example');
  });

  it('gives a task a new version when any value read changes, even within the same second as the last publish', async () => {
    const before = tasks.get('Configure VLANs')!;
    const project = sim.state.projects.find((p) => p.Id === projectId)!;
    const raw = project.tasks.find((t) => t.Id === before.id)!;
    raw.Notes = 'Changed without touching Modified';
    const after = (await connector().readTasks(projectId)).find((t) => t.id === before.id)!;
    expect(after.modified).toBe(before.modified);
    expect(after.version).not.toBe(before.version);
    raw.Notes = before.notes;
  });
});
