import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { AdoCredentials } from './auth.js';
import { EntraTokenSource } from './token-source.js';

/**
 * The @azure/identity credential for a Microsoft Entra principal that calls Azure DevOps
 * (../shared/notes/ado-auth-and-hooks.md, "Service principal / managed identity"): client
 * credentials with a secret or a certificate, or the app's managed identity (IMDS / App Service).
 * The credential caches its token (MSAL) and fetches a new one near expiry; token-source.ts asks
 * it before every request.
 */
export const PUBLIC_CLOUD_AUTHORITY = 'https://login.microsoftonline.com';

/** Where service principals get tokens: Entra's public cloud, or in local mode the Entra simulator. */
export interface EntraAuthority {
  /** e.g. https://login.microsoftonline.com (no tenant). */
  authorityHost: string;
  /** PEM of an extra CA trusted for the authority only (the local Entra simulator); read when first needed. */
  ca?: () => Promise<string | undefined>;
}

export type EntraPrincipal =
  | { credential: 'secret'; tenantId: string; clientId: string; secret: string }
  /** `certificatePem`: the certificate and its unencrypted private key, in one PEM. */
  | { credential: 'certificate'; tenantId: string; clientId: string; certificatePem: string }
  /** The app's own identity in Azure: system-assigned, or the user-assigned one with this client id. */
  | { credential: 'managed-identity'; clientId?: string };

export async function entraCredential(principal: EntraPrincipal, authority: EntraAuthority): Promise<TokenCredential> {
  if (principal.credential === 'managed-identity') {
    return principal.clientId ? new ManagedIdentityCredential({ clientId: principal.clientId }) : new ManagedIdentityCredential();
  }
  const host = authority.authorityHost.replace(/\/+$/, '');
  const ca = await authority.ca?.();
  const options = {
    authorityHost: host,
    // Instance discovery asks login.microsoftonline.com about the host; another authority answers for itself.
    disableInstanceDiscovery: host !== PUBLIC_CLOUD_AUTHORITY,
    ...(ca ? { agent: new Agent({ ca: [...rootCertificates, ca], keepAlive: true }) } : {}),
    retryOptions: { maxRetries: 2 },
  };
  return principal.credential === 'secret'
    ? new ClientSecretCredential(principal.tenantId, principal.clientId, principal.secret, options)
    : new ClientCertificateCredential(principal.tenantId, principal.clientId, { certificate: principal.certificatePem }, options);
}

/**
 * Connector credentials for an Entra principal: one credential per connector, built on first use
 * (reading the authority's CA then), and a token source that refreshes before expiry.
 */
export function entraCredentials(principal: EntraPrincipal, authority: EntraAuthority, options: { now?: () => number } = {}): AdoCredentials {
  let built: Promise<TokenCredential> | undefined;
  const credential = (): Promise<TokenCredential> => {
    built ??= entraCredential(principal, authority).catch((e: unknown) => { built = undefined; throw e; });
    return built;
  };
  return { kind: 'entra', tokens: new EntraTokenSource(credential, { ...options, what: 'Azure DevOps' }) };
}
