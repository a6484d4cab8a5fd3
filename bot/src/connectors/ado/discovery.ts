import type { ResourceAreaInfo } from 'azure-devops-node-api/interfaces/LocationsInterfaces.js';
import { AdoConnectorError, SCOPE_LABELS, statusOf, toAdoError } from './errors.js';
import type { AdoSession } from './session.js';
import type { AdoProject, AdoScopeName, AdoTeam, ConnectionReport, ScopeCheck } from './types.js';

/**
 * Connection check and project discovery. No API reports a PAT's scopes, so each scope is probed
 * with a call that needs it and has no side effect (a `validateOnly` create for write).
 */
const IMS_AREA = '4e40f190-2e3f-4d9f-8331-c7788e833080';
const GRAPH_AREA = 'bb1e7ec9-e901-4b68-999a-de7012b920f8';

interface ConnectionData {
  authenticatedUser?: { id?: string; providerDisplayName?: string; properties?: { Account?: { $value?: string } } };
  instanceId?: string;
  deploymentType?: string;
}

// Shape checks: a server that answers 200 to everything must not pass for Azure DevOps.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The error for an answer that is not Azure DevOps's. 'org-not-found' puts it beside the URL. */
function notAzureDevOps(session: AdoSession, what: string): AdoConnectorError {
  return new AdoConnectorError('org-not-found', `The server at ${session.orgUrl} answered, but not the way Azure DevOps does (${what}). Check that the URL is your organization (https://dev.azure.com/{organization}) or collection (https://{server}/tfs/{collection}) and not another site or a proxy's page.`);
}

function isConnectionData(v: unknown): v is ConnectionData {
  return isRecord(v) && typeof v.instanceId === 'string' && GUID.test(v.instanceId)
    && isRecord(v.authenticatedUser) && typeof v.authenticatedUser.id === 'string'
    && (v.deploymentType === undefined || v.deploymentType === 'hosted' || v.deploymentType === 'onPremises');
}

/** GET connectionData with the status visible (the library hides 203 and 404 as null). */
async function connectionData(session: AdoSession): Promise<{ data: ConnectionData; deployment: 'services' | 'server' }> {
  const op = { what: 'connect to the organization' };
  const res = await session.call(op, () => session.webApi.rest.get<unknown>(session.webApi.vsoClient.resolveUrl('/_apis/connectionData')));
  if (res.statusCode === 203) throw toError(session, 203, op);
  if (res.statusCode === 404 || !res.result) {
    throw new AdoConnectorError('org-not-found', `No Azure DevOps organization or collection answers at ${session.orgUrl}. Check the name in the URL (for Azure DevOps Server: https://{server}/tfs/{collection}).`, { status: res.statusCode });
  }
  if (!isConnectionData(res.result)) throw notAzureDevOps(session, 'its connection data has no instance or user');
  return { data: res.result, deployment: res.result.deploymentType === 'hosted' ? 'services' : 'server' };
}

function toError(session: AdoSession, status: number, op: { what: string }): AdoConnectorError {
  return toAdoError({ statusCode: status, message: 'sign-in page' }, op, session.orgUrl, session.credentialKind);
}

/** What to do about missing access: a PAT gets scopes; a service principal gets group memberships. */
function accessAdvice(session: AdoSession, missing: string[]): string | null {
  if (missing.length === 0) return null;
  return session.credentialKind === 'entra'
    ? `Give the service principal this access in Azure DevOps: ${missing.join(', ')} (add it to the projects' Contributors group, with Basic access). Then press "Check again".`
    : `Edit the token at ${session.orgUrl}/_usersSettings/tokens and add: ${missing.join(', ')}. Then run "connect ado" again.`;
}

/** Probe result: granted on success or a non-401 refusal (that is a permission, not a scope). */
async function probe(scope: AdoScopeName, run: () => Promise<unknown>): Promise<ScopeCheck> {
  const { label } = SCOPE_LABELS[scope];
  try {
    await run();
    return { scope, label, present: true };
  } catch (err) {
    // Not Azure DevOps at all: no scope can be judged, so the whole check fails.
    if (err instanceof AdoConnectorError && err.code === 'org-not-found') throw err;
    const status = err instanceof AdoConnectorError ? err.details.status : statusOf(err);
    if (status === 401) return { scope, label, present: false };
    if (status === 403) return { scope, label, present: true, detail: 'The scope is granted, but your account lacks a permission it covers.' };
    return { scope, label, present: null, detail: err instanceof Error ? err.message : String(err) };
  }
}

async function areaUrl(session: AdoSession, areaId: string): Promise<string> {
  const locations = await session.webApi.getLocationsApi();
  const areas = (await locations.getResourceAreas()) as ResourceAreaInfo[] | { count: 0 } | null;
  const found = Array.isArray(areas) ? areas.find((a) => a.id?.toLowerCase() === areaId) : undefined;
  return (found?.locationUrl ?? `${session.orgUrl}/`).replace(/\/$/, '');
}

