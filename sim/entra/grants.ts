import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntraUser } from './directory.js';
import type { ScopeGrant } from './scopes.js';

/**
 * Authorization codes and refresh tokens, server side. Codes are single use and short lived;
 * refresh tokens rotate on every use and a reused (already rotated) one is refused and kills
 * its whole family, so a leaked copy cannot outlive the rightful holder's next refresh.
 */
export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  user: EntraUser;
  grant: ScopeGrant;
  codeChallenge?: string;
  nonce?: string;
  expiresAt: number;
  redeemed: boolean;
}

export interface RefreshGrant {
  clientId: string;
  user: EntraUser;
  grant: ScopeGrant;
  /** Every rotation of one sign-in shares a family. */
  family: string;
  expiresAt: number;
  state: 'active' | 'rotated' | 'revoked';
}

/** Why a grant was refused, in Entra's error codes and words. */
export interface GrantFailure {
  error: 'invalid_grant';
  aadsts: number;
  description: string;
}

const token = (bytes: number): string => randomBytes(bytes).toString('base64url');
const digest = (value: string): string => createHash('sha256').update(value).digest('hex');

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly now: () => number,
    public codeLifetimeSeconds = 600,
    public refreshTokenLifetimeSeconds = 90 * 24 * 3600,
  ) {}

  issueCode(code: Omit<AuthorizationCode, 'expiresAt' | 'redeemed'>): string {
    const value = `1.${token(48)}`;
    this.codes.set(digest(value), { ...code, expiresAt: this.now() + this.codeLifetimeSeconds * 1000, redeemed: false });
    return value;
  }

  redeemCode(value: string, clientId: string, redirectUri: string, verifier: string | undefined): AuthorizationCode | GrantFailure {
    const code = this.codes.get(digest(value));
    if (!code || code.clientId !== clientId) return fail(9002313, 'AADSTS9002313: Invalid request. Request is malformed or invalid. The authorization code is not valid.');
    if (code.redeemed) return fail(54005, 'AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
    code.redeemed = true;
    if (code.expiresAt <= this.now()) return fail(70008, 'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
    if (code.redirectUri !== redirectUri) return fail(50148, 'AADSTS50148: The redirect_uri does not match the redirect URI used to obtain the authorization code.');
    if (code.codeChallenge) {
      if (!verifier) return fail(50148, 'AADSTS50148: The code_verifier is missing, but the authorization request carried a code_challenge.');
      const expected = Buffer.from(code.codeChallenge);
      const actual = Buffer.from(s256(verifier));
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
        return fail(501481, 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.');
      }
    }
    return code;
  }

  issueRefreshToken(clientId: string, user: EntraUser, grant: ScopeGrant, family = token(12)): string {
    const value = `1.${token(96)}`;
    this.refreshTokens.set(digest(value), {
      clientId, user, grant, family, expiresAt: this.now() + this.refreshTokenLifetimeSeconds * 1000, state: 'active',
    });
    return value;
  }

  /** Uses a refresh token up: it is rotated, and the caller issues the next one in the same family. */
  redeemRefreshToken(value: string, clientId: string): RefreshGrant | GrantFailure {
    const rt = this.refreshTokens.get(digest(value));
    if (!rt || rt.clientId !== clientId) return fail(9002313, 'AADSTS9002313: Invalid request. Request is malformed or invalid. The refresh token is not valid.');
    if (rt.state === 'revoked') return fail(50173, 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
    if (rt.state === 'rotated') {
      this.revokeFamily(rt.family);
      return fail(70000, 'AADSTS70000: Provided grant is invalid or malformed. The refresh token was already used; every token of this sign-in is now revoked.');
    }
    if (rt.expiresAt <= this.now()) return fail(700082, 'AADSTS700082: The refresh token has expired due to inactivity. The token was issued a while ago and was inactive for too long.');
    rt.state = 'rotated';
    return rt;
  }

  /** Like "Revoke sessions" in the Entra admin center: every refresh token of the user stops working. */
  revokeUser(username: string): number {
    let n = 0;
    for (const rt of this.refreshTokens.values()) {
      if (rt.user.username.toLowerCase() === username.toLowerCase() && rt.state === 'active') {
        rt.state = 'revoked';
        n++;
      }
    }
    return n;
  }

  private revokeFamily(family: string): void {
    for (const rt of this.refreshTokens.values()) if (rt.family === family) rt.state = 'revoked';
  }

  get activeRefreshTokens(): number {
    return [...this.refreshTokens.values()].filter((r) => r.state === 'active' && r.expiresAt > this.now()).length;
  }
}

function fail(aadsts: number, description: string): GrantFailure {
  return { error: 'invalid_grant', aadsts, description };
}

export const isFailure = (value: unknown): value is GrantFailure => (value as GrantFailure | undefined)?.error === 'invalid_grant';
