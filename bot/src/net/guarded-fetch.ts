import http from 'node:http';
import https from 'node:https';
import { createGuardedAgents, type Connector, type NetworkGuard } from './guarded-agent.js';
import { isLoopbackHost } from './loopback.js';
import { checkUrlText, UnsafeUrlError, type Resolver, type UrlPolicy } from './url-safety.js';

/**
 * A fetch for clients that carry credentials to a user-given server (PWA today; Dataverse, Graph
 * and webhooks next). Global fetch cannot take a Node Agent, so this sends through the guarded
 * agents itself. It never follows a redirect (a 3xx is refused with its target host named), and
 * with `origin` set it refuses any URL on another origin, so a paging link or Location header
 * chosen by the server cannot carry the credentials elsewhere.
 */

export type FetchLike = ((url: URL | string, init?: RequestInit) => Promise<Response>) & { close(): void };

export interface GuardedFetchOptions extends NetworkGuard {
  /** Only this origin may be called (e.g. the PWA site's). */
  origin?: string;
  /** Names the system in messages ("Project Web App"). */
  what?: string;
  keepAlive?: boolean;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

function bodyOf(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('guarded fetch sends string, URLSearchParams or byte bodies only');
}

export function createGuardedFetch(options: GuardedFetchOptions): FetchLike {
  const agents = createGuardedAgents(options, { keepAlive: options.keepAlive ?? true });
  const what = options.what ?? 'the server';
  const send = (input: URL | string, init: RequestInit = {}): Promise<Response> => new Promise((resolve, reject) => {
    const url = checkUrlText(input, options.policy, what);
    if (options.origin && url.origin !== options.origin) {
      throw new UnsafeUrlError('other-origin', `${what} pointed PlanBridge at ${url.host}, another server than ${new URL(options.origin).host}; PlanBridge only sends credentials to the address you connected.`);
    }
    const headers = new Headers(init.headers);
    const body = bodyOf(init.body);
    if (body && !headers.has('content-length')) headers.set('content-length', String(body.length));
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent: agents.forProtocol(url.protocol), signal: init.signal ?? undefined,
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        const location = res.headers.location;
        let target = 'another address';
        try { if (location) target = new URL(location, url).host; } catch { /* unparsable Location */ }
        reject(new UnsafeUrlError('redirect', `${what} at ${url.host} answered with a redirect (${status}) to ${target}. PlanBridge does not follow redirects, so credentials never go to another address; connect with the address it redirects to if you trust it.`));
        return;
      }
      const responseHeaders = new Headers();
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
      const nullBody = NULL_BODY.has(status) || (init.method ?? 'GET').toUpperCase() === 'HEAD';
      const answer = (bytes: Buffer | null): void => {
        try {
          resolve(new Response(bytes, { status, statusText: res.statusMessage ?? '', headers: responseHeaders }));
        } catch (err) {
          // A status Response cannot carry (e.g. 600): a broken server, not a crash.
          reject(err);
        }
      };
      if (nullBody) {
        res.resume();
        answer(null);
        return;
      }
      // The whole body is read here, as one buffer: every caller reads JSON or text to the end, and a
      // web stream over the socket cost each page read more than parsing it (issue 19, pwa-read).
      // A body cut off (reset, timeout) rejects like a failed request.
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => answer(Buffer.concat(chunks)));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(new Error(`${what} at ${url.host} closed the connection before the answer was complete`));
      });
    });
    request.on('error', reject);
    request.end(body);
  });
  return Object.assign(send, { close: () => agents.destroy() });
}

/**
 * The guard for a client of one user-given site: requests only to that site's origin, under the
 * bot's URL policy. Without a policy a loopback site (a simulator) counts as local and any other
 * is held to the authenticated rules; a URL that does not parse is refused on the first request.
 */
export function siteGuard(siteUrl: string, what: string, options: { urlPolicy?: UrlPolicy; resolve?: Resolver; connect?: Connector }): GuardedFetchOptions & { what: string } {
  let origin: string | undefined;
  let loopback = false;
  try {
    const url = new URL(siteUrl);
    origin = url.origin;
    loopback = isLoopbackHost(url.hostname);
  } catch { /* refused with a message when the first request is made */ }
  return {
    policy: options.urlPolicy ?? { localMode: loopback }, what,
    ...(origin ? { origin } : {}), ...(options.resolve ? { resolve: options.resolve } : {}), ...(options.connect ? { connect: options.connect } : {}),
  };
}
