import { readErrorBody } from '../../net/error-body.js';
import { pagingStoppedMessage, type PagingStopped } from '../../net/next-links.js';
import { PlanConnectorError } from '../ppm.js';

/** An HTTP failure from PWA with its OData error code and message (from `error` or `odata.error`). */
export class PwaHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }

  static async from(response: Response): Promise<PwaHttpError> {
    const body = await readErrorBody(response, 500);
    return new PwaHttpError(body.status, body.code, body.message);
  }

  /** The Project Server error name, e.g. `CICOCheckedOutToOtherUser`. */
  get psName(): string | null {
    return /PJClientCallableException: (\w+)/.exec(this.message)?.[1] ?? null;
  }

  detail(key: string): string | null {
    return new RegExp(`${key} = ([^\\r\\n]+)`).exec(this.message)?.[1]?.trim() ?? null;
  }
}

/** Turns transport failures into errors a user can act on. */
export function toPlanError(err: unknown, authDescription: string): PlanConnectorError {
  if (err instanceof PlanConnectorError) return err;
  if (!(err instanceof PwaHttpError)) {
    return new PlanConnectorError('server-error', `Project Web App call failed: ${(err as Error)?.message ?? String(err)}`);
  }
  const base = { status: err.status, serverCode: err.code };
  const name = err.psName;
  if (err.status === 401) {
    return new PlanConnectorError('auth-failed', `Project Web App refused ${authDescription} (401). Reconnect PWA with "connect pwa" to sign in again.`, { ...base, needsAttention: true });
  }
  if (err.code.startsWith('-2130575251')) {
    return new PlanConnectorError('auth-failed', 'Project Web App refused the form digest even after fetching a new one. Check that the account can sign in to the site.', { ...base, needsAttention: true });
  }
  switch (name) {
    case 'CICOCheckedOutToOtherUser':
    case 'ProjectCheckedoutToOtherUser': {
      const who = err.detail('userName') ?? 'another user';
      const project = err.detail('projectName') ?? 'The project';
      return new PlanConnectorError('checked-out', `${project} is checked out by ${who}. Ask them to check it in (or a PWA admin to force check-in), then try again.`, { ...base, checkedOutBy: who });
    }
    case 'ProjectNotFound':
      return new PlanConnectorError('project-not-found', 'That project does not exist in Project Web App (it may have been deleted). Pick the project again.', base);
    case 'TaskNotFound':
      return new PlanConnectorError('task-deleted', `A task to update no longer exists in the plan (${err.detail('taskUid') ?? 'unknown id'}). Refresh the preview; PlanBridge will offer to unlink it.`, base);
    case 'GeneralQueueCorrelationBlocked':
      return new PlanConnectorError('queue-blocked', 'Project Server is still processing another job for this project (error 26005). Try again in a minute.', base);
    case 'ProjectTypeInvalid':
      return new PlanConnectorError('project-archived', 'This project is archived or inactive in Project Web App, so PlanBridge will not edit it.', base);
    case 'GeneralSecurityAccessDenied':
      return new PlanConnectorError('forbidden', `The account (${authDescription}) lacks a Project Server permission for this action. Ask a PWA admin for Open, Save and Publish Project on this project.`, base);
    default:
      break;
  }
  if (err.status === 403) {
    return new PlanConnectorError('forbidden', `Project Web App denied access for ${authDescription} (403). Ask a PWA admin to grant the account access.`, base);
  }
  if (err.status === 429 || err.status === 503) {
    return new PlanConnectorError('throttled', `Project Web App is throttling requests (${err.status}) and did not recover after waiting as asked. Try again later.`, base);
  }
  if (err.status === 400) {
    return new PlanConnectorError('invalid-request', `Project Web App rejected a value: ${err.message}`, base);
  }
  return new PlanConnectorError('server-error', `Project Web App failed (${err.status}${name ? `, ${name}` : ''}): ${err.message.split('\r\n')[0]}`, base);
}

/**
 * A success status whose body is not JSON: a proxy's or sign-in page in front of the site, or a URL
 * that is not a PWA site. What it did is unknown, so a write is treated as one that got no answer.
 */
export function notJsonAnswer(siteUrl: string, status: number, contentType: string | null, method: string): PlanConnectorError {
  const write = method !== 'GET' ? ' The change may have been made: check the plan before you try again.' : '';
  return new PlanConnectorError('unreachable', `Project Web App at ${siteUrl} answered ${status} with ${contentType ?? 'no content type'} instead of JSON, so PlanBridge could not read it. Check that the connection's URL is the PWA site itself (for example https://contoso.sharepoint.com/sites/pwa), not a sign-in page or a proxy.${write}`, { status });
}

/** A collection whose next-page link repeated, or that ran past MAX_PAGES (net/next-links.ts). */
export function pagingStopped(siteUrl: string, stopped: PagingStopped): PlanConnectorError {
  return new PlanConnectorError('server-error', pagingStoppedMessage(`Project Web App at ${siteUrl}`, stopped));
}
