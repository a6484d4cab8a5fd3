import { pagingStoppedMessage } from '../../net/next-links.js';
import { UserFacingError } from '../../errors.js';
import { readErrorBody } from '../../net/error-body.js';
import type { TransportFailure } from '../../net/odata-transport.js';

/**
 * Graph failures in Graph's shape, `{"error":{"code","message","innerError":{..}}}`, and what a
 * person can do about each ("Errors" and "Permissions" in ../shared/notes/graph-outlook-events.md).
 */
export class GraphHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }

  static async from(response: Response): Promise<GraphHttpError> {
    const body = await readErrorBody(response, 300);
    return new GraphHttpError(body.status, body.code, body.message);
  }
}

export type OutlookErrorCode =
  | 'auth-failed'          // 401: expired, revoked, or not a Graph token
  | 'missing-permission'   // 403: Calendars.ReadWrite / User.Read* not granted or consented
  | 'access-policy'        // 403 "Access to OData is disabled.": an Exchange application access policy
  | 'mailbox-not-enabled'  // no Exchange Online mailbox (on-premises, inactive, unlicensed)
  | 'mailbox-not-found'    // the user named as the mailbox is not in the directory
  | 'event-not-found'      // 404 ErrorItemNotFound (deleted or moved) or a foreign id
  | 'event-changed'        // 412: If-Match change key is stale
  | 'throttled'            // 429/503 still failing after honouring Retry-After
  | 'invalid-request'
  | 'unreachable'
  | 'server-error';

export class OutlookError extends UserFacingError {
  constructor(
    override readonly code: OutlookErrorCode,
    message: string,
    readonly details: { status?: number; serverCode?: string; needsAttention?: boolean } = {},
  ) {
    super(code, message, { needsAttention: details.needsAttention });
  }
}

/** Who is calling and whose calendar, for messages (never a token). */
export interface CallContext {
  /** 'delegated': a signed-in user's token; 'app': PlanBridge's app-only token. */
  auth: 'delegated' | 'app';
  /** The signed-in account or the app, e.g. "pm@contoso.com" or "PlanBridge (app)". */
  account: string;
  /** The mailbox the call went to ("me" = the signed-in user), if any. */
  mailbox?: string;
  /** A directory call (users), not a calendar call. */
  directory?: boolean;
}

const ACCESS_POLICY_MESSAGE = 'Access to OData is disabled.';

function whose(ctx: CallContext): string {
  return !ctx.mailbox || ctx.mailbox === 'me' ? `the calendar of ${ctx.account}` : `the calendar of ${ctx.mailbox}`;
}

