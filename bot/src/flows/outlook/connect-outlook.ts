/**
 * Journey: "connect outlook", step 6 of the seed article. The person signs in with Microsoft 365
 * (delegated Calendars.ReadWrite; PlanBridge keeps and renews the sign-in, so schedules work), or
 * pastes an access token: delegated, or PlanBridge's app token restricted by an application access
 * policy to the mailbox they name. App access without a token acts as PlanBridge's own Entra app
 * (client credentials; PlanBridge gets and renews the app token, so schedules work): it reaches
 * every mailbox the access policy allows, so only tenant admins may connect it. Before the connection is used, the checklist says whose
 * calendar events are created in, whether that mailbox is in Exchange Online, and whether the
 * account may write calendars.
 */
import type { OutlookConnectCardData } from '../../cards/outlook-card-data.js';
import { renderCard } from '../../cards/render.js';
import { GRAPH_APP_SCOPE } from '../../connectors/m365/index.js';
import type { OutlookAccess, OutlookConnector } from '../../connectors/outlook/index.js';
import { withoutCredentials } from '../../net/url-safety.js';
import { addressProblem, mark } from '../connect-checks.js';
import type { ConnectionChanges, ConnectionDocument, OutlookSettings, PendingSignIn, Stored } from '../../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from '../actions.js';
import { button, errorMessage, notice } from '../card-kit.js';
import type { AdaptiveCardJson, ChatTurn, OutgoingMessage } from '../chat.js';
import { isTenantAdmin, ownership } from '../connection-access.js';
import type { FlowServices } from '../services.js';
import { beginSignInCard, SIGN_IN_UNAVAILABLE } from '../sign-in-start.js';
import { calendarAsPlanBridgeApp, calendarFromInput, GRAPH_URL, openCalendar } from './calendar.js';

type Values = OutlookConnectCardData['values'];
type Errors = OutlookConnectCardData['errors'];
const NO_ERRORS: Errors = { token: '', mailbox: '', graphUrl: '', form: '' };
const TOKEN_NOTE = 'Not needed with Microsoft 365 sign-in. Otherwise a Microsoft Graph access token: delegated with Calendars.ReadWrite and User.ReadBasic.All, or PlanBridge\'s app token with the application '
  + 'permissions Calendars.ReadWrite and User.Read.All, limited to the mailbox by an Exchange application access policy. A token expires within about an hour, which is enough to sync on demand, not for schedules.';
const OWN_APP_NOTE = ' With app access, leave the token empty and PlanBridge gets and renews its app token itself (tenant admins only).';
/** Who may connect Outlook as PlanBridge's own app, and why. */
export const OWN_APP_ADMINS_ONLY = 'Only PlanBridge tenant admins (PLANBRIDGE_TENANT_ADMINS) may connect Outlook as PlanBridge\'s own app without a token: '
  + 'it can write to every mailbox the application access policy allows. Ask a tenant admin to connect it, or paste an app token for the mailbox.';

const ACCESS = {
  signin: 'Sign in with Microsoft 365 (delegated Calendars.ReadWrite; PlanBridge renews it, so schedules work): events go into your calendar',
  delegated: 'A delegated access token (Calendars.ReadWrite): events go into that user\'s calendar',
  app: 'As PlanBridge\'s app (application Calendars.ReadWrite restricted by an application access policy) in one mailbox',
} as const;
const OWN_APP_TITLE = `${ACCESS.app}; no token: PlanBridge renews the app token, so schedules work (tenant admins)`;

/** What this deployment offers: Microsoft 365 sign-in, and app access as PlanBridge's own app (both need PWA_OAUTH_* or local mode). */
export interface OutlookOffers {
  signIn: boolean;
  ownApp: boolean;
}
export const outlookOffers = (s: Pick<FlowServices, 'signIn' | 'systems'>): OutlookOffers => ({ signIn: s.signIn !== undefined, ownApp: s.systems.planBridgeApp !== undefined });

