export { PwaConnector, type PwaConnectorOptions } from './connector.js';
export { describeAuth, type PwaAuth } from './auth.js';
export type { PwaJsonFormat } from './client.js';
export { siteLocalToUtc, utcToSiteLocal } from './dates.js';
export { formatPwaDuration, formatPwaWork, parsePwaDuration } from './units.js';
