import { grantedRoles, type EntraApp } from './directory.js';

/**
 * The client credentials grant (app-only, no user): the scope must be one `{resource}/.default`,
 * and the token's `aud` is that resource. Azure DevOps is resource `499b84ac-…` (also known by its
 * URI https://app.vssps.visualstudio.com), as ../shared/notes/ado-auth-and-hooks.md records.
 */
export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
const AZURE_DEVOPS_URI = 'https://app.vssps.visualstudio.com';
const KNOWN_RESOURCE_HOST = /^(graph\.microsoft\.com|[\w-]+\.sharepoint\.com|[\w-]+\.crm\d*\.dynamics\.com|127\.0\.0\.1|localhost)$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ClientCredentialsError extends Error {
  constructor(readonly aadsts: number, message: string) {
    super(message);
  }
}

/** The audience an app-only token for `scope` gets; throws as Entra refuses a bad scope. */
export function appOnlyAudience(scope: string, tenantDomain: string): string {
  const asked = scope.split(/\s+/).filter(Boolean);
  const one = asked.length === 1 ? asked[0]! : '';
  if (!one.endsWith('/.default')) {
    throw new ClientCredentialsError(1002012, `AADSTS1002012: The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = one.slice(0, -'/.default'.length);
  if (resource.toLowerCase() === AZURE_DEVOPS_RESOURCE || resource.toLowerCase() === AZURE_DEVOPS_URI) return AZURE_DEVOPS_RESOURCE;
  // Other resources by origin, only those a tenant has a service principal for (Graph, its SharePoint
  // and Dataverse hosts, and the simulators on loopback); any other URI or app id is not in the tenant.
  if (!GUID.test(resource)) {
    try {
      const url = new URL(resource);
      if (KNOWN_RESOURCE_HOST.test(url.hostname)) return url.origin;
    } catch { /* falls through to "not found" */ }
  }
  throw new ClientCredentialsError(500011, `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenantDomain}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`);
}

/**
 * Claims of an app-only access token: `oid`/`sub` are the service principal, `idtyp` says "app",
 * `roles` the application permissions granted (with admin consent) on the token's resource.
 */
export function appOnlyClaims(app: EntraApp, audience: string, iat: number, lifetimeSeconds: number, viaCertificate: boolean): Record<string, unknown> {
  return {
    aud: audience, iat, nbf: iat, exp: iat + lifetimeSeconds,
    oid: app.objectId, sub: app.objectId, appid: app.clientId, azp: app.clientId,
    // 1 = client secret, 2 = certificate (v1 `appidacr`, v2 `azpacr`).
    appidacr: viaCertificate ? '2' : '1', azpacr: viaCertificate ? '2' : '1',
    idtyp: 'app', roles: grantedRoles(app, audience), ver: '2.0',
  };
}
