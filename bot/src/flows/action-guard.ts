/**
 * The one server-side check every card action passes before a flow sees it. Card data comes back
 * from the client and can be forged, so: the verb must be on the allow-list, required fields must
 * be there, the card must have been made for the caller's tenant, every id is looked up inside
 * the caller's tenant only, integration actions need permission on that integration, and actions
 * on a preview must name the plan hash that preview showed. Refusals are logged (verb, reason,
 * ids: never input values) and answered with a sentence the user can act on.
 */
import type { Stored, ConnectionDocument, IntegrationDocument, RunDocument } from '../store/index.js';
import { ActionRefused, text, type CardAction } from './actions.js';
import type { ChatUser } from './chat.js';
import type { FlowServices } from './services.js';

export type ActionScope = 'none' | 'connection' | 'integration' | 'run';

export interface VerbRule {
  scope: ActionScope;
  /** Data fields that must be present (besides the ids the scope needs). */
  required?: string[];
  /** Only the integration's approvers may do this. */
  approversOnly?: boolean;
  /** The data must carry the hash of the run's plan. */
  planHash?: boolean;
}

export interface Guarded {
  connection?: Stored<ConnectionDocument>;
  integration?: Stored<IntegrationDocument>;
  run?: Stored<RunDocument>;
}

export function isApprover(integration: IntegrationDocument, user: ChatUser): boolean {
  const approvers = integration.approvers ?? [];
  return approvers.some((a) => (a.aadObjectId && user.aadObjectId ? a.aadObjectId === user.aadObjectId : a.id === user.id));
}

export function approverNames(integration: IntegrationDocument): string {
  const names = (integration.approvers ?? []).map((a) => a.name ?? 'an unnamed user');
  return names.length > 0 ? names.join(', ') : 'nobody yet';
}

export async function guardAction(
  s: FlowServices,
  caller: { tenantId: string; user: ChatUser },
  action: CardAction,
  rule: VerbRule,
): Promise<Guarded> {
  const { data } = action;
  const stamped = text(data, 't');
  if (rule.scope !== 'none' || stamped !== undefined) {
    if (!stamped) throw new ActionRefused('no-tenant-stamp', 'This card is missing its origin, so I did not act on it. Start again with a command, for example "connections".');
    if (stamped !== caller.tenantId) throw new ActionRefused('cross-tenant', 'This card was made for another organization, so I did not act on it.');
  }
  for (const field of rule.required ?? []) {
    if (text(data, field) === undefined) throw new ActionRefused(`missing-${field}`, `This action needs "${field}" and it was not sent. Use the button on the latest card, or start again with a command.`);
  }
  const out: Guarded = {};
  if (rule.scope === 'connection') {
    const id = need(data, 'connectionId');
    out.connection = await s.store.connections.get(caller.tenantId, id);
    if (!out.connection) throw new ActionRefused('unknown-connection', 'I could not find that connection in your organization; it may have been removed. Type "connections" to see the current list.');
  }
  if (rule.scope === 'integration' || rule.scope === 'run') {
    const id = need(data, 'integrationId');
    out.integration = await s.store.integrations.get(caller.tenantId, id);
    if (!out.integration) throw new ActionRefused('unknown-integration', 'I could not find that integration in your organization; it may have been removed. Type "status" to see your integrations.');
    if (rule.approversOnly && !isApprover(out.integration, caller.user)) {
      throw new ActionRefused('not-approver', `Only the approvers of "${out.integration.name}" can do this (${approverNames(out.integration)}). Ask one of them, or ask to be added with "I want to approve too".`);
    }
  }
  if (rule.scope === 'run') {
    const runId = need(data, 'runId');
    out.run = await s.store.runs.get(caller.tenantId, out.integration!.id, runId);
    if (!out.run) throw new ActionRefused('unknown-run', 'I could not find that preview; it may be from an integration that was removed. Make a fresh one with "sync <project>".');
    if (rule.planHash) {
      const hash = text(data, 'hash', 128);
      const planHash = out.run.plan?.hash;
      if (!hash) throw new ActionRefused('missing-hash', 'This approval does not say which preview it approves, so nothing was applied. Use the Approve button on the latest preview.');
      if (hash !== planHash) throw new ActionRefused('hash-mismatch', 'This approval is for a different version of the preview, so nothing was applied. Make a fresh preview and approve that one.');
    }
  }
  return out;
}

function need(data: Record<string, unknown>, key: string): string {
  const v = text(data, key, 300);
  if (!v) throw new ActionRefused(`missing-${key}`, `This action needs "${key}" and it was not sent. Use the button on the latest card, or start again with a command.`);
  return v;
}
