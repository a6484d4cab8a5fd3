import { constants, createHash, randomUUID, sign, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientCertificate, type ClientCertificate } from '../certificate.js';
import { verifyJwt } from '../jwt.js';
import { AZURE_DEVOPS_RESOURCE, ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../server.js';
import { call } from './https-client.js';

const SP = ENTRA_DEMO.adoServicePrincipal;
const ADO_SCOPE = `${AZURE_DEVOPS_RESOURCE}/.default`;
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A client assertion as MSAL builds one: RS256 + x5t (SHA-1) or PS256 + x5t#S256. */
function assertion(cert: ClientCertificate, audience: string, options: { alg?: 'RS256' | 'PS256'; iss?: string; exp?: number } = {}): string {
  const alg = options.alg ?? 'RS256';
  const x509 = new X509Certificate(cert.certPem);
  const thumb = (alg === 'PS256' ? x509.fingerprint256 : x509.fingerprint).replace(/:/g, '');
  const header = { alg, typ: 'JWT', [alg === 'PS256' ? 'x5t#S256' : 'x5t']: Buffer.from(thumb, 'hex').toString('base64url') };
  const now = Math.floor(Date.now() / 1000);
  const payload = { aud: audience, iss: options.iss ?? SP.clientId, sub: options.iss ?? SP.clientId, jti: randomUUID(), nbf: now, exp: options.exp ?? now + 600 };
  const data = `${b64(header)}.${b64(payload)}`;
  const key = alg === 'PS256' ? { key: cert.keyPem, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : cert.keyPem;
  return `${data}.${sign('sha256', Buffer.from(data), key).toString('base64url')}`;
}

describe('Entra ID simulator: client credentials (service principals)', () => {
  let entra: EntraSimulator;
  let tokenUrl: string;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
    tokenUrl = `${entra.url}/${ENTRA_DEMO.tenantId}/oauth2/v2.0/token`;
  });
  afterAll(async () => { await entra.close(); });

  const post = (form: Record<string, string>) => call(tokenUrl, entra.caPem, { form: { grant_type: 'client_credentials', client_id: SP.clientId, scope: ADO_SCOPE, ...form } });

  it('issues an app-only token for Azure DevOps to a client secret', async () => {
    const res = await post({ client_secret: SP.clientSecret });
    expect(res.status).toBe(200);
    const body = res.json<{ access_token: string; expires_in: number; token_type: string; refresh_token?: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(body.refresh_token).toBeUndefined();
    const check = verifyJwt(body.access_token, [entra.trust], AZURE_DEVOPS_RESOURCE);
    expect(check.ok && check.claims).toMatchObject({ aud: AZURE_DEVOPS_RESOURCE, oid: SP.objectId, appid: SP.clientId, idtyp: 'app', appidacr: '1', tid: ENTRA_DEMO.tenantId });
    // The resource's URI names the same resource.
    const byUri = await post({ client_secret: SP.clientSecret, scope: 'https://app.vssps.visualstudio.com/.default' });
    expect(verifyJwt(byUri.json<{ access_token: string }>().access_token, [entra.trust], AZURE_DEVOPS_RESOURCE).ok).toBe(true);
  });

  it('issues one to a certificate assertion, RS256 + x5t or PS256 + x5t#S256', async () => {
    for (const alg of ['RS256', 'PS256'] as const) {
      const res = await post({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion(entra.adoServicePrincipalCertificate, tokenUrl, { alg }) });
      expect(res.status, res.text).toBe(200);
      const check = verifyJwt(res.json<{ access_token: string }>().access_token, [entra.trust], AZURE_DEVOPS_RESOURCE);
      expect(check.ok && check.claims.appidacr).toBe('2');
    }
  });

  it('refuses what Entra refuses, with its codes', async () => {
    const cases: Array<[Record<string, string>, number, number]> = [
      [{ client_secret: 'wrong' }, 401, 7000215],
      [{ client_secret: SP.clientSecret, client_id: randomUUID() }, 400, 700016],
      [{ client_secret: SP.clientSecret, scope: `${AZURE_DEVOPS_RESOURCE}/user_impersonation` }, 400, 1002012],
      [{ client_secret: SP.clientSecret, scope: `${randomUUID()}/.default` }, 400, 500011],
      // A resource URI no service principal in the tenant answers to.
      [{ client_secret: SP.clientSecret, scope: 'https://anything.example/.default' }, 400, 500011],
      [{}, 401, 7000218],
    ];
    for (const [form, status, code] of cases) {
      const res = await post(form);
      expect(res.status, JSON.stringify(form)).toBe(status);
      expect(res.json<{ error_codes: number[] }>().error_codes).toEqual([code]);
    }
  });

  it('refuses an assertion signed by a certificate not uploaded, for another audience, or expired', async () => {
    const stranger = await createClientCertificate('not uploaded');
    const jwtBearer = { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' };
    const unknownKey = await post({ ...jwtBearer, client_assertion: assertion(stranger, tokenUrl) });
    expect(unknownKey.status).toBe(401);
    expect(unknownKey.json<{ error_description: string }>().error_description).toMatch(/AADSTS700027: .*The key was not found/);
    const wrongAud = await post({ ...jwtBearer, client_assertion: assertion(entra.adoServicePrincipalCertificate, 'https://elsewhere.example/token') });
    expect(wrongAud.json<{ error_codes: number[] }>().error_codes).toEqual([700023]);
    const old = await post({ ...jwtBearer, client_assertion: assertion(entra.adoServicePrincipalCertificate, tokenUrl, { exp: Math.floor(Date.now() / 1000) - 3600 }) });
    expect(old.json<{ error_codes: number[] }>().error_codes).toEqual([700024]);
    // Once uploaded, the same certificate works.
    entra.addCertificate(SP.clientId, stranger.certPem);
    expect((await post({ ...jwtBearer, client_assertion: assertion(stranger, tokenUrl) })).status).toBe(200);
  });

  it('advertises private_key_jwt', async () => {
    const res = await call(`${entra.url}/${ENTRA_DEMO.tenantId}/v2.0/.well-known/openid-configuration`, entra.caPem);
    expect(res.json<{ token_endpoint_auth_methods_supported: string[] }>().token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(createHash('sha256').update(entra.adoServicePrincipalCertificate.certPem).digest('hex')).toHaveLength(64);
  });
});
