/**
 * Azure DevOps limits the connector plans around, each with the page that documents it.
 */

/** WIQL returns at most 20,000 work items per query.
 *  https://learn.microsoft.com/rest/api/azure/devops/wit/wiql/query-by-wiql (and "Work tracking object limits"). */
export const WIQL_MAX_RESULTS = 20_000;

/** A WIQL query may be at most 32K characters.
 *  https://learn.microsoft.com/azure/devops/boards/queries/wiql-syntax */
export const WIQL_MAX_LENGTH = 32_000;

/** `workitemsbatch` and `workitems?ids=` accept at most 200 ids.
 *  https://learn.microsoft.com/rest/api/azure/devops/wit/work-items/get-work-items-batch */
export const BATCH_MAX_IDS = 200;

/** At most 1,000 links and 100 tags per work item.
 *  https://learn.microsoft.com/azure/devops/organizations/settings/work/object-limits */
export const MAX_LINKS_PER_ITEM = 1_000;
export const MAX_TAGS_PER_ITEM = 100;

/** ADO may ask a throttled client to wait up to 5 minutes (Retry-After); the window is 5 minutes.
 *  https://learn.microsoft.com/azure/devops/integrate/concepts/rate-limits */
export const MAX_RETRY_AFTER_MS = 300_000;

/** Requests in flight per organization unless configured otherwise (PlanBridge's choice, kept
 *  well under the per-user TSTU budget of the rate-limits page above). */
export const DEFAULT_MAX_IN_FLIGHT = 8;

/** Link types. https://learn.microsoft.com/azure/devops/boards/queries/link-type-reference */
export const LINK_PARENT = 'System.LinkTypes.Hierarchy-Reverse';
export const LINK_CHILD = 'System.LinkTypes.Hierarchy-Forward';
export const LINK_HYPERLINK = 'Hyperlink';

/** WorkItemExpand and WorkItemErrorPolicy as the REST API numbers them (the client sends numbers). */
export const EXPAND_RELATIONS = 1;
export const ERROR_POLICY_OMIT = 2;
