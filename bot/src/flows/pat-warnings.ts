/**
 * Credential expiry warnings (14 and 3 days before the date the user gave), for every connection
 * with a known expiry, scheduled or not. Each warning is claimed once across all instances
 * (jobs/once-ledger.ts) before it is sent, so however many instances scan, one sends. It goes to
 * the connection's owner in their personal chat with the bot when there is one, otherwise to the
 * chat of an integration that uses it, otherwise to the chat the connection was made in.
 *
 * Checked by the hourly scan (`scanExpiringConnections`, started with the bot) and on every
 * scheduled run of an integration that uses the connection (fenced by that run's lease).
 */
import { claimPatExpiryWarning, createLeaseOnceLedger } from '../jobs/index.js';
import type { ConnectionDocument, IntegrationDocument, Stored } from '../store/index.js';
import { PAT_WARNING_DAYS } from '../jobs/pat-expiry.js';
import { button, notice } from './card-kit.js';
import { personalChatOf } from './personal-chat.js';
import type { FlowServices } from './services.js';

const DAY_MS = 86_400_000;

/** Checks the ADO connection of a scheduled integration; true when a warning was sent. */
export async function warnPatExpiry(s: FlowServices, i: IntegrationDocument, fence?: () => Promise<void>): Promise<boolean> {
  const ado = await s.store.connections.get(i.tenantId, i.adoConnectionId);
  return ado ? warnConnectionExpiry(s, ado, fence) : false;
}

/** True when a warning for this connection was due, claimed here, and sent. */
export async function warnConnectionExpiry(s: FlowServices, connection: Stored<ConnectionDocument>, fence?: () => Promise<void>): Promise<boolean> {
  if (!s.automation || !connection.expiresOn) return false;
  const warning = await claimPatExpiryWarning(createLeaseOnceLedger(s.store.leases, () => s.now(), fence), connection.tenantId, connection.id, connection.expiresOn, s.now());
  if (!warning) return false;
  const users = await integrationsUsing(s, connection);
  const days = warning.daysLeft === 0 ? 'today' : warning.daysLeft === 1 ? 'tomorrow' : `in ${warning.daysLeft} days`;
  const what = connection.kind === 'ado' ? 'Azure DevOps token' : 'credential';
  const using = users.length > 0 ? `Syncs of ${users.map((i) => i.name).join(', ')} will fail` : 'Anything that uses it will fail';
  const card = notice(`The ${what} of ${connection.name} expires ${days}`, `It works until ${warning.expiresOn}. ${using} after that, until it is replaced.`, {
    tone: 'Warning',
    details: connection.kind === 'ado'
      ? ['Create a new PAT in Azure DevOps (User settings > Personal access tokens) with the same scopes, or connect with a Microsoft Entra service principal, then replace it here.']
      : ['Get a new credential for the site, then replace it here.'],
    buttons: [button(connection.tenantId, 'Replace the credential', 'conn.list', {}, 'positive')],
  });
  const owner = connection.owner?.aadObjectId ?? connection.owner?.id ?? connection.createdBy;
  const target = (await personalChatOf(s, connection.tenantId, owner))?.conversationId
    ?? users.find((i) => i.notifications.conversationId)?.notifications.conversationId
    ?? connection.origin?.conversationId;
  if (!target) {
    s.logger.info({ tenant: connection.tenantId, connection: connection.id, warning: warning.key }, 'credential expiry warning has no chat to go to');
    return false;
  }
  const sent = await s.automation.post(connection.tenantId, target, { card });
  s.logger.info({ tenant: connection.tenantId, connection: connection.id, warning: warning.key, sent: sent !== undefined }, 'credential expiry warning');
  return sent !== undefined;
}

async function integrationsUsing(s: FlowServices, connection: ConnectionDocument): Promise<Stored<IntegrationDocument>[]> {
  const all = (await s.store.integrations.list(connection.tenantId, { pageSize: 100 })).items;
  return all.filter((i) => i.adoConnectionId === connection.id || i.planConnectionId === connection.id);
}

/**
 * The hourly scan across tenants: every connection whose credential expires within the longest
 * warning window. Safe to run on every instance at once: the once-ledger lets one send each warning.
 */
export async function scanExpiringConnections(s: FlowServices): Promise<{ checked: number; sent: number }> {
  const horizon = new Date(s.now().getTime() + Math.max(...PAT_WARNING_DAYS) * DAY_MS).toISOString().slice(0, 10);
  const expiring = await s.store.connections.expiringBy(horizon);
  let sent = 0;
  for (const connection of expiring) {
    try {
      if (await warnConnectionExpiry(s, connection)) sent += 1;
    } catch (err) {
      s.logger.warn({ tenant: connection.tenantId, connection: connection.id, err: err instanceof Error ? err.name : 'unknown' }, 'credential expiry check failed');
    }
  }
  return { checked: expiring.length, sent };
}
