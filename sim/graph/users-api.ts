import { directoryAccess, requireMe, type Caller } from './auth.js';
import { USER_BASIC_PROPERTIES, USER_DEFAULT_PROPERTIES, userResource, type Directory, type GraphUser } from './directory.js';
import { graphErrors } from './errors.js';
import { checkFilter, evaluate, FilterSyntaxError, FilterUnsupportedError, parseFilter, type FilterRules } from './filter.js';
import { ok, type GraphRequest, type GraphResponse } from './wire.js';

/**
 * Directory reads: `/users?$filter=mail eq '..'` (or `startswith(displayName,'..')`,
 * `userPrincipalName eq '..'`, `in (...)`), `/users/{id | userPrincipalName}` and `/me`. Without
 * `ConsistencyLevel: eventual` the directory answers only the basic operators; the rest is refused
 * with Request_UnsupportedQuery, as Entra ID does. Pages of 100 by default, at most 999, with
 * an opaque `$skiptoken`; no `$skip`.
 */
const USER_FILTER_RULES: FilterRules = {
  paths: new Set(['id', 'mail', 'userPrincipalName', 'displayName', 'givenName', 'surname', 'jobTitle']),
  operators: new Set(['eq', 'in', 'and', 'or']),
  functions: new Set(['startswith']),
  lambdas: {},
};
const USER_PAGE = { default: 100, max: 999 } as const;

function select(req: GraphRequest, access: 'full' | 'basic'): string[] {
  const raw = req.query.get('$select');
  const allowed = access === 'basic' ? USER_BASIC_PROPERTIES : USER_DEFAULT_PROPERTIES;
  if (raw === null) return allowed;
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((n) => {
    const known = USER_DEFAULT_PROPERTIES.find((p) => p.toLowerCase() === n.toLowerCase());
    if (!known) throw graphErrors.unknownSelect(n, 'microsoft.graph.user');
    return known;
  }).filter((n) => allowed.includes(n));
}

function project(u: GraphUser, names: string[]): Record<string, unknown> {
  const all = userResource(u);
  return Object.fromEntries(names.map((n) => [n, all[n]]));
}

function filterUsers(raw: string | null): (u: GraphUser) => boolean {
  if (raw === null) return () => true;
  try {
    const node = parseFilter(raw);
    checkFilter(node, USER_FILTER_RULES);
    return (u) => evaluate(node, (p) => (userResource(u) as Record<string, unknown>)[p[0]!]) === true;
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw graphErrors.badFilter(err.message);
    if (err instanceof FilterUnsupportedError) throw graphErrors.directoryFilter(err.message);
    throw err;
  }
}

export function listUsers(req: GraphRequest, caller: Caller, directory: Directory, base: string): GraphResponse {
  const access = directoryAccess(caller);
  if (req.query.has('$skip')) throw graphErrors.badQuery("'$skip' is not supported by the service.");
  const topRaw = req.query.get('$top');
  const top = topRaw === null ? USER_PAGE.default : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > USER_PAGE.max) throw graphErrors.badQuery(`Invalid page size specified: '${topRaw}'. Must be between 1 and ${USER_PAGE.max} inclusive.`);
  const token = req.query.get('$skiptoken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^skip:/, ''));
  if (!Number.isInteger(offset) || offset < 0) throw graphErrors.badQuery('The $skiptoken is not valid.');
  const names = select(req, access);
  const matching = directory.users.filter(filterUsers(req.query.get('$filter')));
  const body: Record<string, unknown> = { '@odata.context': `${base}/$metadata#users${req.query.has('$select') ? `(${names.join(',')})` : ''}` };
  if (offset + top < matching.length) {
    const next = new URLSearchParams(req.query);
    next.set('$skiptoken', Buffer.from(`skip:${offset + top}`).toString('base64url'));
    body['@odata.nextLink'] = `${base}${req.path}?${next.toString().replace(/%24/g, '$')}`;
  }
  body.value = matching.slice(offset, offset + top).map((u) => project(u, names));
  return ok(200, body);
}

export function getUser(req: GraphRequest, caller: Caller, directory: Directory, base: string, key: string): GraphResponse {
  const self = caller.kind === 'delegated' && (key.toLowerCase() === caller.user.id || key.toLowerCase() === caller.user.userPrincipalName.toLowerCase());
  const access = self ? (requireMe(caller), 'full' as const) : directoryAccess(caller);
  const user = directory.find(key);
  if (!user) throw graphErrors.userNotFound(key);
  return ok(200, { '@odata.context': `${base}/$metadata#users/$entity`, ...project(user, select(req, access)) });
}

export function getMe(req: GraphRequest, caller: Caller, base: string): GraphResponse {
  const user = requireMe(caller);
  return ok(200, { '@odata.context': `${base}/$metadata#users/$entity`, ...project(user, select(req, 'full')) });
}
