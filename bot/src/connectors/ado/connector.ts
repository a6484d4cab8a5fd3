import type { Logger } from '../../log.js';
import type { Connector } from '../../net/guarded-agent.js';
import type { UrlPolicy } from '../../net/url-safety.js';
import type { AdoCredentials } from './auth.js';
import { checkConnection, listProjects, listTeams } from './discovery.js';
import { AdoConnectorError } from './errors.js';
import { backlogLevels, classificationPaths, fields, teamAreaPaths, teamIterations, workItemTypes } from './metadata.js';
import { assignableUsers, teamMembers } from './people.js';
import { projectProcess } from './process.js';
import { queryIds, readItems, readScopes, scopeWhere } from './reads.js';
import type { RetryOptions } from './retry.js';
import { AdoSession, type ConnectionHealth } from './session.js';
import type {
  AdoBacklogLevel, AdoClassificationPath, AdoUser, AdoCreateRequest, AdoField, AdoProject, AdoProjectProcess, AdoReadScope, AdoTeam,
  AdoUpdateRequest, AdoUpdateResult, AdoWorkItem, AdoWorkItemType, ConnectionReport,
} from './types.js';
import { assertPublicHost, parseAdoUrl, type AdoOrgUrl, type Resolver } from './url.js';
import { createItem, findByMarkers, removeItem, updateItem } from './writes.js';

export interface AdoConnectorOptions {
  /** Organization or collection URL in any of the three forms. */
  url: string;
  /** A personal access token (shorthand for `credentials: { kind: 'pat', pat }`). */
  pat?: string;
  /** A PAT, or bearer tokens from Microsoft Entra ID (see auth.ts); wins over `pat`. */
  credentials?: AdoCredentials;
  /** Local mode (no CLIENT_ID): allows http:// to loopback and private addresses. */
  localMode?: boolean;
  /** Authenticated mode only: allow servers on private networks (on-premises deployments). */
  allowPrivateNetwork?: boolean;
  logger?: Logger;
  /** Requests in flight for this organization (default 8). */
  maxInFlight?: number;
  retry?: Partial<RetryOptions>;
  sleep?: (ms: number) => Promise<void>;
  /** DNS resolution (tests inject one so no name is looked up). */
  resolve?: Resolver;
  /** Opens sockets to checked addresses (tests inject one that dials a loopback fake server). */
  connect?: Connector;
}

/**
 * Azure DevOps Services / Server 2019+ through azure-devops-node-api. One instance per connection:
 * it owns one WebApi and one client of each kind, so discovery happens once.
 */
export class AdoConnector {
  readonly org: AdoOrgUrl;
  readonly session: AdoSession;
  private hostChecked?: Promise<void>;

  constructor(private readonly options: AdoConnectorOptions) {
    this.org = parseAdoUrl(options.url, { localMode: options.localMode ?? false });
    const credentials: AdoCredentials = options.credentials ?? { kind: 'pat', pat: (options.pat ?? '').trim() };
    if (credentials.kind === 'pat' && !credentials.pat.trim()) throw new AdoConnectorError('invalid-request', 'Give an Azure DevOps personal access token (create one at the organization\'s User settings > Personal access tokens).');
    this.session = new AdoSession({
      orgUrl: this.org.url, credentials: credentials.kind === 'pat' ? { kind: 'pat', pat: credentials.pat.trim() } : credentials, logger: options.logger, maxInFlight: options.maxInFlight,
      retry: options.retry, sleep: options.sleep,
      network: { policy: this.policy, ...(options.resolve ? { resolve: options.resolve } : {}), ...(options.connect ? { connect: options.connect } : {}) },
    });
  }

  private get policy(): UrlPolicy {
    return { localMode: this.options.localMode ?? false, allowPrivateNetwork: this.options.allowPrivateNetwork ?? false };
  }

  /** 'needs-attention' after a 401 on a connection that had worked: the PAT expired or was revoked, or the principal lost access. */
  get health(): ConnectionHealth {
    return this.session.connectionHealth;
  }

  private async ready(): Promise<void> {
    this.hostChecked ??= assertPublicHost(this.org, { ...this.policy, resolve: this.options.resolve })
      .catch((e: unknown) => { this.hostChecked = undefined; throw e; });
    await this.hostChecked;
  }

  async checkConnection(project?: string): Promise<ConnectionReport> {
    await this.ready();
    return checkConnection(this.session, project ? { project } : {});
  }

  async listProjects(): Promise<AdoProject[]> { await this.ready(); return listProjects(this.session); }
  /** The project's process placed against the system ones (inherited: by its parent; XML: by its types). */
  async projectProcess(project: string): Promise<AdoProjectProcess> { await this.ready(); return projectProcess(this.session, project); }
  /** The process as people should see it: "Agile", or "Contoso Agile (inherits Agile)". */
  async processOf(project: string): Promise<string> { return (await this.projectProcess(project)).label; }
  async listTeams(project: string): Promise<AdoTeam[]> { await this.ready(); return listTeams(this.session, project); }
  async classificationPaths(project: string): Promise<{ areas: AdoClassificationPath[]; iterations: AdoClassificationPath[] }> { await this.ready(); return classificationPaths(this.session, project); }
  async teamAreaPaths(project: string, team: string): Promise<Array<{ path: string; includeChildren: boolean }>> { await this.ready(); return teamAreaPaths(this.session, project, team); }
  async teamIterations(project: string, team: string, timeframe?: 'current'): Promise<AdoClassificationPath[]> { await this.ready(); return teamIterations(this.session, project, team, timeframe); }
  async workItemTypes(project: string): Promise<AdoWorkItemType[]> { await this.ready(); return workItemTypes(this.session, project); }
  async fields(project?: string): Promise<AdoField[]> { await this.ready(); return fields(this.session, project); }
  async teamMembers(project: string, team: string): Promise<AdoUser[]> { await this.ready(); return teamMembers(this.session, project, team); }
  /** Who can be assigned work in the projects (members of their teams), each person once. */
  async assignableUsers(projects: readonly string[]): Promise<AdoUser[]> { await this.ready(); return assignableUsers(this.session, projects); }
  async backlogLevels(project: string, team?: string): Promise<AdoBacklogLevel[]> { await this.ready(); return backlogLevels(this.session, project, team); }

  /** Every work item in the scopes (union across projects), each with its parent id. */
  async readScope(scopes: readonly AdoReadScope[]): Promise<AdoWorkItem[]> { await this.ready(); return readScopes(this.session, scopes); }
  /** Ids in one scope, without reading the items. */
  async queryScopeIds(scope: AdoReadScope): Promise<number[]> { await this.ready(); return queryIds(this.session, await scopeWhere(this.session, scope), scope.project); }
  /** The given items (batches of 200); missing ones are left out. */
  async readByIds(ids: readonly number[]): Promise<AdoWorkItem[]> { await this.ready(); return readItems(this.session, ids); }
  async findByMarkers(markers: readonly string[], project?: string): Promise<Map<string, AdoWorkItem>> { await this.ready(); return findByMarkers(this.session, markers, project); }

  async create(request: AdoCreateRequest): Promise<AdoWorkItem> { await this.ready(); return createItem(this.session, request); }
  async update(request: AdoUpdateRequest): Promise<AdoUpdateResult> { await this.ready(); return updateItem(this.session, request); }
  async remove(id: number, expectedRev: number): Promise<'done' | 'stale'> { await this.ready(); return removeItem(this.session, id, expectedRev); }

  /** Releases kept-alive connections when the connection is deleted or its PAT replaced. */
  dispose(): Promise<void> { return this.session.dispose(); }
}