/** Turns a Graph answer into an error a user can act on. */
export function toOutlookError(err: unknown, ctx: CallContext): OutlookError {
  if (err instanceof OutlookError) return err;
  if (!(err instanceof GraphHttpError)) return new OutlookError('server-error', `The Microsoft Graph call failed: ${(err as Error)?.message ?? String(err)}`);
  const base = { status: err.status, serverCode: err.code };
  const reconnect = ctx.auth === 'delegated' ? 'Sign in again with "connect outlook".' : 'Check the app registration\'s certificate or secret, then run "connect outlook" again.';
  switch (err.status) {
    case 401:
      return new OutlookError('auth-failed', `Microsoft Graph refused the sign-in of ${ctx.account} (401 ${err.code || 'InvalidAuthenticationToken'}): it expired, was revoked, or is not a Graph token. ${reconnect}`, { ...base, needsAttention: true });
    case 403:
      if (err.message.includes(ACCESS_POLICY_MESSAGE)) {
        return new OutlookError('access-policy', `An Exchange application access policy keeps PlanBridge's app out of ${whose(ctx)} (403 "${ACCESS_POLICY_MESSAGE}"). Ask an Exchange admin to add that mailbox to the policy's mail-enabled security group (New-ApplicationAccessPolicy -AccessRight RestrictAccess -PolicyScopeGroupId ...), or pick a mailbox in the group; a policy change can take more than an hour to apply.`, { ...base, needsAttention: true });
      }
      if (ctx.directory || err.code === 'Authorization_RequestDenied') {
        return new OutlookError('missing-permission', ctx.auth === 'delegated'
          ? `${ctx.account} may not look people up in the directory (403). Grant PlanBridge the delegated permission User.ReadBasic.All, then sign in again with "connect outlook".`
          : 'PlanBridge\'s app may not look people up in the directory (403). Grant it the application permission User.Read.All with admin consent in Entra ID (App registrations > API permissions).', { ...base, needsAttention: true });
      }
      return new OutlookError('missing-permission', ctx.auth === 'delegated'
        ? `${ctx.account} may not write ${whose(ctx)} (403 ${err.code || 'ErrorAccessDenied'}). The sign-in needs the delegated permission Calendars.ReadWrite, and writes only the signed-in user's own calendar. Consent to Calendars.ReadWrite and sign in again with "connect outlook".`
        : `PlanBridge's app may not write ${whose(ctx)} (403 ${err.code || 'ErrorAccessDenied'}). Grant it the application permission Calendars.ReadWrite with admin consent in Entra ID (App registrations > API permissions), then try again.`, { ...base, needsAttention: true });
    case 404:
      if (err.code === 'MailboxNotEnabledForRESTAPI') {
        return new OutlookError('mailbox-not-enabled', `${ctx.mailbox && ctx.mailbox !== 'me' ? ctx.mailbox : ctx.account} has no Exchange Online mailbox (it is on-premises, inactive or unlicensed), and Graph reaches Exchange Online calendars only. Use an account with an Exchange Online mailbox (a licence with Exchange Online), or move the mailbox to Exchange Online.`, { ...base, needsAttention: true });
      }
      if (err.code === 'ErrorInvalidUser' || err.code === 'Request_ResourceNotFound') {
        return new OutlookError('mailbox-not-found', `${ctx.mailbox ?? 'That user'} is not a user of this Microsoft 365 tenant. Check the address of the calendar PlanBridge writes to.`, { ...base, needsAttention: true });
      }
      return new OutlookError('event-not-found', `The Outlook event is gone from ${whose(ctx)} (404 ${err.code || 'ErrorItemNotFound'}): it was deleted or moved.`, base);
    case 400:
      if (err.code === 'ErrorInvalidIdMalformed') return new OutlookError('event-not-found', `The Outlook event id is not one of ${whose(ctx)} (400 ErrorInvalidIdMalformed).`, base);
      return new OutlookError('invalid-request', `Outlook refused the request: ${err.message}`, base);
    case 412:
      return new OutlookError('event-changed', 'The Outlook event changed since PlanBridge read it (412); it will show in a fresh preview.', base);
    case 429: case 503:
      return new OutlookError('throttled', `Microsoft Graph is throttling PlanBridge (${err.status}${err.code ? ` ${err.code}` : ''}) and did not recover after waiting as asked. Try again in a few minutes.`, base);
    default:
      return new OutlookError('server-error', `Microsoft Graph failed (${err.status}${err.code ? `, ${err.code}` : ''}): ${err.message.split('\n')[0]}`, base);
  }
}

/** A failure of the transport (net/odata-transport.ts) in Outlook's terms; `baseUrl` names the Graph host. */
export function explainGraphFailure(failure: TransportFailure<GraphHttpError>, ctx: CallContext, baseUrl: string): OutlookError {
  switch (failure.kind) {
    case 'http':
      return toOutlookError(failure.error, ctx);
    case 'unsafe-url':
      return new OutlookError('unreachable', failure.error.message, { needsAttention: true });
    case 'network':
      return new OutlookError('unreachable', `Cannot reach Microsoft Graph at ${new URL(baseUrl).host} (${failure.message}).${failure.idempotent ? '' : ' The request may have landed; PlanBridge looks for it before trying again.'}`);
    case 'token':
      return new OutlookError('auth-failed', `PlanBridge could not get a Microsoft Graph token for ${ctx.account} (the sign-in expired or was revoked). ${ctx.auth === 'delegated' ? 'Sign in again with "connect outlook".' : 'Check the app registration\'s credentials.'}`, { needsAttention: true });
    case 'not-json':
      // An answer that cannot be read leaves the outcome as unknown as no answer: 'unreachable' (a write is never sent again).
      return new OutlookError('unreachable', `Microsoft Graph at ${new URL(baseUrl).host} answered ${failure.status} with ${failure.contentType ?? 'no content type'} instead of JSON, so PlanBridge could not read it (a proxy or sign-in page in the way?). Try again later.${failure.idempotent ? '' : ' The request may have landed; PlanBridge looks for it before trying again.'}`, { status: failure.status });
    case 'paging':
      return new OutlookError('server-error', pagingStoppedMessage('Microsoft Graph', failure));
  }
}
