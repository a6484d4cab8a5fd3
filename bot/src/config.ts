import { editDistance } from './text/edit-distance.js';
import { isLoopbackHost } from './net/loopback.js';

/**
 * Every setting PlanBridge reads, in one place. `loadConfig` validates them all and
 * throws a ConfigError naming each bad variable, so a typo fails at start, not at 3 a.m.
 */

export type AuthMode = 'local' | 'client-secret' | 'managed-identity';

export interface Config {
  port: number;
  host: string;
  auth: {
    mode: AuthMode;
    clientId?: string;
    clientSecret?: string;
    tenantId?: string;
  };
  cosmos: { endpoint?: string; key?: string; database: string };
  dataDir: string;
  secretKey?: string;
  keyVaultUri?: string;
  logLevel: string;
  /** Largest message text we act on; longer text gets a polite refusal. */
  maxMessageChars: number;
  /** Where browsers reach this bot (OAuth redirect URIs are built from it). */
  publicBaseUrl: string;
  /** Delegated Microsoft 365 sign-in for Project Online; undefined = not offered. */
  pwaOAuth?: PwaOAuthConfig;
  /** Let connections reach private-network hosts (Azure DevOps Server on a corporate network); off = SSRF guard. */
  allowPrivateNetwork: boolean;
  /** Entra object ids (lower case) of tenant admins: they may rename, re-key, share or remove anyone's connection. */
  tenantAdmins: ReadonlySet<string>;
  /** Microsoft Entra for Azure DevOps connections without PATs (service principals, managed identity). */
  adoEntra: AdoEntraConfig;
}

export interface AdoEntraConfig {
  /** Authority host service principals get tokens from, no tenant (https://login.microsoftonline.com). */
  authorityHost: string;
  /** PEM file of an extra CA to trust for that authority only (the local Entra simulator). */
  caFile?: string;
  /** Offer "This app's managed identity" (only in Azure, where one exists). */
  managedIdentity: boolean;
  /** The user-assigned identity's client id (MANAGED_IDENTITY_CLIENT_ID); unset = system-assigned. */
  managedIdentityClientId?: string;
  source: 'env' | 'local-simulator';
}

export interface PwaOAuthConfig {
  clientId: string;
  clientSecret: string;
  authority: string;
  /** `${publicBaseUrl}/auth/pwa/callback` */
  redirectUri: string;
  /** PEM file of an extra CA to trust for the authority only (the local Entra simulator). */
  caFile?: string;
  /** 'local-simulator' = local mode defaults pointing at `npm run sim`'s Entra simulator. */
  source: 'env' | 'local-simulator';
}

/**
 * The Entra simulator's demo app (sim/entra/directory.ts, `ENTRA_DEMO`), used in local mode when
 * no PWA_OAUTH_CLIENT_ID is set, so `npm run dev` can sign in offline. A test keeps them in step.
 */
