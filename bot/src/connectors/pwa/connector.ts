import type { Logger } from '../../log.js';
import type { UrlPolicy } from '../../net/url-safety.js';
import {
  PLANBRIDGE_FIELDS, PlanConnectorError,
  type AccessReport, type FieldCheck, type PlanChangeSet, type PlanConnector, type PlanFieldDefinition,
  type PlanProject, type PlanResource, type PlanTask, type PlanWriteResult, type ProjectMatch, type RequiredField,
} from '../ppm.js';
import type { PwaAuth } from './auth.js';
import { PwaClient, type PwaJsonFormat, type Row } from './client.js';
import { assertTimeZone, currentOffsetMinutes } from './dates.js';
import { PwaFields, type PwaField } from './fields.js';
import { ProjectSerializer } from './queue.js';
import { getProject, listProjects, listResources, rankProjects, readDependencies, readTasks } from './reads.js';
import { applyChangeSet } from './writes.js';

export interface PwaConnectorOptions {
  /** PWA site URL, e.g. https://contoso.sharepoint.com/sites/pwa */
  siteUrl: string;
  auth: PwaAuth;
  /** IANA zone of the site's regional settings; plan dates are wall-clock times in it. */
  timeZone?: string;
  /** JSON flavour to request (default nometadata; verbose for old farms that need it). */
  format?: PwaJsonFormat;
  logger?: Logger;
  /** Queue polling (defaults: every 1 s, give up after 10 min). */
  pollIntervalMs?: number;
  queueTimeoutMs?: number;
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Which addresses the site may resolve to (net/url-safety.ts); default: loopback sites count as local. */
  urlPolicy?: UrlPolicy;
}

/** Project Web App (Project Online, Project Server 2016/2019/SE) as a PlanBridge plan system. */
export class PwaConnector implements PlanConnector {
  readonly system = 'pwa';
  readonly timeZone: string;
  readonly client: PwaClient;
  private readonly fields: PwaFields;
  private readonly serializer = new ProjectSerializer();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: PwaConnectorOptions) {
    if (!/^https?:\/\//i.test(options.siteUrl)) {
      throw new PlanConnectorError('invalid-request', `"${options.siteUrl}" is not a PWA URL. Use the full site address, e.g. https://contoso.sharepoint.com/sites/pwa.`);
    }
    this.timeZone = options.timeZone ?? 'UTC';
    assertTimeZone(this.timeZone);
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.client = new PwaClient({
      siteUrl: options.siteUrl, auth: options.auth, format: options.format, logger: options.logger,
      maxRetryWaitMs: options.maxRetryWaitMs, sleep: this.sleep, ...(options.urlPolicy ? { urlPolicy: options.urlPolicy } : {}),
    });
    this.fields = new PwaFields(this.client);
  }

  /** Reads projects (required), then checks edit and field permissions and the site's time zone. */
  async verifyAccess(projectId?: string): Promise<AccessReport> {
    await this.client.getAll('ProjectServer/Projects', { $select: 'Id', $top: '1' });
    const report: AccessReport = { canRead: true, canEdit: false, canManageFields: false, missing: [], warnings: [] };
    const has = (rows: Row[], name: string): boolean => rows.some((r) => r.Permission === name && r.HasPermission === true);
    const global = await this.client.getAll('ProjectServer/UserPermissions');
    report.canManageFields = has(global, 'ManageEnterpriseCustomFields');
    if (!report.canManageFields) report.missing.push('Manage Enterprise Custom Fields (only needed for "Create fields")');
    if (projectId) {
      const perms = await this.client.getAll(`ProjectServer/Projects('${projectId}')/UserPermissions`);
      for (const [name, label] of [['SaveProject', 'Save Project'], ['PublishProject', 'Publish Project']] as const) {
        if (!has(perms, name)) report.missing.push(`${label} on this project`);
      }
      report.canEdit = has(perms, 'SaveProject') && has(perms, 'PublishProject');
    } else {
      report.canEdit = has(global, 'NewProject');
      if (!report.canEdit) report.missing.push('Save and Publish Project (edit rights)');
    }
    try {
      const tz = await this.client.get('web/RegionalSettings/TimeZone');
      const bias = Number((tz.Information as Row | undefined)?.Bias);
      const expected = -currentOffsetMinutes(this.timeZone);
      if (Number.isFinite(bias) && bias !== expected) {
        report.warnings.push(`The PWA site's time zone (${String(tz.Description ?? 'unknown')}) differs from the configured ${this.timeZone}; dates could shift. Set the connection's time zone to the site's.`);
      }
    } catch {
      report.warnings.push('Could not read the site time zone; dates use the configured zone ' + this.timeZone + '.');
    }
    return report;
  }

  listProjects(): Promise<PlanProject[]> {
    return listProjects(this.client);
  }

  async findProjects(name: string): Promise<ProjectMatch[]> {
    return rankProjects(await this.listProjects(), name);
  }

  getProject(projectId: string): Promise<PlanProject> {
    return getProject(this.client, projectId);
  }

  async readTasks(projectId: string): Promise<PlanTask[]> {
    // The project (its work units), the task fields (what to select) and the task links need nothing
    // of each other: all in the first round trip, so the links (read page after page) start a round
    // before the task pages rather than beside them.
    const dependencies = readDependencies(this.client, projectId);
    dependencies.catch(() => undefined); // without the project, getProject's error is the answer
    const [project, fields] = await Promise.all([this.getProject(projectId), this.taskFields()]);
    return readTasks(this.client, project, fields, dependencies);
  }

  listResources(projectId: string): Promise<PlanResource[]> {
    return listResources(this.client, projectId);
  }

  private async taskFields(): Promise<PwaField[]> {
    return (await this.fields.list()).filter((f) => f.entity === 'task');
  }

  listFields(): Promise<PlanFieldDefinition[]> {
    return this.fields.list();
  }

  verifyFields(required: readonly RequiredField[] = PLANBRIDGE_FIELDS): Promise<FieldCheck[]> {
    return this.fields.verify(required);
  }

  createFields(required: readonly RequiredField[] = PLANBRIDGE_FIELDS): Promise<FieldCheck[]> {
    return this.fields.create(required);
  }

  applyChanges(changes: PlanChangeSet): Promise<PlanWriteResult> {
    return this.serializer.run(changes.projectId, async () => {
      const project = await this.getProject(changes.projectId);
      return applyChangeSet({
        client: this.client,
        project,
        taskFields: await this.taskFields(),
        logger: this.options.logger,
        blockedRetries: 5,
        polling: { pollIntervalMs: this.options.pollIntervalMs ?? 1000, timeoutMs: this.options.queueTimeoutMs ?? 600_000, sleep: this.sleep },
      }, changes);
    });
  }
}