export function connectOutlookForm(tenantId: string, offers: OutlookOffers, values?: Values, errors: Partial<Errors> = {}): AdaptiveCardJson {
  const shown = values ?? { access: offers.signIn ? 'signin' : 'delegated', mailbox: '', graphUrl: GRAPH_URL, name: '' };
  const accessChoices = (offers.signIn ? (['signin', 'delegated', 'app'] as const) : (['delegated', 'app'] as const))
    .map((value) => ({ title: value === 'app' && offers.ownApp ? OWN_APP_TITLE : ACCESS[value], value }));
  const tokenNote = offers.ownApp ? TOKEN_NOTE + OWN_APP_NOTE : TOKEN_NOTE;
  return renderCard('outlook-connect', { values: shown, errors: { ...NO_ERRORS, ...errors }, accessChoices, tokenNote, submit: button(tenantId, 'Connect', 'outlook.connect', {}, 'positive') });
}

export async function startConnectOutlook(s: FlowServices, turn: ChatTurn): Promise<void> {
  await turn.send({ card: connectOutlookForm(turn.tenantId, outlookOffers(s)) });
}


/** The access checklist, as at connect and on "Check again". */
export function outlookChecklist(tenantId: string, connection: Pick<ConnectionDocument, 'name' | 'url'> & { outlook?: OutlookSettings; auth?: ConnectionDocument['auth'] }, access: OutlookAccess): AdaptiveCardJson {
  const ok = usable(access);
  const owner = access.mailbox ? `${access.mailbox.displayName} (${access.mailbox.address})` : 'unknown';
  const how = connection.outlook?.access === 'app' ? `PlanBridge's app in ${connection.outlook.mailbox ?? 'one mailbox'}` : 'the signed-in user (delegated)';
  const ownApp = connection.auth?.type === 'oauth' && connection.auth.clientId !== undefined && connection.auth.appOnly === true;
  const signedIn = !ownApp && connection.auth?.type === 'oauth' && connection.auth.clientId !== undefined;
  return renderCard('checklist', {
    title: ok ? `Connected to Outlook: ${connection.name}` : `Outlook cannot be used with this ${ownApp ? 'app' : signedIn ? 'account' : 'token'}`,
    subtitle: ownApp
      ? `${connection.url} as ${how} (PlanBridge renews the app token).`
      : signedIn
        ? `${connection.url} as ${how}, signed in with Microsoft 365 (PlanBridge renews the sign-in).`
        : `${connection.url} as ${how}, with an access token (it expires within about an hour).`,
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
      ownApp ? 'No token is stored: PlanBridge gets app tokens for its own app when it needs them; remove the connection to stop.'
        : signedIn ? 'The sign-in is stored encrypted; remove the connection to forget it.' : 'The token is stored encrypted and will not be shown again.',
    ],
    buttons: [button(tenantId, 'Manage connections', 'conn.list')],
  });
}

/** Worth storing: the calendar can be read and nothing says it cannot be written. */
const usable = (a: OutlookAccess): boolean => a.mailbox !== null && a.canRead && a.canWrite !== false;


