/**
 * The one server-side check every card action passes before a flow sees it. Card data comes back
 * from the client and can be forged, so: the verb must be on the allow-list, required fields must
 * be there, the card must have been made for the caller's tenant, every id is looked up inside
 * the caller's tenant only, connection actions need the caller's role on that connection (owner,
 * shared with, tenant admin: connection-access.ts), integration actions need permission on that
 * integration, and actions on a preview must name the plan hash that preview showed. Refusals are
 * logged (verb, reason, ids: never input values) and answered with a sentence that names who may
 * do it.
 */
import type { Stored, ConnectionDocument, ConnectionKind, IntegrationDocument, RunDocument } from '../store/index.js';
import { ActionRefused, text, type CardAction } from './actions.js';
import type { ChatUser } from './chat.js';
import { canCheck, canManage, canUse, checkRefusal, isOwner, manageRefusal, samePerson, useRefusal, type Caller } from './connection-access.js';
import { isPlanConnection } from './plan-systems.js';
import type { FlowServices } from './services.js';

export type ActionScope = 'none' | 'connection' | 'integration' | 'run';

export interface VerbRule {
  scope: ActionScope;
  /** Data fields that must be present (besides the ids the scope needs). */
  required?: string[];
  /** What the caller must be allowed to do with the connection (scope 'connection'). */
  connection?: 'manage' | 'use' | 'check';
  /** Data fields naming connections, with their kind ('plan': any plan system), that the caller must be allowed to use (link setup). */
  uses?: Record<string, ConnectionKind | 'plan'>;
  /** Only the integration's approvers may do this. */
  approversOnly?: boolean;
  /** Runs it now (preview, apply, retry) with the stored credentials: both its connections must be shared with the caller. */
  run?: boolean;
  /** The data must carry the hash of the run's plan. */
  planHash?: boolean;
}

export interface Guarded {
  connection?: Stored<ConnectionDocument>;
  integration?: Stored<IntegrationDocument>;
  run?: Stored<RunDocument>;
  /** The connections a `uses` rule named, by data field. */
  used?: Record<string, Stored<ConnectionDocument>>;
}

export function isApprover(integration: IntegrationDocument, user: ChatUser): boolean {
  return (integration.approvers ?? []).some((a) => samePerson(a, user));
}

export function approverNames(integration: IntegrationDocument): string {
  const names = (integration.approvers ?? []).map((a) => a.name ?? 'an unnamed user');
  return names.length > 0 ? names.join(', ') : 'nobody yet';
}

export async function guardAction(
  s: FlowServices,
  caller: Caller & { tenantId: string },
  action: CardAction,
  rule: VerbRule,
): Promise<Guarded> {
  const { data } = action;
  const stamped = text(data, 't');
  if (rule.scope !== 'none' || rule.uses || stamped !== undefined) {
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
    if (!out.connection) throw unknownConnection();
    const c = out.connection;
    if (rule.connection === 'manage' && !canManage(s, c, caller.user)) throw new ActionRefused('not-connection-manager', manageRefusal(c));
    if (rule.connection === 'manage' && !isOwner(c, caller.user)) {
      s.logger.info({ tenant: caller.tenantId, connection: c.id, verb: action.verb, by: caller.user.aadObjectId }, 'tenant admin acting on a connection they do not own');
    }
    if (rule.connection === 'use' && !canUse(c, caller)) throw new ActionRefused('not-shared', useRefusal(c));
    if (rule.connection === 'check' && !canCheck(s, c, caller)) throw new ActionRefused('not-shared', checkRefusal(c));
  }
  for (const [field, kind] of Object.entries(rule.uses ?? {})) {
    const c = await s.store.connections.get(caller.tenantId, need(data, field));
    if (!c || (kind === 'plan' ? !isPlanConnection(c) : c.kind !== kind)) throw unknownConnection();
    if (!canUse(c, caller)) throw new ActionRefused('not-shared', useRefusal(c));
    out.used = { ...out.used, [field]: c };
  }
  if (rule.scope === 'integration' || rule.scope === 'run') {
    const id = need(data, 'integrationId');
    out.integration = await s.store.integrations.get(caller.tenantId, id);
    if (!out.integration) throw new ActionRefused('unknown-integration', 'I could not find that integration in your organization; it may have been removed. Type "status" to see your integrations.');
    if (rule.approversOnly && !isApprover(out.integration, caller.user)) {
      throw new ActionRefused('not-approver', `Only the approvers of "${out.integration.name}" can do this (${approverNames(out.integration)}). Ask one of them, or ask to be added with "I want to approve too".`);
    }
    if (rule.run) {
      const refusal = await runRefusal(s, caller, out.integration);
      if (refusal) throw new ActionRefused('may-not-run', refusal);
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

/**
 * Why the caller may not run this integration now, or undefined when they may. Running reads and
 * writes both systems with the stored credentials, so both connections must be shared with the
 * caller; being an approver (checked separately where a verb needs it) does not replace that, and
 * an owner who stops sharing stops the person at once. Chat ("sync Apollo") asks this too.
 */
export async function runRefusal(s: FlowServices, caller: Caller & { tenantId: string }, i: IntegrationDocument): Promise<string | undefined> {
  for (const id of [i.planConnectionId, i.adoConnectionId]) {
    const c = await s.store.connections.get(caller.tenantId, id);
    if (!c) return `"${i.name}" cannot run: one of its connections was removed. Type "connections" to connect again, then link it again.`;
    if (!canUse(c, caller)) return `Running "${i.name}" uses its connections. ${useRefusal(c)}`;
  }
  return undefined;
}

const unknownConnection = () => new ActionRefused('unknown-connection', 'I could not find that connection in your organization; it may have been removed. Type "connections" to see the current list.');

function need(data: Record<string, unknown>, key: string): string {
  const v = text(data, key, 300);
  if (!v) throw new ActionRefused(`missing-${key}`, `This action needs "${key}" and it was not sent. Use the button on the latest card, or start again with a command.`);
  return v;
}
