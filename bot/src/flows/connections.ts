/**
 * Journey: manage connections. A list with per-connection actions: check again, rename, replace
 * the secret (checked before it is stored), and remove (after a confirmation that names the
 * integrations using it). A connection whose last check failed, or whose PAT is past its expiry
 * date, is marked as needing attention with the fix beside it. Each row names its owner and who
 * may use it; who may press which button is decided by the action guard (connection-access.ts).
 */
import type { ConnectionRow } from '../cards/card-data.js';
import { renderCard } from '../cards/render.js';
import type { ConnectionDocument, Stored } from '../store/index.js';
import { text, type ActionReply, type ActionTurn, type CardAction } from './actions.js';
import { button, day, errorMessage, notice } from './card-kit.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';
import { adoChecklist, expiryProblem } from './connect-ado.js';
import { accessChecklist } from './connect-pwa.js';
import { plannerChecklist, plannerRefusal } from './connect-planner.js';
import { actsAsPlanBridgeApp, signsInWithBareToken, signsInWithMicrosoft365, systemName } from './plan-systems.js';
import { ownerName, sharingLabel } from './connection-access.js';
import type { FlowServices } from './services.js';
import { beginSignInCard, SIGN_IN_UNAVAILABLE } from './sign-in-start.js';
import { signInSystemOf } from '../connectors/m365/resources.js';
import { recheckOutlook, replaceOutlookToken } from './outlook/connect-outlook.js';

/** Why a connection needs a person, or undefined when it is fine. */
export function attentionReason(c: ConnectionDocument, today: Date): string | undefined {
  if (c.expiresOn && c.expiresOn < day(today)) return `The ${c.kind === 'ado' ? 'PAT' : 'credential'} expired on ${c.expiresOn}. Replace it.`;
  if (c.check && !c.check.ok) return c.check.problem ?? 'The last check failed. Check again or replace the secret.';
  return undefined;
}

/** Input ids must be unique in a card and safe as JSON keys. */
const inputKey = (prefix: string, id: string): string => `${prefix}_${id.replace(/[^A-Za-z0-9]/g, '')}`;

/** The Microsoft 365 account a sign-in connection acts as, when known. */
const signedIn = (c: ConnectionDocument): string => (actsAsPlanBridgeApp(c) ? ' Acts as PlanBridge\'s app (PlanBridge renews the app token).'
  : c.auth.type === 'oauth' && c.auth.account ? ` Signed in as ${c.auth.account}.` : '');

function row(s: FlowServices, tenantId: string, c: ConnectionDocument): ConnectionRow {
  const reason = attentionReason(c, s.now());
  const secretLabel = c.auth.type === 'pat' ? 'New PAT'
    : c.auth.type === 'entra' ? (c.auth.credential === 'certificate' ? 'New certificate with its private key (PEM)' : 'New client secret')
    : c.auth.type === 'oauth' ? 'New access token' : 'New password';
  // A bare token has no date to show; say plainly that it lapses within the hour.
  const expiry = c.expiresOn ? ` Expires ${c.expiresOn}.` : (c.kind === 'planner' || c.kind === 'outlook') && signsInWithBareToken(c) ? ' Signs in with an access token, which expires within about an hour.' : '';
  const checked = c.check ? ` Last checked ${c.check.checkedAt.slice(0, 16).replace('T', ' ')} UTC.` : '';
  return {
    id: c.id, name: c.name, kindLabel: systemName(c.kind), url: c.url,
    status: reason ? 'Needs attention' : 'OK', attention: reason !== undefined,
    detail: `${reason ?? ''}${signedIn(c)}${expiry}${checked}`.trim(),
    secretLabel, nameInputId: inputKey('name', c.id), secretInputId: inputKey('secret', c.id), expiryInputId: inputKey('expires', c.id),
    owner: ownerName(c), sharing: sharingLabel(c),
    recheck: button(tenantId, 'Check again', 'conn.recheck', { connectionId: c.id }),
    rename: button(tenantId, 'Save name', 'conn.rename', { connectionId: c.id }, 'positive'),
    replaceSecret: button(tenantId, 'Check and save', 'conn.secret', { connectionId: c.id }, 'positive'),
    signsIn: signsInWithMicrosoft365(c),
    signInAgain: button(tenantId, 'Sign in again', 'conn.signin', { connectionId: c.id }),
    share: button(tenantId, 'Sharing', 'conn.sharing', { connectionId: c.id }),
    remove: button(tenantId, 'Remove', 'conn.remove', { connectionId: c.id }, 'destructive'),
  };
}

/**
 * The last connections card of each tenant, with what it was built from. A list the store answers
 * from its cache (embedded mode) hands out the same frozen documents again, so an unchanged list
 * on the same day is the same card, and rebuilding its rows and buttons (about 20 objects per
 * connection) and writing them as the render cache's key was most of a "connections" turn
 * (issue 19). Any write gives new documents, so a changed list never matches.
 */
