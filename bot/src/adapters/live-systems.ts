/**
 * SystemAccess over the real connectors. Secrets are decrypted here, right before a connector is
 * built, and live only inside it; one connector per connection is cached (keyed by the
 * connection's updatedAt, so a replaced secret or URL builds a fresh one).
 */
import { AdoConnector, entraCredentials, type AdoCredentials } from '../connectors/ado/index.js';
import { entraAuthorityFrom } from '../connectors/ado/entra-settings.js';
import type { AdoEntraConfig } from '../config.js';
import { PwaConnector, type PwaAuth } from '../connectors/pwa/index.js';
import { PlannerConnector } from '../connectors/planner/index.js';
import type { M365AppTokens, M365Tokens } from '../connectors/m365/index.js';
import type { PlanConnector } from '../connectors/ppm.js';
import type { Logger } from '../log.js';
import type { ConnectionDocument, ConnectionRepository } from '../store/index.js';
import { createPlanSide } from './plan-side.js';
import type { AdoDirectory, AdoSignIn, PwaCredentials, SystemAccess } from '../flows/systems.js';
import { FlowProblem } from '../flows/card-kit.js';
import { signsInWithMicrosoft365 } from '../flows/plan-systems.js';
import { createAdoSide, workItemWebUrl } from './ado-side.js';

export interface LiveSystemsOptions {
  connections: ConnectionRepository;
  logger: Logger;
  /** Local mode: http:// and loopback addresses are allowed (simulators). */
  localMode: boolean;
  /** PLANBRIDGE_ALLOW_PRIVATE_NETWORK: ADO Server on a private network is allowed outside local mode. */
  allowPrivateNetwork?: boolean;
  /** Tokens for connections made by Microsoft 365 sign-in (auth.clientId set), from their sealed MSAL cache. */
  m365Tokens?: Pick<M365Tokens, 'authFor' | 'accessToken'>;
  /** App-only Graph tokens for PlanBridge's own app (Outlook app access), when sign-in is configured. */
  m365AppTokens?: Pick<M365AppTokens, 'clientId' | 'authorityFor' | 'accessToken'>;
  /** Microsoft Entra for ADO service principals and the managed identity; unset = Entra's public cloud, no managed identity. */
  adoEntra?: AdoEntraConfig;
  /** How often a Planner premium operation set is polled (default the connector's 3 s; tests go faster). */
  plannerPollIntervalMs?: number;
}

