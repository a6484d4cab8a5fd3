import { UserFacingError } from '../../errors.js';
import type { PendingSignIn, SignInSystem } from '../../store/index.js';
import { PlanConnectorError } from '../ppm.js';
import { CONNECT_COMMAND, SYSTEM_NAME } from './resources.js';

/**
 * The stored Microsoft 365 sign-in of a connection can no longer get tokens (refresh token
 * expired, revoked, reused, or consent withdrawn). Only a person can fix it by signing in again,
 * so it carries `needsAttention` and is an `auth-failed` error like a 401.
 */
export class M365SignInRequiredError extends PlanConnectorError {
  readonly signInRequired = true;
  constructor(readonly connectionId: string, readonly reason: string, system: SignInSystem = 'pwa') {
    super('auth-failed', `The Microsoft 365 sign-in for this ${SYSTEM_NAME[system]} connection has expired or was revoked (${reason}). Type "${CONNECT_COMMAND[system]}" and choose Sign in to sign in again.`, { needsAttention: true, serverCode: 'sign-in-required' });
  }
}

/** Why a callback did not complete a sign-in; `message` is safe to show on the callback page and in chat. */
export type SignInProblem =
  | 'unknown-state'     // tampered, replayed, or never issued
  | 'expired'           // older than the 10-minute window
  | 'declined'          // the user cancelled or refused consent at Microsoft
  | 'exchange-failed'   // Entra refused the code (bad secret, PKCE mismatch, ...)
  | 'not-configured';

export class M365SignInError extends UserFacingError {
  /** The pending sign-in the failure used up, when there was one: the chat it came from can be told. */
  constructor(readonly problem: SignInProblem, message: string, readonly pending?: PendingSignIn) {
    super(`sign-in-${problem}`, message);
  }
}
