import { UserFacingError } from '../../errors.js';
import type { AdoCredentialKind } from './auth.js';
import type { AdoScopeName } from './types.js';

/**
 * `pat-policy`: the organization refuses PATs (Conditional Access); `entra-rejected`: Entra ID
 * would not issue a token; `principal-rejected`: Azure DevOps refused the Entra token (the
 * service principal is not in the organization, or lost access).
 */
export type AdoErrorCode =
  | 'invalid-url' | 'unreachable' | 'org-not-found' | 'pat-rejected' | 'pat-expired' | 'missing-scope'
  | 'pat-policy' | 'entra-rejected' | 'principal-rejected'
  | 'forbidden' | 'project-not-found' | 'not-found' | 'throttled' | 'unavailable' | 'invalid-request'
  | 'conflict' | 'server-error';

/** Where the README explains connecting without a PAT. */
export const WITHOUT_PATS_HELP = 'connect with a Microsoft Entra service principal instead ("connect ado", then "Microsoft Entra service principal"; README: "Azure DevOps without PATs")';

/** A failure the user can act on. Messages never contain the PAT. */
export class AdoConnectorError extends UserFacingError {
  constructor(
    override readonly code: AdoErrorCode,
    message: string,
    readonly details: { status?: number; scope?: AdoScopeName; needsAttention?: boolean; serverMessage?: string } = {},
  ) {
    super(code, message, { needsAttention: details.needsAttention });
  }
}

export const SCOPE_LABELS: Record<AdoScopeName, { label: string; patScope: string }> = {
  'work-read': { label: 'Work Items: Read', patScope: 'vso.work' },
  'work-write': { label: 'Work Items: Read & write', patScope: 'vso.work_write' },
  'project-read': { label: 'Project and Team: Read', patScope: 'vso.project' },
  'identity-read': { label: 'Identity: Read', patScope: 'vso.identity' },
  'graph-read': { label: 'Graph: Read', patScope: 'vso.graph' },
};

/**
 * Azure DevOps answers a retired global PAT as it answers a revoked one (notes: "presumably 401
 * like a revoked token"), so the refusal names both possibilities.
 */
export const GLOBAL_PAT_NOTE = `If it was a global PAT (made for "All accessible organizations"), Azure DevOps stopped accepting those on 2026-12-01: create one for this organization only, or ${WITHOUT_PATS_HELP}.`;

/** What the caller was doing, so an error can say it. */
export interface Operation {
  /** e.g. "read work items of Phoenix" */
  what: string;
  scope?: AdoScopeName;
  project?: string;
}

