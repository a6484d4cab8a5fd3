import { addressKind } from '../../net/ip-ranges.js';
import { checkUrlText, resolveChecked, UnsafeUrlError, type Resolver, type UrlPolicy } from '../../net/url-safety.js';
import { AdoConnectorError } from './errors.js';

export type { Resolver };

/**
 * The three organization URL forms, normalized:
 * - Azure DevOps Services: https://dev.azure.com/{org}
 * - the older form:        https://{org}.visualstudio.com
 * - Azure DevOps Server:   https://{server}/tfs/{collection} (or another path to a collection)
 */
export interface AdoOrgUrl {
  kind: 'services' | 'visualstudio' | 'server';
  /** Normalized, no trailing slash. */
  url: string;
  /** Organization (Services) or collection (Server) name. */
  name: string;
  host: string;
}

const invalid = (message: string) => new AdoConnectorError('invalid-url', message);
export function parseAdoUrl(input: string, options: { localMode: boolean }): AdoOrgUrl {
  let text = input.trim();
  if (!text) throw invalid('Give the Azure DevOps organization URL, e.g. https://dev.azure.com/contoso.');
  if (/^[\w-]+$/.test(text)) {
    throw invalid(`"${text}" looks like an organization name, not a URL. Use https://dev.azure.com/${text}.`);
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `https://${text}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw invalid(`"${input.trim()}" is not a valid URL. Use the organization URL, e.g. https://dev.azure.com/contoso.`);
  }
  // Scheme, credentials, length and IP literals by the shared URL policy. Private literals wait for
  // `assertPublicHost`, which knows whether PLANBRIDGE_ALLOW_PRIVATE_NETWORK is set.
  try {
    checkUrlText(u, { localMode: options.localMode, allowPrivateNetwork: true }, 'Azure DevOps');
  } catch (err) {
    throw err instanceof UnsafeUrlError ? invalid(err.message) : err;
  }
  const host = u.hostname.toLowerCase();
  const segments = u.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const origin = `${u.protocol}//${u.host}`;
  const projectHint = (orgUrl: string, project: string) =>
    `This looks like a project URL (project "${project}"). Use the organization URL ${orgUrl}; you pick the project in the next step.`;

  if (host === 'dev.azure.com') {
    const [org, project] = segments;
    if (!org || org.startsWith('_')) throw invalid('The URL has no organization. Use https://dev.azure.com/{organization}, e.g. https://dev.azure.com/contoso.');
    const orgUrl = `${origin}/${encodeURIComponent(org)}`;
    if (project && project !== '_apis') throw invalid(projectHint(orgUrl, project));
    return { kind: 'services', url: orgUrl, name: org, host };
  }
  const vs = /^([a-z0-9][a-z0-9-]*)\.visualstudio\.com$/.exec(host);
  if (vs) {
    const rest = segments[0]?.toLowerCase() === 'defaultcollection' ? segments.slice(1) : segments;
    if (rest[0] && rest[0] !== '_apis') throw invalid(projectHint(origin, rest[0]));
    return { kind: 'visualstudio', url: origin, name: vs[1]!, host };
  }
  if (host.endsWith('.azure.com') || host === 'visualstudio.com') {
    throw invalid(`${host} is not an Azure DevOps organization address. Use https://dev.azure.com/{organization}.`);
  }
  // Azure DevOps Server: /tfs/{collection} by default; any other path names the collection itself.
  const cut = segments.findIndex((s) => s.startsWith('_'));
  const path = cut >= 0 ? segments.slice(0, cut) : segments;
  if (path.length === 0 || (path.length === 1 && path[0]!.toLowerCase() === 'tfs')) {
    throw invalid(`The URL has no collection. For Azure DevOps Server use https://${u.host}/tfs/{collection}, e.g. https://${u.host}/tfs/DefaultCollection.`);
  }
  const collectionDepth = path[0]!.toLowerCase() === 'tfs' ? 2 : 1;
  const collectionPath = path.slice(0, collectionDepth);
  const orgUrl = `${origin}/${collectionPath.map(encodeURIComponent).join('/')}`;
  if (path.length > collectionDepth) throw invalid(projectHint(orgUrl, path[collectionDepth]!));
  return { kind: 'server', url: orgUrl, name: collectionPath.at(-1)!, host };
}

/** True for addresses a hosted bot must never call: private, loopback, link-local, metadata, mapped and NAT64 forms of them. */
export function isPrivateAddress(address: string): boolean {
  return addressKind(address) !== 'public';
}

/**
 * Resolves the organization's host and checks every address by the shared URL policy. The agents
 * of the session check again at connect, so this is the early, explained refusal.
 */
export async function assertPublicHost(org: AdoOrgUrl, options: UrlPolicy & { resolve?: Resolver }): Promise<void> {
  try {
    await resolveChecked(org.host, options, options.resolve);
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    throw new AdoConnectorError(err.reason === 'unresolvable' ? 'unreachable' : 'invalid-url', err.message);
  }
}
