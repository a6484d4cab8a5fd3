import { createHash } from 'node:crypto';
import { rollUpProject } from './rollup.js';
import { Store, type Row } from './store.js';
import { ALL_USERS, ENVIRONMENT, LICENSED_USER, TEAM_USERS } from './users.js';

/**
 * The demo environment: "Apollo Cloud" (three levels, summary tasks, buckets, sprints, team,
 * assignments with effort, milestones, dependencies), "Hermes Mobile App" (small, one bucket, no
 * sprints) and "Atlas Office Move" (empty: a project and its default bucket, to create into).
 * GUIDs are stable (derived from a name) so tests and demos can hard-code them.
 */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(`planbridge-dataverse-sim/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const SEED_IDS = {
  apollo: stableGuid('project/apollo-cloud'),
  hermes: stableGuid('project/hermes-mobile-app'),
  atlas: stableGuid('project/atlas-office-move'),
  /** Apollo Cloud tasks by WBS id, e.g. `apolloTask('2.1.1')`. */
  apolloTask: (wbs: string) => stableGuid(`apollo/task/${wbs}`),
  apolloBucket: (name: string) => stableGuid(`apollo/bucket/${name}`),
  apolloSprint: (n: number) => stableGuid(`apollo/sprint/${n}`),
  apolloTeam: (name: string) => stableGuid(`apollo/team/${name}`),
  hermesTask: (wbs: string) => stableGuid(`hermes/task/${wbs}`),
  hermesBucket: stableGuid('hermes/bucket/1'),
  atlasBucket: stableGuid('atlas/bucket/1'),
} as const;

const at = (date: string, hour: number): string => `${date}T${String(hour).padStart(2, '0')}:00:00Z`;

interface TaskSeed {
  wbs: string;
  subject: string;
  /** Leaves only: start/finish dates (09:00 and 17:00), effort hours, progress 0..1. */
  start?: string;
  finish?: string;
  effort?: number;
  progress?: number;
  bucket?: string;
  sprint?: number;
  priority?: 1 | 3 | 5 | 9;
  who?: string[];
  milestone?: boolean;
  description?: string;
}

const APOLLO_TASKS: TaskSeed[] = [
  { wbs: '1', subject: 'Discovery and design' },
  { wbs: '1.1', subject: 'Requirements workshop', start: '2026-11-02', finish: '2026-11-04', effort: 24, progress: 1, bucket: 'Backlog', sprint: 1, who: ['Priya Natarajan'], description: '<div>Two half-day sessions with the platform and app teams.</div>' },
  { wbs: '1.2', subject: 'Architecture' },
  { wbs: '1.2.1', subject: 'Landing zone design', start: '2026-11-05', finish: '2026-11-10', effort: 32, progress: 0.75, bucket: 'Platform', sprint: 1, priority: 3, who: ['Marcus Chen'] },
  { wbs: '1.2.2', subject: 'Security review', start: '2026-11-11', finish: '2026-11-13', effort: 16, progress: 0.5, bucket: 'Platform', sprint: 1, priority: 1, who: ['Sofia Alvarez'] },
  { wbs: '1.3', subject: 'Design sign-off', start: '2026-11-13', finish: '2026-11-13', milestone: true, bucket: 'Backlog', sprint: 1 },
  { wbs: '2', subject: 'Build' },
  { wbs: '2.1', subject: 'Platform services' },
  { wbs: '2.1.1', subject: 'Provision Kubernetes cluster', start: '2026-11-16', finish: '2026-11-20', effort: 40, progress: 0.4, bucket: 'Platform', sprint: 2, priority: 3, who: ['Marcus Chen'] },
  { wbs: '2.1.2', subject: 'CI/CD pipelines', start: '2026-11-23', finish: '2026-11-27', effort: 32, progress: 0.25, bucket: 'Platform', sprint: 2, who: ['Priya Natarajan'] },
  { wbs: '2.2', subject: 'Data migration' },
  { wbs: '2.2.1', subject: 'Migration scripts', start: '2026-11-30', finish: '2026-12-04', effort: 40, progress: 0, bucket: 'Migration', sprint: 3, who: ['Sofia Alvarez'] },
  { wbs: '2.2.2', subject: 'Dry-run migration', start: '2026-12-07', finish: '2026-12-11', effort: 24, progress: 0, bucket: 'Migration', sprint: 3, priority: 3, who: ['Marcus Chen', 'Sofia Alvarez'] },
  { wbs: '3', subject: 'Launch' },
  { wbs: '3.1', subject: 'Production cutover', start: '2026-12-14', finish: '2026-12-16', effort: 16, progress: 0, bucket: 'Launch', sprint: 4, priority: 1, who: ['Marcus Chen'] },
  { wbs: '3.2', subject: 'Go-live', start: '2026-12-18', finish: '2026-12-18', milestone: true, bucket: 'Launch', sprint: 4 },
];

/** Finish-to-start links between leaves (a summary task can't be a dependency end [notes, 3P]). */
const APOLLO_LINKS: Array<[string, string]> = [['1.1', '1.2.1'], ['1.2.2', '1.3'], ['1.3', '2.1.1'], ['2.1.2', '2.2.1'], ['2.2.2', '3.1'], ['3.1', '3.2']];

const HERMES_TASKS: TaskSeed[] = [
  { wbs: '1', subject: 'App store listing', start: '2027-01-11', finish: '2027-01-12', effort: 8, progress: 0 },
  { wbs: '2', subject: 'Release 2.0' },
  { wbs: '2.1', subject: 'Offline mode', start: '2027-01-13', finish: '2027-01-22', effort: 64, progress: 0.1, priority: 3 },
  { wbs: '2.2', subject: 'Push notifications', start: '2027-01-18', finish: '2027-01-20', effort: 16, progress: 0 },
];

class Seeder {
  constructor(readonly store: Store) {}

  add(table: string, key: string, values: Row): Row {
    return this.store.insert(table, key, values, LICENSED_USER.systemuserid);
  }

  project(id: string, subject: string, start: string, description: string): void {
    this.add('msdyn_project', 'msdyn_projectid', {
      msdyn_projectid: id, msdyn_subject: subject, msdyn_description: description, msdyn_scheduledstart: at(start, 9),
      msdyn_start: at(start, 9), msdyn_finish: at(start, 9), msdyn_duration: 0, msdyn_effort: 0, msdyn_effortcompleted: 0,
      msdyn_effortremaining: 0, msdyn_progress: 0, _msdyn_projectmanager_value: LICENSED_USER.systemuserid,
    });
  }

  tasks(projectId: string, seeds: TaskSeed[], ids: (wbs: string) => string, bucket: (name: string | undefined) => string, sprint: (n: number | undefined) => string | null): void {
    seeds.forEach((s, i) => {
      const parent = s.wbs.includes('.') ? ids(s.wbs.slice(0, s.wbs.lastIndexOf('.'))) : null;
      const effort = s.effort ?? 0;
      const progress = s.progress ?? 0;
      const start = s.start ? at(s.start, s.milestone ? 17 : 9) : null;
      const finish = s.finish ? at(s.finish, 17) : null;
      this.add('msdyn_projecttask', 'msdyn_projecttaskid', {
        msdyn_projecttaskid: ids(s.wbs), msdyn_subject: s.subject, msdyn_description: s.description ?? null,
        _msdyn_project_value: projectId, _msdyn_parenttask_value: parent, msdyn_outlinelevel: s.wbs.split('.').length,
        msdyn_displaysequence: i + 1, msdyn_wbsid: s.wbs, msdyn_start: start, msdyn_finish: finish,
        msdyn_scheduledstart: start, msdyn_scheduledend: finish, msdyn_duration: 0,
        msdyn_effort: effort, msdyn_effortcompleted: effort * progress, msdyn_effortremaining: effort * (1 - progress), msdyn_progress: progress,
        _msdyn_projectbucket_value: bucket(s.bucket), _msdyn_projectsprint_value: sprint(s.sprint),
        msdyn_summary: false, msdyn_ismilestone: Boolean(s.milestone), msdyn_iscritical: false, msdyn_priority: s.priority ?? 5,
      });
    });
  }
}

function seedApollo(s: Seeder): void {
  const p = SEED_IDS.apollo;
  s.project(p, 'Apollo Cloud', '2026-11-02', 'Move the Apollo customer platform to Azure: landing zone, AKS, data migration and cutover.');
  for (const name of ['Backlog', 'Platform', 'Migration', 'Launch']) {
    s.add('msdyn_projectbucket', 'msdyn_projectbucketid', { msdyn_projectbucketid: SEED_IDS.apolloBucket(name), msdyn_name: name, _msdyn_project_value: p });
  }
  const sprints: Array<[string, string]> = [['2026-11-02', '2026-11-13'], ['2026-11-16', '2026-11-27'], ['2026-11-30', '2026-12-11'], ['2026-12-14', '2026-12-25']];
  sprints.forEach(([start, finish], i) => s.add('msdyn_projectsprint', 'msdyn_projectsprintid', {
    msdyn_projectsprintid: SEED_IDS.apolloSprint(i + 1), msdyn_name: `Sprint ${i + 1}`, msdyn_start: at(start, 9), msdyn_finish: at(finish, 17), _msdyn_project_value: p,
  }));
  for (const u of TEAM_USERS) {
    const resource = stableGuid(`bookableresource/${u.fullname}`);
    s.add('msdyn_projectteam', 'msdyn_projectteamid', {
      msdyn_projectteamid: SEED_IDS.apolloTeam(u.fullname), msdyn_name: u.fullname, _msdyn_project_value: p, _msdyn_bookableresourceid_value: resource,
    });
  }
  s.tasks(p, APOLLO_TASKS, SEED_IDS.apolloTask, (b) => SEED_IDS.apolloBucket(b ?? 'Backlog'), (n) => (n ? SEED_IDS.apolloSprint(n) : null));
  for (const t of APOLLO_TASKS) {
    for (const who of t.who ?? []) {
      s.add('msdyn_resourceassignment', 'msdyn_resourceassignmentid', {
        msdyn_resourceassignmentid: stableGuid(`apollo/assignment/${t.wbs}/${who}`), msdyn_name: who,
        _msdyn_taskid_value: SEED_IDS.apolloTask(t.wbs), _msdyn_projectteamid_value: SEED_IDS.apolloTeam(who), _msdyn_projectid_value: p,
        _msdyn_bookableresourceid_value: stableGuid(`bookableresource/${who}`),
        msdyn_start: null, msdyn_finish: null, msdyn_effort: 0, msdyn_effortcompleted: 0, msdyn_effortremaining: 0, msdyn_plannedwork: 0,
      });
    }
  }
  for (const [from, to] of APOLLO_LINKS) {
    s.add('msdyn_projecttaskdependency', 'msdyn_projecttaskdependencyid', {
      msdyn_projecttaskdependencyid: stableGuid(`apollo/link/${from}/${to}`), msdyn_description: null, _msdyn_project_value: p,
      _msdyn_predecessortask_value: SEED_IDS.apolloTask(from), _msdyn_successortask_value: SEED_IDS.apolloTask(to), msdyn_projecttaskdependencylinktype: 192350000,
    });
  }
  // The critical path of the seed: every linked leaf from the workshop to go-live.
  for (const wbs of ['1.1', '1.2.1', '2.1.1', '3.1', '3.2']) s.store.get('msdyn_projecttask', SEED_IDS.apolloTask(wbs))!.msdyn_iscritical = true;
}

function seedHermes(s: Seeder): void {
  const p = SEED_IDS.hermes;
  s.project(p, 'Hermes Mobile App', '2027-01-11', 'Release 2.0 of the Hermes field-service app.');
  s.add('msdyn_projectbucket', 'msdyn_projectbucketid', { msdyn_projectbucketid: SEED_IDS.hermesBucket, msdyn_name: 'Bucket 1', _msdyn_project_value: p });
  s.tasks(p, HERMES_TASKS, SEED_IDS.hermesTask, () => SEED_IDS.hermesBucket, () => null);
}

function seedAtlas(s: Seeder): void {
  s.project(SEED_IDS.atlas, 'Atlas Office Move', '2027-03-01', 'Move the Leeds office to the new building.');
  s.add('msdyn_projectbucket', 'msdyn_projectbucketid', { msdyn_projectbucketid: SEED_IDS.atlasBucket, msdyn_name: 'Bucket 1', _msdyn_project_value: SEED_IDS.atlas });
}

export function demoStore(now: () => Date = () => new Date()): Store {
  const store = new Store(() => new Date('2026-10-26T08:00:00Z'));
  const s = new Seeder(store);
  for (const u of ALL_USERS) {
    s.add('systemuser', 'systemuserid', {
      systemuserid: u.systemuserid, fullname: u.fullname, domainname: u.domainname, internalemailaddress: u.applicationid ? null : u.domainname,
      azureactivedirectoryobjectid: u.azureactivedirectoryobjectid, accessmode: u.accessmode, isdisabled: false, applicationid: u.applicationid,
      _businessunitid_value: ENVIRONMENT.businessUnitId,
    });
  }
  for (const u of TEAM_USERS) {
    s.add('bookableresource', 'bookableresourceid', { bookableresourceid: stableGuid(`bookableresource/${u.fullname}`), name: u.fullname, _userid_value: u.systemuserid, resourcetype: 3 });
  }
  seedApollo(s);
  seedHermes(s);
  seedAtlas(s);
  for (const p of [SEED_IDS.apollo, SEED_IDS.hermes, SEED_IDS.atlas]) rollUpProject(store, p);
  // Seed rows carry the seed time; everything written afterwards carries the simulator clock.
  const live = new Store(now);
  live.adopt(store);
  return live;
}

/** A big generated project for benchmarks: `tasks` tasks, groups of `fanout` leaves under summaries. */
export function addBigProject(store: Store, options: { tasks?: number; fanout?: number; name?: string } = {}): string {
  const count = options.tasks ?? 3000;
  const fanout = options.fanout ?? 9;
  const id = stableGuid(`project/big/${options.name ?? 'Big Plan'}/${store.version}`);
  const s = new Seeder(store);
  s.project(id, options.name ?? 'Big Plan', '2027-01-04', 'Generated for benchmarks.');
  const bucket = stableGuid(`big/${id}/bucket`);
  s.add('msdyn_projectbucket', 'msdyn_projectbucketid', { msdyn_projectbucketid: bucket, msdyn_name: 'Bucket 1', _msdyn_project_value: id });
  const seeds: TaskSeed[] = [];
  for (let group = 1; seeds.length < count; group += 1) {
    if (count - seeds.length < 2) {
      seeds.push({ wbs: String(group), subject: `Task ${group}`, start: '2027-01-04', finish: '2027-01-08', effort: 8, progress: 0 });
      break;
    }
    seeds.push({ wbs: String(group), subject: `Work package ${group}` });
    for (let leaf = 1; leaf <= fanout && seeds.length < count; leaf += 1) {
      seeds.push({ wbs: `${group}.${leaf}`, subject: `Task ${group}.${leaf}`, start: '2027-01-04', finish: '2027-01-08', effort: 8, progress: 0 });
    }
  }
  s.tasks(id, seeds, (wbs) => stableGuid(`big/${id}/task/${wbs}`), () => bucket, () => null);
  rollUpProject(store, id);
  return id;
}
