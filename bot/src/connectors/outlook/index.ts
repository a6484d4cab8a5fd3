export { OutlookConnector, type OutlookConnectorOptions } from './connector.js';
export { GraphClient, type GraphClientOptions } from './client.js';
export type { OutlookAccess } from './access.js';
export { personKey, type DirectoryPerson, type PersonMatch, type PersonQuery } from './directory.js';
export { OutlookError, type OutlookErrorCode } from './errors.js';
export { PLANBRIDGE_CATEGORY, type EventAttendee, type EventChanges, type EventDraft, type OutlookEvent } from './event-wire.js';
export { LINK_PROPERTY_ID } from './marker.js';
export * from './limits.js';
