/**
 * Journey: connect Planner premium (Project for the web, on Dataverse). The environment URL and a
 * delegated access token; access is checked before anything is stored: who the token signs in as,
 * read access to the scheduling tables, and a Microsoft Project licence, without which the
 * Project schedule APIs refuse every write. An account without the licence is refused here, so
 * nobody links a plan that every sync would then fail to write.
 */
import { environmentOrigin } from '../connectors/planner/client.js';
import { PlanConnectorError } from '../connectors/ppm.js';
import type { ConnectPlannerCardData } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import { checkUrlText, UnsafeUrlError, withoutCredentials } from '../net/url-safety.js';
import type { ConnectionDocument } from '../store/index.js';
import { canonicalTimeZone } from '../time/zone-time.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { button, errorMessage } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import { ownership } from './connection-access.js';
import type { FlowServices } from './services.js';
import type { AccessReport } from './systems.js';

type Values = ConnectPlannerCardData['values'];
type Errors = ConnectPlannerCardData['errors'];
const NO_ERRORS: Errors = { url: '', secret: '', timeZone: '', form: '' };
const EMPTY: Values = { url: '', name: '', timeZone: 'UTC' };

const TOKEN_NOTE = 'A delegated access token for the environment (scope {environment URL}/user_impersonation, for example from "az account get-access-token --resource {environment URL}"). '
  + 'It expires within about an hour: enough to try PlanBridge and sync on demand, not for scheduled syncs. Microsoft 365 sign-in for Planner premium is not available yet.';

export function connectPlannerForm(tenantId: string, values: Values = EMPTY, errors: Partial<Errors> = {}): AdaptiveCardJson {
  return renderCard('connect-planner', {
    values, errors: { ...NO_ERRORS, ...errors }, tokenNote: TOKEN_NOTE,
    submit: button(tenantId, 'Connect', 'planner.connect', {}, 'positive'),
  });
}

export async function startConnectPlanner(turn: ChatTurn): Promise<void> {
  await turn.send({ card: connectPlannerForm(turn.tenantId) });
}

/** The URL by the shared policy before anything is sent; private addresses are judged when the client connects. */
function urlProblem(url: string, localMode: boolean): string {
  if (!url) return 'Give the Dataverse environment URL, e.g. https://contoso.crm4.dynamics.com.';
  try {
    checkUrlText(url, { localMode, allowPrivateNetwork: true }, 'Dataverse');
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    return err.reason === 'invalid' ? 'That is not a URL. Use the environment\'s full address, e.g. https://contoso.crm4.dynamics.com.' : err.message;
  }
  return '';
}

function zoneProblem(zone: string): string {
  return canonicalTimeZone(zone) !== undefined ? '' : `"${zone}" is not a time zone name; use one like Europe/Berlin or UTC (where the plan's people work).`;
}

const mark = (yes: boolean): string => (yes ? '✓' : '✗');

/** What "connect planner" found, as at connect and on "Check again". */
export function plannerChecklist(tenantId: string, connection: ConnectionDocument, report: AccessReport): AdaptiveCardJson {
  const ok = report.canRead && report.canEdit;
  const licensed = report.canEdit || !report.missing.some((m) => /licence/i.test(m));
  return renderCard('checklist', {
    title: ok ? `Connected to Planner premium: ${connection.name}` : 'Connected, but the account cannot do everything PlanBridge needs',
    subtitle: `${connection.url} with an access token (it expires within about an hour).`,
    tone: ok ? 'Good' : 'Warning',
    items: [
      { label: 'Read plans, tasks, buckets, sprints and assignments', mark: mark(report.canRead), detail: report.canRead ? 'allowed' : 'not allowed' },
      { label: 'Microsoft Project licence (Project Plan 1, 3 or 5)', mark: mark(licensed), detail: licensed ? 'assigned' : 'missing: Planner premium refuses writes without it' },
      { label: 'Change plans through the Project schedule APIs', mark: mark(report.canEdit), detail: report.canEdit ? 'allowed' : 'not allowed' },
    ],
    notes: [
      ...(report.missing.length > 0 ? [`Missing: ${report.missing.join('; ')}.`] : []),
      ...report.warnings,
      'Link a plan with "link project ‹plan› to ADO project ‹project›". Sync on demand works while the token lasts; replace it from "connections" when it expires.',
      'The token is stored encrypted and will not be shown again.',
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
  const values: Values = {
    url: environmentOrigin(text(action.data, 'url', 500) ?? ''),
    name: text(action.data, 'name', 100) ?? '',
    timeZone: text(action.data, 'timeZone', 60) ?? 'UTC',
  };
  const token = text(action.data, 'secret', 8000);
  const errors: Partial<Errors> = {};
  const url = urlProblem(values.url, s.localMode);
  if (url) {
    errors.url = url;
    // Never echo a password typed into the URL back into the form.
    values.url = withoutCredentials(values.url);
  }
  const zone = zoneProblem(values.timeZone);
  if (zone) errors.timeZone = zone;
  if (!token) errors.secret = 'Paste the access token.';
  if (Object.values(errors).some(Boolean)) return { card: connectPlannerForm(turn.tenantId, values, errors) };

  let report: AccessReport;
  try {
    report = await s.systems.plannerFromInput(values.url, token!, values.timeZone).verifyAccess();
  } catch (err) {
    const code = err instanceof PlanConnectorError ? err.code : undefined;
    const field: keyof Errors = code === 'auth-failed' || code === 'forbidden' || code === 'not-licensed' ? 'secret' : code === 'unreachable' ? 'url' : 'form';
    s.logger.info({ tenant: turn.tenantId, code: code ?? 'unexpected' }, 'Planner access check failed');
    return { card: connectPlannerForm(turn.tenantId, values, { [field]: errorMessage(err) }) };
  }
  const refused = plannerRefusal(report);
  if (refused) {
    s.logger.info({ tenant: turn.tenantId, canRead: report.canRead, canEdit: report.canEdit }, 'Planner connection refused');
    return { card: connectPlannerForm(turn.tenantId, values, { secret: refused }) };
  }
  const created = await s.store.connections.create(turn.tenantId, {
    kind: 'planner', name: values.name || `Planner ${new URL(values.url).host}`, url: values.url, secret: token!, timeZone: values.timeZone,
    auth: { type: 'oauth' },
    ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, created.id, () => ({ check: { ok: true, checkedAt: s.now().toISOString() } }));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id }, 'Planner connection added');
  return { card: plannerChecklist(turn.tenantId, saved, report) };
}