export function createLiveSystems(options: LiveSystemsOptions): SystemAccess {
  const cache = new Map<string, { stamp: string; value: AdoDirectory | PlanConnector }>();
  const entraAuthority = entraAuthorityFrom(options.adoEntra ?? { authorityHost: 'https://login.microsoftonline.com', source: 'env' });
  /** A PAT is sent as is; an Entra principal becomes a token source that renews before expiry. */
  const adoCredentials = (signIn: string | AdoSignIn): AdoCredentials => {
    if (typeof signIn === 'string') return { kind: 'pat', pat: signIn };
    if (signIn.method === 'pat') return { kind: 'pat', pat: signIn.pat };
    if (signIn.method === 'managed-identity') {
      const clientId = options.adoEntra?.managedIdentityClientId;
      return entraCredentials({ credential: 'managed-identity', ...(clientId ? { clientId } : {}) }, entraAuthority);
    }
    const { tenantId, clientId } = signIn;
    return entraCredentials(signIn.credential === 'secret'
      ? { credential: 'secret', tenantId, clientId, secret: signIn.secret }
      : { credential: 'certificate', tenantId, clientId, certificatePem: signIn.secret }, entraAuthority);
  };
  const adoDirectory = (url: string, signIn: string | AdoSignIn): AdoDirectory => {
    const connector = new AdoConnector({ url, credentials: adoCredentials(signIn), localMode: options.localMode, allowPrivateNetwork: options.allowPrivateNetwork ?? false, logger: options.logger });
    return {
      dispose: () => connector.dispose(),
      async check() {
        const report = await connector.checkConnection();
        return {
          orgUrl: report.orgUrl, deployment: report.deployment, user: report.user.displayName || report.user.uniqueName,
          scopes: report.scopes.map((s) => ({ label: s.label, present: s.present, ...(s.detail ? { detail: s.detail } : {}) })),
          missing: report.missing, advice: report.advice,
        };
      },
      listProjects: async () => (await connector.listProjects()).map((p) => ({ name: p.name, description: p.description })),
      listTeams: async (project) => (await connector.listTeams(project)).map((t) => t.name),
      areaPaths: async (project) => (await connector.classificationPaths(project)).areas.map((a) => a.path),
      iterationPaths: async (project) => (await connector.classificationPaths(project)).iterations.map((a) => a.path),
      processOf: (project) => connector.processOf(project),
      workItemTypes: async (project) => (await connector.workItemTypes(project)).map((t) => t.name),
      assignableUsers: async (projects) => (await connector.assignableUsers(projects)).map((u) => ({ displayName: u.displayName, uniqueName: u.uniqueName })),
      workItemUrl: (id) => workItemWebUrl(connector.org.url, id),
      side: () => createAdoSide(connector),
    };
  };
  const urlPolicy = { localMode: options.localMode, allowPrivateNetwork: options.allowPrivateNetwork ?? false };
  const pwaWith = (url: string, auth: PwaAuth, timeZone?: string): PlanConnector => new PwaConnector({ siteUrl: url, auth, ...(timeZone ? { timeZone } : {}), logger: options.logger, urlPolicy });
  const pwaConnector = (url: string, credentials: PwaCredentials, timeZone?: string): PlanConnector => pwaWith(url, credentials.method === 'token'
    ? { kind: 'oauth', getAccessToken: async () => credentials.token }
    : { kind: credentials.method, username: credentials.username, password: credentials.password }, timeZone);
  /** Tokens from a Microsoft 365 sign-in (renewed as needed), or a bare delegated token (demo, simulator, or pasted). */
  const plannerWith = (url: string, getAccessToken: () => Promise<string>, timeZone?: string): PlanConnector => {
    const connector = new PlannerConnector({
      environmentUrl: url, getAccessToken, ...(timeZone ? { timeZone } : {}), logger: options.logger, urlPolicy,
      ...(options.plannerPollIntervalMs !== undefined ? { pollIntervalMs: options.plannerPollIntervalMs } : {}),
    });
    // The cache releases what it drops through `dispose`; this connector calls it `close`.
    return Object.assign(connector, { dispose: async () => connector.close() });
  };
  const plannerConnector = (url: string, token: string, timeZone?: string): PlanConnector => plannerWith(url, async () => token, timeZone);
  /** Whose tokens a signed-in connection uses; a clear refusal when this deployment has no sign-in configured. */
  const signedIn = (connection: ConnectionDocument): Pick<M365Tokens, 'authFor' | 'accessToken'> => {
    if (!options.m365Tokens) throw new FlowProblem(`"${connection.name}" was connected with Microsoft 365 sign-in, which is not configured in this PlanBridge.`);
    return options.m365Tokens;
  };
  const planner = async (connection: ConnectionDocument): Promise<PlanConnector> => {
    if (connection.kind !== 'planner') throw new FlowProblem(`"${connection.name}" is not a Planner premium connection.`);
    if (connection.auth.type !== 'oauth') throw new FlowProblem(`"${connection.name}" signs in to Planner premium in a way this PlanBridge cannot use; connect it again ("connect planner").`);
    if (connection.auth.clientId) {
      const tokens = signedIn(connection);
      return cached(connection, () => plannerWith(connection.url, () => tokens.accessToken(connection), connection.timeZone), false);
    }
    return cached(connection, (token) => plannerConnector(connection.url, token, connection.timeZone));
  };
  const release = (id: string) => {
    const gone = cache.get(id)?.value as { dispose?: () => Promise<void> } | undefined;
    cache.delete(id);
    void gone?.dispose?.().catch(() => undefined);
  };
  /** One connector per connection version; `secret` says whether building needs the decrypted credential. */
  async function cached<T extends AdoDirectory | PlanConnector>(connection: ConnectionDocument, build: (secret: string) => T, secret = true): Promise<T> {
    const hit = cache.get(connection.id);
    if (hit && hit.stamp === connection.updatedAt) return hit.value as T;
    const revealed = secret ? await options.connections.revealSecret(connection) : '';
    if (secret && !revealed) throw new FlowProblem(`The connection "${connection.name}" has no stored credential; replace its secret from "connections".`);
    release(connection.id);
    const value = build(revealed ?? '');
    cache.set(connection.id, { stamp: connection.updatedAt, value });
    return value;
  }
  const pwa = async (connection: ConnectionDocument): Promise<PlanConnector> => {
    // A Microsoft 365 sign-in keeps MSAL's token cache as the secret; the token provider reads it.
    if (signsInWithMicrosoft365(connection)) {
      const auth = signedIn(connection).authFor(connection);
      return cached(connection, () => pwaWith(connection.url, auth, connection.timeZone), false);
    }
    const auth = connection.auth;
    return cached(connection, (secret) => pwaConnector(connection.url, auth.type === 'oauth'
      ? { method: 'token', token: secret }
      : { method: auth.type === 'ntlm' ? 'ntlm' : 'onprem', username: 'username' in auth ? auth.username ?? '' : '', password: secret }, connection.timeZone));
  };
  return {
    adoFromInput: adoDirectory,
    adoManagedIdentity: options.adoEntra?.managedIdentity ?? false,
    ado: (connection) => {
      const auth = connection.auth;
      if (auth.type !== 'entra') return cached(connection, (pat) => adoDirectory(connection.url, pat));
      // A managed identity has no stored secret; a service principal's secret or PEM is the sealed one.
      if (auth.credential === 'managed-identity') return cached(connection, () => adoDirectory(connection.url, { method: 'managed-identity' }), false);
      const credential = auth.credential;
      return cached(connection, (secret) => adoDirectory(connection.url, { method: 'entra', tenantId: auth.tenantId, clientId: auth.clientId, credential, secret }));
    },
    pwaFromInput: pwaConnector,
    pwa,
    plannerFromInput: plannerConnector,
    planner,
    plan: async (connection) => {
      if (connection.kind === 'planner') return planner(connection);
      if (connection.kind === 'pwa') return pwa(connection);
      throw new FlowProblem(`"${connection.name}" is an Azure DevOps connection, not a plan system.`);
    },
    signedInToken: (connection) => signedIn(connection).accessToken(connection),
    ...(options.m365AppTokens ? { planBridgeApp: options.m365AppTokens } : {}),
    planSide: (connector) => createPlanSide(connector),
    forget: release,
  };
}
