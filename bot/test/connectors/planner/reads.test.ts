import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATAVERSE_DEMO_CREDENTIALS, SEED_IDS, type DataverseSimulator } from '../../../../sim/dataverse/server.js';
import { PLANBRIDGE_FIELDS, type PlanTask } from '../../../src/connectors/ppm.js';
import { failure, plannerFor, startSim } from './harness.js';

/** The Planner premium connector's reads against sim/dataverse: access, projects, whole plans, paging, resources, fields. */
describe('Planner premium connector reads', () => {
  let sim: DataverseSimulator;
  beforeAll(async () => { sim = await startSim(); });
  afterAll(async () => { await sim.close(); });

  const T = SEED_IDS.apolloTask;
  const byId = (tasks: PlanTask[], id: string): PlanTask => tasks.find((t) => t.id === id)!;

  it('verifyAccess: WhoAmI, the licence and read access to every scheduling table', async () => {
    const report = await plannerFor(sim).verifyAccess(SEED_IDS.apollo);
    expect(report).toMatchObject({ canRead: true, canEdit: true, canManageFields: false, missing: [] });
    expect(report.warnings.join(' ')).toMatch(/no custom task fields/);
    const paths = sim.requests.map((r) => r.path);
    expect(paths.some((p) => p.includes('WhoAmI'))).toBe(true);
    expect(paths.some((p) => p.includes('RetrieveUserLicenseInfo'))).toBe(true);
    for (const set of ['msdyn_projecttasks', 'msdyn_projectbuckets', 'msdyn_projectsprints', 'msdyn_resourceassignments', 'msdyn_projectteams', 'msdyn_projecttaskdependencies']) {
      expect(paths.some((p) => p.includes(`/${set}?`)), set).toBe(true);
    }
  });

  it('verifyAccess names the missing licence for an unlicensed user, who can still read', async () => {
    const connector = plannerFor(sim, { getAccessToken: async () => DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken, account: DATAVERSE_DEMO_CREDENTIALS.unlicensedAccount });
    const report = await connector.verifyAccess();
    expect(report.canRead).toBe(true);
    expect(report.canEdit).toBe(false);
    expect(report.missing).toEqual([expect.stringMatching(/Microsoft Project licence.*viewer@/)]);
    const app = await plannerFor(sim, { getAccessToken: async () => DATAVERSE_DEMO_CREDENTIALS.applicationBearerToken }).verifyAccess();
    expect(app.canEdit).toBe(false);
  });

  it('a rejected token is auth-failed and marks the connection as needing attention', async () => {
    const err = await failure(plannerFor(sim, { getAccessToken: async () => 'expired-token' }).listProjects());
    expect(err).toMatchObject({ code: 'auth-failed', needsAttention: true });
    expect(err.message).toMatch(/401.*connect planner/);
  });

  it('lists, finds (ranked) and gets projects; an unknown id is project-not-found', async () => {
    const connector = plannerFor(sim);
    const projects = await connector.listProjects();
    expect(projects.map((p) => p.name)).toEqual(['Apollo Cloud', 'Atlas Office Move', 'Hermes Mobile App']);
    expect(projects[0]).toMatchObject({ id: SEED_IDS.apollo, archived: false, checkedOut: false, minutesPerDay: 480, start: '2026-11-02T09:00:00' });
    const found = await connector.findProjects('apollo');
    expect(found.map((m) => [m.project.name, m.match])).toEqual([['Apollo Cloud', 'prefix']]);
    expect((await connector.findProjects('office atlas')).map((m) => m.match)).toEqual(['words']);
    expect((await connector.getProject(SEED_IDS.hermes)).name).toBe('Hermes Mobile App');
    expect((await failure(connector.getProject('9f0c2a1e-0000-4000-8000-000000000000'))).code).toBe('project-not-found');
    expect((await failure(connector.getProject('not-a-guid'))).code).toBe('project-not-found');
  });

  it('reads every task with hierarchy, outline, effort, progress, bucket, sprint, priority, milestone, notes and dependencies', async () => {
    const tasks = await plannerFor(sim).readTasks(SEED_IDS.apollo);
    expect(tasks).toHaveLength(16);
    expect(tasks.map((t) => t.outlinePosition).slice(0, 6)).toEqual(['1', '1.1', '1.2', '1.2.1', '1.2.2', '1.3']);
    const cluster = byId(tasks, T('2.1.1'));
    expect(cluster).toMatchObject({
      parentId: T('2.1'), outlineLevel: 3, outlinePosition: '2.1.1', isSummary: false, name: 'Provision Kubernetes cluster',
      start: '2026-11-16T09:00:00', finish: '2026-11-20T17:00:00', durationMinutes: 5 * 480,
      workMinutes: 40 * 60, actualWorkMinutes: 16 * 60, remainingWorkMinutes: 24 * 60, percentComplete: 40,
      customFields: { Bucket: 'Platform', Sprint: 'Sprint 2', Priority: 'Important' },
      predecessors: [{ predecessorId: T('1.3'), kind: 'finish-to-start' }],
    });
    expect(byId(tasks, T('2'))).toMatchObject({ isSummary: true, parentId: null, outlineLevel: 1, workMinutes: (40 + 32 + 40 + 24) * 60 });
    expect(byId(tasks, T('1.3'))).toMatchObject({ isMilestone: true, workMinutes: 0 });
    expect(byId(tasks, T('1.1')).notes).toBe('Two half-day sessions with the platform and app teams.');
    expect(byId(tasks, T('3.1')).customFields.Priority).toBe('Urgent');
    for (const t of tasks) expect(t.version).toMatch(/^\d+~/);
  });

  it('reads assignments with the team members\' names and e-mails, and their share of the effort', async () => {
    const tasks = await plannerFor(sim).readTasks(SEED_IDS.apollo);
    const dryRun = byId(tasks, T('2.2.2'));
    expect(dryRun.assignments.map((a) => [a.resourceName, a.resourceEmail, a.workMinutes])).toEqual([
      ['Marcus Chen', 'marcus.chen@contoso.onmicrosoft.com', 12 * 60],
      ['Sofia Alvarez', 'sofia.alvarez@contoso.onmicrosoft.com', 12 * 60],
    ]);
    expect(dryRun.assignments[0]!.resourceId).toBe(SEED_IDS.apolloTeam('Marcus Chen'));
    expect(byId(tasks, T('2')).assignments).toEqual([]);
  });

  it('converts Dataverse\'s UTC instants to the connection\'s zone without shifting the day', async () => {
    const east = await plannerFor(sim, { timeZone: 'Pacific/Auckland' }).readTasks(SEED_IDS.apollo);
    // 09:00Z on 16 November is 22:00 the same day in Auckland (UTC+13), 17:00Z on 20 November 06:00 on the 21st.
    expect(byId(east, T('2.1.1'))).toMatchObject({ start: '2026-11-16T22:00:00', finish: '2026-11-21T06:00:00' });
    const west = await plannerFor(sim, { timeZone: 'America/Los_Angeles' }).readTasks(SEED_IDS.apollo);
    expect(byId(west, T('2.1.1'))).toMatchObject({ start: '2026-11-16T01:00:00', finish: '2026-11-20T09:00:00' });
  });

  it('follows every @odata.nextLink page with the same Prefer: odata.maxpagesize', async () => {
    const paged = plannerFor(sim, { pageSize: 3 });
    sim.clearRequests();
    const tasks = await paged.readTasks(SEED_IDS.apollo);
    const taskPages = sim.requests.filter((r) => r.path.startsWith('/api/data/v9.2/msdyn_projecttasks?'));
    expect(taskPages).toHaveLength(Math.ceil(16 / 3));
    expect(taskPages.slice(1).every((r) => r.path.includes('skiptoken'))).toBe(true);
    expect(tasks.map((t) => t.id)).toEqual((await plannerFor(sim).readTasks(SEED_IDS.apollo)).map((t) => t.id));
    expect((await paged.listProjects())).toHaveLength(3);
  });

  it('lists the project team as resources with e-mails', async () => {
    const resources = await plannerFor(sim).listResources(SEED_IDS.apollo);
    expect(resources.map((r) => [r.name, r.email, r.isGeneric]).sort()).toEqual([
      ['Marcus Chen', 'marcus.chen@contoso.onmicrosoft.com', false],
      ['Priya Natarajan', 'priya.natarajan@contoso.onmicrosoft.com', false],
      ['Sofia Alvarez', 'sofia.alvarez@contoso.onmicrosoft.com', false],
    ]);
    expect(await plannerFor(sim).listResources(SEED_IDS.atlas)).toEqual([]);
  });

  it('offers Bucket, Sprint and Priority as task fields, and says PlanBridge fields are not supported', async () => {
    const connector = plannerFor(sim);
    expect((await connector.listFields()).map((f) => [f.name, f.entity])).toEqual([['Bucket', 'task'], ['Sprint', 'task'], ['Priority', 'task']]);
    const checks = await connector.verifyFields();
    expect(checks.map((c) => c.name)).toEqual(PLANBRIDGE_FIELDS.map((f) => f.name));
    for (const c of checks) expect(c).toMatchObject({ status: 'missing', advice: expect.stringMatching(/Planner premium plans have no custom task fields/) });
    const err = await failure(connector.createFields());
    expect(err.code).toBe('invalid-request');
    expect(err.message).toMatch(/no custom task fields.*"Sync to ADO"/);
  });

  it('refuses an environment URL that is not one, and accepts a pasted Web API URL', async () => {
    expect(() => plannerFor(sim, { environmentUrl: 'contoso.crm.dynamics.com' })).toThrow(/not a Dataverse environment URL/);
    expect((await plannerFor(sim, { environmentUrl: `${sim.url}/api/data/v9.2/` }).listProjects())).toHaveLength(3);
  });
});

describe('Planner premium connector sign-in', () => {
  it('a token that cannot be renewed is auth-failed and needs attention, without a request sent', async () => {
    const sim = await startSim();
    try {
      const connector = plannerFor(sim, { getAccessToken: async () => { throw new Error('invalid_grant: AADSTS70008 refresh token expired'); } });
      const err = await failure(connector.listProjects());
      expect(err).toMatchObject({ code: 'auth-failed', needsAttention: true });
      expect(err.message).not.toMatch(/AADSTS/);
      expect(sim.requests).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });
});
