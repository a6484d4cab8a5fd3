export { AdoConnector, type AdoConnectorOptions } from './connector.js';
export { AdoConnectorError, SCOPE_LABELS, type AdoErrorCode } from './errors.js';
export type { AdoCredentials } from './auth.js';
export { entraCredentials, PUBLIC_CLOUD_AUTHORITY, type EntraAuthority, type EntraPrincipal } from './entra-credential.js';
export { parseAdoUrl, isPrivateAddress, type AdoOrgUrl } from './url.js';
export * from './limits.js';
export type * from './types.js';