export async function submitConnectOutlook(s: FlowServices, turn: ActionTurn, action: CardAction): Promise<ActionReply> {
  const offers = outlookOffers(s);
  const chosen = text(action.data, 'access', 20);
  const values: Values = {
    access: chosen === 'app' ? 'app' : chosen === 'signin' ? 'signin' : 'delegated',
    mailbox: text(action.data, 'mailbox', 320)?.trim() ?? '',
    graphUrl: (text(action.data, 'graphUrl', 500)?.trim() || GRAPH_URL).replace(/\/+$/, ''),
    name: text(action.data, 'name', 100) ?? '',
  };
  const token = text(action.data, 'token', 16000)?.trim();
  const errors: Partial<Errors> = {};
  // An empty field already became GRAPH_URL above.
  const url = addressProblem(values.graphUrl, { localMode: s.localMode, system: 'Microsoft Graph', missing: '', invalid: `That is not a URL; Microsoft Graph is ${GRAPH_URL}.` });
  if (url) {
    errors.graphUrl = url;
    values.graphUrl = withoutCredentials(values.graphUrl);
  }
  // App access without a token: PlanBridge's own app, for tenant admins only (it reaches every mailbox the policy allows).
  const ownApp = values.access === 'app' && !token && offers.ownApp;
  if (values.access === 'signin' && !offers.signIn) errors.token = SIGN_IN_UNAVAILABLE;
  if (values.access !== 'signin' && !token && !ownApp) errors.token = 'Paste the access token.';
  if (ownApp && !isTenantAdmin(s, turn.user)) errors.token = OWN_APP_ADMINS_ONLY;
  if (values.access === 'app' && !values.mailbox) errors.mailbox = 'With app access, name the mailbox events go into (the user\'s e-mail or UPN).';
  if (Object.values(errors).some(Boolean)) return { card: connectOutlookForm(turn.tenantId, offers, values, errors) };
  if (values.access === 'signin') {
    try {
      return { card: await beginSignInCard(s, turn, { system: 'outlook', url: values.graphUrl, name: values.name || 'Outlook' }) };
    } catch (err) {
      s.logger.info({ tenant: turn.tenantId, err: err instanceof Error ? err.name : 'unknown' }, 'Outlook sign-in could not start');
      return { card: connectOutlookForm(turn.tenantId, offers, values, { form: errorMessage(err) }) };
    }
  }

  const settings: OutlookSettings = { access: values.access, ...(values.access === 'app' ? { mailbox: values.mailbox } : {}) };
  let access: OutlookAccess;
  // PlanBridge's own app gets its tokens from the tenant's authority (client credentials need a tenant).
  const authority = ownApp ? s.systems.planBridgeApp!.authorityFor(turn.tenantId) : undefined;
  let calendar: OutlookConnector | undefined;
  try {
    calendar = authority ? calendarAsPlanBridgeApp(s, values.graphUrl, settings, authority) : calendarFromInput(s, { graphUrl: values.graphUrl, token: token!, settings });
    access = await calendar.verifyAccess();
  } catch (err) {
    s.logger.info({ tenant: turn.tenantId, ownApp }, 'Outlook access check failed');
    return { card: connectOutlookForm(turn.tenantId, offers, values, { token: errorMessage(err) }) };
  } finally {
    calendar?.close();
  }
  if (!usable(access)) {
    s.logger.info({ tenant: turn.tenantId, canRead: access.canRead, exchangeOnline: access.exchangeOnline }, 'Outlook connection refused');
    return { card: connectOutlookForm(turn.tenantId, offers, values, { token: `${access.problems.join(' ') || `The calendar could not be read with this ${ownApp ? 'app' : 'token'}.`} Nothing was saved.` }) };
  }
  const created = await s.store.connections.create(turn.tenantId, {
    kind: 'outlook', name: values.name || `Outlook: ${access.mailbox!.displayName || access.mailbox!.address}`, url: values.graphUrl,
    ...(authority
      ? { auth: { type: 'oauth' as const, clientId: s.systems.planBridgeApp!.clientId, authority, scopes: [GRAPH_APP_SCOPE], appOnly: true } }
      : { secret: token!, auth: { type: 'oauth' as const, scopes: ['Calendars.ReadWrite'] } }),
    outlook: { ...settings, address: access.mailbox!.address },
    ...ownership(turn),
  });
  const saved = await s.store.connections.update(turn.tenantId, created.id, (current) => checked(s, access, current));
  s.logger.info({ tenant: turn.tenantId, connection: saved.id }, 'Outlook connection added');
  return { card: outlookChecklist(turn.tenantId, saved, access) };
}

