/**
 * Every Action.Execute verb PlanBridge accepts, with the rule the guard enforces and the flow
 * that handles it. A verb not listed here is refused: this table is the allow-list.
 */
import { ActionRefused, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { guardAction, type Guarded, type VerbRule } from './action-guard.js';
import { answerInTime } from './answer-in-time.js';
import { errorMessage } from './card-kit.js';
import { connectAdoForm, submitConnectAdo } from './connect-ado.js';
import { connectPwaForm, runFieldAction, submitConnectPwa } from './connect-pwa.js';
import { connectPlannerForm, submitConnectPlanner } from './connect-planner.js';
import { confirmRemove, connectionsCard, recheck, remove, rename, replaceSecret, signInAgain } from './connections.js';
import { saveSharing, showSharing } from './connection-sharing.js';
import { showHistory } from './history.js';
import { createIntegration, grantApproval, integrationCard, requestApproval, switchConnections } from './link.js';
import { editMapping, showMapping } from './mapping.js';
import { savePeople, showPeople } from './people.js';
import { fixConnection, pauseSchedule, retryNow, saveScheduleFromCard, setApprovalPolicy, showSchedule } from './schedule.js';
import type { FlowServices } from './services.js';
import { approve, previewFromCard, reject, viewPreview } from './sync.js';
import { progressCard } from './sync-cards.js';
import { OUTLOOK_VERBS } from './outlook/outlook-verbs.js';

const checking = (system: string) => progressCard(`Checking the connection to ${system}`, 'The server is slow to answer; this card updates when it does (at most a minute or two).', [
  { label: `Reach ${system} and sign in`, state: 'active' }, { label: 'Check what the account may do', state: 'todo' },
]);

type Handler = (s: FlowServices, turn: ActionTurn, action: CardAction, g: Guarded) => Promise<ActionReply>;

const VERBS: Record<string, VerbRule & { handle: Handler }> = {
  'connect.ado.start': { scope: 'none', handle: async (s, turn) => ({ card: connectAdoForm(turn.tenantId, undefined, {}, s.systems.adoManagedIdentity ?? false) }) },
  'connect.pwa.start': { scope: 'none', handle: async (s, turn) => ({ card: connectPwaForm(turn.tenantId, s.signIn !== undefined) }) },
  'connect.planner.start': { scope: 'none', handle: async (s, turn) => ({ card: connectPlannerForm(turn.tenantId, s.signIn !== undefined) }) },
  // Checking a new connection can outlast an invoke: progress first, the checklist in place when ready.
  'ado.connect': { scope: 'none', handle: (s, turn, a) => answerInTime(s, turn, 'connect ado', checking('Azure DevOps'), () => submitConnectAdo(s, turn, a)) },
  'pwa.connect': { scope: 'none', handle: (s, turn, a) => answerInTime(s, turn, 'connect pwa', checking('Project Web App'), () => submitConnectPwa(s, turn, a)) },
  'planner.connect': { scope: 'none', handle: (s, turn, a) => submitConnectPlanner(s, turn, a) },
  // Connections: the owner and tenant admins manage; the people it is shared with use it (connection-access.ts).
  'pwa.fields.create': { scope: 'connection', connection: 'use', handle: (s, turn, _a, g) => runFieldAction(s, turn, g.connection!, true) },
  'pwa.fields.verify': { scope: 'connection', connection: 'check', handle: (s, turn, _a, g) => runFieldAction(s, turn, g.connection!, false) },
  'conn.list': { scope: 'none', handle: async (s, turn) => ({ card: await connectionsCard(s, turn.tenantId) }) },
  'conn.recheck': { scope: 'connection', connection: 'check', handle: (s, turn, _a, g) => recheck(s, turn, g.connection!) },
  'conn.rename': { scope: 'connection', connection: 'manage', handle: (s, turn, a, g) => rename(s, turn, g.connection!, a) },
  'conn.secret': { scope: 'connection', connection: 'manage', handle: (s, turn, a, g) => replaceSecret(s, turn, g.connection!, a) },
  'conn.signin': { scope: 'connection', connection: 'manage', handle: (s, turn, _a, g) => signInAgain(s, turn, g.connection!) },
  'conn.sharing': { scope: 'connection', connection: 'manage', handle: (s, turn, _a, g) => showSharing(s, turn, g.connection!) },
  'conn.share': { scope: 'connection', connection: 'manage', required: ['mode'], handle: (s, turn, a, g) => saveSharing(s, turn, g.connection!, a) },
  'conn.remove': { scope: 'connection', connection: 'manage', handle: (s, turn, _a, g) => confirmRemove(s, turn, g.connection!) },
  'conn.remove.confirm': { scope: 'connection', connection: 'manage', handle: (s, turn, _a, g) => remove(s, turn, g.connection!) },
  // Linking uses both connections' credentials, so both must be shared with the caller ('plan': PWA or Planner premium).
  'link.connections': { scope: 'none', uses: { pickPlanConnection: 'plan', pickAdoConnection: 'ado' }, handle: (s, turn, a, g) => switchConnections(s, turn, a, g.used!.pickPlanConnection!, g.used!.pickAdoConnection!) },
  'link.create': { scope: 'none', uses: { planConnectionId: 'plan', adoConnectionId: 'ado' }, handle: (s, turn, a, g) => createIntegration(s, turn, a, g.used!.planConnectionId!, g.used!.adoConnectionId!) },
  'integration.show': { scope: 'integration', handle: async (_s, turn, _a, g) => ({ card: integrationCard(turn.tenantId, g.integration!) }) },
  'mapping.show': { scope: 'integration', handle: (s, turn, _a, g) => showMapping(s, turn, g.integration!) },
  'mapping.edit': { scope: 'integration', approversOnly: true, required: ['op', 'ruleId'], handle: (s, turn, a, g) => editMapping(s, turn, g.integration!, a) },
  'people.show': { scope: 'integration', handle: (s, turn, _a, g) => showPeople(s, turn, g.integration!) },
  'people.save': { scope: 'integration', approversOnly: true, handle: (s, turn, a, g) => savePeople(s, turn, g.integration!, a) },
  'approver.request': { scope: 'integration', handle: (s, turn, _a, g) => requestApproval(s, turn, g.integration!) },
  'approver.grant': { scope: 'integration', approversOnly: true, required: ['userId'], handle: (s, turn, a, g) => grantApproval(s, turn, g.integration!, a) },
  'sync.preview': { scope: 'integration', run: true, handle: (s, turn, a, g) => previewFromCard(s, turn, g.integration!, a) },
  'sync.view': { scope: 'run', handle: (s, turn, a, g) => viewPreview(s, turn, g.integration!, g.run!, a) },
  'sync.page': { scope: 'run', handle: (s, turn, a, g) => viewPreview(s, turn, g.integration!, g.run!, a) },
  'sync.approve': { scope: 'run', approversOnly: true, run: true, planHash: true, handle: (s, turn, a, g) => approve(s, turn, g.integration!, g.run!, a) },
  'sync.reject': { scope: 'run', approversOnly: true, handle: (s, turn, _a, g) => reject(s, turn, g.integration!, g.run!) },
  'history.show': { scope: 'integration', handle: (s, turn, _a, g) => showHistory(s, turn, g.integration!) },
  // Schedules can apply changes without an Approve click, so changing them is for approvers only.
  'schedule.show': { scope: 'integration', handle: (s, turn, _a, g) => showSchedule(s, turn, g.integration!) },
  'schedule.save': { scope: 'integration', approversOnly: true, required: ['spec'], handle: (s, turn, a, g) => saveScheduleFromCard(s, turn, g.integration!, a) },
  'schedule.policy': { scope: 'integration', approversOnly: true, required: ['approval'], handle: (s, turn, a, g) => setApprovalPolicy(s, turn, g.integration!, a) },
  'schedule.pause': { scope: 'integration', approversOnly: true, handle: (s, turn, _a, g) => pauseSchedule(s, turn, g.integration!, true) },
  'schedule.resume': { scope: 'integration', approversOnly: true, handle: (s, turn, _a, g) => pauseSchedule(s, turn, g.integration!, false) },
  'schedule.retry': { scope: 'integration', approversOnly: true, run: true, handle: (s, turn, _a, g) => retryNow(s, turn, g.integration!) },
  'schedule.fix': { scope: 'integration', handle: (s, turn) => fixConnection(s, turn) },
  ...OUTLOOK_VERBS,
};

export const KNOWN_VERBS: readonly string[] = Object.keys(VERBS);

/** The guard's rule for a verb (the authorization matrix test reads the table through this). */
export function verbRule(verb: string): VerbRule | undefined {
  if (!Object.hasOwn(VERBS, verb)) return undefined;
  const { handle: _handle, ...rule } = VERBS[verb]!;
  return rule;
}

/** Validates and runs one card action. Never throws: failures become a message for the user. */
export async function handleCardAction(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const entry = Object.hasOwn(VERBS, action.verb) ? VERBS[action.verb] : undefined;
  try {
    if (!entry) throw new ActionRefused('unknown-verb', 'That button is not one PlanBridge knows, so nothing was done. Type "help" to see what I can do.');
    const guarded = await guardAction(s, turn, action, entry);
    return await entry.handle(s, turn, action, guarded);
  } catch (err) {
    if (err instanceof ActionRefused) {
      s.logger.warn({
        tenant: turn.tenantId, user: turn.user.aadObjectId ?? turn.user.id, verb: action.verb.slice(0, 60), reason: err.reason,
        ids: pickIds(action.data),
      }, 'card action refused');
      return { message: err.message };
    }
    s.logger.error({ tenant: turn.tenantId, verb: action.verb.slice(0, 60), err: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown' }, 'card action failed');
    return { message: `That did not work: ${errorMessage(err)}` };
  }
}

/** Only ids go to the log, never what a user typed (a PAT, a password). */
function pickIds(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['connectionId', 'planConnectionId', 'adoConnectionId', 'pickPlanConnection', 'pickAdoConnection', 'integrationId', 'runId', 't']) {
    const v = data[key];
    if (typeof v === 'string') out[key] = v.slice(0, 100);
  }
  return out;
}
