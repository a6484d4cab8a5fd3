import { AuthError, type ConfidentialClientApplication } from '@azure/msal-node';
import type { Logger } from '../../log.js';
import { PlanConnectorError } from '../ppm.js';
import { createMsalApp } from './msal-app.js';
import { GRAPH_RESOURCE } from './resources.js';
import type { M365SignInSettings } from './settings.js';
import { describeAuthError } from './sign-in.js';

/** The one scope an app-only Graph token is asked for: the application permissions granted to PlanBridge's app. */
export const GRAPH_APP_SCOPE = `${GRAPH_RESOURCE}/.default`;

/** Authority path segments that name no tenant: client credentials need a tenant of their own. */
const NO_TENANT = new Set(['organizations', 'common', 'consumers']);

export interface M365AppTokenDeps {
  settings: M365SignInSettings;
  logger: Logger;
}

/**
 * App-only Microsoft Graph tokens for PlanBridge's own Entra app (the client credentials grant,
 * no user), as Outlook app access uses them: the application permissions Calendars.ReadWrite and
 * User.Read.All, restricted to mailboxes by an Exchange application access policy. MSAL keeps the
 * tokens in memory and asks Entra for a new one as one lapses, so nothing is stored and nothing
 * needs renewing by a person. One MSAL client per tenant authority.
 */
export class M365AppTokens {
  private readonly apps = new Map<string, Promise<ConfidentialClientApplication>>();

  constructor(private readonly deps: M365AppTokenDeps) {}

  /** PlanBridge's Entra app, whose application permissions the tokens carry. */
  get clientId(): string {
    return this.deps.settings.clientId;
  }

  /**
   * The tenant authority app tokens come from: the configured authority when it names a tenant,
   * else that authority with the tenant put in: the simulator's demo tenant in local mode,
   * otherwise `tenantId` (a Teams tenant id is the Entra tenant id).
   */
  authorityFor(tenantId: string): string {
    const url = new URL(this.deps.settings.authority);
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments.length > 0 && !NO_TENANT.has(segments[0]!.toLowerCase())) return url.href.replace(/\/+$/, '');
    const tenant = this.deps.settings.appTenant ?? tenantId;
    segments.splice(0, segments.length > 0 ? 1 : 0, encodeURIComponent(tenant));
    return `${url.origin}/${segments.join('/')}`;
  }

  /** A current app-only Graph token from `authority` (one authorityFor made: same host as the configured one). */
  async accessToken(authority: string): Promise<string> {
    const configured = new URL(this.deps.settings.authority);
    let asked: URL;
    try {
      asked = new URL(authority);
    } catch {
      throw new PlanConnectorError('auth-failed', 'The connection names a sign-in authority that is not a URL; connect Outlook again.');
    }
    if (asked.origin !== configured.origin) {
      throw new PlanConnectorError('auth-failed', `The connection gets app tokens from ${asked.origin}, but this PlanBridge signs in at ${configured.origin} (PWA_OAUTH_AUTHORITY); connect Outlook again.`);
    }
    const app = this.appFor(asked.href.replace(/\/+$/, ''));
    try {
      const result = await (await app).acquireTokenByClientCredential({ scopes: [GRAPH_APP_SCOPE] });
      if (!result?.accessToken) throw new PlanConnectorError('auth-failed', 'Microsoft Entra ID returned no app token for Microsoft Graph.');
      return result.accessToken;
    } catch (err) {
      if (err instanceof PlanConnectorError) throw err;
      this.apps.delete(asked.href.replace(/\/+$/, ''));
      const described = describeAuthError(err);
      this.deps.logger.warn({ authority: asked.origin, error: described }, 'microsoft graph app token request failed');
      if (err instanceof AuthError && /AADSTS(700016|7000215|7000222|90002|500011|65001)\b/.test(err.errorMessage ?? '')) {
        throw new PlanConnectorError('auth-failed', `Microsoft Entra ID refused PlanBridge's app a Microsoft Graph token (${described}). The app registration (PWA_OAUTH_CLIENT_ID) needs a valid client secret, and the application permissions Calendars.ReadWrite and User.Read.All with admin consent in this tenant.`);
      }
      throw new PlanConnectorError('unreachable', `Could not get a Microsoft Graph app token for PlanBridge's app (${described}). Try again in a few minutes; if it persists, check the sign-in authority (PWA_OAUTH_AUTHORITY) is reachable.`);
    }
  }

  private appFor(authority: string): Promise<ConfidentialClientApplication> {
    let app = this.apps.get(authority);
    if (!app) {
      app = createMsalApp({ ...this.deps.settings, authority }, this.deps.logger);
      app.catch(() => this.apps.delete(authority));
      this.apps.set(authority, app);
    }
    return app;
  }
}
