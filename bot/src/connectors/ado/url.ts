import { lookup } from 'node:dns/promises';
import { isLoopbackHost } from '../../net/loopback.js';
import { isIP } from 'node:net';
import { AdoConnectorError } from './errors.js';

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
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid(`Use an https:// URL for Azure DevOps, not ${u.protocol}//.`);
  if (u.username || u.password) throw invalid('Do not put credentials in the URL; give the personal access token separately.');
  const host = u.hostname.toLowerCase();
  if (u.protocol === 'http:' && !(options.localMode && isLoopbackHost(host))) {
    throw invalid(`Use https:// for Azure DevOps (${host}); plain http is only accepted for a local simulator on loopback in local mode.`);
  }
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

/** True for addresses a hosted bot must never call: private, loopback, link-local, CGNAT, metadata. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
      || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** In authenticated mode, refuses hosts that resolve to private or metadata addresses. */
export async function assertPublicHost(org: AdoOrgUrl, options: { localMode: boolean; allowPrivateNetwork?: boolean; resolve?: Resolver }): Promise<void> {
  if (options.localMode || options.allowPrivateNetwork) return;
  const host = org.host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? systemResolver)(host);
  } catch {
    throw new AdoConnectorError('unreachable', `The host ${org.host} could not be resolved. Check the spelling of the URL.`);
  }
  const bad = addresses.find(isPrivateAddress);
  if (bad !== undefined) {
    throw invalid(`${org.host} resolves to a private or internal address (${bad}), which PlanBridge does not call from the cloud. Use the server's public address, or ask the PlanBridge administrator to allow private-network Azure DevOps servers.`);
  }
}
