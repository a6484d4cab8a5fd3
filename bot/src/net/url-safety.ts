import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UserFacingError } from '../errors.js';
import { addressKind, type AddressKind } from './ip-ranges.js';
import { isLoopbackHost } from './loopback.js';

/**
 * The one SSRF policy for every URL a user gives PlanBridge (ADO, PWA, Dataverse, Graph, webhooks).
 * `checkUrl` judges the text and the resolved addresses up front, so a person gets a clear answer
 * when connecting; `guarded-agent.ts` applies the same address rules again at connect time, so the
 * address a socket reaches is always one this module approved (no DNS rebinding in between).
 */

export interface UrlPolicy {
  /**
   * Local mode (no CLIENT_ID): http:// to loopback names, and loopback, private and link-local
   * addresses, so the simulators and a developer's own servers work.
   */
  localMode: boolean;
  /** PLANBRIDGE_ALLOW_PRIVATE_NETWORK: private ranges in authenticated mode; never loopback or metadata. */
  allowPrivateNetwork?: boolean;
}

/** Longest URL accepted; browsers and Azure front doors refuse longer ones anyway. */
export const MAX_URL_LENGTH = 2048;

export type Resolver = (host: string) => Promise<string[]>;
export const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

export type UnsafeUrlReason = 'invalid' | 'too-long' | 'scheme' | 'credentials' | 'address' | 'unresolvable' | 'redirect' | 'other-origin';

/** A URL PlanBridge will not call. The message names the host at most, never the full URL (it may hold a secret). */
export class UnsafeUrlError extends UserFacingError {
  constructor(readonly reason: UnsafeUrlReason, message: string) {
    super(`unsafe-url-${reason}`, message, { needsAttention: true });
  }
}

const KIND_LABEL: Record<AddressKind, string> = {
  public: 'public', private: 'private-network', loopback: 'loopback', 'link-local': 'link-local', metadata: 'cloud metadata', reserved: 'reserved',
};

/** Why an address may not be called under the policy, or undefined when it may. */
export function addressRefusal(address: string, policy: UrlPolicy): AddressKind | undefined {
  const kind = addressKind(address) ?? 'reserved';
  if (kind === 'public') return undefined;
  if (kind === 'metadata') return kind;
  if (policy.localMode) return undefined;
  if (kind === 'private' && policy.allowPrivateNetwork) return undefined;
  return kind;
}

/** The host as sockets want it: brackets off an IPv6 literal. */
export function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

function refuseAddress(host: string, address: string, kind: AddressKind, policy: UrlPolicy): UnsafeUrlError {
  const hint = kind === 'private' && !policy.allowPrivateNetwork
    ? ' Use the server\'s public address, or ask the PlanBridge administrator to set PLANBRIDGE_ALLOW_PRIVATE_NETWORK=true for servers on a private network.'
    : ' Use the server\'s public address.';
  const where = bareHost(host) === address ? `${host} is` : `${host} resolves to`;
  return new UnsafeUrlError('address', `${where} a private or internal address (${address}), a ${KIND_LABEL[kind]} address, which PlanBridge does not call${policy.localMode ? '' : ' from the cloud'}.${hint}`);
}

/**
 * Checks what can be judged without the network: length, scheme, credentials in the URL, and an
 * IP-literal host. Returns the parsed URL. `what` names the system in messages ("Azure DevOps").
 */
export function checkUrlText(input: string | URL, policy: UrlPolicy, what = 'the server'): URL {
  const text = typeof input === 'string' ? input.trim() : input.href;
  if (text.length > MAX_URL_LENGTH) throw new UnsafeUrlError('too-long', `The address of ${what} is longer than ${MAX_URL_LENGTH} characters. Use the site's base URL.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeUrlError('invalid', `That is not a valid URL for ${what}. Give the full address, starting with https://.`);
  }
  if (url.href.length > MAX_URL_LENGTH) throw new UnsafeUrlError('too-long', `The address of ${what} is longer than ${MAX_URL_LENGTH} characters. Use the site's base URL.`);
  // Before the scheme check: a refusal must never repeat the URL, and this one may hold a password.
  if (url.username || url.password) throw new UnsafeUrlError('credentials', `Do not put a user name or password in the address of ${what}; give credentials in their own fields.`);
  const loopbackName = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !(policy.localMode && loopbackName)) {
    throw new UnsafeUrlError('scheme', `Use https:// for ${what} (${url.host}); plain http is only accepted for a local simulator on loopback in local mode.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError('scheme', `Use an https:// address for ${what}, not ${url.protocol}//.`);
  const host = bareHost(url.hostname);
  // "localhost" is loopback by definition, whatever a resolver says.
  if (loopbackName && !policy.localMode) throw refuseAddress(url.hostname, isIP(host) ? host : '127.0.0.1', 'loopback', policy);
  if (isIP(host)) {
    const kind = addressRefusal(host, policy);
    if (kind) throw refuseAddress(url.hostname, host, kind, policy);
  }
  return url;
}

/**
 * Resolves a host and checks every address it has (a mixed answer is refused whole: a resolver
 * that hands out one private address among public ones is not trusted for the others).
 */
export async function resolveChecked(host: string, policy: UrlPolicy, resolve: Resolver = systemResolver): Promise<string[]> {
  const bare = bareHost(host);
  let addresses: string[];
  if (isIP(bare)) {
    addresses = [bare];
  } else {
    try {
      addresses = await resolve(bare);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new UnsafeUrlError('unresolvable', `The host ${host} could not be resolved. Check the spelling of the URL.`);
  }
  for (const address of addresses) {
    const kind = addressRefusal(address, policy);
    if (kind) throw refuseAddress(host, address, kind, policy);
  }
  return addresses;
}

/** Text and addresses: what a connect form calls before sending anything to the server. */
export async function checkUrl(input: string | URL, policy: UrlPolicy, options: { resolve?: Resolver; what?: string } = {}): Promise<URL> {
  const url = checkUrlText(input, policy, options.what);
  await resolveChecked(url.hostname, policy, options.resolve);
  return url;
}

/** The text with any user:password@ removed, for echoing a refused URL back into a form. */
export function withoutCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, (_m, scheme: string | undefined) => scheme ?? '');
}
