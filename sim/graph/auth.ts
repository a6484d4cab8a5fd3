import { verifyJwt, type TrustedIssuer } from '../entra/jwt.js';
import { ENTRA_DEMO } from '../entra/directory.js';
import type { Directory, GraphUser } from './directory.js';
import { graphErrors } from './errors.js';

/**
 * Who is calling: `Authorization: Bearer <token>`, a static demo token (local mode) or an Entra
 * access token for Graph (`aud` https://graph.microsoft.com or Graph's app id) from a trusted
 * issuer. Delegated tokens carry permissions in `scp` and act as a user; app-only tokens
 * (`idtyp: app`) carry application permissions in `roles` [notes "Permissions"].
 */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export type Caller =
  | { kind: 'delegated'; user: GraphUser; appId: string; permissions: Set<string> }
  | { kind: 'app'; appId: string; permissions: Set<string> };

export const GRAPH_DEMO_CREDENTIALS = {
  /** Delegated, as pm@contoso.onmicrosoft.com: Calendars.ReadWrite, User.Read, User.ReadBasic.All. */
  bearerToken: 'demo-graph-token',
  /** App-only, PlanBridge's app: Calendars.ReadWrite + User.Read.All, limited by the demo access policy. */
  appBearerToken: 'demo-graph-app-token',
  /** Delegated, as viewer@contoso.onmicrosoft.com, with Calendars.Read and User.Read only. */
  readOnlyBearerToken: 'demo-graph-read-token',
  /** The app the demo tokens belong to (the Entra simulator's PlanBridge registration). */
  appId: ENTRA_DEMO.clientId,
} as const;

export interface AuthOptions {
  issuers: TrustedIssuer[];
  acceptDemoTokens: boolean;
}

const lower = (values: string[]): Set<string> => new Set(values.map((v) => v.toLowerCase()));

function demoCaller(token: string, directory: Directory): Caller | undefined {
  const c = GRAPH_DEMO_CREDENTIALS;
  if (token === c.appBearerToken) return { kind: 'app', appId: c.appId, permissions: lower(['Calendars.ReadWrite', 'User.Read.All']) };
  const delegated: Record<string, [string, string[]]> = {
    [c.bearerToken]: [ENTRA_DEMO.user.username, ['Calendars.ReadWrite', 'User.Read', 'User.ReadBasic.All']],
    [c.readOnlyBearerToken]: [ENTRA_DEMO.viewer.username, ['Calendars.Read', 'User.Read']],
  };
  const entry = delegated[token];
  const user = entry && directory.find(entry[0]);
  return user ? { kind: 'delegated', user, appId: c.appId, permissions: lower(entry[1]) } : undefined;
}

/** The caller, or a 401 GraphError. */
export function identify(authorization: string | undefined, directory: Directory, options: AuthOptions): Caller {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) throw graphErrors.noToken();
  const token = m[1]!;
  const demo = options.acceptDemoTokens ? demoCaller(token, directory) : undefined;
  if (demo) return demo;
  if (token.split('.').length !== 3) throw graphErrors.badToken('IDX14100: JWT is not well formed.');
  let check = verifyJwt(token, options.issuers, GRAPH_RESOURCE);
  if (!check.ok && check.reason === 'wrong-audience') check = verifyJwt(token, options.issuers, GRAPH_APP_ID);
  if (!check.ok) throw graphErrors.badToken(check.reason === 'wrong-audience' ? 'Invalid audience.' : check.reason === 'expired' ? 'Lifetime validation failed, the token is expired.' : `Invalid token (${check.reason}).`);
  const claims = check.claims;
  const appId = String(claims.azp ?? claims.appid ?? '');
  if (claims.idtyp === 'app' || (claims.scp === undefined && Array.isArray(claims.roles))) {
    return { kind: 'app', appId, permissions: lower((claims.roles as string[] | undefined) ?? []) };
  }
  const oid = String(claims.oid ?? '').toLowerCase();
  const upn = String(claims.upn ?? claims.preferred_username ?? '');
  const user = directory.users.find((u) => u.id === oid) ?? (upn ? directory.find(upn) : undefined);
  // A signed-in account this tenant does not have [guess: 401].
  if (!user) throw graphErrors.badToken('The user in the token is not in this tenant.');
  return { kind: 'delegated', user, appId, permissions: lower(String(claims.scp ?? '').split(/\s+/).filter(Boolean)) };
}

/** The 401 challenge Graph sends. */
export const CHALLENGE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;

const has = (caller: Caller, any: string[]): boolean => any.some((p) => caller.permissions.has(p.toLowerCase()));

/** Calendar permissions (event-*.md "Permissions"): reads take Read or ReadWrite, writes ReadWrite. */
export function requireCalendar(caller: Caller, write: boolean): void {
  if (!has(caller, write ? ['Calendars.ReadWrite'] : ['Calendars.Read', 'Calendars.ReadWrite'])) throw graphErrors.accessDenied();
}

/** Directory reads: basic profiles with User.ReadBasic.All, full ones with User.Read.All or Directory.Read.All. */
export function directoryAccess(caller: Caller): 'full' | 'basic' {
  if (has(caller, ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'])) return 'full';
  if (has(caller, ['User.ReadBasic.All'])) return 'basic';
  throw graphErrors.directoryDenied();
}

/** `/me`: User.Read (or any directory read permission) for the signed-in user. */
export function requireMe(caller: Caller): GraphUser {
  if (caller.kind !== 'delegated') throw graphErrors.meNeedsUser();
  if (!has(caller, ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'])) throw graphErrors.directoryDenied();
  return caller.user;
}
