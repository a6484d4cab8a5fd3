import { Agent as HttpsAgent } from 'node:https';
import { isLoopbackHost } from '../net/loopback.js';
import { CosmosClient, type Container, type CosmosClientOptions, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { Logger } from '../log.js';
import { CONTAINERS, PARTITION_KEY_PATH, type ContainerName } from './containers.js';
import { startEmbeddedCosmos, type EmbeddedCosmos } from './embedded/embedded-server.js';
import { StoreError } from './errors.js';

export interface CosmosSettings {
  endpoint?: string;
  key?: string;
  database: string;
}

export interface CosmosConnection {
  mode: 'embedded' | 'remote';
  client: CosmosClient;
  database: Database;
  containers: Record<ContainerName, Container>;
  embedded?: EmbeddedCosmos;
  close(): Promise<void>;
}

/**
 * Opens the database the store runs on: the embedded server when no endpoint is configured,
 * otherwise the given account, with its key or with Entra ID (DefaultAzureCredential: managed
 * identity in Azure, developer login locally). Database and containers are created if missing.
 */
export async function connectCosmos(settings: CosmosSettings, dataDir: string, logger: Logger): Promise<CosmosConnection> {
  const embedded = settings.endpoint === undefined ? await startEmbeddedCosmos({ dataDir, logger }) : undefined;
  const endpoint = embedded?.endpoint ?? settings.endpoint!;
  const url = new URL(endpoint);
  // A loopback endpoint is our own server (embedded or scripts/cosmos-local): it does not
  // advertise reachable regional endpoints, so discovery must stay off.
  const local = isLoopbackHost(url.hostname);
  // Over plain HTTP the SDK must use its own keep-alive agent: only then does it allow an
  // insecure connection. Over HTTPS a local server has a self-signed certificate.
  const agent = url.protocol === 'http:' ? undefined : new HttpsAgent({ keepAlive: true, maxSockets: 32, ...(local ? { rejectUnauthorized: false } : {}) });
  const options: CosmosClientOptions = {
    endpoint,
    ...(agent ? { agent } : {}),
    userAgentSuffix: 'planbridge',
    connectionPolicy: { enableEndpointDiscovery: !local },
  };
  const key = embedded?.key ?? settings.key;
  if (key !== undefined) options.key = key;
  else options.aadCredentials = new DefaultAzureCredential();
  const client = new CosmosClient(options);

  try {
    const { database } = await client.databases.createIfNotExists({ id: settings.database });
    const entries = await Promise.all(
      (Object.keys(CONTAINERS) as ContainerName[]).map(async (name) => {
        const { container, resource } = await database.containers.createIfNotExists(CONTAINERS[name]);
        const paths = resource?.partitionKey?.paths ?? [];
        if (paths.length !== 1 || paths[0] !== PARTITION_KEY_PATH) {
          throw new StoreError(`container "${name}" is partitioned on ${paths.join(', ') || 'nothing'}, but PlanBridge needs ${PARTITION_KEY_PATH}; a partition key cannot be changed, so recreate the container (see infra/azure.bicep)`);
        }
        return [name, container] as const;
      }),
    );
    logger.info({ mode: embedded ? 'embedded' : 'remote', database: settings.database, endpoint: embedded ? endpoint : url.origin }, 'store connected');
    let closing: Promise<void> | undefined;
    return {
      mode: embedded ? 'embedded' : 'remote',
      client,
      database,
      containers: Object.fromEntries(entries) as Record<ContainerName, Container>,
      embedded,
      close: () => (closing ??= (async () => {
        client.dispose();
        agent?.destroy();
        await embedded?.close();
      })()),
    };
  } catch (err) {
    if (err instanceof StoreError) {
      client.dispose();
      agent?.destroy();
      await embedded?.close();
      throw err;
    }
    client.dispose();
    agent?.destroy();
    await embedded?.close();
    throw new StoreError(`could not open Cosmos DB database "${settings.database}" at ${url.origin}: ${describe(err)}${key === undefined ? ' (signing in with DefaultAzureCredential: check the managed identity or `az login`, and its Cosmos DB data-plane role)' : ''}`, { cause: err });
  }
}

/** Status and first line only: SDK messages can be long, and never contain our key. */
function describe(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const first = typeof e.message === 'string' ? e.message.split('\n')[0] : String(err);
  return e.code !== undefined ? `${String(e.code)} ${first}` : (first ?? 'unknown error');
}
