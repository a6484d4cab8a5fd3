import { randomBytes } from 'node:crypto';
import { verifyJwt, type TrustedIssuer } from '../entra/jwt.js';
import type { SimUser } from './model.js';
import type { NtlmAccount, NtlmIdentity } from './ntlm.js';

/**
 * Who is calling. Two schemes, as the connector uses them:
 * - `Authorization: Bearer <token>` (Project Online, delegated OAuth): no request digest needed;
 *   the token is a static demo token, or a JWT from a trusted issuer (the Entra simulator) whose
 *   signature, audience (the site's origin) and expiry are checked, as SharePoint Online does;
 * - `Authorization: Basic <user:password>` (Project Server on-premises with Basic auth over TLS):
 *   writes need an `X-RequestDigest` from `/_api/contextinfo`, as for any non-OAuth caller;
 * - Windows authentication (NTLM, ntlm.ts) for the same on-premises accounts, digest as for Basic.
 */

export const PWA_DEMO_CREDENTIALS = {
  bearerToken: 'demo-pwa-token',
  username: 'demo\\pm',
  password: 'demo-password',
  /** A read-only account: can read projects, cannot check out or create fields. */
  viewerBearerToken: 'viewer-pwa-token',
  viewerUsername: 'demo\\viewer',
  viewerPassword: 'viewer-password',
  /** A second editor, handy to hold a project checked out. */
  otherBearerToken: 'other-pwa-token',
  /** Microsoft 365 accounts (the Entra simulator's demo users) and the PWA users they are. */
  oauthAccounts: { 'pm@contoso.onmicrosoft.com': 'demo\\pm', 'viewer@contoso.onmicrosoft.com': 'demo\\viewer' },
} as const;

export interface Directory {
  users: SimUser[];
  tokens: Map<string, string>;
  passwords: Map<string, string>;
  /** Issuers whose JWT access tokens are accepted, and the UPN -> PWA login map for them. */
  issuers: TrustedIssuer[];
  accounts: Map<string, string>;
}

export function demoDirectory(issuers: TrustedIssuer[] = []): Directory {
  const c = PWA_DEMO_CREDENTIALS;
  return {
    users: [
      { login: c.username, displayName: 'Demo PM', canManageFields: true, canEdit: true },
      { login: c.viewerUsername, displayName: 'Demo Viewer', canManageFields: false, canEdit: false },
      { login: 'demo\\other', displayName: 'Olivia Other', canManageFields: false, canEdit: true },
    ],
    tokens: new Map([[c.bearerToken, c.username], [c.viewerBearerToken, c.viewerUsername], [c.otherBearerToken, 'demo\\other']]),
    passwords: new Map([[c.username.toLowerCase(), c.password], [c.viewerUsername.toLowerCase(), c.viewerPassword]]),
    issuers,
    accounts: new Map(Object.entries(c.oauthAccounts)),
  };
}

export type Caller = { user: SimUser; scheme: 'bearer' | 'basic' | 'ntlm' };

/** The demo on-premises accounts, for Windows authentication too (DEMO\pm signs in either way). */
export const ntlmAccounts: NtlmAccount[] = [
  { domain: 'DEMO', dnsDomain: 'demo.local', username: 'pm', password: PWA_DEMO_CREDENTIALS.password },
  { domain: 'DEMO', dnsDomain: 'demo.local', username: 'viewer', password: PWA_DEMO_CREDENTIALS.viewerPassword },
];

export const NTLM_SIM_SERVER = { netbiosComputer: 'PWA01', netbiosDomain: 'DEMO', dnsComputer: 'pwa01.demo.local', dnsDomain: 'demo.local' };

/** The PWA user a connection signed in by NTLM belongs to (`DEMO\pm` is the login `demo\pm`). */
export function ntlmCaller(directory: Directory, identity: NtlmIdentity | undefined): Caller | null {
  const user = identity && directory.users.find((u) => u.login.toLowerCase() === identity.login.toLowerCase());
  return user ? { user, scheme: 'ntlm' } : null;
}

/** `audience` is the site's origin: a JWT minted for another resource is refused. */
export function identify(directory: Directory, authorization: string | undefined, audience = ''): Caller | null {
  if (!authorization) return null;
  const [scheme, value = ''] = authorization.split(/\s+/, 2);
  let login: string | undefined;
  let kind: Caller['scheme'];
  if (scheme?.toLowerCase() === 'bearer') {
    login = directory.tokens.get(value) ?? jwtLogin(directory, value, audience);
    kind = 'bearer';
  } else if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const name = decoded.slice(0, colon).toLowerCase();
    if (colon > 0 && directory.passwords.get(name) === decoded.slice(colon + 1)) login = name;
    kind = 'basic';
  } else {
    return null;
  }
  const user = login ? directory.users.find((u) => u.login.toLowerCase() === login!.toLowerCase()) : undefined;
  return user ? { user, scheme: kind } : null;
}

/** The PWA login of a valid JWT's account; undefined for a bad, expired or foreign token (a 401). */
function jwtLogin(directory: Directory, token: string, audience: string): string | undefined {
  if (directory.issuers.length === 0 || token.split('.').length !== 3) return undefined;
  const check = verifyJwt(token, directory.issuers, audience);
  if (!check.ok) return undefined;
  const upn = String(check.claims.upn ?? check.claims.preferred_username ?? '').toLowerCase();
  return directory.accounts.get(upn);
}

/** Form digests: `0x<hex>,<date>` strings valid for a fixed time, bound to the user they were issued to. */
export class DigestIssuer {
  private readonly issued = new Map<string, { user: string; expires: number }>();
  constructor(public ttlSeconds = 1800) {}

  issue(user: string): string {
    const value = `0x${randomBytes(64).toString('hex').toUpperCase()},${new Date().toUTCString()}`;
    this.issued.set(value, { user, expires: Date.now() + this.ttlSeconds * 1000 });
    return value;
  }

  isValid(value: string | undefined, user: string): boolean {
    const entry = value ? this.issued.get(value) : undefined;
    return Boolean(entry && entry.user === user && entry.expires > Date.now());
  }

  /** Admin knob: every digest handed out so far stops working, as after the 30-minute timeout. */
  expireAll(): void {
    for (const entry of this.issued.values()) entry.expires = 0;
  }
}
