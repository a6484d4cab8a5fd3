/**
 * Journey: "connect outlook", step 6 of the seed article. PlanBridge has no Microsoft Graph sign-in
 * yet, so the person pastes an access token: delegated (events go into the signed-in user's
 * calendar) or PlanBridge's app token, restricted by an application access policy to the mailbox
 * they name. Before anything is stored, the checklist says whose calendar events are created in,
 * whether that mailbox is in Exchange Online, and whether the token may write calendars.
 */
import type { OutlookConnectCardData } from '../../cards/outlook-card-data.js';
import { renderCard } from '../../cards/render.js';
import type { OutlookAccess } from '../../connectors/outlook/index.js';
import { checkUrlText, UnsafeUrlError, withoutCredentials } from '../../net/url-safety.js';
import type { ConnectionDocument, OutlookSettings, Stored } from '../../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from '../actions.js';
import { button, errorMessage } from '../card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from '../chat.js';
import { ownership } from '../connection-access.js';
import type { FlowServices } from '../services.js';
import { calendarFromInput, GRAPH_URL } from './calendar.js';

type Values = OutlookConnectCardData['values'];
type Errors = OutlookConnectCardData['errors'];
const NO_ERRORS: Errors = { token: '', mailbox: '', graphUrl: '', form: '' };
const EMPTY: Values = { access: 'delegated', mailbox: '', graphUrl: GRAPH_URL, name: '' };

const TOKEN_NOTE = 'A Microsoft Graph access token: delegated with Calendars.ReadWrite and User.ReadBasic.All, or PlanBridge\'s app token with the application '
  + 'permissions Calendars.ReadWrite and User.Read.All, limited to the mailbox by an Exchange application access policy. Microsoft 365 sign-in for Outlook is not built yet, '
  + 'so the token is pasted here; it expires within about an hour, which is enough to sync on demand, not for schedules.';

export function connectOutlookForm(tenantId: string, values: Values = EMPTY, errors: Partial<Errors> = {}): AdaptiveCardJson {
  return renderCard('outlook-connect', { values, errors: { ...NO_ERRORS, ...errors }, tokenNote: TOKEN_NOTE, submit: button(tenantId, 'Connect', 'outlook.connect', {}, 'positive') });
}

export async function startConnectOutlook(turn: ChatTurn): Promise<void> {
  await turn.send({ card: connectOutlookForm(turn.tenantId) });
}

const mark = (v: boolean | 'unknown' | null): string => (v === true ? '✓' : v === false ? '✗' : '?');

/** The access checklist, as at connect and on "Check again". */
export function outlookChecklist(tenantId: string, connection: Pick<ConnectionDocument, 'name' | 'url'> & { outlook?: OutlookSettings }, access: OutlookAccess): AdaptiveCardJson {
  const ok = usable(access);
  const owner = access.mailbox ? `${access.mailbox.displayName} (${access.mailbox.address})` : 'unknown';
  const how = connection.outlook?.access === 'app' ? `PlanBridge's app in ${connection.outlook.mailbox ?? 'one mailbox'}` : 'the signed-in user (delegated)';
  return renderCard('checklist', {
    title: ok ? `Connected to Outlook: ${connection.name}` : 'Outlook cannot be used with this token',
    subtitle: `${connection.url} as ${how}, with an access token (it expires within about an hour).`,
    tone: ok ? (access.problems.length > 0 ? 'Warning' : 'Good') : 'Attention',
    items: [
      { label: 'Events are created in the calendar of', mark: mark(access.mailbox !== null), detail: owner },
      { label: 'Mailbox in Exchange Online', mark: mark(access.exchangeOnline), detail: access.exchangeOnline === true ? 'yes' : access.exchangeOnline === false ? 'no: the mailbox is on-premises or has no Exchange Online licence' : 'not known' },
      { label: 'Read the calendar', mark: mark(access.canRead), detail: access.canRead ? 'allowed' : 'not allowed' },
      {
        label: 'Permission Calendars.ReadWrite', mark: mark(access.canWrite),
        detail: access.canWrite === true ? 'granted' : access.canWrite === false ? 'missing' : 'not readable from this token; the first sync will show it',
      },
    ],
    notes: [
      ...access.problems,
      'Attendees receive the invitations from this calendar; the article\'s "Global Administrator" is not needed, only the permission above.',
      'Link a plan with "link project ‹plan› to Outlook".',
      'The token is stored encrypted and will not be shown again.',
    ],
    buttons: [button(tenantId, 'Manage connections', 'conn.list')],
  });
}

/** Worth storing: the calendar can be read and nothing says it cannot be written. */
const usable = (a: OutlookAccess): boolean => a.mailbox !== null && a.canRead && a.canWrite !== false;

