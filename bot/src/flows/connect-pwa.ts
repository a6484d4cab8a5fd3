/**
 * Journey: connect Project Web App. URL and an auth method: an access token (Project Online,
 * OAuth bearer) or on-premises credentials (Project Server). Microsoft 365 sign-in started from
 * the card needs an OAuth connection on the Azure Bot registration; without one the card says so
 * and offers the other two. After access is verified the user can create and verify the
 * PlanBridge custom fields.
 */
import { PlanConnectorError, type FieldCheck } from '../connectors/ppm.js';
import type { ConnectPwaCardData } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { ConnectionDocument, Stored } from '../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { button, errorMessage, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import type { FlowServices } from './services.js';
import { beginSignInCard } from './sign-in-start.js';
import { systemName } from './plan-systems.js';
import { ownership } from './connection-access.js';
import { canonicalTimeZone } from '../time/zone-time.js';
import { withoutCredentials } from '../net/url-safety.js';
import { addressProblem, mark } from './connect-checks.js';
import type { AccessReport, PlanConnector, PwaCredentials } from './systems.js';

type Values = ConnectPwaCardData['values'];
type Errors = ConnectPwaCardData['errors'];
const NO_ERRORS: Errors = { url: '', method: '', secret: '', username: '', timeZone: '', form: '' };
const EMPTY: Values = { url: '', method: '', username: '', name: '', timeZone: 'UTC' };

const OAUTH_UNAVAILABLE = 'Microsoft 365 sign-in (OAuth) needs an Entra app registration for PlanBridge (PWA_OAUTH_CLIENT_ID), and this PlanBridge has none configured, so it cannot start a sign-in here. Use an access token or on-premises credentials instead.';
const OAUTH_AVAILABLE = 'If you pick Microsoft 365 sign-in, a Microsoft page opens in your browser to sign in; PlanBridge keeps only an encrypted refresh token.';

export function connectPwaForm(tenantId: string, oauthAvailable: boolean, values: Values = EMPTY, errors: Partial<Errors> = {}): AdaptiveCardJson {
  return renderCard('connect-pwa', {
    values: { ...values, method: values.method || (oauthAvailable ? 'oauth' : 'token') }, errors: { ...NO_ERRORS, ...errors },
    methods: [
      { title: oauthAvailable ? 'Microsoft 365 sign-in (Project Online)' : 'Microsoft 365 sign-in (not set up here)', value: 'oauth' },
      { title: 'Access token (Project Online; expires within an hour, so not for schedules)', value: 'token' },
      { title: 'Windows sign-in (Project Server, NTLM)', value: 'ntlm' },
      { title: 'Basic credentials (Project Server that allows Basic over HTTPS)', value: 'onprem' },
    ],
    oauthNote: oauthAvailable ? OAUTH_AVAILABLE : OAUTH_UNAVAILABLE,
    submit: button(tenantId, 'Connect', 'pwa.connect', {}, 'positive'),
  });
}

export async function startConnectPwa(s: FlowServices, turn: ChatTurn): Promise<void> {
  await turn.send({ card: connectPwaForm(turn.tenantId, s.signIn !== undefined) });
}

/** Microsoft 365 sign-in: a button to the authority; the callback stores the connection and reports here. */
async function startSignIn(s: FlowServices, turn: ActionTurn, values: Values): Promise<ActionReply> {
  try {
    return { card: await beginSignInCard(s, turn, { system: 'pwa', url: values.url, name: values.name || `PWA ${new URL(values.url).host}`, timeZone: values.timeZone }) };
  } catch (err) {
    // e.g. the sign-in authority is unreachable (the local Entra simulator not started).
    s.logger.info({ tenant: turn.tenantId, err: err instanceof Error ? err.name : 'unknown' }, 'PWA sign-in could not start');
    return { card: connectPwaForm(turn.tenantId, true, values, { method: errorMessage(err) }) };
  }
}


function zoneProblem(zone: string): string {
  return canonicalTimeZone(zone) !== undefined ? '' : `"${zone}" is not a time zone name; use one like Europe/Berlin or UTC (the PWA site's regional setting).`;
}

