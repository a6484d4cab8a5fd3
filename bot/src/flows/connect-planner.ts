/**
 * Journey: connect Planner premium (Project for the web, on Dataverse). The environment URL, then
 * Microsoft 365 sign-in (PlanBridge keeps and renews it, so schedules work) or a pasted delegated
 * access token. Access is checked before the connection is used: read access to the scheduling
 * tables, and a Microsoft Project licence, without which the Project schedule APIs refuse every
 * write. An account without the licence is refused (a pasted token is never stored; a new
 * signed-in connection is removed again), so nobody links a plan every sync would fail to write.
 */
import { environmentOrigin } from '../connectors/planner/client.js';
import { PlanConnectorError } from '../connectors/ppm.js';
import type { ConnectPlannerCardData } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import { withoutCredentials } from '../net/url-safety.js';
import { addressProblem, mark } from './connect-checks.js';
import type { ConnectionDocument, PendingSignIn, Stored } from '../store/index.js';
import { canonicalTimeZone } from '../time/zone-time.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { button, errorMessage, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn, OutgoingMessage } from './chat.js';
import { ownership } from './connection-access.js';
import { signsInWithMicrosoft365 } from './plan-systems.js';
import type { FlowServices } from './services.js';
import { beginSignInCard, SIGN_IN_UNAVAILABLE } from './sign-in-start.js';
import type { AccessReport } from './systems.js';

type Values = ConnectPlannerCardData['values'];
type Errors = ConnectPlannerCardData['errors'];
const NO_ERRORS: Errors = { url: '', method: '', secret: '', timeZone: '', form: '' };

const TOKEN_NOTE = 'Only with "An access token": a delegated token for the environment (scope {environment URL}/user_impersonation, for example from "az account get-access-token --resource {environment URL}"). '
  + 'It expires within about an hour: enough to try PlanBridge and sync on demand, not for scheduled syncs.';

const METHODS = { signin: 'Microsoft 365 sign-in (PlanBridge renews it, so schedules work)', token: 'An access token (expires within about an hour)' } as const;

export function connectPlannerForm(tenantId: string, signInOffered: boolean, values?: Values, errors: Partial<Errors> = {}): AdaptiveCardJson {
  const shown = values ?? { url: '', name: '', timeZone: 'UTC', method: signInOffered ? 'signin' : 'token' };
  const methods = (signInOffered ? (['signin', 'token'] as const) : (['token'] as const)).map((value) => ({ title: METHODS[value], value }));
  return renderCard('connect-planner', {
    values: shown, errors: { ...NO_ERRORS, ...errors }, methods, tokenNote: TOKEN_NOTE,
    submit: button(tenantId, 'Connect', 'planner.connect', {}, 'positive'),
  });
}

export async function startConnectPlanner(s: FlowServices, turn: ChatTurn): Promise<void> {
  await turn.send({ card: connectPlannerForm(turn.tenantId, s.signIn !== undefined) });
}


function zoneProblem(zone: string): string {
  return canonicalTimeZone(zone) !== undefined ? '' : `"${zone}" is not a time zone name; use one like Europe/Berlin or UTC (where the plan's people work).`;
}

/** What "connect planner" found, as at connect and on "Check again". */
export function plannerChecklist(tenantId: string, connection: ConnectionDocument, report: AccessReport): AdaptiveCardJson {
  const ok = report.canRead && report.canEdit;
  const licensed = report.canEdit || !report.missing.some((m) => /licence/i.test(m));
  const signedIn = signsInWithMicrosoft365(connection);
  const account = connection.auth.type === 'oauth' ? connection.auth.account : undefined;
  return renderCard('checklist', {
    title: ok ? `Connected to Planner premium: ${connection.name}` : 'Connected, but the account cannot do everything PlanBridge needs',
    subtitle: signedIn
      ? `${connection.url}, signed in with Microsoft 365${account ? ` as ${account}` : ''} (PlanBridge renews the sign-in).`
      : `${connection.url} with an access token (it expires within about an hour).`,
    tone: ok ? 'Good' : 'Warning',
    items: [
      { label: 'Read plans, tasks, buckets, sprints and assignments', mark: mark(report.canRead), detail: report.canRead ? 'allowed' : 'not allowed' },
      { label: 'Microsoft Project licence (Project Plan 1, 3 or 5)', mark: mark(licensed), detail: licensed ? 'assigned' : 'missing: Planner premium refuses writes without it' },
      { label: 'Change plans through the Project schedule APIs', mark: mark(report.canEdit), detail: report.canEdit ? 'allowed' : 'not allowed' },
    ],
    notes: [
      ...(report.missing.length > 0 ? [`Missing: ${report.missing.join('; ')}.`] : []),
      ...report.warnings,
      signedIn
        ? 'Link a plan with "link project ‹plan› to ADO project ‹project›"; syncs on demand and on a schedule both work.'
        : 'Link a plan with "link project ‹plan› to ADO project ‹project›". Sync on demand works while the token lasts; replace it from "connections" when it expires.',
      signedIn ? 'The sign-in is stored encrypted; remove the connection to forget it.' : 'The token is stored encrypted and will not be shown again.',
    ],
    buttons: [button(tenantId, 'Manage connections', 'conn.list')],
  });
}