function graphUrlProblem(url: string, localMode: boolean): string {
  try {
    checkUrlText(url, { localMode }, 'Microsoft Graph');
    return '';
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    return err.reason === 'invalid' ? `That is not a URL; Microsoft Graph is ${GRAPH_URL}.` : err.message;
  }
}

export async function submitConnectOutlook(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const values: Values = {
    access: text(action.data, 'access', 20) === 'app' ? 'app' : 'delegated',
    mailbox: text(action.data, 'mailbox', 320)?.trim() ?? '',
    graphUrl: (text(action.data, 'graphUrl', 500)?.trim() || GRAPH_URL).replace(/\/+$/, ''),
    name: text(action.data, 'name', 100) ?? '',
  };
  const token = text(action.data, 'token', 16000)?.trim();
  const errors: Partial<Errors> = {};
  const url = graphUrlProblem(values.graphUrl, s.localMode);
  if (url) {
    errors.graphUrl = url;
    values.graphUrl = withoutCredentials(values.graphUrl);
  }
  if (!token) errors.token = 'Paste the access token.';
  if (values.access === 'app' && !values.mailbox) errors.mailbox = 'With app access, name the mailbox events go into (the user\'s e-mail or UPN).';
  if (Object.values(errors).some(Boolean)) return { card: connectOutlookForm(turn.tenantId, values, errors) };

  const settings: OutlookSettings = { access: values.access, ...(values.access === 'app' ? { mailbox: values.mailbox } : {}) };
  let access: OutlookAccess;
  const calendar = calendarFromInput(s, { graphUrl: values.graphUrl, token: token!, settings });
  try {
    access = await calendar.verifyAccess();
  } catch (err) {
    s.logger.info({ tenant: turn.tenantId }, 'Outlook access check failed');
    return { card: connectOutlookForm(turn.tenantId, values, { token: errorMessage(err) }) };
  } finally {
    calendar.close();
  }
  if (!usable(access)) {
    s.logger.info({ tenant: turn.tenantId, canRead: access.canRead, exchangeOnline: access.exchangeOnline }, 'Outlook connection refused');
    return { card: connectOutlookForm(turn.tenantId, values, { token: `${access.problems.join(' ') || 'The calendar could not be read with this token.'} Nothing was saved.` }) };
  }
  const created = await s.store.connections.create(turn.tenantId, {
    kind: 'outlook', name: values.name || `Outlook: ${access.mailbox!.displayName || access.mailbox!.address}`, url: values.graphUrl, secret: token!,
    auth: { type: 'oauth', scopes: ['Calendars.ReadWrite'] }, outlook: { ...settings, address: access.mailbox!.address },
    ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, created.id, () => ({ check: { ok: access.problems.length === 0, checkedAt: s.now().toISOString(), ...(access.problems.length ? { problem: access.problems.join(' ') } : {}) } }));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id }, 'Outlook connection added');
  return { card: outlookChecklist(turn.tenantId, saved, access) };
}

/** "Check again" on the connections card. */
export async function recheckOutlook(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  const token = await s.store.connections.revealSecret(c);
  return checkAndRecord(s, turn, c, token ?? '', false);
}

/** "Check and save" with a new token: checked first; a token that cannot be used is not stored. */
export async function replaceOutlookToken(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, token: string): Promise<ActionReply> {
  return checkAndRecord(s, turn, c, token, true);
}

async function checkAndRecord(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, token: string, replacing: boolean): Promise<ActionReply> {
  const settings = c.outlook ?? { access: 'delegated' as const };
  const calendar = calendarFromInput(s, { graphUrl: c.url, token, settings });
  let access: OutlookAccess;
  try {
    access = await calendar.verifyAccess();
  } catch (err) {
    if (replacing) return { message: `The new token did not work, so the old one was kept. ${errorMessage(err)}` };
    access = { auth: settings.access, mailbox: null, exchangeOnline: null, canRead: false, canWrite: 'unknown', problems: [errorMessage(err)], needsAttention: true };
  } finally {
    calendar.close();
  }
  if (replacing && !usable(access)) return { message: `The new token was not saved, so the old one was kept. ${access.problems.join(' ')}` };
  if (replacing) await s.store.connections.setSecret(turn.tenantId, c.id, token);
  const saved = await s.store.connections.update(turn.tenantId, c.id, (current) => ({
    check: { ok: usable(access) && access.problems.length === 0, checkedAt: s.now().toISOString(), ...(access.problems.length ? { problem: access.problems.join(' ') } : {}) },
    ...(access.mailbox && current.outlook ? { outlook: { ...current.outlook, address: access.mailbox.address } } : {}),
  }));
  return { card: outlookChecklist(turn.tenantId, saved, access) };
}