/** How a PWA connection signs in, in words (never the secret). */
export function signInOf(connection: ConnectionDocument, signedInAs?: string): string {
  const auth = connection.auth;
  const account = signedInAs ?? (auth.type === 'oauth' ? auth.account : undefined);
  if (auth.type === 'oauth') return auth.clientId ? `Microsoft 365 sign-in${account ? ` as ${account}` : ''}` : 'an access token (it expires within an hour)';
  if (auth.type === 'ntlm') return `Windows sign-in (NTLM) as ${auth.username}`;
  return auth.type === 'basic' ? `Basic credentials for ${auth.username}` : 'credentials';
}

export function accessChecklist(tenantId: string, connection: ConnectionDocument, report: AccessReport, signedInAs?: string): AdaptiveCardJson {
  const ok = report.canRead && report.canEdit;
  return renderCard('checklist', {
    title: ok ? `Connected to Project Web App: ${connection.name}` : 'Connected, but the account cannot do everything PlanBridge needs',
    subtitle: `${connection.url} with ${signInOf(connection, signedInAs)}.`,
    tone: ok ? 'Good' : 'Warning',
    items: [
      { label: 'Read projects and tasks', mark: mark(report.canRead), detail: report.canRead ? 'allowed' : 'not allowed' },
      { label: 'Edit, publish and check in plans', mark: mark(report.canEdit), detail: report.canEdit ? 'allowed' : 'not allowed' },
      { label: 'Manage enterprise custom fields', mark: mark(report.canManageFields), detail: report.canManageFields ? 'allowed' : 'not allowed (needed only for "Create fields")' },
    ],
    notes: [
      ...(report.missing.length > 0 ? [`Missing permissions: ${report.missing.join(', ')}. Ask a PWA administrator to grant them.`] : []),
      ...report.warnings,
      'PlanBridge uses six task custom fields ("Sync to ADO", "ADO Work Item Type", "ADO Project", "ADO Work Item ID", "ADO Work Item Link", and "Create event" for Outlook events). Create them or verify them below.',
      'The credential is stored encrypted and will not be shown again.',
    ],
    buttons: [
      button(tenantId, 'Create fields', 'pwa.fields.create', { connectionId: connection.id }, 'positive'),
      button(tenantId, 'Verify configuration', 'pwa.fields.verify', { connectionId: connection.id }),
    ],
  });
}

export async function submitConnectPwa(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const values: Values = {
    url: (text(action.data, 'url', 500) ?? '').replace(/\/+$/, ''),
    method: text(action.data, 'method', 20) ?? 'token',
    username: text(action.data, 'username', 200) ?? '',
    name: text(action.data, 'name', 100) ?? '',
    timeZone: text(action.data, 'timeZone', 60) ?? 'UTC',
  };
  const secret = text(action.data, 'secret', 4000);
  const errors: Partial<Errors> = {};
  const url = addressProblem(values.url, {
    localMode: s.localMode, system: 'Project Web App', allowPrivateNetwork: true,
    missing: 'Give the PWA site URL, e.g. https://contoso.sharepoint.com/sites/pwa.',
    invalid: 'That is not a URL. Use the full site address, e.g. https://contoso.sharepoint.com/sites/pwa.',
  });
  if (url) errors.url = url;
  // Never echo a password typed into the URL back into the form.
  if (url) values.url = withoutCredentials(values.url);
  const zone = zoneProblem(values.timeZone);
  if (zone) errors.timeZone = zone;
  if (values.method === 'oauth' && !s.signIn) errors.method = OAUTH_UNAVAILABLE;
  else if (values.method === 'oauth') { /* the browser does the rest */ } else if (!['token', 'onprem', 'ntlm'].includes(values.method)) errors.method = 'Pick how PlanBridge signs in: Microsoft 365, an access token, Windows sign-in or Basic credentials.';
  const onPremises = values.method === 'onprem' || values.method === 'ntlm';
  if (onPremises && !values.username) errors.username = 'Give the account, e.g. CONTOSO\\pm.';
  if (!secret && values.method !== 'oauth') errors.secret = onPremises ? 'Give the account\'s password.' : 'Paste the access token.';
  if (Object.values(errors).some(Boolean)) return { card: connectPwaForm(turn.tenantId, s.signIn !== undefined, values, errors) };
  if (values.method === 'oauth') return startSignIn(s, turn, values);

  const credentials: PwaCredentials = onPremises
    ? { method: values.method as 'onprem' | 'ntlm', username: values.username, password: secret! }
    : { method: 'token', token: secret! };
  let report: AccessReport;
  try {
    report = await s.systems.pwaFromInput(values.url, credentials, values.timeZone).verifyAccess();
  } catch (err) {
    const code = err instanceof PlanConnectorError ? err.code : undefined;
    const field: keyof Errors = code === 'auth-failed' || code === 'forbidden' ? 'secret' : code === 'unreachable' || code === 'project-not-found' ? 'url' : 'form';
    s.logger.info({ tenant: turn.tenantId, code: code ?? 'unexpected' }, 'PWA access check failed');
    return { card: connectPwaForm(turn.tenantId, s.signIn !== undefined, values, { [field]: errorMessage(err) }) };
  }
  const host = new URL(values.url).host;
  const connection: Stored<ConnectionDocument> = await s.store.connections.create(turn.tenantId, {
    kind: 'pwa', name: values.name || `PWA ${host}`, url: values.url, secret: secret!, timeZone: values.timeZone,
    auth: credentials.method === 'token' ? { type: 'oauth' } : { type: credentials.method === 'ntlm' ? 'ntlm' : 'basic', username: credentials.username },
    ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, connection.id, () => ({
    check: { ok: report.canRead && report.canEdit, checkedAt: s.now().toISOString(), ...(report.missing.length ? { problem: `Missing permissions: ${report.missing.join(', ')}` } : {}) },
  }));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id }, 'PWA connection added');
  return { card: accessChecklist(turn.tenantId, saved, report) };
}

