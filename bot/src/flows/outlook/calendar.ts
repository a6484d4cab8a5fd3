/**
 * Opens the Outlook calendar of a stored Outlook connection. The token is decrypted here, right
 * before the connector is built, and lives only inside it. A connection made by Microsoft 365
 * sign-in gets its tokens from the sealed sign-in; otherwise the stored secret is an access token
 * the person pasted (delegated, or PlanBridge's app token restricted to one mailbox by an
 * application access policy). An app-access connection made without a token acts as PlanBridge's
 * own app: app-only tokens PlanBridge gets (client credentials) and MSAL renews.
 */
import { OutlookConnector } from '../../connectors/outlook/index.js';
import type { ConnectionDocument, OutlookSettings } from '../../store/index.js';
import { FlowProblem } from '../card-kit.js';
import { actsAsPlanBridgeApp, signsInWithMicrosoft365 } from '../plan-systems.js';
import type { FlowServices } from '../services.js';

export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';

export interface CalendarInput {
  graphUrl: string;
  token: string;
  settings: OutlookSettings;
}

/** A connector for what the person typed (connect, a replaced token), before anything is stored. */
export function calendarFromInput(s: Pick<FlowServices, 'localMode' | 'logger'>, input: CalendarInput, timeZone?: string): OutlookConnector {
  return calendarWith(s, input.graphUrl, input.settings, async () => input.token, timeZone);
}

function calendarWith(s: Pick<FlowServices, 'localMode' | 'logger'>, graphUrl: string, settings: OutlookSettings, getAccessToken: () => Promise<string>, timeZone?: string): OutlookConnector {
  const { access, mailbox } = settings;
  return new OutlookConnector({
    baseUrl: graphUrl, auth: access, getAccessToken,
    ...(access === 'app' && mailbox ? { mailbox } : {}), ...(timeZone ? { timeZone } : {}),
    logger: s.logger, urlPolicy: { localMode: s.localMode },
  });
}

/** The app's own tokens (client credentials from `authority`) in the mailbox `settings` names: connect, and app-access connections. */
export function calendarAsPlanBridgeApp(s: Pick<FlowServices, 'localMode' | 'logger' | 'systems'>, graphUrl: string, settings: OutlookSettings, authority: string, name = 'This connection', timeZone?: string): OutlookConnector {
  const app = s.systems.planBridgeApp;
  if (!app) throw new FlowProblem(`${name} acts as PlanBridge's own app, and Microsoft 365 sign-in (PWA_OAUTH_CLIENT_ID) is not configured in this PlanBridge.`);
  return calendarWith(s, graphUrl, settings, () => app.accessToken(authority), timeZone);
}

export async function openCalendar(s: FlowServices, connection: ConnectionDocument, timeZone?: string): Promise<OutlookConnector> {
  if (!connection.outlook) throw new FlowProblem(`"${connection.name}" is not an Outlook connection.`);
  const { auth } = connection;
  if (actsAsPlanBridgeApp(connection) && auth.type === 'oauth') {
    // PlanBridge's own app: app-only tokens (client credentials) that MSAL renews; nothing is stored.
    const authority = auth.authority ?? s.systems.planBridgeApp?.authorityFor(connection.tenantId) ?? '';
    return calendarAsPlanBridgeApp(s, connection.url, connection.outlook, authority, `"${connection.name}"`, timeZone);
  }
  if (signsInWithMicrosoft365(connection)) {
    // Microsoft 365 sign-in: a token per request from the sealed sign-in, renewed as it lapses.
    const { signedInToken } = s.systems;
    if (!signedInToken) throw new FlowProblem(`"${connection.name}" was connected with Microsoft 365 sign-in, which is not configured in this PlanBridge.`);
    return calendarWith(s, connection.url, connection.outlook, () => signedInToken(connection), timeZone);
  }
  const token = await s.store.connections.revealSecret(connection);
  if (!token) throw new FlowProblem(`The Outlook connection "${connection.name}" has no token stored. Replace it from "connections".`);
  return calendarFromInput(s, { graphUrl: connection.url, token, settings: connection.outlook }, timeZone);
}
