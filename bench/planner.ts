import { randomUUID } from 'node:crypto';
import { PlannerConnector } from '../bot/src/connectors/planner/connector.js';
import { ENTITIES_PER_REQUEST } from '../bot/src/connectors/planner/operation-sets.js';
import { DEFAULT_MAX_IN_FLIGHT, MAX_PAGE_SIZE, OPERATIONS_PER_SET } from '../bot/src/connectors/planner/limits.js';
import type { NewPlanTask } from '../bot/src/connectors/ppm.js';
import { DATAVERSE_DEMO_CREDENTIALS, SEED_IDS, startDataverseSimulator, type DataverseSimulator, type RequestRecord } from '../sim/dataverse/server.js';
import { writerOf, type BenchOptions } from './options.js';

/**
 * Planner premium through the PlannerConnector against the Dataverse simulator, with 50 ms of
 * simulated latency per request (`npm run bench -- planner`):
 * - reads a 3,000-task plan (the per-project maximum), printing requests against the page minimum,
 *   wall time and peak RSS, at the default page size and at a small one that forces paging;
 * - creates 500 tasks (50 summaries of 9 subtasks) in the empty demo plan "Atlas Office Move",
 *   printing the operation sets used against ceil(500/200) and wall time against the floor.
 * Operation sets stay Pending for a short `executionDelayMs` (200 ms, not the service's seconds) and
 * the connector polls every 50 ms, so the write is realistic in shape but quick.
 */
const SIZES = { readTasks: 3000, creates: 500, latencyMs: 50, executionDelayMs: 200, pollIntervalMs: 50, smallPageSize: 500 };
const SMOKE_SIZES = { readTasks: 300, creates: 210, latencyMs: 2, executionDelayMs: 20, pollIntervalMs: 10, smallPageSize: 100 };
/** Subtasks under each created summary task. */
const FANOUT = 9;
/** The reads of a plan besides its task pages: the project row, then buckets, sprints, team, assignments, dependencies. */
const READ_OVERHEAD = 6;

export const smoke: BenchOptions = { smoke: true };

export interface PlannerBenchResult {
  readonly readTasks: number;
  readonly tasksRead: number;
  readonly readRequests: number;
  readonly readMinimumRequests: number;
  readonly readWallMs: number;
  readonly creates: number;
  readonly created: number;
  readonly operationSets: number;
  readonly minimumOperationSets: number;
  readonly createWallMs: number;
  readonly createFloorMs: number;
  readonly peakRssBytes: number;
}

const isTaskPage = (r: RequestRecord): boolean => r.method === 'GET' && r.path.includes('/msdyn_projecttasks');
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const met = (ok: boolean): string => (ok ? 'MET' : 'MISSED');

