import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORION } from '../seed-orion.js';
import { startPwaSimulator, type PwaSimulator } from '../server.js';
import { NOMETA, client } from './support/probe.js';

/** Work fields, dependencies and resources as the connector reads them, and draft writes recomputed as Project does. */

const hours = (text: string): number => Number(text.replace(/h$/, ''));

describe('PWA simulator: work, dependencies and resources', () => {
  let sim: PwaSimulator;
  let http: ReturnType<typeof client>;
  beforeAll(async () => { sim = await startPwaSimulator({ queueJobMs: 0, seed: 'orion' }); http = client(sim); });
  afterAll(async () => { await sim.close(); });
  beforeEach(() => sim.reset());

  const orion = () => sim.state.projects.find((p) => p.Name === ORION)!;
  const task = (name: string) => orion().tasks.find((t) => t.Name === name)!;
  const P = () => `Projects('${orion().Id}')`;
  const readTask = async (name: string, draft = false) =>
    (await http.get(`${P()}/${draft ? 'Draft/' : ''}Tasks('${task(name).Id}')?$select=Work,ActualWork,RemainingWork,PercentComplete,PercentWorkComplete`, NOMETA)).body;

  it('keeps Work = ActualWork + RemainingWork on every task and assignment, with timesheet actuals apart from Work x %', async () => {
    const tasks = (await http.get(`${P()}/Tasks?$select=Name,Work,ActualWork,RemainingWork,PercentComplete,PercentWorkComplete,IsActive,TaskType,Deadline,Assignments/Work,Assignments/ActualWork,Assignments/RemainingWork&$expand=Assignments`, NOMETA)).body.value;
    for (const t of [...tasks, ...tasks.flatMap((x: any) => x.Assignments)]) {
      expect(hours(t.Work)).toBeCloseTo(hours(t.ActualWork) + hours(t.RemainingWork));
    }
    const install = tasks.find((t: any) => t.Name === 'Install core switches');
    expect(install).toMatchObject({ Work: '96h', ActualWork: '36h', RemainingWork: '60h', PercentComplete: 40, PercentWorkComplete: 38 });
    expect(tasks.find((t: any) => t.Name === 'Order hardware').TaskType).toBe(2);
    expect(tasks.find((t: any) => t.Name === 'Legacy firewall migration').IsActive).toBe(false);
    expect(tasks.find((t: any) => t.Name === 'Go-live').Deadline).toBe('2026-03-06T17:00:00');
    // The inactive task's 24h stay out of Rollout's roll-up: 16 + 96 + 32 + 16.
    expect(tasks.find((t: any) => t.Name === 'Rollout')).toMatchObject({ Work: '160h', ActualWork: '52h' });
  });

  it('gives the existing demo plans actual work of Work x % complete, leaving their values as they were', async () => {
    const apollo = sim.state.projects.find((p) => p.Name === 'Apollo')!;
    const fr = apollo.tasks.find((t) => t.Name === 'Functional requirements')!;
    expect([fr.WorkMinutes, fr.PercentComplete, fr.ActualWorkMinutes]).toEqual([80 * 60, 60, 48 * 60]);
  });

  it('serves predecessors and successors with their link type and lag, and the project TaskLinks', async () => {
    const preds = (await http.get(`${P()}/Tasks('${task('Install core switches').Id}')/Predecessors?$expand=Start&$select=DependencyType,LinkLag,LinkLagDuration,Start/Name`, NOMETA)).body.value;
    expect(preds).toEqual([{ DependencyType: 1, LinkLag: 9600, LinkLagDuration: '2d', Start: { Name: 'Order hardware' } }]);
    const succs = (await http.get(`${P()}/Tasks('${task('Install core switches').Id}')/Successors?$select=DependencyType,LinkLagDuration`, NOMETA)).body.value;
    expect(succs).toEqual([{ DependencyType: 3, LinkLagDuration: '1d' }]);
    const links = (await http.get(`${P()}/TaskLinks`, NOMETA)).body.value;
    expect(links.map((l: any) => l.DependencyType).sort()).toEqual([0, 1, 1, 1, 1, 1, 3]);
  });

  it('serves project resources, project assignments and enterprise resources', async () => {
    const team = (await http.get(`${P()}/ProjectResources?$select=Name,Email,Work,ActualWork,IsGenericResource`, NOMETA)).body.value;
    expect(team.find((r: any) => r.Name === 'Procurement Officer')).toEqual({ Name: 'Procurement Officer', Email: null, Work: '16h', ActualWork: '16h', IsGenericResource: true });
    const assignments = (await http.get(`${P()}/Assignments?$expand=Resource,Task&$select=Work,ActualWork,Resource/Name,Task/Name`, NOMETA)).body.value;
    expect(assignments).toContainEqual({ Work: '48h', ActualWork: '30h', Resource: { Name: 'Erin Park' }, Task: { Name: 'Install core switches' } });
    expect((await http.get('EnterpriseResources', NOMETA)).body.value.length).toBe(sim.state.resources.length);
  });

  it('recomputes the other work fields on draft writes, as Project does', async () => {
    await http.post(`${P()}/checkOut`);
    const url = `${P()}/Draft/Tasks('${task('Configure VLANs').Id}')`;
    expect((await http.patch(url, { PercentComplete: 25 })).status).toBe(204);
    expect(await readTask('Configure VLANs', true)).toEqual({ Work: '32h', ActualWork: '8h', RemainingWork: '24h', PercentComplete: 25, PercentWorkComplete: 25 });
    await http.patch(url, { ActualWork: '16h' });
    expect(await readTask('Configure VLANs', true)).toEqual({ Work: '32h', ActualWork: '16h', RemainingWork: '16h', PercentComplete: 50, PercentWorkComplete: 50 });
    await http.patch(url, { RemainingWork: '48h' });
    expect(await readTask('Configure VLANs', true)).toEqual({ Work: '64h', ActualWork: '16h', RemainingWork: '48h', PercentComplete: 25, PercentWorkComplete: 25 });
    await http.patch(url, { Work: '8h' });
    expect(await readTask('Configure VLANs', true)).toEqual({ Work: '16h', ActualWork: '16h', RemainingWork: '0h', PercentComplete: 25, PercentWorkComplete: 100 });
  });

  it('drops a deleted task\'s links and publishes draft links', async () => {
    await http.post(`${P()}/checkOut`);
    await http.post(`${P()}/Draft/Tasks('${task('Cutover weekend').Id}')/deleteObject()`);
    expect((await http.get(`${P()}/Draft/TaskLinks`, NOMETA)).body.value).toHaveLength(5);
    expect((await http.get(`${P()}/TaskLinks`, NOMETA)).body.value).toHaveLength(7);
    await http.post(`${P()}/Draft/publish(true)`);
    expect((await http.get(`${P()}/TaskLinks`, NOMETA)).body.value).toHaveLength(5);
  });

  it('serves calendars and task custom fields through IncludeCustomFields', async () => {
    const calendars = (await http.get('Calendars?$expand=BaseCalendarExceptions&$select=Name,BaseCalendarExceptions/Name', NOMETA)).body.value;
    expect(calendars[0].Name).toBe('Standard');
    const tasks = (await http.get(`${P()}/IncludeCustomFields/Tasks?$select=Name`, NOMETA)).body.value;
    expect(tasks.length).toBe(orion().tasks.length);
    expect(Object.keys((await http.get(`${P()}/IncludeCustomFields/Tasks('${task('Install core switches').Id}')`, NOMETA)).body).filter((k) => k.startsWith('Custom_x005f_'))).toHaveLength(2);
  });
});