/** "Check again" on the connections card: with the stored sign-in, or the stored token. */
export async function recheckOutlook(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  try {
    return await checkAndRecord(s, turn, c, await openCalendar(s, c), false);
  } catch (err) {
    // No calendar could even be opened (no token stored, sign-in not configured).
    return checkAndRecord(s, turn, c, undefined, false, errorMessage(err));
  }
}

/** "Check and save" with a new token: checked first; a token that cannot be used is not stored. */
export async function replaceOutlookToken(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, token: string): Promise<ActionReply> {
  const settings = c.outlook ?? { access: 'delegated' as const };
  return checkAndRecord(s, turn, c, calendarFromInput(s, { graphUrl: c.url, token, settings }), true, undefined, token);
}

async function checkAndRecord(
  s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, calendar: OutlookConnector | undefined, replacing: boolean, openProblem?: string, token?: string,
): Promise<ActionReply> {
  const settings = c.outlook ?? { access: 'delegated' as const };
  let access: OutlookAccess;
  try {
    if (!calendar) throw new Error(openProblem);
    access = await calendar.verifyAccess();
  } catch (err) {
    if (replacing) return { message: `The new token did not work, so the old one was kept. ${errorMessage(err)}` };
    access = { auth: settings.access, mailbox: null, exchangeOnline: null, canRead: false, canWrite: 'unknown', problems: [calendar ? errorMessage(err) : openProblem ?? ''], needsAttention: true };
  } finally {
    calendar?.close();
  }
  if (replacing && !usable(access)) return { message: `The new token was not saved, so the old one was kept. ${access.problems.join(' ')}` };
  if (replacing && token) await s.store.connections.setSecret(turn.tenantId, c.id, token);
  const saved = await s.store.connections.update(turn.tenantId, c.id, (current) => checked(s, access, current));
  return { card: outlookChecklist(turn.tenantId, saved, access) };
}

/**
 * After a Microsoft 365 sign-in for Outlook (flows/sign-in-result.ts): the same checklist as a
 * pasted token, with the token from the new sign-in. A calendar that cannot be used is refused; a
 * connection made by this sign-in is removed again, one signed in again is kept and marked.
 */
export async function checkSignedInOutlook(s: FlowServices, pending: PendingSignIn, connection: Stored<ConnectionDocument>): Promise<OutgoingMessage> {
  const calendar = await openCalendar(s, connection);
  let access: OutlookAccess;
  try {
    access = await calendar.verifyAccess();
  } finally {
    calendar.close();
  }
  if (!usable(access) && !pending.draft.connectionId) {
    await s.store.connections.remove(pending.tenantId, connection.id);
    s.logger.info({ tenant: pending.tenantId, canRead: access.canRead, exchangeOnline: access.exchangeOnline }, 'Outlook sign-in refused');
    return { card: notice('Not connected to Outlook', access.problems.join(' ') || 'The calendar of the account that signed in could not be read.', {
      tone: 'Attention', details: ['The sign-in was not kept. Type "connect outlook" to sign in with another account.'],
    }) };
  }
  const saved = await s.store.connections.update(pending.tenantId, connection.id, (current) => ({
    ...checked(s, access, current),
    ...(pending.draft.connectionId || !access.mailbox ? {} : { name: pending.draft.name === 'Outlook' ? `Outlook: ${access.mailbox.displayName || access.mailbox.address}` : current.name }),
  }));
  return { card: outlookChecklist(pending.tenantId, saved, access) };
}

/** What a check of the calendar records: the outcome, and the mailbox address as Graph now names it. */
function checked(s: FlowServices, access: OutlookAccess, current: ConnectionDocument): ConnectionChanges {
  return {
    check: { ok: usable(access) && access.problems.length === 0, checkedAt: s.now().toISOString(), ...(access.problems.length ? { problem: access.problems.join(' ') } : {}) },
    ...(access.mailbox && current.outlook ? { outlook: { ...current.outlook, address: access.mailbox.address } } : {}),
  };
}