/** Why the account may not be used, or '' when it may: it must read the plans and hold a Project licence. */
export function plannerRefusal(report: AccessReport): string {
  if (!report.canRead) return `The account cannot read what PlanBridge needs in this environment (${report.missing.join('; ')}). Ask the environment's admin for the Project User security role.`;
  if (!report.canEdit) return `${report.missing.join('; ')}. Assign a Project licence to the account in the Microsoft 365 admin center, or use a licensed account's token. Nothing was saved.`;
  return '';
}

export async function submitConnectPlanner(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const signInOffered = s.signIn !== undefined;
  const values: Values = {
    url: environmentOrigin(text(action.data, 'url', 500) ?? ''),
    name: text(action.data, 'name', 100) ?? '',
    timeZone: text(action.data, 'timeZone', 60) ?? 'UTC',
    method: text(action.data, 'method', 10) === 'signin' ? 'signin' : 'token',
  };
  const token = text(action.data, 'secret', 8000);
  const errors: Partial<Errors> = {};
  const url = addressProblem(values.url, {
    localMode: s.localMode, system: 'Dataverse', allowPrivateNetwork: true,
    missing: 'Give the Dataverse environment URL, e.g. https://contoso.crm4.dynamics.com.',
    invalid: 'That is not a URL. Use the environment\'s full address, e.g. https://contoso.crm4.dynamics.com.',
  });
  if (url) {
    errors.url = url;
    // Never echo a password typed into the URL back into the form.
    values.url = withoutCredentials(values.url);
  }
  const zone = zoneProblem(values.timeZone);
  if (zone) errors.timeZone = zone;
  if (values.method === 'signin' && !signInOffered) errors.method = SIGN_IN_UNAVAILABLE;
  if (values.method === 'token' && !token) errors.secret = 'Paste the access token.';
  if (Object.values(errors).some(Boolean)) return { card: connectPlannerForm(turn.tenantId, signInOffered, values, errors) };
  const name = values.name || `Planner ${new URL(values.url).host}`;
  if (values.method === 'signin') {
    try {
      return { card: await beginSignInCard(s, turn, { system: 'planner', url: values.url, name, timeZone: values.timeZone }) };
    } catch (err) {
      s.logger.info({ tenant: turn.tenantId, err: err instanceof Error ? err.name : 'unknown' }, 'Planner sign-in could not start');
      return { card: connectPlannerForm(turn.tenantId, signInOffered, values, { method: errorMessage(err) }) };
    }
  }

  let report: AccessReport;
  try {
    report = await s.systems.plannerFromInput(values.url, token!, values.timeZone).verifyAccess();
  } catch (err) {
    const code = err instanceof PlanConnectorError ? err.code : undefined;
    const field: keyof Errors = code === 'auth-failed' || code === 'forbidden' || code === 'not-licensed' ? 'secret' : code === 'unreachable' ? 'url' : 'form';
    s.logger.info({ tenant: turn.tenantId, code: code ?? 'unexpected' }, 'Planner access check failed');
    return { card: connectPlannerForm(turn.tenantId, signInOffered, values, { [field]: errorMessage(err) }) };
  }
  const refused = plannerRefusal(report);
  if (refused) {
    s.logger.info({ tenant: turn.tenantId, canRead: report.canRead, canEdit: report.canEdit }, 'Planner connection refused');
    return { card: connectPlannerForm(turn.tenantId, signInOffered, values, { secret: refused }) };
  }
  const created = await s.store.connections.create(turn.tenantId, {
    kind: 'planner', name, url: values.url, secret: token!, timeZone: values.timeZone,
    auth: { type: 'oauth' },
    ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, created.id, () => ({ check: { ok: true, checkedAt: s.now().toISOString() } }));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id }, 'Planner connection added');
  return { card: plannerChecklist(turn.tenantId, saved, report) };
}

/**
 * After a Microsoft 365 sign-in for Planner premium (flows/sign-in-result.ts): the same checks as
 * a pasted token. An account that may not be used is refused; a connection made by this sign-in
 * is removed again (nothing half-usable stays), one signed in again is kept and marked.
 */
export async function checkSignedInPlanner(s: FlowServices, pending: PendingSignIn, connection: Stored<ConnectionDocument>): Promise<OutgoingMessage> {
  const report = await (await s.systems.planner(connection)).verifyAccess();
  const refused = plannerRefusal(report);
  const checkedAt = s.now().toISOString();
  if (refused && !pending.draft.connectionId) {
    await s.store.connections.remove(pending.tenantId, connection.id);
    s.systems.forget(connection.id);
    s.logger.info({ tenant: pending.tenantId, canRead: report.canRead, canEdit: report.canEdit }, 'Planner sign-in refused');
    return { card: notice('Not connected to Planner premium', refused.replace(/ Nothing was saved\.$/, ''), {
      tone: 'Attention', details: ['The sign-in was not kept. Type "connect planner" to sign in with another account.'],
    }) };
  }
  const saved = await s.store.connections.update(pending.tenantId, connection.id, () => ({ check: refused ? { ok: false, checkedAt, problem: refused } : { ok: true, checkedAt } }));
  return { card: plannerChecklist(pending.tenantId, saved, report) };
}
