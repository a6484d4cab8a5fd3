/**
 * The flows' port to the outside systems (Azure DevOps and a plan system). Flows ask questions in domain terms (check this
 * PAT, list these projects, give me the engine's sides); adapters in ./adapters answer them over
 * the real connectors, and tests can swap in doubles. Nothing here holds or returns a secret.
 */
import type { AccessReport, PlanConnector } from '../connectors/ppm.js';
import type { ConnectionDocument, SignInSystem } from '../store/index.js';
import type { AdoSide, PlanSide } from '../sync/ports.js';

export interface AdoScopeStatus {
  /** As the ADO token page names it, e.g. "Work Items: Read & write". */
  label: string;
  present: boolean | null;
  detail?: string;
}

export interface AdoCheck {
  orgUrl: string;
  deployment: 'services' | 'server';
  user: string;
  scopes: AdoScopeStatus[];
  /** Labels of missing scopes; empty when everything needed is there. */
  missing: string[];
  advice: string | null;
}

/** What the integration setup needs to know about an ADO organization. */
export interface AdoDirectory {
  check(): Promise<AdoCheck>;
  /** Closes the connector's keep-alive sockets (when the cache drops it). */
  dispose?(): Promise<void>;
  listProjects(): Promise<Array<{ name: string; description: string }>>;
  listTeams(project: string): Promise<string[]>;
  areaPaths(project: string): Promise<string[]>;
  iterationPaths(project: string): Promise<string[]>;
  /** Agile, Scrum, CMMI or Basic (or a custom name). */
  processOf(project: string): Promise<string>;
  /** The work item types the project really has (inherited processes add their own). Optional for doubles. */
  workItemTypes?(project: string): Promise<string[]>;
  /**
   * People who can be assigned work in the projects (members of their teams), each once. Optional
   * so doubles without people still work: the sync then matches by stored overrides only.
   */
  assignableUsers?(projects: readonly string[]): Promise<Array<{ displayName: string; uniqueName: string }>>;
  /** Web URL of a work item, for the report card (organization-level, so it works for any project). */
  workItemUrl(id: string): string;
  side(): AdoSide;
}

/**
 * How PlanBridge signs in to Azure DevOps, as typed on the connect card: a PAT, a Microsoft Entra
 * service principal (its client secret, or its certificate and private key as one PEM), or this
 * app's managed identity (Azure only; nothing to type).
 */
export type AdoSignIn =
  | { method: 'pat'; pat: string }
  | { method: 'entra'; tenantId: string; clientId: string; credential: 'secret' | 'certificate'; secret: string }
  | { method: 'managed-identity' };

export type PwaCredentials =
  | { method: 'token'; token: string }
  | { method: 'onprem' | 'ntlm'; username: string; password: string };

/**
 * Delegated Microsoft 365 sign-in for a PWA, Planner premium or Outlook connection
 * (connectors/m365), when this deployment has an Entra app for it. The flow only starts it; the
 * browser finishes it at /auth/pwa/callback and the chat hears the result (flows/sign-in-result.ts).
 */
export interface SignInStarter {
  begin(input: {
    tenantId: string;
    requestedBy: { id: string; aadObjectId?: string; name?: string };
    /** Teams conversation reference, so the result can be posted back. */
    conversation: Record<string, unknown>;
    system: SignInSystem;
    /** The PWA site, the Dataverse environment, or the Microsoft Graph base URL. */
    url: string;
    name: string;
    timeZone?: string;
    /** Signing in again for this connection (its sealed sign-in is replaced). */
    connectionId?: string;
  }): Promise<{ startUrl: string; expiresAt: string }>;
}

export interface SystemAccess {
  /** Opens an ADO organization with a PAT (a string) or another sign-in the user just gave (before anything is stored). */
  adoFromInput(url: string, signIn: string | AdoSignIn): AdoDirectory;
  /** Whether this app's managed identity can be offered for Azure DevOps (it runs in Azure with one). */
  readonly adoManagedIdentity?: boolean;
  /** Opens a stored ADO connection (decrypting its PAT here, nowhere else). */
  ado(connection: ConnectionDocument): Promise<AdoDirectory>;
  pwaFromInput(url: string, credentials: PwaCredentials, timeZone?: string): PlanConnector;
  pwa(connection: ConnectionDocument): Promise<PlanConnector>;
  /** Opens a Dataverse environment (Planner premium) with a delegated access token the user just gave. */
  plannerFromInput(url: string, token: string, timeZone?: string): PlanConnector;
  planner(connection: ConnectionDocument): Promise<PlanConnector>;
  /** A current access token for a connection made by Microsoft 365 sign-in (Outlook's calendar uses it); undefined when sign-in is not configured. */
  signedInToken?(connection: ConnectionDocument): Promise<string>;
  /**
   * App-only Microsoft Graph tokens for PlanBridge's own Entra app (client credentials), for
   * Outlook app access without a pasted token; undefined when sign-in/app settings are not configured.
   */
  planBridgeApp?: {
    /** PlanBridge's Entra app (PWA_OAUTH_CLIENT_ID), recorded on the connection. */
    readonly clientId: string;
    /** The tenant authority app tokens for a Teams tenant come from. */
    authorityFor(tenantId: string): string;
    /** A current app-only Graph token (MSAL renews it). */
    accessToken(authority: string): Promise<string>;
  };
  /** Opens a stored plan connection with the connector of its kind (PWA or Planner premium). */
  plan(connection: ConnectionDocument): Promise<PlanConnector>;
  planSide(connector: PlanConnector): PlanSide;
  /** Forgets cached clients of a connection (renamed secret, removed). */
  forget(connectionId: string): void;
}

export type { AccessReport, PlanConnector };
