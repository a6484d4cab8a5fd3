import { readFile } from 'node:fs/promises';
import { LOCAL_ENTRA_SIMULATOR, type PwaOAuthConfig } from '../../config.js';
import { PlanConnectorError } from '../ppm.js';

/**
 * How PlanBridge signs users in to Microsoft 365 (Project Online, Planner premium, Outlook): one
 * Entra app registration (confidential client) with the delegated permissions of each resource
 * (resources.ts), auth code + PKCE, refresh token kept sealed on the connection.
 */
export interface M365SignInSettings {
  clientId: string;
  clientSecret: string;
  /** e.g. https://login.microsoftonline.com/organizations (or a tenant id instead of organizations). */
  authority: string;
  /** Absolute URL of GET /auth/pwa/callback, as registered on the app. */
  redirectUri: string;
  /** PEM of an extra CA the authority's certificate chains to (the local Entra simulator). Read when first needed. */
  authorityCa?: () => Promise<string | undefined>;
  /**
   * The tenant app-only tokens (client credentials) come from when `authority` names none: the
   * Entra simulator's demo tenant in local mode. Unset = the Teams conversation's tenant.
   */
  appTenant?: string;
}


/** A pending sign-in is good for this long (as long as an Entra authorization code lives). */
export const SIGN_IN_WINDOW_MS = 10 * 60 * 1000;

/** Settings from the validated config; the CA file is read on first use, so the simulator may start after the bot. */
export function settingsFromConfig(config: PwaOAuthConfig): M365SignInSettings {
  const { caFile } = config;
  return {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authority: config.authority,
    redirectUri: config.redirectUri,
    ...(config.source === 'local-simulator' ? { appTenant: LOCAL_ENTRA_SIMULATOR.tenantId } : {}),
    ...(caFile ? {
      authorityCa: async () => {
        try {
          return await readFile(caFile, 'utf8');
        } catch {
          throw new PlanConnectorError('unreachable', config.source === 'local-simulator'
            ? `The Entra simulator's certificate is not at ${caFile}. Start the simulators with "npm run sim" (or "npm run dev"), or set PWA_OAUTH_CLIENT_ID for a real tenant.`
            : `PWA_OAUTH_CA_FILE points to ${caFile}, which cannot be read.`);
        }
      },
    } : {}),
  };
}
