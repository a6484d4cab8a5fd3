import type { TrustedIssuer } from '../entra/jwt.js';
import { authenticateEntraToken, looksLikeJwt } from './entra-auth.js';
import type { SimIdentity, SimPat, SimState } from './model.js';

/**
 * Personal access tokens and their scopes. ADO does not tell a caller which scopes a PAT has: a
 * request outside them simply gets 401, so the simulator does the same.
 */
export const ADO_DEMO_PATS = {
  /** Every scope (a "Full access" PAT, scope `app_token`). */
  fullAccess: 'demo-full-access',
  /** Read scopes only: work items, project and team, identity, graph, profile. Writes get 401. */
  readOnly: 'demo-read-only',
  /** Full access, but expired: every call gets 401 "has expired". */
  expired: 'demo-expired',
  /** Full access, but made for "All accessible organizations": refused since 2026-12-01. */
  global: 'demo-global',
} as const;

export const READ_SCOPES = ['vso.work', 'vso.project', 'vso.identity', 'vso.graph', 'vso.profile'];

/** A scope granted also grants these (`vso.work_write` includes `vso.work`). */
const IMPLIES: Record<string, string[]> = {
  'vso.work_full': ['vso.work_write', 'vso.work'],
  'vso.work_write': ['vso.work'],
  'vso.project_manage': ['vso.project_write', 'vso.project'],
  'vso.project_write': ['vso.project'],
  'vso.identity_manage': ['vso.identity'],
  'vso.graph_manage': ['vso.graph'],
};

export function grants(pat: SimPat, scope: string): boolean {
  if (pat.scopes.includes('app_token')) return true;
  return pat.scopes.some((s) => s === scope || (IMPLIES[s] ?? []).includes(scope));
}

export function demoPats(user: SimIdentity): SimPat[] {
  return [
    { token: ADO_DEMO_PATS.fullAccess, scopes: ['app_token'], user },
    { token: ADO_DEMO_PATS.readOnly, scopes: READ_SCOPES, user },
    { token: ADO_DEMO_PATS.expired, scopes: ['app_token'], user, validTo: '2024-01-31T00:00:00Z' },
    { token: ADO_DEMO_PATS.global, scopes: ['app_token'], user, global: true },
  ];
}

export type AuthResult =
  | { ok: true; pat: SimPat }
  | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'conditional-access' }
  /** An Entra token ADO does not accept; `who` is the principal it names ('' when unreadable). */
  | { ok: false; reason: 'bearer'; who: string };

/**
 * Reads `Authorization: Basic base64(anything:PAT)`, `Bearer PAT` (as some tools send), or
 * `Bearer <Entra JWT>` when issuers are trusted (see entra-auth.ts).
 */
export function authenticate(state: SimState, header: string | undefined, trusted: TrustedIssuer[] = []): AuthResult {
  if (!header) return { ok: false, reason: 'missing' };
  const [scheme, value = ''] = header.split(/\s+/, 2);
  let token = '';
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    token = decoded.slice(decoded.indexOf(':') + 1);
  } else if (scheme?.toLowerCase() === 'bearer') {
    if (trusted.length > 0 && looksLikeJwt(value)) {
      const entra = authenticateEntraToken(state, value, trusted);
      return entra.ok ? { ok: true, pat: entra.caller } : { ok: false, reason: 'bearer', who: entra.who };
    }
    token = value;
  }
  const pat = state.pats.find((p) => p.token === token);
  // A retired global PAT is refused like a revoked one (the notes' reading of the decommissioning).
  if (!pat || (pat.global && state.patPolicy.globalPatsRetired)) return { ok: false, reason: 'unknown' };
  if (state.patPolicy.conditionalAccess) return { ok: false, reason: 'conditional-access' };
  if (pat.validTo && Date.parse(pat.validTo) < Date.now()) return { ok: false, reason: 'expired' };
  return { ok: true, pat };
}

/** The sign-in page ADO serves (as 203) to a browser-like caller without credentials it accepts. */
export const SIGN_IN_PAGE = '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head>'
  + '<body><form id="signin" action="https://login.microsoftonline.com/" method="post"></form></body></html>';
