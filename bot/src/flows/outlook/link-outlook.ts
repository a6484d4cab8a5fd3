/**
 * Journey: "link project Apollo to Outlook". Finds the plan in the plan connections the person
 * may use, takes their Outlook connection, shows the default mapping (nothing to choose, as in the
 * article's step 7) and creates the integration with the person as its approver.
 */
import { renderCard } from '../../cards/render.js';
import type { ConnectionDocument, Stored } from '../../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from '../actions.js';
import { button, errorMessage, notice } from '../card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from '../chat.js';
import { personOf } from '../connection-access.js';
import { chooseConnection, linkableConnections } from '../link-connections.js';
import { findPlanAcross } from '../find-plan.js';
import { isPlanConnection, systemName } from '../plan-systems.js';
import type { FlowServices } from '../services.js';
import { eventMapping, isOutlookIntegration } from './outlook-integration.js';

export async function startLinkOutlook(s: FlowServices, turn: ChatTurn, project: string): Promise<void> {
  await turn.send({ card: await linkCard(s, turn, project) });
}

async function linkCard(s: FlowServices, turn: ChatTurn, project: string): Promise<AdaptiveCardJson> {
  // The person's own connections first, then those shared with them (as "link project ... to ADO").
  const found = await linkableConnections(s, turn.tenantId, turn);
  const calendar = chooseConnection(found, 'outlook');
  const plans = found.usable.filter((c) => isPlanConnection(c));
  if (!calendar) {
    return notice('Connect Outlook first', 'Events are written into a Microsoft 365 calendar through an Outlook connection, and you have none yet (or none shared with you).', {
      tone: 'Warning', buttons: [button(turn.tenantId, 'Connect Outlook', 'connect.outlook.start', {}, 'positive')],
    });
  }
  if (plans.length === 0) {
    return notice('Connect a plan first', 'The tasks come from Project Web App (or Planner premium); connect one, then "Create fields" to add "Create event".', {
      tone: 'Warning', buttons: [button(turn.tenantId, 'Connect Project Web App', 'connect.pwa.start', {}, 'positive')],
    });
  }
  const search = await findPlanAcross(s, plans, project);
  if (search.kind !== 'found') {
    const which = search.kind === 'ambiguous' ? `"${project}" is in several plan connections: ${search.candidates.map((c) => `${c.project.name} (${c.connection.name})`).join(', ')}. Use the full name.` : `No plan named "${project}" was found.`;
    return notice(`Which plan is "${project}"?`, which, { tone: 'Warning', details: search.problems });
  }
  const planConnection = search.connection;
  const planProject = search.matches[0]!.project;
  const existing = (await s.store.integrations.list(turn.tenantId, { pageSize: 1000 })).items.find((i) => isOutlookIntegration(i) && i.planProjectId === planProject.id);
  if (existing) {
    return notice(`${planProject.name} is already linked to Outlook`, `The integration "${existing.name}" makes its events. To sync it, type "sync project ${planProject.name} to Outlook".`, {
      buttons: [button(turn.tenantId, 'Preview now', 'outlook.preview', { integrationId: existing.id }, 'positive')],
    });
  }
  const timeZone = (await s.systems.plan(planConnection)).timeZone;
  return setupCard(turn, planConnection, planProject, calendar, timeZone, `${planProject.name} → Outlook`);
}

function setupCard(turn: ChatTurn, plan: Stored<ConnectionDocument>, project: { id: string; name: string }, calendar: Stored<ConnectionDocument>, timeZone: string, name: string, nameError = ''): AdaptiveCardJson {
  const owner = calendar.outlook?.address ?? calendar.name;
  return renderCard('outlook-link', {
    title: `Link ${project.name} to Outlook`,
    subtitle: `Tasks of ${project.name} (${systemName(plan.kind)}: ${plan.name}) flagged "Create event" become events in ${owner}'s calendar (${calendar.name}), with invitations to the people assigned.`,
    mapping: eventMapping(timeZone),
    notes: [
      `Approvers: you (${turn.user.name ?? 'the person linking'}). Every sync is previewed and applied only when an approver approves it.`,
      'Cancelling an event is never automatic: clearing the flag or deleting the task only proposes it.',
    ],
    values: { name }, errors: { name: nameError },
    buttons: [button(turn.tenantId, 'Create integration', 'outlook.link.create', {
      planConnectionId: plan.id, outlookConnectionId: calendar.id, planProjectId: project.id, planProjectName: project.name, timeZone,
    }, 'positive')],
  });
}

export async function createOutlookIntegration(s: FlowServices, turn: ActionTurn, action: CardAction, plan: Stored<ConnectionDocument>, calendar: Stored<ConnectionDocument>): Promise<ActionReply> {
  const d = action.data;
  const planProjectId = text(d, 'planProjectId', 200);
  const planProjectName = text(d, 'planProjectName', 200) ?? 'the plan';
  if (!planProjectId) return { message: 'This card does not say which plan to link; start again with "link project ‹plan› to Outlook".' };
  const name = text(d, 'name', 120)?.trim();
  if (!name) return { card: setupCard(turn, plan, { id: planProjectId, name: planProjectName }, calendar, text(d, 'timeZone', 60) ?? 'UTC', '', 'Give the integration a name.') };
  // The plan must still be there and readable with this connection.
  try {
    await (await s.systems.plan(plan)).getProject(planProjectId);
  } catch (err) {
    return { message: `The plan could not be read, so nothing was linked: ${errorMessage(err)}` };
  }
  const i = await s.store.integrations.create(turn.tenantId, {
    name, target: 'outlook', planConnectionId: plan.id, planProjectId, planProjectName,
    outlookConnectionId: calendar.id, adoConnectionId: calendar.id, adoProjects: [],
    direction: 'plan-to-ado', mapping: [], hierarchy: { levels: [], leafType: 'Task' },
    approvers: [personOf(turn.user)],
    notifications: { conversationId: turn.conversationId, onFailure: true, onSuccess: false },
    createdBy: turn.user.aadObjectId ?? turn.user.id,
  });
  s.logger.info({ tenant: turn.tenantId, integration: i.id }, 'Outlook integration created');
  return {
    card: notice(`Linked: ${name}`, `Tasks of ${planProjectName} flagged "Create event" become events in ${calendar.outlook?.address ?? calendar.name}'s calendar. Nothing is written until an approver approves a preview.`, {
      tone: 'Good', details: [`Approvers: ${turn.user.name ?? 'you'}.`, `To sync, type: sync project ${planProjectName} to Outlook`],
      buttons: [button(turn.tenantId, 'Preview now', 'outlook.preview', { integrationId: i.id }, 'positive')],
    }),
  };
}