interface LibraryError {
  statusCode?: number;
  code?: string;
  message?: string;
  result?: { message?: string; typeKey?: string } | null;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

export function isNetworkError(err: unknown): boolean {
  const e = err as LibraryError | null;
  if (!e || typeof e !== 'object' || e.statusCode !== undefined) return false;
  return (e.code !== undefined && NETWORK_CODES.has(e.code)) || /socket hang up|request timeout|ECONNRESET/i.test(e.message ?? '');
}

export function statusOf(err: unknown): number | undefined {
  return (err as LibraryError | null)?.statusCode;
}

/** TF26071 or a failed `test` op: someone changed the item since we read it. */
export function isConflict(err: unknown): boolean {
  const status = statusOf(err);
  const text = `${(err as LibraryError | null)?.result?.message ?? ''} ${(err as LibraryError | null)?.message ?? ''}`;
  return status === 409 || status === 412 || /TF26071/.test(text);
}

/** 401s to a Microsoft Entra token: the principal is not in the organization, or lacks access. */
function entraUnauthorized(op: Operation, base: { status: number; serverMessage?: string }): AdoConnectorError {
  if (op.scope) {
    const s = SCOPE_LABELS[op.scope];
    return new AdoConnectorError('missing-scope', `Azure DevOps refused the service principal to ${op.what} (401). If it is still in the organization, it lacks "${s.label}": give it that access (for work items: add it to the project's Contributors group). If it was removed, add it again under Organization settings > Users.`, { ...base, scope: op.scope, needsAttention: true });
  }
  return new AdoConnectorError('principal-rejected', 'Azure DevOps did not accept the Microsoft Entra token (401). Add the service principal to the organization first (Organization settings > Users > Add users: search the app by name, Basic access, Contributors of the projects), and check the tenant is the one the organization is connected to. Azure DevOps Server takes no Entra tokens: use a PAT there.', { ...base, needsAttention: true });
}

/** Maps a client-library failure to an error a user can act on. */
export function toAdoError(err: unknown, op: Operation, orgUrl: string, credential: AdoCredentialKind = 'pat'): AdoConnectorError {
  if (err instanceof AdoConnectorError) return err;
  const e = (err ?? {}) as LibraryError;
  const status = e.statusCode;
  const server = (e.result?.message ?? (status ? e.message : undefined) ?? '').slice(0, 400);
  const tokens = `${orgUrl}/_usersSettings/tokens`;
  if (status === undefined) {
    if (/Failed to find api location/i.test(e.message ?? '')) {
      return new AdoConnectorError('org-not-found', `No Azure DevOps API answers at ${orgUrl}. Check the organization (or collection) name in the URL.`);
    }
    if (isNetworkError(err)) {
      return new AdoConnectorError('unreachable', `Could not reach Azure DevOps at ${orgUrl} to ${op.what} (${e.code ?? 'network error'}). Check the URL and that the server is reachable, then try again.`);
    }
    return new AdoConnectorError('server-error', `Azure DevOps call failed while trying to ${op.what}: ${e.message ?? String(err)}`);
  }
  const base = { status, serverMessage: server || undefined };
  if (status === 401) {
    if (credential === 'entra') return entraUnauthorized(op, base);
    // [3P] in the notes: a Conditional Access policy that covers non-interactive flows refuses PATs.
    if (/VS403463/.test(server)) {
      return new AdoConnectorError('pat-policy', `Your organization no longer accepts personal access tokens from PlanBridge: its Conditional Access policy refused the PAT (VS403463). A new PAT will not help; ${WITHOUT_PATS_HELP}.`, { ...base, needsAttention: true });
    }
    if (/expired/i.test(server)) {
      return new AdoConnectorError('pat-expired', `The Azure DevOps personal access token has expired. Create a new one at ${tokens} and reconnect with "connect ado".`, { ...base, needsAttention: true });
    }
    if (op.scope) {
      const s = SCOPE_LABELS[op.scope];
      return new AdoConnectorError('missing-scope', `Azure DevOps refused the token to ${op.what} (401). If the token is still valid, it lacks the "${s.label}" scope (${s.patScope}): edit it at ${tokens} and add that scope, or create a new token. ${GLOBAL_PAT_NOTE}`, { ...base, scope: op.scope, needsAttention: true });
    }
    return new AdoConnectorError('pat-rejected', `Azure DevOps did not accept the personal access token (401). It may be revoked or mistyped; create a new one at ${tokens}. ${GLOBAL_PAT_NOTE}`, { ...base, needsAttention: true });
  }
  if (status === 203) {
    if (credential === 'entra') return entraUnauthorized(op, base);
    return new AdoConnectorError('pat-rejected', `Azure DevOps did not accept the personal access token: it answered with a sign-in page. Check the token was copied whole and is not revoked (${tokens}).`, { ...base, needsAttention: true });
  }
  if (status === 403) {
    return new AdoConnectorError('forbidden', `Your Azure DevOps account may not ${op.what} (403)${op.project ? ` in project ${op.project}` : ''}. Ask a project administrator for the permission.${server ? ` ADO said: ${server}` : ''}`, base);
  }
  if (status === 404) {
    return op.project
      ? new AdoConnectorError('project-not-found', `Azure DevOps has no project "${op.project}" at ${orgUrl} (or you cannot see it). Check the name; "list projects" shows the ones you can use.`, base)
      : new AdoConnectorError('not-found', `Azure DevOps could not find what was asked while trying to ${op.what}.${server ? ` ADO said: ${server}` : ''}`, base);
  }
  if (status === 429) {
    return new AdoConnectorError('throttled', `Azure DevOps is rate-limiting this account and asked to wait longer than PlanBridge will (while trying to ${op.what}). Try again in a few minutes.`, base);
  }
  if (status === 502 || status === 503 || status === 504) {
    return new AdoConnectorError('unavailable', `Azure DevOps is temporarily unavailable (${status}) and did not recover after retries while trying to ${op.what}. Try again later.`, base);
  }
  if (isConflict(err)) {
    return new AdoConnectorError('conflict', `The work item changed in Azure DevOps while PlanBridge was updating it. Refresh the preview and approve again.`, base);
  }
  if (status === 400 || status === 415) {
    return new AdoConnectorError('invalid-request', `Azure DevOps rejected the request to ${op.what}: ${server || 'bad request'}`, base);
  }
  return new AdoConnectorError('server-error', `Azure DevOps failed (${status}) while trying to ${op.what}.${server ? ` ADO said: ${server}` : ''}`, base);
}
