import type { ContainerRequest } from '@azure/cosmos';
import { encodeId } from './ids.js';

/**
 * One container per aggregate, all partitioned on `/pk`, a synthetic key every document carries
 * (infra/azure.bicep creates the containers the same way). Its value is the tenant for
 * aggregates that stay small per tenant, and tenant + integration for the two that grow with
 * plan size (links, runs), so no logical partition nears Cosmos' 20 GB cap. README.md explains
 * the numbers.
 */
export const PARTITION_KEY_PATH = '/pk';

export const CONTAINERS = {
  conversations: { id: 'conversations', partitionKey: { paths: [PARTITION_KEY_PATH] } },
  connections: { id: 'connections', partitionKey: { paths: [PARTITION_KEY_PATH] } },
  integrations: { id: 'integrations', partitionKey: { paths: [PARTITION_KEY_PATH] } },
  links: { id: 'links', partitionKey: { paths: [PARTITION_KEY_PATH] } },
  runs: { id: 'runs', partitionKey: { paths: [PARTITION_KEY_PATH] } },
  leases: { id: 'leases', partitionKey: { paths: [PARTITION_KEY_PATH] } },
} as const satisfies Record<string, ContainerRequest>;

export type ContainerName = keyof typeof CONTAINERS;

/** Partition key value of a tenant's conversations, connections, integrations and leases. */
export function tenantPartition(tenantId: string): string {
  return encodeId(tenantId);
}

/** Partition key value of an integration's links and runs. Both parts are encoded, so `:` separates them unambiguously. */
export function integrationPartition(tenantId: string, integrationId: string): string {
  return `${encodeId(tenantId)}:${encodeId(integrationId)}`;
}
