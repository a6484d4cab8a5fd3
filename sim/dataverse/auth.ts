import { verifyJwt, type TrustedIssuer } from '../entra/jwt.js';
import { ALL_USERS, APPLICATION_USER, DATAVERSE_DEMO_CREDENTIALS, LICENSED_USER, UNLICENSED_USER, type DataverseUser } from './users.js';

/**
 * Who is calling: `Authorization: Bearer <token>`, either a static demo token (local mode) or an
 * Entra access token (delegated; `aud` = the environment URL [notes "Auth"]) from a trusted issuer,
 * mapped to a systemuser by its object id, then by UPN.
 */
export interface AuthOptions {
  issuers: TrustedIssuer[];
  acceptDemoTokens: boolean;
  /** Also require `user_impersonation` in `scp` (Dataverse's one delegated permission). */
  requireUserImpersonation: boolean;
}

export type Identification =
  | { kind: 'user'; user: DataverseUser }
  | { kind: 'unauthenticated'; reason: string }
  | { kind: 'not-a-member' };

const DEMO_TOKENS = new Map<string, DataverseUser>([
  [DATAVERSE_DEMO_CREDENTIALS.bearerToken, LICENSED_USER],
  [DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken, UNLICENSED_USER],
  [DATAVERSE_DEMO_CREDENTIALS.applicationBearerToken, APPLICATION_USER],
]);

export function identify(authorization: string | undefined, audience: string, options: AuthOptions): Identification {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return { kind: 'unauthenticated', reason: 'missing bearer token' };
  const token = m[1]!;
  const demo = options.acceptDemoTokens ? DEMO_TOKENS.get(token) : undefined;
  if (demo) return { kind: 'user', user: demo };
  if (token.split('.').length !== 3 || options.issuers.length === 0) return { kind: 'unauthenticated', reason: 'unknown token' };
  const check = verifyJwt(token, options.issuers, audience);
  if (!check.ok) return { kind: 'unauthenticated', reason: check.reason };
  const scopes = String(check.claims.scp ?? '').split(/\s+/);
  if (options.requireUserImpersonation && !scopes.includes('user_impersonation')) return { kind: 'unauthenticated', reason: 'no user_impersonation scope' };
  const oid = String(check.claims.oid ?? '').toLowerCase();
  const upn = String(check.claims.upn ?? check.claims.preferred_username ?? '').toLowerCase();
  const user = ALL_USERS.find((u) => u.azureactivedirectoryobjectid === oid) ?? ALL_USERS.find((u) => u.domainname.toLowerCase() === upn);
  return user ? { kind: 'user', user } : { kind: 'not-a-member' };
}

/** The 401 challenge Dataverse sends, naming the authority to get a token from. */
export function challenge(authority: string, resource: string): string {
  return `Bearer authorization_uri=${authority}/oauth2/authorize, resource_id=${resource}/`;
}
