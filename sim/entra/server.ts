import { createHash, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { createClientCertificate, createSimulatorTls, type ClientCertificate, type SimulatorTls } from './certificate.js';
import { checkClientAssertion, JWT_BEARER } from './client-assertion.js';
import { appOnlyAudience, appOnlyClaims, ClientCredentialsError } from './client-credentials.js';
import { demoEntraDirectory, ENTRA_DEMO, GRAPH_RESOURCE, knowsTenant, redirectUriAllowed, type EntraApp, type EntraDirectory, type EntraUser } from './directory.js';
import { GrantStore, isFailure, type GrantFailure } from './grants.js';
import { signJwt, type SigningKey, type TrustedIssuer } from './jwt.js';
import { errorPage, signInPage } from './pages.js';
import { resolveScopes, ScopeError, scopeString, type ScopeGrant } from './scopes.js';
import { readBody } from '../shared/http.js';

export { ENTRA_DEMO } from './directory.js';
export { AZURE_DEVOPS_RESOURCE } from './client-credentials.js';
export type { ClientCertificate } from './certificate.js';
export type { TrustedIssuer } from './jwt.js';

/**
 * A local Microsoft Entra ID (v2.0 endpoints) for offline runs and tests: OpenID discovery,
 * instance discovery, authorize (a sign-in page, or automatic sign-in), token (authorization_code
 * with PKCE S256, refresh_token with rotation, client_credentials with a secret or a certificate
 * assertion), JWKS. HTTPS only, because MSAL refuses anything
 * else: the certificate is made at start and clients trust `caPem`.
 */
export interface EntraSimulatorOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Access token lifetime (default 3600 s, within Entra's 60-90 minutes). */
  accessTokenLifetimeSeconds?: number;
  /** Refresh token inactivity lifetime (default 90 days). */
  refreshTokenLifetimeSeconds?: number;
  /** Skip the sign-in page: sign in `login_hint` (or the demo user) at once, as a remembered session would. */
  autoSignIn?: boolean;
  /** Clock seam; default Date.now. */
  now?: () => number;
  /** Also write the CA certificate (PEM) here, for a bot in another process (local mode reads `.data/entra-sim/ca.pem`). */
  caFile?: string;
  /** Also write the demo ADO service principal's certificate + key (one PEM) here, to paste into the connect card. */
  servicePrincipalPemFile?: string;
}

export interface EntraSimulator {
  /** e.g. https://127.0.0.1:8083 */
  url: string;
  /** Authority for the demo tenant's multi-tenant alias: `${url}/organizations`. */
  authority: string;
  /** PEM of the CA that signed the server certificate; trust it to call the simulator. */
  caPem: string;
  /** What a resource server needs to accept this simulator's access tokens. */
  trust: TrustedIssuer;
  readonly directory: EntraDirectory;
  readonly grants: GrantStore;
  /**
   * An access token exactly as the token endpoint would issue it, without a sign-in: for curl
   * demos and tests that vary the audience, user or issue time.
   */
  mintAccessToken(options: { audience: string; username?: string; issuedAt?: number; permissions?: string[] }): string;
  /**
   * An app-only token as client_credentials would issue it, for tests that vary the app, audience
   * or issue time (an expired token, a token for another resource). It carries the app's granted
   * application permissions for that audience in `roles`.
   */
  mintAppToken(options: { clientId: string; audience: string; issuedAt?: number; lifetimeSeconds?: number }): string;
  /** The demo ADO service principal's certificate and key, made at start (its PEM is registered on the app). */
  readonly adoServicePrincipalCertificate: ClientCertificate;
  /** Uploads a certificate (PEM) to an app registration, as "Certificates & secrets" does. */
  addCertificate(clientId: string, certPem: string): void;
  /** Revokes every refresh token of a user (the admin center's "Revoke sessions"). */
  revokeSessions(username: string): number;
  setAutoSignIn(on: boolean): void;
  close(): Promise<void>;
}

const OIDC_PATH = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const AUTHORIZE_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
const KEYS_PATH = /^\/([^/]+)\/discovery\/(?:v2\.0\/)?keys$/;
const INSTANCE_PATH = /^\/([^/]+)\/discovery\/instance$/;

class OAuthError extends Error {
  constructor(readonly status: number, readonly error: string, readonly aadsts: number, description: string, readonly suberror?: string) {
    super(description);
  }
}

export async function startEntraSimulator(options: EntraSimulatorOptions = {}): Promise<EntraSimulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => Date.now());
  const accessLifetime = options.accessTokenLifetimeSeconds ?? 3600;
  let autoSignIn = options.autoSignIn ?? false;
  const directory = demoEntraDirectory();
  const grants = new GrantStore(now, 600, options.refreshTokenLifetimeSeconds ?? 90 * 24 * 3600);
  const tls: SimulatorTls = await createSimulatorTls(host === 'localhost' ? ['localhost', '127.0.0.1'] : [host, 'localhost']);
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spCertificate = await createClientCertificate(ENTRA_DEMO.adoServicePrincipal.displayName);
  directory.apps.find((a) => a.clientId === ENTRA_DEMO.adoServicePrincipal.clientId)!.certificates!.push(spCertificate.certPem);
  const kid = createHash('sha256').update(signing.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27);
  const signingKey: SigningKey = { kid, jwk: { ...signing.publicKey.export({ format: 'jwk' }), kid, use: 'sig', kty: 'RSA' } };
  let origin = '';
  const issuer = (): string => `${origin}/${directory.tenantId}/v2.0`;

  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const path = url.pathname;
    let m: RegExpExecArray | null;
    if (path === '/_sim/state' && method === 'GET') return json(res, 200, { activeRefreshTokens: grants.activeRefreshTokens, autoSignIn });
    if (path === '/_sim/revoke' && method === 'POST') {
      const body = new URLSearchParams(await readBody(req));
      return json(res, 200, { revoked: grants.revokeUser(body.get('username') ?? '') });
    }
    if ((m = OIDC_PATH.exec(path)) && method === 'GET') return openIdConfiguration(res, m[1]!);
    if ((m = INSTANCE_PATH.exec(path)) && method === 'GET') return instanceDiscovery(res, url);
    if ((m = KEYS_PATH.exec(path)) && method === 'GET') return json(res, 200, { keys: [signingKey.jwk] });
    if ((m = AUTHORIZE_PATH.exec(path)) && (method === 'GET' || method === 'POST')) {
      const params = method === 'GET' ? url.searchParams : new URLSearchParams(await readBody(req));
      return authorize(res, m[1]!, params, method === 'POST');
    }
    if ((m = TOKEN_PATH.exec(path)) && method === 'POST') {
      try {
        return json(res, 200, await tokenEndpoint(req, m[1]!, new URLSearchParams(await readBody(req))));
      } catch (err) {
        if (err instanceof OAuthError) return oauthError(res, err);
        throw err;
      }
    }
    json(res, 404, { error: 'not_found', error_description: `No endpoint at ${path}.` });
  }

  function openIdConfiguration(res: ServerResponse, tenant: string): void {
    if (!knowsTenant(directory, tenant)) {
      return json(res, 400, { error: 'invalid_tenant', error_description: `AADSTS90002: Tenant '${tenant}' not found.`, error_codes: [90002] });
    }
    // Multi-tenant aliases advertise a templated issuer, as the real endpoint does.
    const tenantIssuer = tenant === 'organizations' || tenant === 'common' ? `${origin}/{tenantid}/v2.0` : issuer();
    json(res, 200, {
      issuer: tenantIssuer,
      authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
      end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
      jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'preferred_username', 'oid', 'tid', 'nonce'],
      tenant_region_scope: 'EU',
      cloud_instance_name: new URL(origin).host,
    });
  }

  function instanceDiscovery(res: ServerResponse, url: URL): void {
    const hostAndPort = new URL(origin).host;
    json(res, 200, {
      tenant_discovery_endpoint: `${origin}/${directory.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': url.searchParams.get('api-version') ?? '1.1',
      metadata: [{ preferred_network: hostAndPort, preferred_cache: hostAndPort, aliases: [hostAndPort] }],
    });
  }

  function authorize(res: ServerResponse, tenant: string, params: URLSearchParams, posted: boolean): void {
    // Problems with the tenant, client or redirect URI are shown here: redirecting would help an attacker.
    if (!knowsTenant(directory, tenant)) return html(res, 400, errorPage(`AADSTS90002: Tenant '${tenant}' not found.`));
    const app = directory.apps.find((a) => a.clientId === params.get('client_id'));
    if (!app) return html(res, 400, errorPage(`AADSTS700016: Application with identifier '${params.get('client_id') ?? ''}' was not found in the directory '${directory.tenantDomain}'.`));
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!redirectUriAllowed(app, redirectUri)) {
      return html(res, 400, errorPage(`AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`));
    }
    const back = (query: Record<string, string>): void => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
      const state = params.get('state');
      if (state !== null) target.searchParams.set('state', state);
      res.writeHead(302, { location: target.href, 'cache-control': 'no-store' });
      res.end();
    };
    const refuse = (error: string, description: string): void => back({ error, error_description: description });
    if (params.get('response_type') !== 'code') return refuse('unsupported_response_type', 'AADSTS700054: response_type must be "code" for this application.');
    let grant: ScopeGrant;
    try {
      grant = resolveScopes(params.get('scope') ?? '', app);
    } catch (err) {
      if (err instanceof ScopeError) return refuse('invalid_scope', err.message);
      throw err;
    }
    const challenge = params.get('code_challenge') ?? undefined;
    if (!challenge) return refuse('invalid_request', 'AADSTS9002325: Proof Key for Code Exchange is required for this application.');
    if ((params.get('code_challenge_method') ?? 'plain') !== 'S256') return refuse('invalid_request', 'AADSTS501491: Invalid code_challenge_method: only S256 is accepted.');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return refuse('invalid_request', 'AADSTS501491: The code_challenge is not a base64url SHA-256 value.');

    const issue = (user: EntraUser): void => {
      const code = grants.issueCode({ clientId: app.clientId, redirectUri, user, grant, codeChallenge: challenge, nonce: params.get('nonce') || undefined });
      back({ code, session_state: randomUUID() });
    };
    const hint = params.get('login_hint') ?? undefined;
    if (!posted) {
      if (params.get('prompt') === 'none' && !autoSignIn) return refuse('login_required', 'AADSTS50058: A silent sign-in request was sent but no user is signed in.');
      if (autoSignIn && params.get('prompt') !== 'login') {
        const user = directory.users.find((u) => u.username.toLowerCase() === (hint ?? ENTRA_DEMO.user.username).toLowerCase());
        if (user) return issue(user);
      }
      return html(res, 200, pageFor(app, grant, params, hint));
    }
    if (params.get('action') === 'cancel') return refuse('access_denied', 'AADSTS65004: User declined to consent to access the app.');
    const user = directory.users.find((u) => u.username.toLowerCase() === (params.get('username') ?? '').trim().toLowerCase());
    if (!user || !sameSecret(user.password, params.get('password') ?? '')) {
      return html(res, 200, pageFor(app, grant, params, params.get('username') ?? hint, 'Your account or password is incorrect. (AADSTS50126)'));
    }
    issue(user);
  }

  function pageFor(app: EntraApp, grant: ScopeGrant, params: URLSearchParams, hint?: string, error?: string): string {
    return signInPage({
      params, appName: `PlanBridge (${app.clientId})`, scopes: grant.permissions, resource: grant.resource, loginHint: hint, error,
      demoUsers: directory.users.map((u) => ({ username: u.username, password: u.password })),
    });
  }

  async function tokenEndpoint(req: IncomingMessage, tenant: string, form: URLSearchParams): Promise<Record<string, unknown>> {
    if (!knowsTenant(directory, tenant)) throw new OAuthError(400, 'invalid_request', 90002, `AADSTS90002: Tenant '${tenant}' not found.`);
    const client = authenticateClient(req, form, tenant);
    const app = client.app;
    switch (form.get('grant_type')) {
      case 'client_credentials': {
        let audience: string;
        try {
          audience = appOnlyAudience(form.get('scope') ?? '', directory.tenantDomain);
        } catch (err) {
          if (err instanceof ClientCredentialsError) throw new OAuthError(400, 'invalid_scope', err.aadsts, err.message);
          throw err;
        }
        const accessToken = appToken(app, audience, Math.floor(now() / 1000), accessLifetime, client.viaCertificate);
        return { token_type: 'Bearer', expires_in: accessLifetime, ext_expires_in: accessLifetime, access_token: accessToken };
      }
      case 'authorization_code': {
        const code = grants.redeemCode(form.get('code') ?? '', app.clientId, form.get('redirect_uri') ?? '', form.get('code_verifier') ?? undefined);
        if (isFailure(code)) throw grantError(code);
        return tokenResponse(app, code.user, code.grant, code.nonce);
      }
      case 'refresh_token': {
        const rt = grants.redeemRefreshToken(form.get('refresh_token') ?? '', app.clientId);
        if (isFailure(rt)) throw grantError(rt);
        let grant = rt.grant;
        const asked = form.get('scope');
        if (asked) {
          const wanted = resolveScopes(asked, app);
          const consented = wanted.resource === rt.grant.resource && wanted.permissions.every((p) => rt.grant.permissions.includes(p));
          if (!consented) {
            throw new OAuthError(400, 'invalid_grant', 65001, `AADSTS65001: The user or administrator has not consented to use the application with ID '${app.clientId}' for ${wanted.resource}/${wanted.permissions.join(' ')}.`, 'consent_required');
          }
          grant = { ...wanted, oidc: [...new Set([...wanted.oidc, ...rt.grant.oidc.filter((s) => s === 'offline_access')])] };
        }
        return tokenResponse(app, rt.user, grant, undefined, rt.family);
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', 70003, `AADSTS70003: The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`);
    }
  }

  /** client_secret_post, client_secret_basic or private_key_jwt (a certificate assertion), as Entra accepts all three. */
  function authenticateClient(req: IncomingMessage, form: URLSearchParams, tenant: string): { app: EntraApp; viaCertificate: boolean } {
    let clientId = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const app = directory.apps.find((a) => a.clientId === clientId);
    if (!app) throw new OAuthError(400, 'unauthorized_client', 700016, `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${directory.tenantDomain}'.`);
    const assertion = form.get('client_assertion');
    if (assertion && !secret) {
      if (form.get('client_assertion_type') !== JWT_BEARER) throw new OAuthError(400, 'invalid_request', 50027, `AADSTS50027: client_assertion_type must be ${JWT_BEARER}.`);
      const audiences = [tenant, directory.tenantId, directory.tenantDomain].flatMap((t) => [`${origin}/${t}/oauth2/v2.0/token`, `${origin}/${t}/oauth2/token`]);
      const check = checkClientAssertion(assertion, app, audiences, now());
      if (!check.ok) throw new OAuthError(401, 'invalid_client', check.aadsts, check.description);
      return { app, viaCertificate: true };
    }
    if (!secret) throw new OAuthError(401, 'invalid_client', 7000218, "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (!sameSecret(app.clientSecret, secret)) throw new OAuthError(401, 'invalid_client', 7000215, 'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    return { app, viaCertificate: false };
  }

  function appToken(app: EntraApp, audience: string, iat: number, lifetime: number, viaCertificate: boolean): string {
    return signJwt({ iss: issuer(), tid: directory.tenantId, ...appOnlyClaims(app, audience, iat, lifetime, viaCertificate), uti: randomBytes(16).toString('base64url') }, signing.privateKey, kid);
  }

  function identityClaims(app: EntraApp, user: EntraUser, iat: number): Record<string, unknown> {
    const sub = createHash('sha256').update(`${user.objectId}:${app.clientId}`).digest('base64url').slice(0, 43);
    return { iss: issuer(), iat, nbf: iat, tid: directory.tenantId, oid: user.objectId, sub, name: user.displayName, preferred_username: user.username };
  }

  function accessTokenFor(app: EntraApp, user: EntraUser, grant: ScopeGrant, iat: number): string {
    return signJwt({
      ...identityClaims(app, user, iat), aud: grant.resource, exp: iat + accessLifetime, upn: user.username, scp: grant.permissions.join(' '),
      azp: app.clientId, appid: app.clientId, ver: '2.0', uti: randomBytes(16).toString('base64url'),
    }, signing.privateKey, kid);
  }

  function tokenResponse(app: EntraApp, user: EntraUser, grant: ScopeGrant, nonce?: string, family?: string): Record<string, unknown> {
    const iat = Math.floor(now() / 1000);
    const common = identityClaims(app, user, iat);
    const accessToken = accessTokenFor(app, user, grant, iat);
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope: scopeString(grant),
      expires_in: accessLifetime,
      ext_expires_in: accessLifetime,
      access_token: accessToken,
    };
    if (grant.oidc.includes('openid')) {
      body.id_token = signJwt({ ...common, aud: app.clientId, exp: iat + 3600, ver: '2.0', ...(nonce ? { nonce } : {}) }, signing.privateKey, kid);
      body.client_info = Buffer.from(JSON.stringify({ uid: user.objectId, utid: directory.tenantId })).toString('base64url');
    }
    if (grant.oidc.includes('offline_access')) body.refresh_token = grants.issueRefreshToken(app.clientId, user, grant, family);
    return body;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `https://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  if (options.caFile) {
    await mkdir(dirname(options.caFile), { recursive: true });
    await writeFile(options.caFile, tls.caPem, 'utf8');
  }
  if (options.servicePrincipalPemFile) {
    await mkdir(dirname(options.servicePrincipalPemFile), { recursive: true });
    await writeFile(options.servicePrincipalPemFile, spCertificate.certPem + spCertificate.keyPem, { encoding: 'utf8', mode: 0o600 });
  }

  return {
    url: origin,
    authority: `${origin}/organizations`,
    caPem: tls.caPem,
    trust: { issuer: issuer(), keys: [signingKey] },
    directory,
    grants,
    mintAccessToken({ audience, username = ENTRA_DEMO.user.username, issuedAt = now(), permissions }) {
      const app = directory.apps[0]!;
      // Defaults to what `{audience}/.default` grants: Graph's permissions for Graph, SharePoint's otherwise.
      permissions ??= new URL(audience).origin === GRAPH_RESOURCE ? [...(app.graphPermissions ?? [])] : [...app.permissions];
      const user = directory.users.find((u) => u.username.toLowerCase() === username.toLowerCase())
        ?? { username, password: '', displayName: username, objectId: randomUUID() };
      return accessTokenFor(app, user, { resource: new URL(audience).origin, permissions, oidc: [] }, Math.floor(issuedAt / 1000));
    },
    mintAppToken({ clientId, audience, issuedAt = now(), lifetimeSeconds = accessLifetime }) {
      const app = directory.apps.find((a) => a.clientId === clientId)
        ?? { clientId, clientSecret: '', redirectUris: [], permissions: [], objectId: randomUUID() };
      return appToken(app, audience, Math.floor(issuedAt / 1000), lifetimeSeconds, false);
    },
    adoServicePrincipalCertificate: spCertificate,
    addCertificate(clientId, certPem) {
      const app = directory.apps.find((a) => a.clientId === clientId);
      if (!app) throw new Error(`no app ${clientId} in the simulated tenant`);
      (app.certificates ??= []).push(certPem);
    },
    revokeSessions: (username) => grants.revokeUser(username),
    setAutoSignIn: (on) => { autoSignIn = on; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function grantError(failure: GrantFailure): OAuthError {
  // Entra marks dead refresh tokens with suberror bad_token, which MSAL maps to "interaction required".
  const dead = [50173, 70000, 700082].includes(failure.aadsts);
  return new OAuthError(400, failure.error, failure.aadsts, failure.description, dead ? 'bad_token' : undefined);
}

function sameSecret(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
  res.end(body);
}

function oauthError(res: ServerResponse, err: OAuthError): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  json(res, err.status, {
    error: err.error,
    error_description: `${err.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    ...(err.suberror ? { suberror: err.suberror } : {}),
  });
}