const lastCards = new Map<string, { docs: readonly ConnectionDocument[]; headline: string | undefined; today: number; card: AdaptiveCardJson }>();
const LAST_CARDS_MAX = 1000;
const DAY_MS = 86_400_000;

export async function connectionsCard(s: FlowServices, tenantId: string, headline?: string): Promise<AdaptiveCardJson> {
  const all = await s.store.connections.list(tenantId);
  const today = Math.floor(s.now().getTime() / DAY_MS); // the UTC day, as `day` writes it, without writing it
  const last = lastCards.get(tenantId);
  if (last && last.headline === headline && last.today === today && last.docs.length === all.length && last.docs.every((d, i) => d === all[i])) return last.card;
  const card = buildConnectionsCard(s, tenantId, all, headline);
  lastCards.delete(tenantId);
  lastCards.set(tenantId, { docs: all, headline, today, card });
  if (lastCards.size > LAST_CARDS_MAX) lastCards.delete(lastCards.keys().next().value!);
  return card;
}

function buildConnectionsCard(s: FlowServices, tenantId: string, all: ConnectionDocument[], headline: string | undefined): AdaptiveCardJson {
  const attention = all.filter((c) => attentionReason(c, s.now())).length;
  const summary = all.length === 0
    ? 'No connections yet. Connect Azure DevOps and a plan system (Project Web App or Planner premium) to start.'
    : `${all.length} connection${all.length === 1 ? '' : 's'}${attention ? `, ${attention} need${attention === 1 ? 's' : ''} attention` : ''}.`;
  return renderCard('connections', {
    summary: headline ? `${headline} ${summary}` : summary,
    connections: all.map((c) => row(s, tenantId, c)),
    buttons: [
      button(tenantId, 'Connect Azure DevOps', 'connect.ado.start'), button(tenantId, 'Connect Project Web App', 'connect.pwa.start'),
      button(tenantId, 'Connect Planner premium', 'connect.planner.start'), button(tenantId, 'Connect Outlook', 'connect.outlook.start'),
    ],
  });
}

export async function sendConnections(s: FlowServices, turn: ChatTurn): Promise<void> {
  await turn.send({ card: await connectionsCard(s, turn.tenantId) });
}

async function markChecked(s: FlowServices, c: Stored<ConnectionDocument>, ok: boolean, problem?: string, scopes?: string[]) {
  return s.store.connections.update(c.tenantId, c.id, () => ({ check: { ok, checkedAt: s.now().toISOString(), ...(problem ? { problem } : {}), ...(scopes ? { scopes } : {}) } }));
}

/** Checks a stored connection and records the result; the reply is the same checklist as at connect. */
export async function recheck(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  if (c.kind === 'outlook') return recheckOutlook(s, turn, c);
  try {
    if (c.kind === 'ado') {
      const check = await (await s.systems.ado(c)).check();
      const saved = await markChecked(s, c, check.missing.length === 0, check.advice ?? undefined, check.scopes.filter((x) => x.present).map((x) => x.label));
      return { card: adoChecklist(s, turn.tenantId, saved, check) };
    }
    const report = await (await s.systems.plan(c)).verifyAccess();
    const saved = await markChecked(s, c, report.canRead && report.canEdit, report.missing.length ? `Missing permissions: ${report.missing.join(', ')}` : undefined);
    return { card: c.kind === 'planner' ? plannerChecklist(turn.tenantId, saved, report) : accessChecklist(turn.tenantId, saved, report) };
  } catch (err) {
    await markChecked(s, c, false, errorMessage(err));
    s.systems.forget(c.id);
    return { card: await connectionsCard(s, turn.tenantId, `"${c.name}" needs attention: ${errorMessage(err)}`) };
  }
}

export async function rename(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, action: CardAction): Promise<ActionReply> {
  const name = text(action.data, inputKey('name', c.id), 100) ?? text(action.data, 'name', 100);
  if (!name) return { message: 'Type the new name first, then press "Save name".' };
  await s.store.connections.update(turn.tenantId, c.id, () => ({ name }));
  return { card: await connectionsCard(s, turn.tenantId, 'Renamed.') };
}

