/**
 * Journey: connect Azure DevOps. A form: URL, how to sign in (a PAT, a Microsoft Entra service
 * principal with a client secret or certificate, or in Azure this app's managed identity), optional
 * name; the answer is a checklist of the access found. Bad input re-shows the form with the values
 * kept and the error beside its field. Secrets are stored encrypted and never appear in a card again.
 * Entra exists because global PATs are gone and organizations can refuse PATs (../shared/notes/ado-auth-and-hooks.md).
 */
import { AdoConnectorError, parseAdoUrl } from '../connectors/ado/index.js';
import { daysBetween, isCalendarDate } from '../time/zone-time.js';
import { withoutCredentials } from '../net/url-safety.js';
import { renderCard } from '../cards/render.js';
import type { ConnectAdoCardData } from '../cards/card-data.js';
import type { ConnectionDocument, Stored } from '../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { button, day, errorMessage } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import type { FlowServices } from './services.js';
import { ownership } from './connection-access.js';
import type { AdoCheck, AdoSignIn } from './systems.js';
import type { ConnectionAuth } from '../store/connections.js';

/** Azure DevOps lets a PAT live at most one year. */
const MAX_PAT_DAYS = 366;

type Values = ConnectAdoCardData['values'];
type Errors = ConnectAdoCardData['errors'];
const NO_ERRORS: Errors = { url: '', method: '', pat: '', expiresOn: '', tenantId: '', clientId: '', credential: '', form: '' };
const EMPTY: Values = { url: '', method: 'pat', name: '', expiresOn: '', tenantId: '', clientId: '' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const METHOD_NOTE = 'Fill in the part for the way you pick. Your organization may refuse PATs, and global PATs stopped working on 2026-12-01; a service principal keeps working without anyone\'s token.';

export function connectAdoForm(tenantId: string, values: Values = EMPTY, errors: Partial<Errors> = {}, managedIdentity = false): AdaptiveCardJson {
  return renderCard('connect-ado', {
    values, errors: { ...NO_ERRORS, ...errors },
    methods: [
      { title: 'Personal access token', value: 'pat' },
      { title: 'Microsoft Entra service principal', value: 'entra' },
      ...(managedIdentity ? [{ title: 'This app\'s managed identity (add it to the organization first)', value: 'managed-identity' }] : []),
    ],
    methodNote: METHOD_NOTE,
    submit: button(tenantId, 'Connect', 'ado.connect', {}, 'positive'),
  });
}

export async function startConnectAdo(turn: ChatTurn, managedIdentity = false): Promise<void> {
  await turn.send({ card: connectAdoForm(turn.tenantId, EMPTY, {}, managedIdentity) });
}

/** Checks the expiry date typed on the form; returns a problem for the field, or ''. */
export function expiryProblem(value: string | undefined, today: Date): string {
  if (!value) return '';
  if (!isCalendarDate(value)) return 'Use a date like 2026-12-31.';
  const days = daysBetween(day(today), value);
  if (days < 0) return 'That date has passed, so this PAT has expired. Create a new one in Azure DevOps.';
  if (days > MAX_PAT_DAYS) return 'Azure DevOps allows a PAT to last at most one year; check the date on the token page.';
  return '';
}

export function expiryNote(expiresOn: string | undefined, today: Date): string {
  if (!expiresOn) return 'You did not give the PAT\'s expiry date. Azure DevOps PATs last at most one year; add the date from "connections" so I can tell you before it runs out.';
  const days = daysBetween(day(today), expiresOn);
  return `The PAT expires on ${expiresOn} (in ${days} day${days === 1 ? '' : 's'}). Azure DevOps allows at most one year, so plan to replace it before then.`;
}

export function adoChecklist(s: FlowServices, tenantId: string, connection: ConnectionDocument, check: AdoCheck): AdaptiveCardJson {
  const ok = check.missing.length === 0;
  const entra = connection.auth.type === 'entra';
  const n = `${check.missing.length} ${entra ? 'permission' : 'scope'}${check.missing.length === 1 ? '' : 's'}`;
  return renderCard('checklist', {
    title: ok ? `Connected to Azure DevOps: ${connection.name}` : `Connected, but the ${entra ? 'service principal' : 'PAT'} is missing ${n}`,
    subtitle: `${check.orgUrl} (${check.deployment === 'server' ? 'Azure DevOps Server' : 'Azure DevOps Services'}), signed in as ${check.user}.`,
    tone: ok ? 'Good' : 'Warning',
    items: check.scopes.map((scope) => ({
      label: scope.label,
      mark: scope.present === true ? '✓' : scope.present === false ? '✗' : '?',
      detail: scope.present === true ? 'present' : scope.present === false ? `missing: ${entra ? 'give the service principal this access' : 'add it to the token'}` : (scope.detail ?? 'could not be checked'),
    })),
    notes: [
      ...(check.advice ? [check.advice] : []),
      ...(connection.auth.type === 'entra' ? [entraNote(connection.auth)] : [expiryNote(connection.expiresOn, s.now()), 'The PAT is stored encrypted and will not be shown again.']),
    ],
    buttons: [
      button(tenantId, 'Check again', 'conn.recheck', { connectionId: connection.id }),
      button(tenantId, 'Manage connections', 'conn.list'),
    ],
  });
}

/** How an Entra connection signs in, and that tokens renew on their own. */
function entraNote(auth: Extract<ConnectionAuth, { type: 'entra' }>): string {
  const how = auth.credential === 'managed-identity' ? 'this app\'s managed identity'
    : `service principal ${auth.clientId} (tenant ${auth.tenantId}) with a ${auth.credential === 'secret' ? 'client secret' : 'certificate'}`;
  return `PlanBridge signs in as ${how}; its Microsoft Entra tokens are renewed before they expire.${auth.credential === 'managed-identity' ? '' : ` The ${auth.credential === 'secret' ? 'secret' : 'certificate and key'} are stored encrypted and will not be shown again; replace ${auth.credential === 'secret' ? 'it' : 'them'} before ${auth.credential === 'secret' ? 'it expires' : 'the certificate expires'} in Entra ID.`}`;
}

/** The sign-in the form describes, or the problems with it, by field. */
function signInFrom(s: FlowServices, data: Record<string, unknown>, values: Values): { signIn?: AdoSignIn; auth?: ConnectionAuth; secret?: string; errors: Partial<Errors> } {
  if (values.method === 'managed-identity') {
    if (!s.systems.adoManagedIdentity) return { errors: { method: 'This PlanBridge does not run with a managed identity in Azure: use a service principal or a PAT.' } };
    return { signIn: { method: 'managed-identity' }, auth: { type: 'entra', tenantId: '', clientId: 'system', credential: 'managed-identity' }, errors: {} };
  }
  if (values.method === 'entra') {
    const clientSecret = text(data, 'clientSecret', 500);
    const pem = text(data, 'certificateCredential', 16_000);
    const errors: Partial<Errors> = {};
    if (!GUID.test(values.tenantId) && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(values.tenantId)) errors.tenantId = 'Give the tenant (directory) ID: a GUID from the app registration\'s Overview page, or the tenant\'s domain (contoso.onmicrosoft.com).';
    if (!GUID.test(values.clientId)) errors.clientId = 'Give the application (client) ID: the GUID on the app registration\'s Overview page.';
    if (clientSecret && pem) errors.credential = 'Give a client secret or a certificate, not both.';
    else if (!clientSecret && !pem) errors.credential = 'Paste the client secret\'s Value, or the certificate with its private key (PEM).';
    else if (pem && !(/-{5}BEGIN CERTIFICATE-{5}/.test(pem) && /-{5}BEGIN (RSA |EC )?PRIVATE KEY-{5}/.test(pem))) {
      errors.credential = 'The certificate must be PEM with both parts: the CERTIFICATE block, then its unencrypted PRIVATE KEY block.';
    }
    if (Object.keys(errors).length > 0) return { errors };
    const credential = clientSecret ? 'secret' as const : 'certificate' as const;
    const secret = (clientSecret ?? pem)!;
    return {
      signIn: { method: 'entra', tenantId: values.tenantId, clientId: values.clientId, credential, secret },
      auth: { type: 'entra', tenantId: values.tenantId, clientId: values.clientId, credential }, secret, errors: {},
    };
  }
  const pat = text(data, 'pat', 500);
  if (!pat) return { errors: { pat: 'Paste a personal access token (User settings > Personal access tokens in Azure DevOps).' } };
  return { signIn: { method: 'pat', pat }, auth: { type: 'pat' }, secret: pat, errors: {} };
}

/** Which field an error from the check belongs beside. */
function fieldOf(code: string | undefined, method: string): keyof Errors {
  if (code === 'invalid-url' || code === 'org-not-found') return 'url';
  if (code === 'unreachable') return method === 'pat' ? 'url' : 'form';
  if (code === 'pat-rejected' || code === 'pat-expired' || code === 'pat-policy') return 'pat';
  if (code === 'entra-rejected' || code === 'invalid-request') return method === 'entra' ? 'credential' : method === 'pat' ? 'form' : 'method';
  if (code === 'principal-rejected') return method === 'entra' ? 'clientId' : 'method';
  return 'form';
}

export async function submitConnectAdo(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const url = text(action.data, 'url', 500) ?? '';
  const name = text(action.data, 'name', 100) ?? '';
  const rawMethod = text(action.data, 'method', 30) ?? 'pat';
  const method = rawMethod === 'entra' || rawMethod === 'managed-identity' ? rawMethod : 'pat';
  const expiresOn = method === 'pat' ? text(action.data, 'expiresOn', 20) ?? '' : '';
  const values: Values = { url, method, name, expiresOn, tenantId: text(action.data, 'tenantId', 100) ?? '', clientId: text(action.data, 'clientId', 100) ?? '' };
  const managedIdentity = s.systems.adoManagedIdentity ?? false;
  const errors: Partial<Errors> = {};
  let orgName = '';
  try {
    orgName = parseAdoUrl(url, { localMode: s.localMode }).name;
  } catch (err) {
    errors.url = errorMessage(err);
    // Never echo a password typed into the URL back into the form.
    values.url = withoutCredentials(url);
  }
  const given = signInFrom(s, action.data, values);
  Object.assign(errors, given.errors);
  const expiry = expiryProblem(expiresOn || undefined, s.now());
  if (expiry) errors.expiresOn = expiry;
  if (Object.values(errors).some(Boolean) || !given.signIn || !given.auth) return { card: connectAdoForm(turn.tenantId, values, errors, managedIdentity) };

  let check: AdoCheck;
  try {
    check = await s.systems.adoFromInput(url, given.signIn).check();
  } catch (err) {
    const code = err instanceof AdoConnectorError ? err.code : undefined;
    s.logger.info({ tenant: turn.tenantId, code: code ?? 'unexpected', method }, 'ADO connection check failed');
    return { card: connectAdoForm(turn.tenantId, values, { [fieldOf(code, method)]: errorMessage(err) }, managedIdentity) };
  }
  const connection: Stored<ConnectionDocument> = await s.store.connections.create(turn.tenantId, {
    kind: 'ado', name: name || orgName || 'Azure DevOps', url: check.orgUrl, auth: given.auth,
    ...(given.secret ? { secret: given.secret } : {}),
    ...(expiresOn ? { expiresOn } : {}), ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, connection.id, () => ({
    check: { ok: check.missing.length === 0, checkedAt: s.now().toISOString(), scopes: check.scopes.filter((x) => x.present).map((x) => x.label), ...(check.advice ? { problem: check.advice } : {}) },
  }));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id, method, missingScopes: check.missing.length }, 'ADO connection added');
  return { card: adoChecklist(s, turn.tenantId, saved, check) };
}