export const LOCAL_ENTRA_SIMULATOR = {
  clientId: '5f0d8c2e-7b1a-4e3d-9a6f-2c4b8e1d0a97',
  clientSecret: 'demo-entra-client-secret',
  /** The simulator's demo tenant: app-only tokens need a tenant, and local Teams tenants are not in its directory. */
  tenantId: '7a3c9d52-1e4b-4f6a-9c2d-5b8e0f1a2c3d',
  authority: 'https://127.0.0.1:8083/organizations',
  /** Under PLANBRIDGE_DATA_DIR; the simulator writes its CA certificate there at start. */
  caFile: 'entra-sim/ca.pem',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

interface Setting {
  doc: string;
  default?: string;
}

/** The documented settings. README's env table is checked against this list in a test. */
export const SETTINGS: Record<string, Setting> = {
  PORT: { doc: 'HTTP port for /api/messages and /healthz', default: '3978' },
  HOST: { doc: 'Interface to bind. Local mode always binds loopback', default: '127.0.0.1 (local) / 0.0.0.0 (authenticated)' },
  CLIENT_ID: { doc: 'Entra app (bot) client id. Unset = local mode: unauthenticated, loopback only' },
  CLIENT_SECRET: { doc: 'Client secret of the bot app. With CLIENT_ID but no secret, managed identity is used' },
  TENANT_ID: { doc: 'Tenant of the single-tenant bot app registration' },
  MANAGED_IDENTITY_CLIENT_ID: { doc: 'Read by the Teams SDK: user-assigned identity id, or "system"' },
  COSMOS_ENDPOINT: { doc: 'Azure Cosmos DB account URL. Unset = embedded Cosmos-compatible server' },
  COSMOS_KEY: { doc: 'Cosmos account key. Unset with COSMOS_ENDPOINT = Entra ID (DefaultAzureCredential)' },
  COSMOS_DATABASE: { doc: 'Cosmos database name', default: 'planbridge' },
  PLANBRIDGE_DATA_DIR: { doc: 'Embedded database files and the local secret key file', default: '.data' },
  PLANBRIDGE_SECRET_KEY: { doc: 'Base64 32-byte key that encrypts stored PATs, passwords and tokens' },
  KEY_VAULT_URI: { doc: 'Key Vault holding the secret-encryption key (used with the app managed identity)' },
  LOG_LEVEL: { doc: 'trace, debug, info, warn, error or fatal', default: 'info' },
  PLANBRIDGE_MAX_MESSAGE_CHARS: { doc: 'Longest chat message the bot will parse', default: '4000' },
  PUBLIC_BASE_URL: { doc: 'Public https URL of the bot; OAuth redirect URIs are built from it', default: 'http://localhost:<PORT> (local mode)' },
  PWA_OAUTH_CLIENT_ID: { doc: 'Entra app (client) id for delegated Microsoft 365 sign-in (Project Online, Planner premium, Outlook). Unset = sign-in not offered (local mode: the Entra simulator)' },
  PWA_OAUTH_CLIENT_SECRET: { doc: 'Client secret of that app registration' },
  PWA_OAUTH_AUTHORITY: { doc: 'Entra authority (https) for Microsoft 365 sign-in', default: 'https://login.microsoftonline.com/organizations' },
  PWA_OAUTH_CA_FILE: { doc: 'PEM of an extra CA trusted for the authority only (a lab authority; local mode: the Entra simulator)' },
  PLANBRIDGE_TENANT_ADMINS: { doc: 'Comma-separated Entra object ids of PlanBridge tenant admins: they may rename, replace the secret of, share or remove any connection in their tenant (not use it). Unset = nobody', default: '(none)' },
  ADO_ENTRA_AUTHORITY: { doc: 'Entra authority host (https, no tenant) that ADO service principals get tokens from', default: 'https://login.microsoftonline.com (local mode: the Entra simulator, https://127.0.0.1:8083)' },
  ADO_ENTRA_CA_FILE: { doc: 'PEM of an extra CA trusted for that authority only (a lab authority; local mode: the Entra simulator)' },
  ADO_ENTRA_MANAGED_IDENTITY: { doc: 'true offers "This app\'s managed identity" for ADO connections (Azure App Service with an identity)', default: 'true when IDENTITY_ENDPOINT is set, else false' },
  IDENTITY_ENDPOINT: { doc: 'Set by Azure App Service when the app has a managed identity; PlanBridge reads it only to offer that identity for ADO' },
  PLANBRIDGE_ALLOW_PRIVATE_NETWORK: { doc: 'true lets ADO connections reach private or loopback addresses (Azure DevOps Server on a corporate network); off by default outside local mode, as an SSRF guard', default: 'false' },
};

/** Prefixes we own: an unknown variable with one of these is almost surely a typo. */
const OWNED_PREFIXES = ['PLANBRIDGE_', 'COSMOS_', 'PWA_OAUTH_', 'ADO_ENTRA_'];
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  for (const name of Object.keys(env)) {
    if (OWNED_PREFIXES.some((p) => name.startsWith(p)) && !(name in SETTINGS)) {
      const near = closestSetting(name);
      problems.push(`${name} is not a PlanBridge setting${near ? ` (did you mean ${near}?)` : ''}`);
    }
  }

  const port = parseIntSetting('PORT', get('PORT') ?? '3978', 0, 65535, problems);
  const maxMessageChars = parseIntSetting('PLANBRIDGE_MAX_MESSAGE_CHARS', get('PLANBRIDGE_MAX_MESSAGE_CHARS') ?? '4000', 1, 100_000, problems);

  const clientId = get('CLIENT_ID');
  const clientSecret = get('CLIENT_SECRET');
  const tenantId = get('TENANT_ID');
  if (clientId !== undefined && !GUID.test(clientId)) problems.push('CLIENT_ID must be a GUID (the bot app registration client id)');
  if (tenantId !== undefined && !GUID.test(tenantId)) problems.push('TENANT_ID must be a GUID');
  if (clientId === undefined && clientSecret !== undefined) problems.push('CLIENT_SECRET is set but CLIENT_ID is not: set both, or neither for local mode');
  const mode: AuthMode = clientId === undefined ? 'local' : clientSecret === undefined ? 'managed-identity' : 'client-secret';

  const requestedHost = get('HOST');
  // Local mode accepts unauthenticated traffic, so it must never be reachable off-box.
  if (mode === 'local' && requestedHost !== undefined && !isLoopbackHost(requestedHost)) {
    problems.push(`HOST=${requestedHost} is not loopback: local mode (no CLIENT_ID) only binds 127.0.0.1/::1/localhost`);
  }
  const host = requestedHost ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');

  const cosmosEndpoint = get('COSMOS_ENDPOINT');
  if (cosmosEndpoint !== undefined) checkUrl('COSMOS_ENDPOINT', cosmosEndpoint, problems);
  const cosmosKey = get('COSMOS_KEY');
  if (cosmosKey !== undefined && cosmosEndpoint === undefined) problems.push('COSMOS_KEY is set without COSMOS_ENDPOINT');
  const database = get('COSMOS_DATABASE') ?? 'planbridge';
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(database)) problems.push('COSMOS_DATABASE may only contain letters, digits, "-" and "_"');

  const secretKey = get('PLANBRIDGE_SECRET_KEY');
  if (secretKey !== undefined && Buffer.from(secretKey, 'base64').length !== 32) {
    problems.push('PLANBRIDGE_SECRET_KEY must be 32 bytes, base64-encoded (try: openssl rand -base64 32)');
  }
  const keyVaultUri = get('KEY_VAULT_URI');
  if (keyVaultUri !== undefined) checkUrl('KEY_VAULT_URI', keyVaultUri, problems);

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const rawPrivate = (get('PLANBRIDGE_ALLOW_PRIVATE_NETWORK') ?? 'false').toLowerCase();
  if (rawPrivate !== 'true' && rawPrivate !== 'false') problems.push('PLANBRIDGE_ALLOW_PRIVATE_NETWORK must be true or false');
  const allowPrivateNetwork = rawPrivate === 'true';

  const tenantAdmins = parseTenantAdmins(get('PLANBRIDGE_TENANT_ADMINS'), problems);

  const dataDir = get('PLANBRIDGE_DATA_DIR') ?? '.data';
  const { publicBaseUrl, pwaOAuth } = loadPwaOAuth(get, mode, port, dataDir, problems);
  const adoEntra = loadAdoEntra(get, mode, dataDir, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    auth: { mode, clientId, clientSecret, tenantId },
    cosmos: { endpoint: cosmosEndpoint, key: cosmosKey, database },
    dataDir,
    secretKey,
    keyVaultUri,
    logLevel,
    maxMessageChars,
    publicBaseUrl,
    ...(pwaOAuth ? { pwaOAuth } : {}),
    allowPrivateNetwork,
    tenantAdmins,
    adoEntra,
  };
}

