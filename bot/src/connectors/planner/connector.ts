import type { Logger } from '../../log.js';
import type { Connector } from '../../net/guarded-agent.js';
import type { Resolver, UrlPolicy } from '../../net/url-safety.js';
import {
  PLANBRIDGE_FIELDS, PlanConnectorError,
  type AccessReport, type FieldCheck, type PlanChangeSet, type PlanConnector, type PlanFieldDefinition,
  type PlanProject, type PlanResource, type PlanTask, type PlanWriteLimits, type PlanWriteResult, type ProjectMatch, type RequiredField,
} from '../ppm.js';
import { assertTimeZone } from '../pwa/dates.js';
import { ProjectSerializer } from '../pwa/queue.js';
import { rankProjects } from '../pwa/reads.js';
import { verifyAccess } from './access.js';
import { DataverseClient } from './client.js';
import { fieldChecks, PLANNER_FIELDS, unsupportedFields } from './fields.js';
import { DEFAULT_OPERATION_SET_TIMEOUT_MS, DEFAULT_POLL_INTERVAL_MS } from './limits.js';
import { ChangeBuilder } from './operations.js';
import { packSets, runSets } from './operation-sets.js';
import { getProject, listProjects, listResources, readPlan, toPlanTasks } from './reads.js';
import { PLANNER_WRITE_LIMITS } from './write-limits.js';

export interface PlannerConnectorOptions {
  /** The Dataverse environment URL, e.g. https://contoso.crm4.dynamics.com (a pasted /api/data/v9.2 is dropped). */
  environmentUrl: string;
  /**
   * A delegated access token for the environment (scope `{environmentUrl}/user_impersonation`),
   * asked before every request: the caller caches and refreshes it. App-only tokens are refused
   * by the schedule APIs ("License" in the notes).
   */
  getAccessToken: () => Promise<string>;
  /** Who signs in (e.g. "pm@contoso.com"), named in messages. */
  account?: string;
  /** IANA zone of the plan's users; Dataverse dates are UTC instants, plan dates wall-clock times in it. Default UTC. */
  timeZone?: string;
  logger?: Logger;
  /** Operation set polling (defaults: every 3 s, give up after 10 min; limits.ts). */
  pollIntervalMs?: number;
  operationSetTimeoutMs?: number;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  maxInFlight?: number;
  /** Rows per page (`Prefer: odata.maxpagesize`, default 5,000). */
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Which addresses the environment may resolve to (net/url-safety.ts); default: loopback counts as local. */
  urlPolicy?: UrlPolicy;
  resolve?: Resolver;
  connect?: Connector;
}

/** Planner premium (Project for the web) plans in Dataverse as a PlanBridge plan system. */
export class PlannerConnector implements PlanConnector {
  readonly system = 'planner';
  readonly timeZone: string;
  readonly writeLimits: PlanWriteLimits = PLANNER_WRITE_LIMITS;
  readonly client: DataverseClient;
  private readonly serializer = new ProjectSerializer();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PlannerConnectorOptions) {
    if (!/^https?:\/\/[^/]+/i.test(options.environmentUrl.trim())) {
      throw new PlanConnectorError('invalid-request', `"${options.environmentUrl}" is not a Dataverse environment URL. Use the full address, e.g. https://contoso.crm4.dynamics.com.`);
    }
    this.timeZone = options.timeZone ?? 'UTC';
    assertTimeZone(this.timeZone);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.client = new DataverseClient({
      environmentUrl: options.environmentUrl, getAccessToken: options.getAccessToken, sleep: this.sleep,
      ...pick(options, ['account', 'logger', 'maxRetries', 'maxRetryWaitMs', 'maxInFlight', 'pageSize', 'urlPolicy', 'resolve', 'connect']),
    });
  }

  /** Releases the connection pool. */
  close(): void {
    this.client.close();
  }

  verifyAccess(projectId?: string): Promise<AccessReport> {
    return verifyAccess(this.client, (id) => this.getProject(id), projectId);
  }

  listProjects(): Promise<PlanProject[]> {
    return listProjects(this.client, this.timeZone);
  }

  async findProjects(name: string): Promise<ProjectMatch[]> {
    return rankProjects(await this.listProjects(), name);
  }

  getProject(projectId: string): Promise<PlanProject> {
    return getProject(this.client, projectId, this.timeZone);
  }

  async readTasks(projectId: string): Promise<PlanTask[]> {
    const project = await this.getProject(projectId);
    return toPlanTasks(await readPlan(this.client, project), this.timeZone);
  }

  listResources(projectId: string): Promise<PlanResource[]> {
    return listResources(this.client, projectId);
  }

  async listFields(): Promise<PlanFieldDefinition[]> {
    return PLANNER_FIELDS;
  }

  async verifyFields(required: readonly RequiredField[] = PLANBRIDGE_FIELDS): Promise<FieldCheck[]> {
    return fieldChecks(required);
  }

  async createFields(required: readonly RequiredField[] = PLANBRIDGE_FIELDS): Promise<FieldCheck[]> {
    throw unsupportedFields(required);
  }

  /**
   * One write per project at a time in this process: read the plan, check every change against it
   * (versions, summaries, field values), then run the operations in sets of at most 200.
   */
  applyChanges(changes: PlanChangeSet): Promise<PlanWriteResult> {
    return this.serializer.run(changes.projectId, async () => {
      const project = await this.getProject(changes.projectId);
      if (project.archived) {
        throw new PlanConnectorError('project-archived', `"${project.name}" is inactive in Planner premium, so PlanBridge will not edit it. Activate it again or pick another plan.`);
      }
      const plan = await readPlan(this.client, project);
      const built = new ChangeBuilder(plan, toPlanTasks(plan, this.timeZone), this.timeZone).build(changes);
      const description = `PlanBridge: ${changes.creates.length} new, ${changes.updates.length} changed, ${(changes.deletes ?? []).length} deleted`;
      const jobs = await runSets({
        client: this.client, projectId: project.id, projectName: project.name, ...(this.options.logger ? { logger: this.options.logger } : {}),
        polling: { pollIntervalMs: this.options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, timeoutMs: this.options.operationSetTimeoutMs ?? DEFAULT_OPERATION_SET_TIMEOUT_MS, sleep: this.sleep },
      }, packSets(built.groups), description);
      return { created: built.created, updated: built.updated, deleted: built.deleted, jobs };
    });
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}