/** The new secret is checked against the system before it replaces the stored one. */
export async function replaceSecret(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>, action: CardAction): Promise<ActionReply> {
  const secret = text(action.data, inputKey('secret', c.id), 4000) ?? text(action.data, 'secret', 4000);
  const expiresOn = text(action.data, inputKey('expires', c.id), 20) ?? text(action.data, 'expiresOn', 20);
  if (signsInWithMicrosoft365(c)) return { message: `"${c.name}" signs in with Microsoft 365; use "Sign in again" on the connections card to renew it.` };
  if (actsAsPlanBridgeApp(c)) return { message: `"${c.name}" acts as PlanBridge's own app, which gets and renews its tokens itself: there is no secret to replace. Use "Check again".` };
  if (!secret) return { message: 'Paste the new secret first, then press "Check and save".' };
  if (expiresOn && expiryProblem(expiresOn, s.now())) return { message: expiryProblem(expiresOn, s.now()) };
  if (c.kind === 'outlook') return replaceOutlookToken(s, turn, c, secret);
  try {
    if (c.kind === 'ado') {
      // A service principal's new secret (or certificate) is checked as that principal, not as a PAT.
      const auth = c.auth;
      const signIn = auth.type === 'entra' && auth.credential !== 'managed-identity'
        ? { method: 'entra' as const, tenantId: auth.tenantId, clientId: auth.clientId, credential: auth.credential, secret }
        : secret;
      const check = await s.systems.adoFromInput(c.url, signIn).check();
      await s.store.connections.setSecret(turn.tenantId, c.id, secret);
      const saved = await s.store.connections.update(turn.tenantId, c.id, () => ({
        check: { ok: check.missing.length === 0, checkedAt: s.now().toISOString(), scopes: check.scopes.filter((x) => x.present).map((x) => x.label), ...(check.advice ? { problem: check.advice } : {}) },
        ...(expiresOn ? { expiresOn } : {}),
      }));
      s.systems.forget(c.id);
      return { card: adoChecklist(s, turn.tenantId, saved, check) };
    }
    if (c.kind === 'planner') {
      const report = await s.systems.plannerFromInput(c.url, secret, c.timeZone).verifyAccess();
      // As at connect: a token of an account that cannot write the plans is not worth storing.
      const refused = plannerRefusal(report);
      if (refused) return { message: `The new token was not saved, so the old one was kept. ${refused}` };
      await s.store.connections.setSecret(turn.tenantId, c.id, secret);
      const saved = await markChecked(s, c, report.canRead && report.canEdit, report.missing.length ? `Missing: ${report.missing.join(', ')}` : undefined);
      s.systems.forget(c.id);
      return { card: plannerChecklist(turn.tenantId, saved, report) };
    }
    const credentials = c.auth.type === 'basic' || c.auth.type === 'ntlm'
      ? { method: c.auth.type === 'ntlm' ? 'ntlm' as const : 'onprem' as const, username: c.auth.username, password: secret }
      : { method: 'token' as const, token: secret };
    const report = await s.systems.pwaFromInput(c.url, credentials, c.timeZone).verifyAccess();
    await s.store.connections.setSecret(turn.tenantId, c.id, secret);
    const saved = await markChecked(s, c, report.canRead && report.canEdit);
    s.systems.forget(c.id);
    return { card: accessChecklist(turn.tenantId, saved, report) };
  } catch (err) {
    return { message: `The new secret did not work, so the old one was kept. ${errorMessage(err)}` };
  }
}

export async function confirmRemove(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  const users = (await s.store.integrations.list(turn.tenantId, { pageSize: 200 })).items.filter((i) => i.planConnectionId === c.id || i.adoConnectionId === c.id);
  return {
    card: notice(`Remove "${c.name}"?`, `The stored ${c.kind === 'ado' && c.auth.type === 'pat' ? 'PAT' : 'credential'} is deleted. Nothing changes in ${systemName(c.kind)}.`, {
      tone: 'Warning',
      details: users.length > 0 ? [`These integrations use it and will stop syncing until you connect again: ${users.map((i) => i.name).join(', ')}.`] : [],
      buttons: [button(turn.tenantId, 'Remove', 'conn.remove.confirm', { connectionId: c.id }, 'destructive'), button(turn.tenantId, 'Keep it', 'conn.list')],
    }),
  };
}

export async function remove(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  await s.store.connections.remove(turn.tenantId, c.id);
  s.systems.forget(c.id);
  s.logger.info({ tenant: turn.tenantId, connection: c.id }, 'connection removed');
  return { card: await connectionsCard(s, turn.tenantId, `Removed "${c.name}".`) };
}

/** "Sign in again" for a connection made by Microsoft 365 sign-in: the new sign-in replaces the sealed one. */
export async function signInAgain(s: FlowServices, turn: ActionTurn, c: Stored<ConnectionDocument>): Promise<ActionReply> {
  const system = signInSystemOf(c.kind);
  if (!system || !signsInWithMicrosoft365(c)) return { message: `"${c.name}" does not sign in with Microsoft 365; replace its secret instead.` };
  if (!s.signIn) return { message: SIGN_IN_UNAVAILABLE };
  try {
    return { card: await beginSignInCard(s, turn, { system, url: c.url, name: c.name, connectionId: c.id, ...(c.timeZone ? { timeZone: c.timeZone } : {}) }) };
  } catch (err) {
    return { message: `The sign-in could not start. ${errorMessage(err)}` };
  }
}