/** Where ADO service principals get tokens: Entra, or in local mode the Entra simulator of `npm run sim`. */
function loadAdoEntra(get: (name: string) => string | undefined, mode: AuthMode, dataDir: string, problems: string[]): AdoEntraConfig {
  const authority = get('ADO_ENTRA_AUTHORITY');
  const caFile = get('ADO_ENTRA_CA_FILE');
  const local = mode === 'local' && authority === undefined;
  const authorityHost = (authority ?? (local ? new URL(LOCAL_ENTRA_SIMULATOR.authority).origin : 'https://login.microsoftonline.com')).replace(/\/+$/, '');
  try {
    if (new URL(authorityHost).protocol !== 'https:') problems.push('ADO_ENTRA_AUTHORITY must be an https URL (Entra authorities are)');
  } catch {
    problems.push('ADO_ENTRA_AUTHORITY is not a valid URL (e.g. https://login.microsoftonline.com)');
  }
  const rawMi = get('ADO_ENTRA_MANAGED_IDENTITY')?.toLowerCase();
  if (rawMi !== undefined && rawMi !== 'true' && rawMi !== 'false') problems.push('ADO_ENTRA_MANAGED_IDENTITY must be true or false');
  const miClientId = get('MANAGED_IDENTITY_CLIENT_ID');
  // Local mode trusts the simulator's CA, which `npm run sim` writes under the data directory.
  const ca = caFile ?? (local ? `${dataDir.replace(/\/+$/, '')}/${LOCAL_ENTRA_SIMULATOR.caFile}` : undefined);
  return {
    authorityHost,
    ...(ca ? { caFile: ca } : {}),
    managedIdentity: rawMi === undefined ? get('IDENTITY_ENDPOINT') !== undefined : rawMi === 'true',
    ...(miClientId && GUID.test(miClientId) ? { managedIdentityClientId: miClientId } : {}),
    source: local ? 'local-simulator' : 'env',
  };
}

