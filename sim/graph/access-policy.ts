import { ENTRA_DEMO } from '../entra/directory.js';
import type { Caller } from './auth.js';
import type { Directory, GraphUser } from './directory.js';
import { graphErrors } from './errors.js';

/**
 * Who may touch which mailbox's calendar [notes "Permissions"]:
 * - delegated callers reach their own mailbox only (shared calendars, which need
 *   Calendars.ReadWrite.Shared and the owner's consent, are not modelled);
 * - app-only callers reach every mailbox unless an Exchange application access policy
 *   (`New-ApplicationAccessPolicy -AccessRight RestrictAccess|DenyAccess`) scopes them; a blocked
 *   call gets 403 ErrorAccessDenied "Access to OData is disabled.".
 * Policies apply at once here; in Exchange a change can take over an hour.
 */
export interface ApplicationAccessPolicy {
  appId: string;
  accessRight: 'RestrictAccess' | 'DenyAccess';
  /** The policy scope group's members: UPNs, mail addresses or object ids. */
  members: string[];
  /** The mail-enabled security group named by -PolicyScopeGroupId, for display. */
  group?: string;
}

/** The demo tenant's policy: PlanBridge's app may write only the calendars of the PM and the project people. */
export function demoAccessPolicies(): ApplicationAccessPolicy[] {
  return [{
    appId: ENTRA_DEMO.clientId, accessRight: 'RestrictAccess', group: 'planbridge-calendars@contoso.onmicrosoft.com',
    members: [ENTRA_DEMO.user.username, 'alice@contoso.example', 'bob@contoso.example', 'chen@contoso.example', 'dana@contoso.example', 'erin@contoso.example', 'farid@contoso.example'],
  }];
}

function inScope(policy: ApplicationAccessPolicy, user: GraphUser, directory: Directory): boolean {
  return policy.members.some((m) => {
    const member = directory.find(m) ?? directory.byAddress(m);
    return member?.id === user.id;
  });
}

export function requireMailboxAccess(caller: Caller, mailbox: GraphUser, policies: ApplicationAccessPolicy[], directory: Directory): void {
  if (caller.kind === 'delegated') {
    if (caller.user.id !== mailbox.id) throw graphErrors.accessDenied();
    return;
  }
  const mine = policies.filter((p) => p.appId.toLowerCase() === caller.appId.toLowerCase());
  if (mine.some((p) => p.accessRight === 'DenyAccess' && inScope(p, mailbox, directory))) throw graphErrors.accessPolicy();
  const restricting = mine.filter((p) => p.accessRight === 'RestrictAccess');
  if (restricting.length > 0 && !restricting.some((p) => inScope(p, mailbox, directory))) throw graphErrors.accessPolicy();
}
