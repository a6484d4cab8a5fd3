import { UserFacingError } from '../../errors.js';
import type { AdoScopeName } from './types.js';

export type AdoErrorCode =
  | 'invalid-url' | 'unreachable' | 'org-not-found' | 'pat-rejected' | 'pat-expired' | 'missing-scope'
  | 'forbidden' | 'project-not-found' | 'not-found' | 'throttled' | 'unavailable' | 'invalid-request'
  | 'conflict' | 'server-error';

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

/** Maps a client-library failure to an error a user can act on. */
export function toAdoError(err: unknown, op: Operation, orgUrl: string): AdoConnectorError {
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
    if (/expired/i.test(server)) {
      return new AdoConnectorError('pat-expired', `The Azure DevOps personal access token has expired. Create a new one at ${tokens} and reconnect with "connect ado".`, { ...base, needsAttention: true });
    }
    if (op.scope) {
      const s = SCOPE_LABELS[op.scope];
      return new AdoConnectorError('missing-scope', `Azure DevOps refused the token to ${op.what} (401). If the token is still valid, it lacks the "${s.label}" scope (${s.patScope}): edit it at ${tokens} and add that scope, or create a new token.`, { ...base, scope: op.scope, needsAttention: true });
    }
    return new AdoConnectorError('pat-rejected', `Azure DevOps did not accept the personal access token (401). It may be revoked or mistyped; create a new one at ${tokens}.`, { ...base, needsAttention: true });
  }
  if (status === 203) {
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
