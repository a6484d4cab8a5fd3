import { GRAPH_RESOURCE, type EntraApp } from './directory.js';

/**
 * Scope strings as the v2.0 endpoints take them: OpenID scopes plus permissions of ONE resource,
 * written `{resource}/{permission}` (`{resource}/.default` = what the app registration lists).
 * The resource becomes the access token's `aud`, as SharePoint expects (`https://contoso.sharepoint.com`).
 */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const GRAPH = GRAPH_RESOURCE;
/** SharePoint delegated permissions the simulator knows (Project Online uses these). */
export const SHAREPOINT_PERMISSIONS = [
  'Project.Read', 'Project.Write', 'ProjectWebApp.FullControl', 'ProjectWebAppReporting.Read',
  'AllSites.Read', 'AllSites.Write', 'AllSites.Manage', 'AllSites.FullControl',
];

/** Dataverse's (Dynamics CRM's) only delegated permission; Planner premium connections ask for it. */
export const DATAVERSE_PERMISSIONS = ['user_impersonation'];

export interface ScopeGrant {
  /** Access token audience: the resource origin. */
  resource: string;
  /** Permission names (the `scp` claim). */
  permissions: string[];
  /** OpenID scopes asked for. */
  oidc: string[];
}

export class ScopeError extends Error {
  constructor(readonly aadsts: number, message: string) {
    super(message);
  }
}

export function resolveScopes(raw: string, app: EntraApp): ScopeGrant {
  const asked = raw.split(/\s+/).filter(Boolean);
  const oidc = asked.filter((s) => OIDC_SCOPES.includes(s.toLowerCase())).map((s) => s.toLowerCase());
  const byResource = new Map<string, string[]>();
  for (const scope of asked.filter((s) => !OIDC_SCOPES.includes(s.toLowerCase()))) {
    const slash = scope.lastIndexOf('/');
    let resource = GRAPH;
    let permission = scope;
    if (slash > 0) {
      try {
        resource = new URL(scope.slice(0, slash)).origin;
      } catch {
        throw new ScopeError(70011, `AADSTS70011: The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`);
      }
      permission = scope.slice(slash + 1);
    }
    byResource.set(resource, [...(byResource.get(resource) ?? []), permission]);
  }
  if (byResource.size > 1) {
    throw new ScopeError(28000, `AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${asked.join(' ')} is not valid.`);
  }
  const [resource, permissions] = [...byResource.entries()][0] ?? [GRAPH, ['User.Read']];
  // `.default` is what the registration lists for that resource: Graph's for Graph, SharePoint's otherwise.
  const registered = resource === GRAPH ? app.graphPermissions ?? [] : app.permissions;
  const expanded = permissions.flatMap((p) => (p === '.default' ? registered : [p]));
  if (resource !== GRAPH) {
    // Loopback simulators share one host, so a non-Graph resource may be SharePoint or Dataverse here.
    const known = [...SHAREPOINT_PERMISSIONS, ...DATAVERSE_PERMISSIONS];
    const unknown = expanded.find((p) => !known.some((k) => k.toLowerCase() === p.toLowerCase()));
    if (unknown) throw new ScopeError(70011, `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope '${resource}/${unknown}' does not exist on the resource.`);
  }
  return { resource, permissions: [...new Set(expanded)], oidc };
}

/** The `scope` value of a token response: the granted resource permissions plus the OpenID scopes. */
export function scopeString(grant: ScopeGrant): string {
  return [...grant.permissions.map((p) => `${grant.resource}/${p}`), ...grant.oidc].join(' ');
}
