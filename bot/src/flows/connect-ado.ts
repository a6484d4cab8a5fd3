/**
 * Journey: connect Azure DevOps. A form (URL, masked PAT, optional name and expiry date); the
 * answer is a checklist of the PAT's scopes. Bad input re-shows the form with the values kept and
 * the error beside its field. The PAT is stored encrypted and never appears in a card again.
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
import type { AdoCheck } from './systems.js';

/** Azure DevOps lets a PAT live at most one year. */
const MAX_PAT_DAYS = 366;

type Values = ConnectAdoCardData['values'];
type Errors = ConnectAdoCardData['errors'];
const NO_ERRORS: Errors = { url: '', pat: '', expiresOn: '', form: '' };

export function connectAdoForm(tenantId: string, values: Values = { url: '', name: '', expiresOn: '' }, errors: Partial<Errors> = {}): AdaptiveCardJson {
  return renderCard('connect-ado', { values, errors: { ...NO_ERRORS, ...errors }, submit: button(tenantId, 'Connect', 'ado.connect', {}, 'positive') });
}

export async function startConnectAdo(turn: ChatTurn): Promise<void> {
  await turn.send({ card: connectAdoForm(turn.tenantId) });
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
  return renderCard('checklist', {
    title: ok ? `Connected to Azure DevOps: ${connection.name}` : `Connected, but the PAT is missing ${check.missing.length} scope${check.missing.length === 1 ? '' : 's'}`,
    subtitle: `${check.orgUrl} (${check.deployment === 'server' ? 'Azure DevOps Server' : 'Azure DevOps Services'}), signed in as ${check.user}.`,
    tone: ok ? 'Good' : 'Warning',
    items: check.scopes.map((scope) => ({
      label: scope.label,
      mark: scope.present === true ? '✓' : scope.present === false ? '✗' : '?',
      detail: scope.present === true ? 'present' : scope.present === false ? 'missing: add it to the token' : (scope.detail ?? 'could not be checked'),
    })),
    notes: [
      ...(check.advice ? [check.advice] : []),
      expiryNote(connection.expiresOn, s.now()),
      'The PAT is stored encrypted and will not be shown again.',
    ],
    buttons: [
      button(tenantId, 'Check again', 'conn.recheck', { connectionId: connection.id }),
      button(tenantId, 'Manage connections', 'conn.list'),
    ],
  });
}

export async function submitConnectAdo(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const url = text(action.data, 'url', 500) ?? '';
  const pat = text(action.data, 'pat', 500);
  const name = text(action.data, 'name', 100) ?? '';
  const expiresOn = text(action.data, 'expiresOn', 20) ?? '';
  const values: Values = { url, name, expiresOn };
  const errors: Partial<Errors> = {};
  let orgName = '';
  try {
    orgName = parseAdoUrl(url, { localMode: s.localMode }).name;
  } catch (err) {
    errors.url = errorMessage(err);
    // Never echo a password typed into the URL back into the form.
    values.url = withoutCredentials(url);
  }
  if (!pat) errors.pat = 'Paste a personal access token (User settings > Personal access tokens in Azure DevOps).';
  const expiry = expiryProblem(expiresOn || undefined, s.now());
  if (expiry) errors.expiresOn = expiry;
  if (errors.url || errors.pat || errors.expiresOn) return { card: connectAdoForm(turn.tenantId, values, errors) };

  let check: AdoCheck;
  try {
    check = await s.systems.adoFromInput(url, pat!).check();
  } catch (err) {
    const code = err instanceof AdoConnectorError ? err.code : undefined;
    const field: keyof Errors = code === 'pat-rejected' || code === 'pat-expired' ? 'pat' : code === 'invalid-url' || code === 'org-not-found' || code === 'unreachable' ? 'url' : 'form';
    s.logger.info({ tenant: turn.tenantId, code: code ?? 'unexpected' }, 'ADO connection check failed');
    return { card: connectAdoForm(turn.tenantId, values, { [field]: errorMessage(err) }) };
  }
  const connection: Stored<ConnectionDocument> = await s.store.connections.create(turn.tenantId, {
    kind: 'ado', name: name || orgName || 'Azure DevOps', url: check.orgUrl, auth: { type: 'pat' }, secret: pat!,
    ...(expiresOn ? { expiresOn } : {}), ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, connection.id, () => ({
    check: { ok: check.missing.length === 0, checkedAt: s.now().toISOString(), scopes: check.scopes.filter((x) => x.present).map((x) => x.label), ...(check.advice ? { problem: check.advice } : {}) },
  }));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id, missingScopes: check.missing.length }, 'ADO connection added');
  return { card: adoChecklist(s, turn.tenantId, saved, check) };
}