/** Object ids, not names or emails: Teams sends the object id with every activity, and it cannot be renamed. */
function parseTenantAdmins(raw: string | undefined, problems: string[]): ReadonlySet<string> {
  const ids = (raw ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const bad = ids.filter((id) => !GUID.test(id));
  if (bad.length > 0) problems.push(`PLANBRIDGE_TENANT_ADMINS must list Entra object ids (GUIDs), separated by commas; not: ${bad.slice(0, 3).join(', ')}`);
  return new Set(ids.filter((id) => GUID.test(id)).map((id) => id.toLowerCase()));
}

function loadPwaOAuth(
  get: (name: string) => string | undefined, mode: AuthMode, port: number, dataDir: string, problems: string[],
): { publicBaseUrl: string; pwaOAuth?: PwaOAuthConfig } {
  const rawBase = get('PUBLIC_BASE_URL');
  if (rawBase !== undefined) checkUrl('PUBLIC_BASE_URL', rawBase, problems);
  const publicBaseUrl = (rawBase ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const clientId = get('PWA_OAUTH_CLIENT_ID');
  const clientSecret = get('PWA_OAUTH_CLIENT_SECRET');
  const authority = get('PWA_OAUTH_AUTHORITY');
  const caFile = get('PWA_OAUTH_CA_FILE');
  const redirectUri = `${publicBaseUrl}/auth/pwa/callback`;

  if (clientId === undefined) {
    if (clientSecret !== undefined) problems.push('PWA_OAUTH_CLIENT_SECRET is set but PWA_OAUTH_CLIENT_ID is not: set both');
    if (mode !== 'local') return { publicBaseUrl };
    const sim = LOCAL_ENTRA_SIMULATOR;
    return {
      publicBaseUrl,
      pwaOAuth: {
        clientId: sim.clientId, clientSecret: sim.clientSecret, authority: authority ?? sim.authority, redirectUri,
        caFile: caFile ?? `${dataDir.replace(/\/+$/, '')}/${sim.caFile}`, source: 'local-simulator',
      },
    };
  }
  if (!GUID.test(clientId)) problems.push('PWA_OAUTH_CLIENT_ID must be a GUID (the app registration\'s Application (client) ID)');
  if (clientSecret === undefined) problems.push('PWA_OAUTH_CLIENT_ID is set but PWA_OAUTH_CLIENT_SECRET is not: add a client secret of that app registration');
  const chosenAuthority = authority ?? 'https://login.microsoftonline.com/organizations';
  try {
    if (new URL(chosenAuthority).protocol !== 'https:') problems.push('PWA_OAUTH_AUTHORITY must be an https URL (MSAL refuses others)');
  } catch {
    problems.push('PWA_OAUTH_AUTHORITY is not a valid URL (e.g. https://login.microsoftonline.com/<tenant-id>)');
  }
  if (mode !== 'local') {
    if (rawBase === undefined) problems.push('PUBLIC_BASE_URL is required with PWA_OAUTH_CLIENT_ID outside local mode: the https address browsers use to reach the bot');
    else if (!/^https:/i.test(rawBase)) problems.push('PUBLIC_BASE_URL must be https outside local mode (Entra only allows http redirect URIs on localhost)');
  }
  return {
    publicBaseUrl,
    pwaOAuth: { clientId, clientSecret: clientSecret ?? '', authority: chosenAuthority.replace(/\/+$/, ''), redirectUri, ...(caFile ? { caFile } : {}), source: 'env' },
  };
}

function parseIntSetting(name: string, raw: string, min: number, max: number, problems: string[]): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name}=${raw} must be a whole number from ${min} to ${max}`);
    return min;
  }
  return n;
}

function checkUrl(name: string, raw: string, problems: string[]): void {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${name} must be an http(s) URL`);
  } catch {
    problems.push(`${name} is not a valid URL`);
  }
}

function closestSetting(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const known of Object.keys(SETTINGS)) {
    const d = editDistance(name, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}
