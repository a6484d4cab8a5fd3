import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { decodeChallenge } from './challenge.js';
import { authenticateMessage, type NtlmCredentials } from './handshake.js';
import { encodeNegotiate } from './negotiate.js';
import { NtlmError } from './wire.js';
import { authOffers, offersScheme, offerToken } from './www-authenticate.js';

/**
 * A fetch that signs in with NTLM (Windows authentication, as Project Server on-premises uses).
 *
 * NTLM authenticates the TCP connection, not the request, so every request goes through one
 * keep-alive socket (an Agent with `maxSockets: 1`), and requests are sent one at a time:
 *   1. `Authorization: NTLM <negotiate>` -> 401 `WWW-Authenticate: NTLM <challenge>`;
 *   2. `Authorization: NTLM <authenticate>` on the same socket -> the real answer.
 * Both legs carry the whole request (method, headers, body), so whichever leg the server answers
 * without a 401 is the answer. Later requests go out bare on the authenticated socket; a 401 that
 * offers NTLM again (or a socket the server closed) starts a new handshake.
 *
 * Same surface as `FetchLike` in `net/guarded-fetch.ts`: the body is read in full and returned as
 * a web `Response`. Redirects are never followed (a 3xx is returned as is). A caller's
 * `Authorization` header is dropped: this fetch owns authentication. The password is used only to
 * compute the NTLMv2 response; it is never logged, sent or put in an error.
 */

export interface NtlmFetchOptions {
  credentials: NtlmCredentials;
  /** Only URLs on this origin are fetched: the credentials answer this server only. */
  origin?: string;
  /**
   * The agent for the origin's protocol, e.g. the guarded agents of `net/guarded-agent.ts` created
   * with `{ keepAlive: true, maxSockets: 1 }`. Without one, a private keep-alive agent is made.
   */
  agent?: http.Agent;
  /** Workstation name sent in the AUTHENTICATE message (informational). */
  workstation?: string;
  /** Socket idle timeout per request leg, ms. */
  timeoutMs?: number;
}

export type NtlmFetch = ((url: URL | string, init?: RequestInit) => Promise<Response>) & {
  close(): void;
  /** Counters for tests and benchmarks: handshakes started and HTTP requests sent. */
  readonly stats: { handshakes: number; requests: number };
};

interface Outgoing {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal | undefined;
}

interface Leg {
  status: number;
  statusText: string;
  rawHeaders: string[];
  body: Buffer;
  socket: Socket;
}

/** The request went out on a pooled socket the server had already closed; safe to send again. */
class StaleSocketError extends Error {}

const NULL_BODY = new Set([101, 204, 205, 304]);
const STALE_CODES = new Set(['ECONNRESET', 'EPIPE']);

function bodyOf(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('NTLM fetch sends string, URLSearchParams or byte bodies only');
}

function toResponse(leg: Leg, method: string): Response {
  const headers = new Headers();
  for (let i = 0; i + 1 < leg.rawHeaders.length; i += 2) headers.append(leg.rawHeaders[i]!, leg.rawHeaders[i + 1]!);
  const empty = NULL_BODY.has(leg.status) || method === 'HEAD';
  return new Response(empty ? null : leg.body, { status: leg.status, statusText: leg.statusText, headers });
}

