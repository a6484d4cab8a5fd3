import type { AccessToken, TokenCredential } from '@azure/identity';
import { entraTokenError } from './entra-errors.js';

/**
 * Bearer tokens for Azure DevOps from a Microsoft Entra credential, for a connector that lives for
 * days. Entra tokens last about an hour and the ADO client library never refreshes the one it was
 * given (notes: "build a new WebApi before expiry"), so the session asks here before every request:
 * the cached token while it is fresh, a new one from REFRESH_MARGIN_MS before it expires (or from
 * Entra's `refresh_in`), one fetch shared by concurrent callers.
 */
export const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
/** Refresh this long before expiry, so a request never leaves with a token about to die. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface AdoTokenSource {
  /** A token good for at least the margin (or the last good one, while a refresh fails and it still lives). */
  token(): Promise<string>;
  /** Drops the cached token, after Azure DevOps refused it. */
  invalidate(): void;
}

export class EntraTokenSource implements AdoTokenSource {
  private current?: AccessToken;
  private pending?: Promise<string>;

  constructor(
    private readonly credential: () => Promise<TokenCredential>,
    private readonly options: { now?: () => number; what?: string } = {},
  ) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  async token(): Promise<string> {
    const t = this.current;
    if (t && this.now < refreshAt(t)) return t.token;
    this.pending ??= this.fetch().finally(() => { this.pending = undefined; });
    return this.pending;
  }

  invalidate(): void {
    this.current = undefined;
  }

  private async fetch(): Promise<string> {
    const previous = this.current;
    try {
      const credential = await this.credential();
      const next = await credential.getToken(AZURE_DEVOPS_SCOPE);
      if (!next) throw new Error('Entra ID returned no token');
      this.current = next;
      return next.token;
    } catch (err) {
      // Entra unreachable for a moment: the token in hand still works until it expires.
      if (previous && this.now < previous.expiresOnTimestamp - 30_000) return previous.token;
      throw entraTokenError(err, this.options.what ?? 'Azure DevOps');
    }
  }
}

function refreshAt(t: AccessToken): number {
  const early = t.expiresOnTimestamp - REFRESH_MARGIN_MS;
  return t.refreshAfterTimestamp ? Math.min(t.refreshAfterTimestamp, early) : early;
}
