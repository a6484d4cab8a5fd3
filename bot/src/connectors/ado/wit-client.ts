import type * as azdev from 'azure-devops-node-api';
import { WorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi.js';
import type { RequestGate } from '../../net/request-gate.js';

/**
 * The wit client with its resource locations (OPTIONS wit) in hand, one round trip sooner. The
 * library finds the wit area with OPTIONS Location and GET ResourceAreas, then asks the area for
 * its locations: three requests in a row before a first WIQL. The wit area sits at the
 * organization URL on Azure DevOps Services and Server alike, so its OPTIONS goes there at once,
 * beside the other two, in a gate slot of its own (only a free one: it must not wait or go over
 * the cap). The guessed client is kept when the resource areas confirm the address (the library
 * would have made the same client); otherwise the one made for the address they give asks again.
 */
export interface WitClientDeps {
  webApi: azdev.WebApi;
  orgUrl: string;
  gate: RequestGate;
  /** Fetches a fresh bearer token first, as every call does (no-op for a PAT). */
  refreshAuth: () => Promise<void>;
  /** Makes a client as the session does (resource areas asked for once). */
  makeClient: () => Promise<WorkItemTrackingApi>;
}

/** Wiql - Query By Wiql: a location every Azure DevOps Services and Server 2019+ wit area has. */
const WIQL_LOCATION = '1a9c53f7-f243-4447-b110-35ef023636e4';

/** Asks for the client's resource locations (OPTIONS wit); the library keeps them for its calls. */
const locate = (wit: WorkItemTrackingApi) => wit.vsoClient.getVersioningData('7.1', 'wit', WIQL_LOCATION, {});
const withoutSlash = (url: string) => url.replace(/\/+$/, '');

export async function locatedWitClient({ webApi, orgUrl, gate, refreshAuth, makeClient }: WitClientDeps): Promise<WorkItemTrackingApi> {
  const guess = new WorkItemTrackingApi(orgUrl, [webApi.authHandler], webApi.options, webApi.userAgent);
  const guessLocated = gate.tryRun(async () => { await refreshAuth(); return locate(guess); })?.then(() => true, () => false) ?? Promise.resolve(false);
  let kept = false;
  try {
    const wit = await makeClient();
    if (withoutSlash(wit.baseUrl) === withoutSlash(guess.baseUrl) && await guessLocated) {
      kept = true;
      return guess;
    }
    await locate(wit);
    return wit;
  } finally {
    if (!kept) void guessLocated.then(() => { guess.http.dispose(); guess.rest.client.dispose(); });
  }
}
