import { UserFacingError } from '../../../errors.js';
import type { PendingPwaSignIn } from '../../../store/index.js';
import { PlanConnectorError } from '../../ppm.js';

/**
 * The stored Microsoft 365 sign-in of a PWA connection can no longer get tokens (refresh token
 * expired, revoked, reused, or consent withdrawn). Only a person can fix it by signing in again,
 * so it carries `needsAttention` and is an `auth-failed` plan error like a 401.
 */
export class PwaSignInRequiredError extends PlanConnectorError {
  readonly signInRequired = true;
  constructor(readonly connectionId: string, readonly reason: string) {
    super('auth-failed', `The Microsoft 365 sign-in for this Project Web App connection has expired or was revoked (${reason}). Type "connect pwa" and choose Sign in to sign in again.`, { needsAttention: true, serverCode: 'sign-in-required' });
  }
}

/** Why a callback did not complete a sign-in; `message` is safe to show on the callback page and in chat. */
export type SignInProblem =
  | 'unknown-state'     // tampered, replayed, or never issued
  | 'expired'           // older than the 10-minute window
  | 'declined'          // the user cancelled or refused consent at Microsoft
  | 'exchange-failed'   // Entra refused the code (bad secret, PKCE mismatch, ...)
  | 'not-configured';

export class PwaSignInError extends UserFacingError {
  /** The pending sign-in the failure used up, when there was one: the chat it came from can be told. */
  constructor(readonly problem: SignInProblem, message: string, readonly pending?: PendingPwaSignIn) {
    super(`sign-in-${problem}`, message);
  }
}
