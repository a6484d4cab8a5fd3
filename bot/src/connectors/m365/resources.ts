import type { SignInSystem } from '../../store/index.js';

/**
 * What a Microsoft 365 sign-in asks Entra for, per system. A v2.0 token is for ONE resource (its
 * `aud`), so each connection signs in for the resource of its system:
 * - Project Web App: the SharePoint origin of the site, with SharePoint's Project permissions;
 * - Planner premium: the Dataverse environment, with Dynamics CRM's `user_impersonation`;
 * - Outlook: Microsoft Graph, whatever Graph URL the connection calls (the audience is fixed).
 * The app registration lists all three (README, "Microsoft 365 sign-in").
 */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export const DELEGATED_PERMISSIONS: Record<SignInSystem, readonly string[]> = {
  pwa: ['Project.Write', 'ProjectWebApp.FullControl'],
  planner: ['user_impersonation'],
  // User.Read for whose calendar it is, User.ReadBasic.All to match assigned resources to attendees.
  outlook: ['User.Read', 'Calendars.ReadWrite', 'User.ReadBasic.All'],
};

/** The token audience for a connection of `system` at `url`. */
export function resourceFor(system: SignInSystem, url: string): string {
  return system === 'outlook' ? GRAPH_RESOURCE : new URL(url).origin;
}

export function scopesFor(system: SignInSystem, url: string): string[] {
  const resource = resourceFor(system, url);
  return DELEGATED_PERMISSIONS[system].map((p) => `${resource}/${p}`);
}

/** The chat command that starts a sign-in again for `system`. */
export const CONNECT_COMMAND: Record<SignInSystem, string> = { pwa: 'connect pwa', planner: 'connect planner', outlook: 'connect outlook' };

export const SYSTEM_NAME: Record<SignInSystem, string> = { pwa: 'Project Web App', planner: 'Planner premium', outlook: 'Outlook' };

/** The sign-in system of a stored connection, or undefined for kinds that never sign in this way (ADO). */
export function signInSystemOf(kind: string): SignInSystem | undefined {
  return kind === 'pwa' || kind === 'planner' || kind === 'outlook' ? kind : undefined;
}
