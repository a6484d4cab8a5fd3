import { createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * RS256 JSON Web Tokens with node:crypto: the Entra simulator signs access and ID tokens, and
 * resource servers (the PWA simulator) verify them against the published key.
 */
export type Claims = Record<string, unknown> & { iss?: string; aud?: string; exp?: number; nbf?: number };

const b64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

export function signJwt(claims: Claims, key: KeyObject, kid: string): string {
  const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${b64url(signature)}`;
}

/** Public signing key as the JWKS endpoint publishes it. */
export interface SigningKey {
  kid: string;
  jwk: JsonWebKey;
}

/** Who may issue tokens a resource accepts: the issuer's key and the exact `iss` it stamps. */
export interface TrustedIssuer {
  issuer: string;
  keys: SigningKey[];
}

export type JwtCheck =
  | { ok: true; claims: Claims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'untrusted-issuer' | 'wrong-audience' | 'expired' | 'not-yet-valid' };

/** Checks signature, issuer, audience and lifetime (with 5 minutes of clock skew, as Entra's resources allow). */
export function verifyJwt(token: string, trusted: TrustedIssuer[], audience: string, nowMs = Date.now()): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  let header: { alg?: string; kid?: string };
  let claims: Claims;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as typeof header;
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'RS256') return { ok: false, reason: 'malformed' };
  const issuer = trusted.find((t) => t.issuer === claims.iss);
  if (!issuer) return { ok: false, reason: 'untrusted-issuer' };
  const key = issuer.keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: 'bad-signature' };
  const good = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey({ key: key.jwk, format: 'jwk' }), Buffer.from(parts[2]!, 'base64url'));
  if (!good) return { ok: false, reason: 'bad-signature' };
  if (claims.aud !== audience.replace(/\/+$/, '')) return { ok: false, reason: 'wrong-audience' };
  const now = Math.floor(nowMs / 1000);
  const skew = 300;
  if (typeof claims.exp !== 'number' || claims.exp + skew <= now) return { ok: false, reason: 'expired' };
  if (typeof claims.nbf === 'number' && claims.nbf - skew > now) return { ok: false, reason: 'not-yet-valid' };
  return { ok: true, claims };
}
