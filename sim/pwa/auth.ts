import { randomBytes } from 'node:crypto';
import type { SimUser } from './model.js';

/**
 * Who is calling. Two schemes, as the connector uses them:
 * - `Authorization: Bearer <token>` (Project Online, delegated OAuth): no request digest needed;
 * - `Authorization: Basic <user:password>` (Project Server on-premises with Basic auth over TLS):
 *   writes need an `X-RequestDigest` from `/_api/contextinfo`, as for any non-OAuth caller.
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
} as const;

export interface Directory {
  users: SimUser[];
  tokens: Map<string, string>;
  passwords: Map<string, string>;
}

export function demoDirectory(): Directory {
  const c = PWA_DEMO_CREDENTIALS;
  return {
    users: [
      { login: c.username, displayName: 'Demo PM', canManageFields: true, canEdit: true },
      { login: c.viewerUsername, displayName: 'Demo Viewer', canManageFields: false, canEdit: false },
      { login: 'demo\\other', displayName: 'Olivia Other', canManageFields: false, canEdit: true },
    ],
    tokens: new Map([[c.bearerToken, c.username], [c.viewerBearerToken, c.viewerUsername], [c.otherBearerToken, 'demo\\other']]),
    passwords: new Map([[c.username.toLowerCase(), c.password], [c.viewerUsername.toLowerCase(), c.viewerPassword]]),
  };
}

export type Caller = { user: SimUser; scheme: 'bearer' | 'basic' };

export function identify(directory: Directory, authorization: string | undefined): Caller | null {
  if (!authorization) return null;
  const [scheme, value = ''] = authorization.split(/\s+/, 2);
  let login: string | undefined;
  let kind: Caller['scheme'];
  if (scheme?.toLowerCase() === 'bearer') {
    login = directory.tokens.get(value);
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
