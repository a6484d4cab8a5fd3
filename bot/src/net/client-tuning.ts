import type { Logger } from '../log.js';
import type { Connector } from './guarded-agent.js';
import type { Resolver, UrlPolicy } from './url-safety.js';

/** What the owner of any outbound client (PWA, Graph, Dataverse) tunes or injects; each client documents its defaults. */
export interface ClientTuning {
  logger?: Logger;
  /** Retries of a throttled or unavailable request before giving up (default: the client's limits.ts). */
  maxRetries?: number;
  /** Longest single wait honoured from Retry-After (default: the client's limits.ts); longer waits fail fast. */
  maxRetryWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The bot's URL policy. Without one, a loopback site (a simulator) is local and any other is held to the authenticated rules. */
  urlPolicy?: UrlPolicy;
  /** Tests: DNS resolution and socket opening, so no packet leaves loopback. */
  resolve?: Resolver;
  connect?: Connector;
}
