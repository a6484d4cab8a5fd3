export { AdoConnector, type AdoConnectorOptions } from './connector.js';
export { AdoConnectorError, SCOPE_LABELS, type AdoErrorCode } from './errors.js';
export { parseAdoUrl, isPrivateAddress, type AdoOrgUrl } from './url.js';
export * from './limits.js';
export type * from './types.js';
