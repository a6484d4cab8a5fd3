import { GRAPH_DEMO_CREDENTIALS, type GraphSimulator } from '../../../../sim/graph/server.js';
import { OutlookConnector, type OutlookConnectorOptions } from '../../../src/connectors/outlook/index.js';

/** An Outlook connector on the Graph simulator, with waits recorded instead of slept. */
export function connectorOn(sim: GraphSimulator, extra: Partial<OutlookConnectorOptions> = {}): { connector: OutlookConnector; waits: number[] } {
  const waits: number[] = [];
  const connector = new OutlookConnector({
    baseUrl: sim.apiUrl, auth: 'delegated', account: 'pm@contoso.onmicrosoft.com', timeZone: 'Europe/Berlin',
    getAccessToken: async () => GRAPH_DEMO_CREDENTIALS.bearerToken,
    sleep: async (ms) => { waits.push(ms); },
    ...extra,
  });
  return { connector, waits };
}

export const appConnectorOn = (sim: GraphSimulator, mailbox: string) =>
  connectorOn(sim, { auth: 'app', account: "PlanBridge's app", mailbox, getAccessToken: async () => GRAPH_DEMO_CREDENTIALS.appBearerToken });

export const PM = 'pm@contoso.onmicrosoft.com';
