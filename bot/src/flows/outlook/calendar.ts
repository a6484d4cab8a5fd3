/**
 * Opens the Outlook calendar of a stored Outlook connection. The token is decrypted here, right
 * before the connector is built, and lives only inside it. The bot has no Microsoft Graph sign-in
 * yet, so the stored secret is an access token the person pasted (delegated, or PlanBridge's app
 * token restricted to one mailbox by an application access policy).
 */
import { OutlookConnector } from '../../connectors/outlook/index.js';
import type { ConnectionDocument, OutlookSettings } from '../../store/index.js';
import { FlowProblem } from '../card-kit.js';
import type { FlowServices } from '../services.js';

export const GRAPH_URL = 'https://graph.microsoft.com/v1.0';

export interface CalendarInput {
  graphUrl: string;
  token: string;
  settings: OutlookSettings;
}

/** A connector for what the person typed (connect, a replaced token), before anything is stored. */
export function calendarFromInput(s: Pick<FlowServices, 'localMode' | 'logger'>, input: CalendarInput, timeZone?: string): OutlookConnector {
  const { access, mailbox } = input.settings;
  return new OutlookConnector({
    baseUrl: input.graphUrl, auth: access, getAccessToken: async () => input.token,
    ...(access === 'app' && mailbox ? { mailbox } : {}), ...(timeZone ? { timeZone } : {}),
    logger: s.logger, urlPolicy: { localMode: s.localMode },
  });
}

export async function openCalendar(s: FlowServices, connection: ConnectionDocument, timeZone?: string): Promise<OutlookConnector> {
  const token = await s.store.connections.revealSecret(connection);
  if (!token || !connection.outlook) throw new FlowProblem(`The Outlook connection "${connection.name}" has no token stored. Replace it from "connections".`);
  return calendarFromInput(s, { graphUrl: connection.url, token, settings: connection.outlook }, timeZone);
}
