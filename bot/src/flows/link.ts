/**
 * Journey: set up an integration ("link project Apollo to ADO project Phoenix"). One card holds
 * every setting, filled with defaults from the ADO process, so "link ..." then "Create
 * integration" is the whole setup; everything stays editable later.
 */
import type { Choice, IntegrationCardData } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { ProjectMatch } from '../connectors/ppm.js';
import type { AdoScopeSetting, ConnectionDocument, IntegrationDocument, Stored, SyncDirection } from '../store/index.js';
import { PROCESSES, hierarchyProblem, readProcessLabel, type ProcessLabel, type ProcessName } from '../sync/processes.js';
import { SYNC_FLAG_FIELD } from '../sync/planbridge-fields.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { approverNames, isApprover } from './action-guard.js';
import { button, errorMessage, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import { chooseConnection, connectionChoices, linkableConnections, notSharedNote } from './link-connections.js';
import { CREATION_LABELS, DIRECTION_LABELS, creationOption, defaultStoredPlannerRules, defaultStoredRules, processName } from './integration-model.js';
import { findPlanAcross, type PlanCandidate } from './find-plan.js';
import { isPlanConnection, systemName } from './plan-systems.js';
import { scheduleSummary } from './schedule.js';
import type { FlowServices } from './services.js';
import { isOutlookIntegration } from './outlook/outlook-integration.js';
import type { AdoDirectory } from './systems.js';

const WHOLE = '';

/** Which plan tasks take part (IntegrationSettings.planTasks). */
export const PLAN_TASKS_LABELS: Record<'all' | 'flagged', string> = {
  all: 'All tasks',
  flagged: `Only tasks flagged "${SYNC_FLAG_FIELD}"`,
};

function missingConnection(tenantId: string, kind: 'ado' | 'plan', notShared: string): AdaptiveCardJson {
  const system = kind === 'ado' ? 'Azure DevOps' : 'Project Web App or Planner premium';
  const buttons = kind === 'ado'
    ? [button(tenantId, 'Connect Azure DevOps', 'connect.ado.start', {}, 'positive')]
    : [button(tenantId, 'Connect Project Web App', 'connect.pwa.start', {}, 'positive'), button(tenantId, 'Connect Planner premium', 'connect.planner.start')];
  return notice(`Connect ${system} first`,
    `An integration joins a plan (Project Web App or Planner premium) to Azure DevOps, and there is no ${kind === 'ado' ? system : 'plan system'} connection ${notShared ? 'you can use' : 'yet'}.`,
    { tone: 'Warning', details: notShared ? [notShared] : [], buttons });
}

/** The same plan name in several plan connections: one button per connection, each reopening the link card with it. */
function whichPlanCard(tenantId: string, planProject: string, adoProject: string | undefined, ado: Stored<ConnectionDocument>, candidates: PlanCandidate[], problems: string[]): AdaptiveCardJson {
  return notice(`Which "${planProject}"?`, `More than one plan system you can use has a plan called "${planProject}". Pick the one to link to Azure DevOps.`, {
    details: problems,
    buttons: candidates.map((c) => button(tenantId, `${c.project.name} in ${systemName(c.connection.kind)} (${c.connection.name})`, 'link.connections', {
      pickPlanConnection: c.connection.id, pickAdoConnection: ado.id, planProject, ...(adoProject ? { adoProject } : {}),
    })),
  });
}

/**
 * A directory that can also list a project's work item types (its adapter's `workItemTypes`).
 * Without it the hierarchy is checked against the system process alone.
 */

/** A level or leaf type some project lacks, said with the types that project really has; null when all fit. */
async function missingTypes(directory: AdoDirectory, projects: readonly string[], wanted: readonly string[]): Promise<string | null> {
  if (!directory.workItemTypes) return null;
  for (const project of projects) {
    const types = await directory.workItemTypes(project);
    const has = new Set(types.map((t) => t.toLowerCase()));
    const missing = [...new Set(wanted)].filter((t) => t && !has.has(t.toLowerCase()));
    if (missing.length > 0) {
      return `${project} has no ${missing.map((m) => `"${m}"`).join(', ')} work item type. Its types are ${types.join(', ')}; pick the levels from those.`;
    }
  }
  return null;
}

/** "Vega uses the Contoso Agile process (inherits Agile), so plan outline levels map to ...", and what was assumed when ADO could not tell. */
function processNote(project: string, label: ProcessLabel, process: ProcessName): string {
  const p = PROCESSES[process];
  const note = `${project} uses the ${label.name} process${label.note ? ` ${label.note}` : ''}, so plan outline levels map to ${p.levels.join(' > ')} and leaf tasks become ${p.leafType}s.`;
  return label.base ? note : `${note} PlanBridge could not tell which system process it follows, so these are ${process}'s levels; check them.`;
}

const choices = (values: string[], whole?: string): Choice[] => [...(whole ? [{ title: whole, value: WHOLE }] : []), ...values.map((v) => ({ title: v, value: v }))];

export async function startLink(s: FlowServices, turn: ChatTurn, planProject: string, adoProject?: string): Promise<void> {
  await turn.send({ card: await linkSetupCard(s, turn, planProject, adoProject) });
}

/** The connections to link with: requested ids (when the caller may use them), else the caller's own. */
export interface ConnectionRequest {
  /** A plan connection: Project Web App or Planner premium. */
  planId?: string;
  adoId?: string;
}

export async function linkSetupCard(s: FlowServices, turn: Pick<ChatTurn, 'tenantId' | 'conversationId' | 'conversationKind' | 'user'>, planProject: string | undefined, adoProject: string | undefined, problem = '', requested: ConnectionRequest = {}): Promise<AdaptiveCardJson> {
  const found = await linkableConnections(s, turn.tenantId, turn);
  const ado = chooseConnection(found, 'ado', requested.adoId);
  if (!ado) return missingConnection(turn.tenantId, 'ado', notSharedNote(found, 'ado'));
  const planChoices = found.usable.filter(isPlanConnection);
  if (planChoices.length === 0) return missingConnection(turn.tenantId, 'plan', notSharedNote(found, 'plan'));
  const planConnections = connectionChoices(found, 'plan', turn);
  const adoConnections = connectionChoices(found, 'ado', turn);
  const notes: string[] = [];
  let planConnection = requested.planId ? chooseConnection(found, 'plan', requested.planId) : undefined;
  let searched: ProjectMatch[] | undefined;
  // No connection asked for: the plan's name decides which plan system it is in.
  if (!planConnection && planProject && planChoices.length > 1) {
    const search = await findPlanAcross(s, planChoices, planProject);
    if (search.kind === 'ambiguous') return whichPlanCard(turn.tenantId, planProject, adoProject, ado, search.candidates, search.problems);
    notes.push(...search.problems);
    if (search.kind === 'found') {
      planConnection = search.connection;
      searched = search.matches;
    }
  }
  planConnection ??= chooseConnection(found, 'plan')!;
  const planner = planConnection.kind === 'planner';
  try {
    const plan = await s.systems.plan(planConnection);
    const directory = await s.systems.ado(ado);
    const [allPlans, matches, adoProjects] = await Promise.all([plan.listProjects(), searched ?? (planProject ? plan.findProjects(planProject) : Promise.resolve([] as ProjectMatch[])), directory.listProjects()]);
    const planChoice = matches[0]?.project ?? allPlans[0];
    const adoChoice = adoProjects.find((p) => p.name.toLowerCase() === (adoProject ?? '').toLowerCase()) ?? adoProjects[0];
    if (!planChoice) return notice('No plans to link', `${planConnection.name} has no projects this account can read.`, { tone: 'Warning' });
    if (!adoChoice) return notice('No ADO projects to link', `${ado.name} has no projects this PAT can read.`, { tone: 'Warning' });
    const label = readProcessLabel(await directory.processOf(adoChoice.name));
    const process = processName(label.base ?? undefined);
    const p = PROCESSES[process];
    const [teams, areas, iterations] = await Promise.all([directory.listTeams(adoChoice.name), directory.areaPaths(adoChoice.name), directory.iterationPaths(adoChoice.name)]);
    if (planProject && matches.length === 0) notes.push(`No plan is called "${planProject}"; pick one below.`);
    else if (matches.length > 1 && matches[0]!.match !== 'exact') notes.push(`"${planProject}" matches ${matches.length} plans; check the one picked below.`);
    if (adoProject && adoChoice.name.toLowerCase() !== adoProject.toLowerCase()) notes.push(`No ADO project is called "${adoProject}"; pick one below.`);
    const unfit = await missingTypes(directory, [adoChoice.name], [...p.levels, p.leafType]);
    if (unfit) notes.push(unfit);
    return renderCard('link-setup', {
      title: `Link ${planChoice.name} to Azure DevOps`,
      intro: 'These defaults suit most teams: check them and press "Create integration". Everything can be changed later.',
      problem: [problem, ...notes].filter(Boolean).join(' '),
      planProjects: (matches.length > 1 ? matches.map((m) => m.project) : allPlans).map((x) => ({ title: x.name, value: x.id })),
      planProjectId: planChoice.id,
      planLabel: `Plan (${systemName(planConnection.kind)})`,
      adoProjects: adoProjects.map((x) => ({ title: x.name, value: x.name })),
      adoProjectsValue: adoChoice.name,
      teams: choices(teams, '(whole project)'),
      areas: choices(areas, '(every area)'),
      iterations: choices(iterations, '(every iteration)'),
      directions: Object.entries(DIRECTION_LABELS).map(([value, title]) => ({ title, value })),
      direction: 'plan-to-ado',
      // Planner premium has no custom task fields, so no "Sync to ADO" flag to select tasks by.
      planTaskChoices: Object.entries(PLAN_TASKS_LABELS).filter(([value]) => !planner || value === 'all').map(([value, title]) => ({ title, value })),
      planTasks: 'all',
      levels: p.levels.join(' > '),
      leafType: p.leafType,
      creations: Object.entries(CREATION_LABELS).map(([value, title]) => ({ title, value })),
      creation: 'withAllSubItems',
      processNote: processNote(adoChoice.name, label, process),
      approverNote: `Approvers: you (${turn.user.name ?? 'the person setting this up'}). Others can ask to be added from the integration card.`,
      notifyChoices: [{ title: turn.conversationKind === 'personal' ? 'This chat' : 'This chat or channel', value: 'here' }, { title: 'Nowhere (only when I ask)', value: 'none' }],
      notify: 'here',
      connectionsNote: `Using ${planConnection.name}${planner ? ' (Planner premium)' : ''} and ${ado.name}.${planConnections.length + adoConnections.length > 2 ? ' Pick others below and press "Use these connections" to switch.' : ''}`,
      showConnectionPicker: planConnections.length + adoConnections.length > 2,
      planConnections, planConnectionValue: planConnection.id, adoConnections, adoConnectionValue: ado.id,
      switchConnections: button(turn.tenantId, 'Use these connections', 'link.connections', { ...(planProject ? { planProject } : {}), ...(adoProject ? { adoProject } : {}) }),
      submit: button(turn.tenantId, 'Create integration', 'link.create', { planConnectionId: planConnection.id, adoConnectionId: ado.id }, 'positive'),
    });
  } catch (err) {
    return notice('Could not read the projects to link', errorMessage(err), { tone: 'Attention', buttons: [button(turn.tenantId, 'Manage connections', 'conn.list')] });
  }
}

export function integrationCard(tenantId: string, i: IntegrationDocument, headline?: string): AdaptiveCardJson {
  const scopes: AdoScopeSetting[] = i.adoScopes?.length ? i.adoScopes : i.adoProjects.map((project) => ({ project }));
  const data: IntegrationCardData = {
    title: headline ?? i.name,
    // The headline usually names the integration already ("Linked: Apollo ↔ Phoenix"); don't say it twice.
    subtitle: headline && !headline.includes(i.name) ? i.name : 'Integration settings',
    facts: [
      { label: 'Plan', value: i.planProjectName ?? i.planProjectId },
      { label: 'Azure DevOps', value: scopes.map((x) => [x.project, x.team, x.areaPath, x.iterationPath, x.queryId && `query ${x.queryId}`].filter(Boolean).join(' / ')).join('; ') },
      { label: 'Direction', value: DIRECTION_LABELS[i.direction] },
      { label: 'Hierarchy', value: `${i.hierarchy.levels.join(' > ')}; leaf tasks become ${i.hierarchy.leafType}s` },
      { label: 'Plan tasks', value: PLAN_TASKS_LABELS[i.planTasks ?? 'all'] },
      { label: 'New items', value: CREATION_LABELS[creationOption(i.creation)] },
      { label: 'Field mapping', value: `${i.mapping.filter((r) => r.enabled).length} of ${i.mapping.length} rules on` },
      { label: 'Approvers', value: approverNames(i) },
      { label: 'Notifications', value: i.notifications.conversationId ? 'Posted in the chat where it was set up' : 'None' },
      { label: 'Schedule', value: scheduleSummary(i) },
    ],
    buttons: [
      button(tenantId, 'Preview sync now', 'sync.preview', { integrationId: i.id }, 'positive'),
      button(tenantId, 'Edit field mapping', 'mapping.show', { integrationId: i.id }),
      button(tenantId, 'People', 'people.show', { integrationId: i.id }),
      button(tenantId, 'Schedule and approval', 'schedule.show', { integrationId: i.id }),
      button(tenantId, 'I want to approve too', 'approver.request', { integrationId: i.id }),
    ],
  };
  return renderCard('integration', data);
}

/** "Use these connections": the same card, read through the connections picked on it. */
export async function switchConnections(s: FlowServices, turn: ActionTurn, action: CardAction, plan: Stored<ConnectionDocument>, ado: Stored<ConnectionDocument>): Promise<ActionReply> {
  return { card: await linkSetupCard(s, turn, text(action.data, 'planProject', 200), text(action.data, 'adoProject', 200), '', { planId: plan.id, adoId: ado.id }) };
}

/** The action guard has checked that both connections exist, are of their kind (any plan system, ADO), and are shared with the caller. */
export async function createIntegration(s: FlowServices, turn: ActionTurn, action: CardAction, planConnection: Stored<ConnectionDocument>, ado: Stored<ConnectionDocument>): Promise<ActionReply> {
  const d = action.data;
  const reshow = async (problem: string): Promise<ActionReply> => ({ card: await linkSetupCard(s, turn, undefined, text(d, 'adoProjects')?.split(',')[0], problem, { planId: planConnection.id, adoId: ado.id }) });
  const planProjectId = text(d, 'planProjectId', 100);
  const adoProjects = (text(d, 'adoProjects', 2000) ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const direction = text(d, 'direction', 20) as SyncDirection | undefined;
  const creation = text(d, 'creation', 40);
  const levels = (text(d, 'levels', 300) ?? '').split('>').map((x) => x.trim()).filter(Boolean);
  const leafType = text(d, 'leafType', 60) ?? '';
  const planTasks = text(d, 'planTasks', 20) ?? 'all';
  if (!planProjectId) return reshow('Pick the plan project.');
  if (adoProjects.length === 0) return reshow('Pick at least one Azure DevOps project.');
  if (!direction || !(direction in DIRECTION_LABELS)) return reshow('Pick a direction.');
  if (!creation || !(creation in CREATION_LABELS)) return reshow('Pick what to create along with a new item.');
  if (planTasks !== 'all' && planTasks !== 'flagged') return reshow('Pick which plan tasks take part.');
  if (planTasks === 'flagged' && planConnection.kind === 'planner') return reshow(`Planner premium plans have no "${SYNC_FLAG_FIELD}" task field to flag tasks with; pick "${PLAN_TASKS_LABELS.all}".`);
  try {
    const plan = await s.systems.plan(planConnection);
    const directory = await s.systems.ado(ado);
    const project = await plan.getProject(planProjectId);
    const known = new Set((await directory.listProjects()).map((p) => p.name));
    const unknown = adoProjects.filter((p) => !known.has(p));
    if (unknown.length > 0) return reshow(`Azure DevOps has no project ${unknown.map((u) => `"${u}"`).join(', ')}.`);
    const process = processName(await directory.processOf(adoProjects[0]!));
    // The project's real types first: they name what it lacks better than the system process can.
    const problem = await missingTypes(directory, adoProjects, [...levels, leafType]) ?? hierarchyProblem(process, levels, leafType);
    if (problem) return reshow(problem);
    if (planTasks === 'flagged' && !(await plan.listFields()).some((f) => f.entity === 'task' && f.name === SYNC_FLAG_FIELD)) {
      return reshow(`The plan site has no "${SYNC_FLAG_FIELD}" task field to flag tasks with. Type "connect planConnection", then "Verify configuration" and "Create fields"; then flag the tasks to sync and link again.`);
    }
    // An Outlook integration of the same plan is another target, not a second ADO link.
    const existing = (await s.store.integrations.list(turn.tenantId, { pageSize: 500 })).items.find((i) => i.planProjectId === project.id && !isOutlookIntegration(i));
    if (existing) return { card: integrationCard(turn.tenantId, existing, `${project.name} is already linked`) };
    const narrow = { team: text(d, 'team', 200), areaPath: text(d, 'areaPath', 400), iterationPath: text(d, 'iterationPath', 400), queryId: text(d, 'queryId', 100) };
    const adoScopes = adoProjects.map((p, index) => ({ project: p, ...(index === 0 ? Object.fromEntries(Object.entries(narrow).filter(([, v]) => v)) : {}) }));
    const integration = await s.store.integrations.create(turn.tenantId, {
      name: `${project.name} ↔ ${adoProjects.join(' + ')}`,
      planConnectionId: planConnection.id, planProjectId: project.id, planProjectName: project.name,
      adoConnectionId: ado.id, adoProjects, adoScopes,
      direction, process, creation, planTasks,
      mapping: planConnection.kind === 'planner'
        ? defaultStoredPlannerRules(process, { iterations: await directory.iterationPaths(adoProjects[0]!), areas: await directory.areaPaths(adoProjects[0]!) })
        : defaultStoredRules(process),
      hierarchy: { levels, leafType, importAsTasks: [...PROCESSES[process].extraTaskTypes], teamProjectAsTopParent: false, includeOutsideIterations: true },
      approvers: [{ id: turn.user.id, ...(turn.user.aadObjectId ? { aadObjectId: turn.user.aadObjectId } : {}), ...(turn.user.name ? { name: turn.user.name } : {}) }],
      notifications: { ...(text(d, 'notify') !== 'none' ? { conversationId: turn.conversationId } : {}), onFailure: true, onSuccess: false },
      createdBy: turn.user.aadObjectId ?? turn.user.id,
    });
    s.logger.info({ tenant: turn.tenantId, integration: integration.id }, 'integration created');
    return { card: integrationCard(turn.tenantId, integration, `Linked: ${integration.name}`) };
  } catch (err) {
    return reshow(errorMessage(err));
  }
}

/** Anyone may ask; the request card's Grant button only works for an existing approver. */
export async function requestApproval(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>): Promise<ActionReply> {
  if (isApprover(i, turn.user)) return { message: `You are already an approver of "${i.name}".` };
  await turn.send({
    card: notice(`${turn.user.name ?? 'Someone'} asks to approve syncs of ${i.name}`, `Current approvers: ${approverNames(i)}. Only they can grant this.`, {
      buttons: [button(turn.tenantId, 'Grant', 'approver.grant', { integrationId: i.id, userId: turn.user.id, aadObjectId: turn.user.aadObjectId ?? '', name: turn.user.name ?? '' }, 'positive')],
    }),
  });
  return { message: 'I asked the approvers; you will be able to approve once one of them grants it.' };
}

export async function grantApproval(s: FlowServices, turn: ActionTurn, i: Stored<IntegrationDocument>, action: CardAction): Promise<ActionReply> {
  const id = text(action.data, 'userId', 200)!;
  const aadObjectId = text(action.data, 'aadObjectId', 100);
  const name = text(action.data, 'name', 200);
  const updated = await s.store.integrations.update(turn.tenantId, i.id, (current) => ({
    approvers: isApprover(current, { id, ...(aadObjectId ? { aadObjectId } : {}) }) ? current.approvers : [...(current.approvers ?? []), { id, ...(aadObjectId ? { aadObjectId } : {}), ...(name ? { name } : {}) }],
  }));
  s.logger.info({ tenant: turn.tenantId, integration: i.id }, 'approver added');
  return { card: integrationCard(turn.tenantId, updated, `${name ?? 'They'} can now approve`) };
}
