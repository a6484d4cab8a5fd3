/**
 * PAT expiry warnings (14 and 3 days before the date the user gave), each sent once across all
 * instances (jobs/once-ledger.ts), to the person who set up the connection: in their personal chat
 * with the bot when it has one, otherwise in the integration's chat. Checked on every scheduled run
 * of an integration that uses the connection.
 */
import { claimPatExpiryWarning, createLeaseOnceLedger } from '../jobs/index.js';
import type { IntegrationDocument } from '../store/index.js';
import { button, notice } from './card-kit.js';
import { personalChatOf } from './personal-chat.js';
import type { FlowServices } from './services.js';

/** True when a warning was sent. */
export async function warnPatExpiry(s: FlowServices, i: IntegrationDocument, fence?: () => Promise<void>): Promise<boolean> {
  if (!s.automation) return false;
  const ado = await s.store.connections.get(i.tenantId, i.adoConnectionId);
  if (!ado?.expiresOn) return false;
  const warning = await claimPatExpiryWarning(createLeaseOnceLedger(s.store.leases, () => s.now(), fence), i.tenantId, ado.id, ado.expiresOn, s.now());
  if (!warning) return false;
  const days = warning.daysLeft === 0 ? 'today' : warning.daysLeft === 1 ? 'tomorrow' : `in ${warning.daysLeft} days`;
  const card = notice(`The Azure DevOps token of ${ado.name} expires ${days}`, `It works until ${warning.expiresOn}. After that, scheduled syncs of ${i.name} and every other integration using it will fail until the token is replaced.`, {
    tone: 'Warning',
    details: ['Create a new PAT in Azure DevOps (User settings > Personal access tokens) with the same scopes, then replace it here.'],
    buttons: [button(i.tenantId, 'Replace the token', 'conn.list', {}, 'positive')],
  });
  const personal = await personalChatOf(s, i.tenantId, ado.createdBy);
  const target = personal?.conversationId ?? i.notifications.conversationId;
  if (!target) return false;
  const sent = await s.automation.post(i.tenantId, target, { card });
  s.logger.info({ tenant: i.tenantId, connection: ado.id, warning: warning.key, sent: sent !== undefined }, 'PAT expiry warning');
  return sent !== undefined;
}
