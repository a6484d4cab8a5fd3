import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { bareHost, resolveChecked, type Resolver, type UrlPolicy } from './url-safety.js';

/**
 * http(s) Agents that resolve and check the host when each socket is opened, then connect only to
 * the addresses they checked (their `lookup` returns nothing else). A name that was public when
 * the connect form checked it and turns private later is refused here, before any byte is sent.
 */

export interface ConnectTarget {
  /** The host as the request named it (no brackets). */
  host: string;
  port: number;
  /** The checked address the socket must reach. */
  address: string;
  tls: boolean;
}

/** Opens the socket; tests inject one that always dials a loopback fake server. */
export type Connector = (target: ConnectTarget) => Duplex;

export interface NetworkGuard {
  policy: UrlPolicy;
  resolve?: Resolver;
  connect?: Connector;
}

export interface GuardedAgents {
  http: http.Agent;
  https: https.Agent;
  /** The agent for a URL's protocol ('http:' or 'https:'). */
  forProtocol(protocol: string): http.Agent;
  destroy(): void;
}

type Oncreate = (err: Error | null, socket: Duplex) => void;
type Family = 4 | 6;

/** A lookup that answers with the checked addresses only, in the form net asks for. */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const all = addresses.map((address) => ({ address, family: (isIP(address) || 4) as Family }));
  return (_hostname, options, callback) => {
    const wanted = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 || options.family === 'IPv4' ? 4 : 0;
    const list = wanted ? all.filter((a) => a.family === wanted) : all;
    if (list.length === 0) {
      callback(Object.assign(new Error(`No checked IPv${wanted} address for ${_hostname}`), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(null, list);
    } else {
      callback(null, list[0]!.address, list[0]!.family);
    }
  };
}

function connectGuarded(guard: NetworkGuard, tls: boolean, options: http.ClientRequestArgs, oncreate: Oncreate, open: (o: http.ClientRequestArgs) => Duplex | null | undefined): undefined {
  const host = bareHost(options.hostname ?? options.host ?? 'localhost');
  const port = Number(options.port ?? (tls ? 443 : 80));
  resolveChecked(host, guard.policy, guard.resolve).then((addresses) => {
    const socket = guard.connect
      ? guard.connect({ host, port, address: addresses[0]!, tls })
      : open({ ...options, lookup: pinnedLookup(addresses) });
    if (!socket) throw new Error(`Could not open a socket to ${host}`);
    oncreate(null, socket);
  }).catch((err: unknown) => oncreate(err instanceof Error ? err : new Error(String(err)), undefined as unknown as Duplex));
  // Returning nothing tells the Agent the socket arrives through `oncreate`.
  return undefined;
}

class GuardedHttpAgent extends http.Agent {
  constructor(private readonly guard: NetworkGuard, options: http.AgentOptions) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): Duplex | null | undefined {
    return connectGuarded(this.guard, false, options, oncreate ?? (() => undefined), (o) => super.createConnection(o));
  }
}

class GuardedHttpsAgent extends https.Agent {
  constructor(private readonly guard: NetworkGuard, options: https.AgentOptions) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): Duplex | null | undefined {
    return connectGuarded(this.guard, true, options, oncreate ?? (() => undefined), (o) => super.createConnection(o));
  }
}

export function createGuardedAgents(guard: NetworkGuard, options: https.AgentOptions = {}): GuardedAgents {
  const agents = { http: new GuardedHttpAgent(guard, options), https: new GuardedHttpsAgent(guard, options) };
  return {
    ...agents,
    forProtocol: (protocol) => (protocol === 'https:' ? agents.https : agents.http),
    destroy: () => { agents.http.destroy(); agents.https.destroy(); },
  };
}