export async function run(options: BenchOptions = {}): Promise<PlannerBenchResult> {
  const size = options.smoke ? SMOKE_SIZES : SIZES;
  const L = size.latencyMs;
  const write = writerOf(options);
  const sim = await startDataverseSimulator({ port: 0, seed: 'demo', latencyMs: L, executionDelayMs: size.executionDelayMs });
  const connectorFor = (pageSize?: number): PlannerConnector => new PlannerConnector({
    environmentUrl: sim.url,
    getAccessToken: async () => DATAVERSE_DEMO_CREDENTIALS.bearerToken,
    account: DATAVERSE_DEMO_CREDENTIALS.licensedAccount,
    pollIntervalMs: size.pollIntervalMs,
    operationSetTimeoutMs: 120_000,
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
  const connector = connectorFor();
  const paged = connectorFor(size.smallPageSize);
  try {
    const bigId = sim.addBigProject({ tasks: size.readTasks, fanout: FANOUT, name: `Benchmark ${size.readTasks}` });
    write(`Dataverse simulator: ${L} ms latency per request; ${DEFAULT_MAX_IN_FLIGHT} requests in flight per connection; operation sets Pending for ${size.executionDelayMs} ms, polled every ${size.pollIntervalMs} ms`);

    // ---- Reading the whole plan -------------------------------------------------------------
    const read = await measureRead(sim, connector, bigId);
    const readMinimum = Math.ceil(size.readTasks / MAX_PAGE_SIZE);
    // Floor: the project row first (one latency), then the six table queries at once (6 <= 8 in
    // flight), of which the task query is the long one: its pages follow @odata.nextLink one by one.
    const readFloor = (1 + readMinimum) * L;
    write(`read: plan of ${size.readTasks} tasks (summaries of ${FANOUT} subtasks), ${read.tasks} read, deepest outline level ${read.maxLevel}`);
    write(`  requests: ${read.requests} = ${read.taskPages} task page(s) (page minimum ceil(${size.readTasks}/${MAX_PAGE_SIZE}) = ${readMinimum}) + ${read.requests - read.taskPages} for the project and the other tables; target <= minimum + ${READ_OVERHEAD}: ${met(read.requests <= readMinimum + READ_OVERHEAD)}`);
    // The rest is CPU: the simulator rendering and the connector parsing and mapping every row. The
    // same read with no latency (warm) shows how much of the wall time that is on this machine.
    sim.setLatency(0);
    const cpu = await measureRead(sim, connector, bigId);
    sim.setLatency(L);
    write(`  wall time: ${read.wallMs.toFixed(0)} ms (first read, cold); latency floor ${readFloor} ms (the project row, then ${readMinimum} task page(s) in a row beside the other tables); the same read with no latency takes ${cpu.wallMs.toFixed(0)} ms here (rendering, parsing and mapping ${size.readTasks} rows in one process)`);
    write(`  peak RSS: ${mib(read.peakRss)} (simulator holding the plan and connector in one process; target < 250 MiB) ${met(read.peakRss < 250 * 1024 * 1024)}`);

    const small = await measureRead(sim, paged, bigId);
    const smallMinimum = Math.ceil(size.readTasks / size.smallPageSize);
    const smallFloor = (1 + smallMinimum) * L;
    write(`read with odata.maxpagesize=${size.smallPageSize} (paging past several pages): ${small.tasks} tasks; ${small.requests} requests = ${small.taskPages} task pages (minimum ${smallMinimum}) + ${small.requests - small.taskPages}; target <= minimum + ${READ_OVERHEAD}: ${met(small.requests <= smallMinimum + READ_OVERHEAD)}; wall ${small.wallMs.toFixed(0)} ms against a floor of ${smallFloor} ms (${(small.wallMs / smallFloor).toFixed(2)}x)`);

    // ---- Creating tasks through operation sets ----------------------------------------------
    const creates = plannedTasks(size.creates);
    const setsBefore = sim.state.list('msdyn_operationset').length;
    sim.clearRequests();
    const started = performance.now();
    const result = await connector.applyChanges({ projectId: SEED_IDS.atlas, creates, updates: [] });
    const createWallMs = performance.now() - started;
    await sim.settle();
    const requests = [...sim.requests];
    const sets = sim.state.list('msdyn_operationset').slice(setsBefore);
    const completed = sets.filter((s) => s.msdyn_status === 192350003).length;
    const inPlan = sim.state.list('msdyn_projecttask').filter((t) => t._msdyn_project_value === SEED_IDS.atlas).length;
    const count = (re: RegExp, method = 'POST'): number => requests.filter((r) => r.method === method && re.test(r.path)).length;
    const operations = count(/msdyn_Pss(Create|Update|Delete)V\d/);
    const polls = count(/msdyn_operationsets\(/, 'GET');
    const setRequests = count(/msdyn_CreateOperationSetV1/) + count(/msdyn_ExecuteOperationSetV1/) + count(/msdyn_AbandonOperationSetV1/);
    const reads = requests.length - operations - polls - setRequests;
    const minimumSets = Math.ceil(size.creates / OPERATIONS_PER_SET);
    const perSet = Array.from({ length: minimumSets }, (_, i) => Math.min(OPERATIONS_PER_SET, size.creates - i * OPERATIONS_PER_SET));

    /*
     * The floor of the write, from requests x latency, for the order the connector must keep:
     * - before any set, the project row (1 latency), then the plan's six table queries together
     *   (6 <= 8 in flight, each one page here: 1 latency), to check the changes against the plan;
     * - per set, one after another (a later set may bind to rows of an earlier one):
     *   msdyn_CreateOperationSetV1 (1 latency), then the operations in order by the V2 list actions,
     *   ENTITIES_PER_REQUEST a request, each waiting for the one before (a subtask's parent bind
     *   follows its parent's create), then msdyn_ExecuteOperationSetV1 (1 latency);
     * - the simulator completes a set `executionDelayMs` after Execute; a poll sees it done at best
     *   that long after Execute answered (the poll's own latency overlaps: max(delay, latency)).
     * floor = 2 L + sum over sets of ((ceil(ops / ENTITIES_PER_REQUEST) + 2) L + max(delay, L)).
     */
    const tail = Math.max(size.executionDelayMs, L);
    const listRequests = perSet.reduce((n, ops) => n + Math.ceil(ops / ENTITIES_PER_REQUEST), 0);
    const createFloorMs = 2 * L + perSet.reduce((ms, ops) => ms + (Math.ceil(ops / ENTITIES_PER_REQUEST) + 2) * L + tail, 0);
    const ratio = createWallMs / createFloorMs;
    write(`create: ${size.creates} new tasks (${size.creates / (FANOUT + 1)} summaries of ${FANOUT} subtasks) in "Atlas Office Move"; ${result.created.length} reported created, ${inPlan} now in the plan`);
    write(`  operation sets: ${result.jobs.length} used (${completed} Completed in Dataverse) against ceil(${size.creates}/${OPERATIONS_PER_SET}) = ${minimumSets}: ${met(result.jobs.length === minimumSets)}`);
    write(`  requests: ${requests.length} = ${reads} plan reads + ${setRequests} create/execute + ${operations} list requests (up to ${ENTITIES_PER_REQUEST} operations each) + ${polls} status polls; minimum ${1 + READ_OVERHEAD + 3 * minimumSets + listRequests}`);
    write(`  wall time: ${secs(createWallMs)}; floor ${secs(createFloorMs)} (2 read rounds + per set: create, ${perSet.map((n) => Math.ceil(n / ENTITIES_PER_REQUEST)).join('/')} list requests in order, execute, ${size.executionDelayMs} ms executing); ${ratio.toFixed(2)}x the floor (target <= 1.5x) ${met(ratio <= 1.5)}`);

    return {
      readTasks: size.readTasks, tasksRead: read.tasks, readRequests: read.requests, readMinimumRequests: readMinimum + READ_OVERHEAD, readWallMs: read.wallMs,
      creates: size.creates, created: inPlan, operationSets: result.jobs.length, minimumOperationSets: minimumSets,
      createWallMs, createFloorMs, peakRssBytes: read.peakRss,
    };
  } finally {
    connector.close();
    paged.close();
    await sim.close();
  }
}

async function measureRead(sim: DataverseSimulator, connector: PlannerConnector, projectId: string): Promise<{ tasks: number; maxLevel: number; requests: number; taskPages: number; wallMs: number; peakRss: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 5);
  sim.clearRequests();
  const started = performance.now();
  const tasks = await connector.readTasks(projectId);
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    tasks: tasks.length,
    maxLevel: tasks.reduce((m, t) => Math.max(m, t.outlineLevel), 0),
    requests: sim.requests.length,
    taskPages: sim.requests.filter(isTaskPage).length,
    wallMs,
    peakRss,
  };
}

/** `n` new tasks: summaries each followed by up to FANOUT one-week subtasks of 8 hours, as a sync creates them. */
function plannedTasks(n: number): NewPlanTask[] {
  const out: NewPlanTask[] = [];
  for (let group = 1; out.length < n; group += 1) {
    const parent = randomUUID();
    out.push({ id: parent, parentId: null, name: `Feature ${group}` });
    for (let leaf = 1; leaf <= FANOUT && out.length < n; leaf += 1) {
      out.push({ id: randomUUID(), parentId: parent, name: `Story ${group}.${leaf}`, start: '2027-03-01T09:00:00', finish: '2027-03-05T17:00:00', workMinutes: 8 * 60 });
    }
  }
  return out;
}