const FIELD_STATUS: Record<FieldCheck['status'], string> = {
  ok: 'exists with the right type', missing: 'missing', 'wrong-type': 'exists with the wrong type', 'wrong-entity': 'exists, but not as a task field', 'name-case': 'exists with different capitals',
};

/** The PlanBridge fields are enterprise custom fields, which only Project Web App has. */
function fieldsElsewhere(connection: ConnectionDocument): AdaptiveCardJson {
  const why = connection.kind === 'planner'
    ? 'Planner premium plans have no custom task fields, and PlanBridge does not need them there: it keeps its links in its own store. Link Planner plans with "All tasks"; a mapping can use the plan\'s Bucket, Sprint and Priority.'
    : `"${connection.name}" is a ${systemName(connection.kind)} connection; the PlanBridge fields live in Project Web App.`;
  return notice('No fields to create here', why, { tone: 'Default' });
}

export async function runFieldAction(s: FlowServices, turn: ActionTurn, connection: Stored<ConnectionDocument>, create: boolean): Promise<ActionReply> {
  if (connection.kind !== 'pwa') return { card: fieldsElsewhere(connection) };
  let connector: PlanConnector;
  let checks: FieldCheck[];
  try {
    connector = await s.systems.plan(connection);
    checks = create ? await connector.createFields() : await connector.verifyFields();
  } catch (err) {
    return { card: renderCard('checklist', { title: create ? 'Could not create the fields' : 'Could not verify the fields', subtitle: connection.name, tone: 'Attention', items: [], notes: [errorMessage(err)], buttons: [button(turn.tenantId, 'Try again', create ? 'pwa.fields.create' : 'pwa.fields.verify', { connectionId: connection.id })] }) };
  }
  const bad = checks.filter((c) => c.status !== 'ok');
  return {
    card: renderCard('checklist', {
      title: bad.length === 0 ? 'The PlanBridge fields are set up correctly' : `${bad.length} PlanBridge field${bad.length === 1 ? ' needs' : 's need'} attention`,
      subtitle: `${create ? 'Created what was missing' : 'Checked'} in ${connection.name}.`,
      tone: bad.length === 0 ? 'Good' : 'Warning',
      items: checks.map((c) => ({ label: `${c.name} (${c.expectedType})`, mark: c.status === 'ok' ? '✓' : '✗', detail: c.advice && c.status !== 'ok' ? `${FIELD_STATUS[c.status]}: ${c.advice}` : FIELD_STATUS[c.status] })),
      notes: bad.length > 0 && !create ? ['"Create fields" adds the missing ones; fields with the wrong type are reported, never changed.'] : [],
      buttons: [
        ...(bad.some((c) => c.status === 'missing') ? [button(turn.tenantId, 'Create fields', 'pwa.fields.create', { connectionId: connection.id }, 'positive')] : []),
        button(turn.tenantId, 'Verify configuration', 'pwa.fields.verify', { connectionId: connection.id }),
      ],
    }),
  };
}
