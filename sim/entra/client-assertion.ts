import { constants, verify, X509Certificate } from 'node:crypto';
import type { EntraApp } from './directory.js';

/**
 * Certificate credentials: the client proves itself with a JWT signed by a key whose certificate
 * is uploaded to the app registration (RFC 7523 `private_key_jwt`). MSAL signs RS256 with `x5t`
 * (SHA-1 thumbprint) or, given a SHA-256 thumbprint as @azure/identity gives it, PS256 with
 * `x5t#S256`; both are checked here, with the audience, issuer, subject and lifetime.
 */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type AssertionCheck = { ok: true } | { ok: false; aadsts: number; description: string };

interface Header { alg?: string; x5t?: string; 'x5t#S256'?: string }
interface Payload { aud?: string; iss?: string; sub?: string; exp?: number; nbf?: number }

const refuse = (aadsts: number, description: string): AssertionCheck => ({ ok: false, aadsts, description });
const thumbprint = (hexColons: string): string => Buffer.from(hexColons.replace(/:/g, ''), 'hex').toString('base64url');

/** `audiences`: the token endpoint URLs this request may name (Entra takes the v1 and v2 ones). */
export function checkClientAssertion(assertion: string, app: EntraApp, audiences: string[], nowMs: number): AssertionCheck {
  const parts = assertion.split('.');
  let header: Header;
  let payload: Payload;
  try {
    if (parts.length !== 3) throw new Error('not a JWS');
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Header;
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Payload;
  } catch {
    return refuse(50027, 'AADSTS50027: JWT token is invalid or malformed.');
  }
  const pss = header.alg === 'PS256';
  const given = pss ? header['x5t#S256'] : header.x5t;
  if ((header.alg !== 'RS256' && !pss) || !given) return refuse(50027, 'AADSTS50027: JWT token is invalid or malformed. The client assertion must be RS256 with x5t or PS256 with x5t#S256.');
  const cert = (app.certificates ?? []).map((p) => new X509Certificate(p))
    .find((c) => thumbprint(pss ? c.fingerprint256 : c.fingerprint) === given);
  if (!cert) {
    return refuse(700027, `AADSTS700027: Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${Buffer.from(given, 'base64url').toString('hex').toUpperCase()}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`);
  }
  if (Date.parse(cert.validTo) < nowMs) return refuse(700027, 'AADSTS700027: Client assertion failed signature validation. [Reason - The certificate used to sign it has expired.]');
  const key = pss ? { key: cert.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : cert.publicKey;
  if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2]!, 'base64url'))) {
    return refuse(700027, 'AADSTS700027: Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]');
  }
  if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
    return refuse(700021, "AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  if (!payload.aud || !audiences.includes(payload.aud)) return refuse(700023, 'AADSTS700023: Client assertion audience claim does not match Realm issuer.');
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.exp !== 'number' || payload.exp + 300 <= now || (typeof payload.nbf === 'number' && payload.nbf - 300 > now)) {
    return refuse(700024, 'AADSTS700024: Client assertion is not within its valid time range.');
  }
  return { ok: true };
}
