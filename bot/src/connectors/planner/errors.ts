import { pagingStoppedMessage } from '../../net/next-links.js';
import { readErrorBody } from '../../net/error-body.js';
import type { TransportFailure } from '../../net/odata-transport.js';
import { PlanConnectorError } from '../ppm.js';

/**
 * Dataverse failures: `{"error":{"code":"0x80040265","message":".."}}`, where the code is often ""
 * and the message often holds JSON from the scheduling service (`{"errorCode":"E_..","message":".."}`)
 * ("Errors" and "Errors seen" in ../shared/notes/planner-premium.md).
 */
export class DataverseHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly pssKey: string | null = null) {
    super(message);
  }

  static async from(response: Response): Promise<DataverseHttpError> {
    const { status, code, message } = await readErrorBody(response, 500);
    const inner = pssDetail(message);
    return new DataverseHttpError(status, code, inner?.message ?? message, inner?.key ?? null);
  }
}

/** `{"errorCode":"E_..","message":".."}` inside a message, when the scheduling service sent one. */
export function pssDetail(message: string): { key: string; message: string; recordId?: string } | null {
  if (!message.trim().startsWith('{')) return null;
  try {
    const body = JSON.parse(message) as { errorCode?: unknown; message?: unknown; recordId?: unknown };
    if (typeof body.errorCode !== 'string') return null;
    return { key: body.errorCode, message: typeof body.message === 'string' ? body.message : message, ...(typeof body.recordId === 'string' ? { recordId: body.recordId } : {}) };
  } catch {
    return null;
  }
}

/** The licence refusal of the schedule APIs ("License", MS; key from "Errors seen"). */
export const LICENCE_KEY = 'E_OPERATION_BLOCKED_BY_LICENSE';

export function licenceMessage(account: string): string {
  return `Planner premium only lets users with a Microsoft Project licence (Project Plan 1, 3 or 5) change plans, and ${account} has none; `
    + 'application and integration users are refused too. Assign a Project licence to the account in the Microsoft 365 admin center, or connect Planner with a licensed account ("connect planner").';
}

/** Turns transport failures into errors a user can act on. */
export function toPlanError(err: unknown, account: string): PlanConnectorError {
  if (err instanceof PlanConnectorError) return err;
  if (!(err instanceof DataverseHttpError)) return new PlanConnectorError('server-error', `The Dataverse call failed: ${(err as Error)?.message ?? String(err)}`);
  const base = { status: err.status, serverCode: err.pssKey ?? err.code };
  if (err.status === 401) {
    return new PlanConnectorError('auth-failed', `Dataverse refused the Microsoft 365 sign-in of ${account} (401): it expired or was revoked. Sign in again with "connect planner".`, { ...base, needsAttention: true });
  }
  if (err.pssKey === LICENCE_KEY) return new PlanConnectorError('not-licensed', licenceMessage(account), { ...base, needsAttention: true });
  if (err.status === 403) {
    return new PlanConnectorError('forbidden', `Dataverse denied ${account} access (${err.message}). Ask the environment's admin for a security role that can read and write project tasks (e.g. Project User).`, base);
  }
  if (err.status === 429 || err.status === 503) {
    return new PlanConnectorError('throttled', `Dataverse is throttling requests (${err.status}, service protection limits) and did not recover after waiting as asked. Try again in a few minutes.`, base);
  }
  if (err.status === 400 || err.status === 404 || err.status === 412) {
    return new PlanConnectorError('invalid-request', `Planner premium refused the request: ${err.message}`, base);
  }
  return new PlanConnectorError('server-error', `Dataverse failed (${err.status}${err.code ? `, ${err.code}` : ''}): ${err.message.split('\n')[0]}`, base);
}

/** A failure of the transport (net/odata-transport.ts) in Planner premium's terms. */
export function explainDataverseFailure(failure: TransportFailure<DataverseHttpError>, account: string, environmentUrl: string): PlanConnectorError {
  switch (failure.kind) {
    case 'http':
      return toPlanError(failure.error, account);
    case 'unsafe-url':
      return new PlanConnectorError('unreachable', failure.error.message, { needsAttention: true });
    case 'network':
      return new PlanConnectorError('unreachable', `Cannot reach the Dataverse environment at ${environmentUrl} (${failure.message}). Check the environment URL and try again.`);
    case 'token':
      return new PlanConnectorError('auth-failed', `PlanBridge could not get a Microsoft 365 sign-in of ${account} for Dataverse (it expired or was revoked). Sign in again with "connect planner".`, { needsAttention: true });
    case 'not-json':
      // An answer that cannot be read leaves the outcome as unknown as no answer: 'unreachable' (a write is never sent again).
      return new PlanConnectorError('unreachable', `The Dataverse environment at ${environmentUrl} answered ${failure.status} with ${failure.contentType ?? 'no content type'} instead of JSON, so PlanBridge could not read it. Check that the connection's URL is the environment's own (https://<org>.crm.dynamics.com), not a portal or sign-in page.${failure.idempotent ? '' : ' The change may have been made: check the plan before you try again.'}`, { status: failure.status });
    case 'paging':
      return new PlanConnectorError('server-error', pagingStoppedMessage('Dataverse', failure));
  }
}
