/**
 * The simulated tenant: one app registration (a confidential client, like PlanBridge's) and a
 * few users. Values are demo constants, printed by `npm run sim` and listed in the README.
 */
export interface EntraUser {
  /** UPN, what people type at the sign-in page. */
  username: string;
  password: string;
  displayName: string;
  /** Object id (oid) in the tenant. */
  objectId: string;
}

export interface EntraApp {
  clientId: string;
  clientSecret: string;
  /** Redirect URIs as registered. For http://localhost and http://127.0.0.1 the port is ignored, as Entra does. */
  redirectUris: string[];
  /** SharePoint delegated permissions configured on the app, granted by `{sharepoint site}/.default`. */
  permissions: string[];
  /** Microsoft Graph delegated permissions configured on the app, granted by `https://graph.microsoft.com/.default`. */
  graphPermissions?: string[];
  /**
   * Application permissions (app roles) an admin granted, by resource as the token's `aud` names it
   * (an origin such as https://graph.microsoft.com, or a resource app id): app-only tokens carry them in `roles`.
   */
  applicationPermissions?: Record<string, string[]>;
  /** The app's service principal in this tenant: app-only tokens carry it as `oid` (ADO matches on it). */
  objectId?: string;
  displayName?: string;
  /** Certificates (PEM) uploaded to the registration: keys a client assertion may be signed with. */
  certificates?: string[];
}

export const ENTRA_DEMO = {
  tenantId: '7a3c9d52-1e4b-4f6a-9c2d-5b8e0f1a2c3d',
  tenantDomain: 'contoso.onmicrosoft.com',
  clientId: '5f0d8c2e-7b1a-4e3d-9a6f-2c4b8e1d0a97',
  clientSecret: 'demo-entra-client-secret',
  /** Signs in to PWA as `demo\pm` (editor, manages fields). */
  user: { username: 'pm@contoso.onmicrosoft.com', password: 'demo-password', displayName: 'Demo PM', objectId: 'b0c1d2e3-f4a5-4b6c-8d7e-9f0a1b2c3d4e' },
  /** Signs in to PWA as `demo\viewer` (read only). */
  viewer: { username: 'viewer@contoso.onmicrosoft.com', password: 'viewer-password', displayName: 'Demo Viewer', objectId: 'c1d2e3f4-a5b6-4c7d-9e8f-0a1b2c3d4e5f' },
  redirectUris: ['http://localhost/auth/pwa/callback', 'http://127.0.0.1/auth/pwa/callback'],
  /** SharePoint delegated permissions PlanBridge's registration asks for. */
  permissions: ['Project.Write', 'ProjectWebApp.FullControl'],
  /** Graph delegated permissions for Outlook events and attendee look-ups (as sim/graph's demo-graph-token holds). */
  graphPermissions: ['User.Read', 'Calendars.ReadWrite', 'User.ReadBasic.All'],
  /** Graph application permissions with admin consent (as sim/graph's demo-graph-app-token holds), limited there by the access policy. */
  graphApplicationPermissions: ['Calendars.ReadWrite', 'User.Read.All'],
  /**
   * A service principal an admin made for Azure DevOps (client credentials, no user). The ADO
   * simulator's demo org has added it as a user; its certificate is made at simulator start.
   */
  adoServicePrincipal: {
    clientId: '3b9e6f14-2c7d-4a85-b1e0-6d4f8a2c9e53', clientSecret: 'demo-ado-sp-secret',
    objectId: 'e7a4c1d2-5b3f-4e6a-8c9d-0f1e2a3b4c5d', displayName: 'PlanBridge ADO sync',
  },
  /** A service principal that exists in the tenant but was never added to the ADO organization. */
  outsiderServicePrincipal: {
    clientId: '8d2f5a61-9e4b-4c37-a0d8-1b6e3f7c2a94', clientSecret: 'demo-outsider-secret',
    objectId: 'f1b2c3d4-e5f6-4a7b-9c8d-7e6f5a4b3c2d', displayName: 'Reporting app (not in the ADO org)',
  },
} as const;

/** Microsoft Graph's resource, as app-only tokens for it carry it in `aud`. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** The application permissions an app-only token for `audience` carries (`roles`). */
export function grantedRoles(app: EntraApp, audience: string): string[] {
  const key = Object.keys(app.applicationPermissions ?? {}).find((k) => k.toLowerCase() === audience.toLowerCase());
  return key ? [...app.applicationPermissions![key]!] : [];
}

export interface EntraDirectory {
  tenantId: string;
  tenantDomain: string;
  apps: EntraApp[];
  users: EntraUser[];
}

export function demoEntraDirectory(): EntraDirectory {
  const d = ENTRA_DEMO;
  return {
    tenantId: d.tenantId,
    tenantDomain: d.tenantDomain,
    apps: [
      {
        clientId: d.clientId, clientSecret: d.clientSecret, redirectUris: [...d.redirectUris], permissions: [...d.permissions],
        graphPermissions: [...d.graphPermissions], applicationPermissions: { [GRAPH_RESOURCE]: [...d.graphApplicationPermissions] },
      },
      ...[d.adoServicePrincipal, d.outsiderServicePrincipal].map((sp) => ({ ...sp, redirectUris: [], permissions: [], certificates: [] })),
    ],
    users: [{ ...d.user }, { ...d.viewer }],
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Entra matches redirect URIs exactly, except that a loopback http URI may use any port. */
export function redirectUriAllowed(app: EntraApp, candidate: string): boolean {
  let asked: URL;
  try {
    asked = new URL(candidate);
  } catch {
    return false;
  }
  return app.redirectUris.some((registered) => {
    const r = new URL(registered);
    if (r.protocol === 'http:' && LOOPBACK.has(r.hostname)) {
      return asked.protocol === 'http:' && asked.hostname === r.hostname && asked.pathname === r.pathname && asked.search === r.search;
    }
    return asked.href === r.href;
  });
}

/** Tenant segments the endpoints answer to: the GUID, the domain, and the multi-tenant aliases. */
export function knowsTenant(directory: EntraDirectory, segment: string): boolean {
  const s = segment.toLowerCase();
  return s === directory.tenantId || s === directory.tenantDomain || s === 'organizations' || s === 'common';
}