/** A raw GET through the library's REST client (for identity and graph, which have no typed client here). */
async function rawGet(session: AdoSession, url: string, apiVersion: string): Promise<void> {
  const res = await session.webApi.rest.get(url, { acceptHeader: `application/json;api-version=${apiVersion}` });
  if (res.statusCode === 203) throw Object.assign(new Error('sign-in page'), { statusCode: 203 });
  if (res.statusCode === 404) throw Object.assign(new Error('This API is not available on this server.'), { statusCode: 404 });
  if (!isRecord(res.result) || !Array.isArray(res.result.value)) throw notAzureDevOps(session, `${new URL(url).pathname} returned no list`);
}

function isProject(p: unknown): p is { id: string; name: string } {
  return isRecord(p) && typeof p.id === 'string' && typeof p.name === 'string';
}

export async function checkConnection(session: AdoSession, options: { project?: string } = {}): Promise<ConnectionReport> {
  const { data, deployment } = await connectionData(session);
  const uniqueName = data.authenticatedUser?.properties?.Account?.$value ?? '';
  const user = { displayName: data.authenticatedUser?.providerDisplayName ?? uniqueName, uniqueName };
  const apiVersion = deployment === 'services' ? '7.1' : '5.0';
  let firstProject = options.project;

  const scopes: ScopeCheck[] = [];
  scopes.push(await probe('project-read', async () => {
    const projects: unknown = await session.call({ what: 'list projects', scope: 'project-read' }, async () => (await session.core()).getProjects(undefined, 1));
    if (!Array.isArray(projects) || !projects.every(isProject)) throw notAzureDevOps(session, 'the project list is not a list of projects');
    firstProject ??= projects[0]?.name;
  }));
  scopes.push(await probe('work-read', async () => {
    const result: unknown = await session.call({ what: 'query work items', scope: 'work-read' }, async () => (await session.wit()).queryByWiql({ query: 'SELECT [System.Id] FROM WorkItems WHERE [System.Id] < 0' }, undefined, undefined, 1));
    if (!isRecord(result) || !Array.isArray(result.workItems)) throw notAzureDevOps(session, 'a work item query returned no work item list');
  }));
  if (firstProject) {
    const project = firstProject;
    scopes.push(await probe('work-write', async () => {
      const doc = [{ op: 'add', path: '/fields/System.Title', value: 'PlanBridge scope check (validate only, never saved)' }];
      const result = await session.call({ what: 'check write access', scope: 'work-write', project }, async () => (await session.wit()).createWorkItem(null, doc, project, 'Task', true));
      if (result === null) throw new AdoConnectorError('not-found', `Could not check write access: project ${project} has no Task type.`);
      if (!isRecord(result) || !isRecord(result.fields)) throw notAzureDevOps(session, 'a validate-only create returned no work item');
    }));
  } else {
    scopes.push({ scope: 'work-write', label: SCOPE_LABELS['work-write'].label, present: null, detail: 'No project is visible to check write access against.' });
  }
  scopes.push(await probe('identity-read', async () => {
    const base = deployment === 'services' ? await areaUrl(session, IMS_AREA) : session.orgUrl;
    await session.call({ what: 'read identities', scope: 'identity-read' }, () => rawGet(session, `${base}/_apis/identities?searchFilter=General&filterValue=${encodeURIComponent(uniqueName)}&queryMembership=None`, apiVersion));
  }));
  scopes.push(await probe('graph-read', async () => {
    const base = deployment === 'services' ? await areaUrl(session, GRAPH_AREA) : session.orgUrl;
    await session.call({ what: 'read users', scope: 'graph-read' }, () => rawGet(session, `${base}/_apis/graph/users`, `${apiVersion}-preview.1`));
  }));

  const missing = scopes.filter((s) => s.present === false).map((s) => s.label);
  return {
    orgUrl: session.orgUrl,
    deployment,
    user,
    scopes,
    missing,
    advice: accessAdvice(session, missing),
  };
}

export async function listProjects(session: AdoSession): Promise<AdoProject[]> {
  const out: AdoProject[] = [];
  let continuation: string | undefined;
  do {
    const page = await session.call({ what: 'list projects', scope: 'project-read' }, async () => (await session.core()).getProjects(undefined, 100, undefined, continuation as unknown as number));
    if (page === null) throw await session.explainNull({ what: 'list projects' });
    if (!Array.isArray(page) || page.some((p) => !isProject(p))) throw notAzureDevOps(session, 'the project list is not a list of projects');
    for (const p of page) out.push({ id: p.id!, name: p.name!, description: p.description ?? '', url: p.url ?? '' });
    continuation = page.continuationToken;
  } while (continuation);
  return out;
}

export async function listTeams(session: AdoSession, project: string): Promise<AdoTeam[]> {
  const teams = await session.call({ what: `list teams of ${project}`, scope: 'project-read', project }, async () => (await session.core()).getTeams(project));
  if (!teams) throw await session.explainNull({ what: `list teams of ${project}`, project });
  if (!Array.isArray(teams) || !teams.every((t) => isRecord(t) && typeof t.id === 'string' && typeof t.name === 'string')) throw notAzureDevOps(session, 'the team list is not a list of teams');
  return teams.map((t) => ({ id: t.id!, name: t.name!, projectName: t.projectName ?? project }));
}
