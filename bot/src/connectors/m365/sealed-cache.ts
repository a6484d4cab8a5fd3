import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { ConnectionRepository } from '../../store/index.js';

/**
 * MSAL's token cache (refresh token included) persisted as the connection's sealed secret:
 * read and unsealed before every MSAL cache access, sealed and written back after any change
 * (each refresh rotates the refresh token). The raw Cosmos document only ever holds ciphertext.
 */
export class SealedConnectionCache implements ICachePlugin {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly tenantId: string,
    private readonly connectionId: string,
  ) {}

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    const connection = await this.connections.get(this.tenantId, this.connectionId);
    const sealed = connection ? await this.connections.revealSecret(connection) : undefined;
    // An empty cache (not "keep what memory has") when the secret is gone: a disconnect wins.
    context.tokenCache.deserialize(sealed ?? '{}');
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    await this.connections.setSecret(this.tenantId, this.connectionId, context.tokenCache.serialize());
  }
}
