import { verifyJwt, type TrustedIssuer } from '../entra/jwt.js';
import { AZURE_DEVOPS_RESOURCE } from '../entra/client-credentials.js';
import type { SimPat, SimState } from './model.js';

/**
 * Microsoft Entra access tokens for Azure DevOps Services (../shared/notes/ado-auth-and-hooks.md,
 * "Entra tokens"): signed by a trusted issuer, audience the Azure DevOps resource, not expired.
 * An app-only token (`idtyp: app`) is the service principal whose object id is `oid`; it must have
 * been added to the organization, or nothing works. A delegated token is the org user with that UPN.
 * The caller is returned shaped like a PAT (identity + scopes), so scope checks stay one code path.
 */
export const ADO_AUDIENCES = [AZURE_DEVOPS_RESOURCE, 'https://app.vssps.visualstudio.com'];

export type BearerResult =
  | { ok: true; caller: SimPat }
  /** `who` is what ADO names in TF400813: '' for a token it could not read, else the principal. */
  | { ok: false; who: string };

export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3 && token.startsWith('eyJ');
}

export function authenticateEntraToken(state: SimState, token: string, trusted: TrustedIssuer[], nowMs = Date.now()): BearerResult {
  const check = ADO_AUDIENCES.map((aud) => verifyJwt(token, trusted, aud, nowMs)).find((c) => c.ok)
    ?? verifyJwt(token, trusted, AZURE_DEVOPS_RESOURCE, nowMs);
  if (!check.ok) return { ok: false, who: '' };
  const claims = check.claims;
  const oid = String(claims.oid ?? '');
  if (claims.idtyp === 'app') {
    // [?] The notes say only that an SP must be added first; ADO's words for one that was not are
    // taken to be TF400813 naming the principal, as for any identity without access.
    const sp = state.servicePrincipals.find((s) => s.originId.toLowerCase() === oid.toLowerCase());
    if (!sp) return { ok: false, who: oid };
    return { ok: true, caller: { token: `entra:${sp.originId}`, scopes: sp.scopes, user: sp.identity } };
  }
  const upn = String(claims.upn ?? claims.preferred_username ?? '').toLowerCase();
  const user = state.users.find((u) => u.uniqueName.toLowerCase() === upn);
  if (!user) return { ok: false, who: upn };
  return { ok: true, caller: { token: `entra:${user.id}`, scopes: ['app_token'], user } };
}