export function createNtlmFetch(options: NtlmFetchOptions): NtlmFetch {
  const origin = options.origin ? new URL(options.origin).origin : undefined;
  if (options.agent && options.agent.maxSockets !== 1) {
    throw new NtlmError('unsupported', 'NTLM needs an agent with maxSockets: 1 (it authenticates one connection).');
  }
  const ownAgents = new Map<string, http.Agent>();
  const stats = { handshakes: 0, requests: 0 };
  let authenticated: Socket | null = null;
  let scheme: 'NTLM' | 'Negotiate' = 'NTLM';
  let tail: Promise<unknown> = Promise.resolve();

  function agentFor(protocol: string): http.Agent {
    if (options.agent) return options.agent;
    let agent = ownAgents.get(protocol);
    if (!agent) {
      const settings = { keepAlive: true, maxSockets: 1 };
      agent = protocol === 'https:' ? new https.Agent(settings) : new http.Agent(settings);
      ownAgents.set(protocol, agent);
    }
    return agent;
  }

  function exchange(out: Outgoing, authorization?: string): Promise<Leg> {
    stats.requests += 1;
    const headers = authorization ? { ...out.headers, authorization } : out.headers;
    return new Promise((resolve, reject) => {
      const request = (out.url.protocol === 'https:' ? https : http).request(out.url, {
        method: out.method, headers, agent: agentFor(out.url.protocol), signal: out.signal,
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      }, (res) => {
        const socket = res.socket as Socket;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), socket }));
      });
      request.on('timeout', () => request.destroy(new Error(`no answer from ${out.url.host} within ${options.timeoutMs} ms`)));
      request.on('error', (err: NodeJS.ErrnoException) => {
        reject(request.reusedSocket && STALE_CODES.has(err.code ?? '') ? new StaleSocketError(err.message) : err);
      });
      request.end(out.body);
    });
  }

  /** Sends once more on a fresh socket when the pooled one turned out to be closed. */
  async function onLiveSocket(send: () => Promise<Leg>): Promise<Leg> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof StaleSocketError) return send();
      throw err;
    }
  }

  async function handshake(out: Outgoing, switched = false): Promise<Response> {
    stats.handshakes += 1;
    authenticated = null;
    const negotiate = encodeNegotiate();
    const first = await onLiveSocket(() => exchange(out, `${scheme} ${negotiate.toString('base64')}`));
    if (first.status !== 401) return toResponse(first, out.method);
    const offers = authOffers(first.rawHeaders);
    const token = offerToken(offers, scheme);
    if (!token) {
      // Some servers list only Negotiate; Windows accepts a raw NTLM token under that scheme.
      if (!switched && scheme === 'NTLM' && offersScheme(offers, 'Negotiate') && !offersScheme(offers, 'NTLM')) {
        scheme = 'Negotiate';
        return handshake(out, true);
      }
      const offered = [...new Set(offers.map((o) => o.scheme))].join(', ') || 'no scheme';
      throw new NtlmError('handshake', `${out.url.host} did not answer with an NTLM challenge (it offers: ${offered}). Check that Windows authentication with NTLM is enabled for the site.`);
    }
    const challenge = decodeChallenge(Buffer.from(token, 'base64'));
    const authenticate = authenticateMessage({
      negotiate, challenge, credentials: options.credentials, targetSpn: `HTTP/${out.url.hostname}`,
      ...(options.workstation ? { workstation: options.workstation } : {}),
    });
    const second = await exchange(out, `${scheme} ${authenticate.toString('base64')}`);
    if (second.status === 401 && second.socket !== first.socket) {
      throw new NtlmError('handshake', `${out.url.host} closed the connection in the middle of the NTLM handshake. NTLM authenticates one kept-alive connection; check that no proxy or load balancer in front of the server closes or pools connections.`);
    }
    if (second.status !== 401) authenticated = second.socket;
    return toResponse(second, out.method);
  }

  async function perform(input: URL | string, init: RequestInit): Promise<Response> {
    const url = new URL(input instanceof URL ? input.href : input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new NtlmError('unsupported', `NTLM fetch speaks http and https only, not ${url.protocol}`);
    if (origin && url.origin !== origin) {
      throw new NtlmError('handshake', `Windows credentials for ${new URL(origin).host} are not sent to ${url.host}.`);
    }
    const headers = Object.fromEntries(new Headers(init.headers));
    delete headers.authorization;
    const body = bodyOf(init.body);
    if (body && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
    const out: Outgoing = { url, method: (init.method ?? 'GET').toUpperCase(), headers, body, signal: init.signal ?? undefined };
    if (authenticated && !authenticated.destroyed) {
      try {
        const leg = await exchange(out);
        const offers = leg.status === 401 ? authOffers(leg.rawHeaders) : [];
        if (!offersScheme(offers, scheme)) return toResponse(leg, out.method);
      } catch (err) {
        if (!(err instanceof StaleSocketError)) throw err;
      }
    }
    return handshake(out);
  }

  const ntlmFetch = (input: URL | string, init: RequestInit = {}): Promise<Response> => {
    // One request at a time: the handshake's legs must not interleave with another request's.
    const run = tail.then(() => perform(input, init));
    tail = run.catch(() => undefined);
    return run;
  };
  return Object.assign(ntlmFetch, {
    stats,
    close: () => {
      for (const agent of ownAgents.values()) agent.destroy();
      ownAgents.clear();
      authenticated = null;
    },
  });
}
