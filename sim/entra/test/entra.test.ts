import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyJwt } from '../jwt.js';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../server.js';
import { call } from './https-client.js';

const RESOURCE = 'http://127.0.0.1:8082';
const REDIRECT = 'http://localhost:3978/auth/pwa/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('Entra ID simulator', () => {
  let entra: EntraSimulator;
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0 });
  });
  afterAll(async () => {
    await entra.close();
  });

  const authorizeUrl = (extra: Record<string, string> = {}): string => {
    const u = new URL(`${entra.authority}/oauth2/v2.0/authorize`);
    const p = { client_id: ENTRA_DEMO.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: `${RESOURCE}/Project.Write openid profile offline_access`, state: 'st-1', ...extra };
    for (const [k, v] of Object.entries(p)) u.searchParams.set(k, v);
    return u.href;
  };

  /** Posts the sign-in form as a browser would and returns where Entra redirects. */
  async function signIn(challenge: string, username: string = ENTRA_DEMO.user.username, password: string = ENTRA_DEMO.user.password, extra: Record<string, string> = {}) {
    const url = authorizeUrl({ code_challenge: challenge, code_challenge_method: 'S256', ...extra });
    const form = Object.fromEntries(new URL(url).searchParams);
    return call(url, entra.caPem, { form: { ...form, username, password, action: 'accept' } });
  }

  const redeem = (code: string, verifier: string, secret: string = ENTRA_DEMO.clientSecret) =>
    call(`${entra.authority}/oauth2/v2.0/token`, entra.caPem, {
      form: { client_id: ENTRA_DEMO.clientId, client_secret: secret, grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
    });

  const refresh = (refreshToken: string) =>
    call(`${entra.authority}/oauth2/v2.0/token`, entra.caPem, {
      form: { client_id: ENTRA_DEMO.clientId, client_secret: ENTRA_DEMO.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken, scope: `${RESOURCE}/Project.Write offline_access` },
    });

  it('serves HTTPS that only clients trusting its CA accept', async () => {
    await expect(call(`${entra.url}/organizations/v2.0/.well-known/openid-configuration`, '')).rejects.toThrow(/certificate/);
    const res = await call(`${entra.url}/organizations/v2.0/.well-known/openid-configuration`, entra.caPem);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      issuer: `${entra.url}/{tenantid}/v2.0`,
      token_endpoint: `${entra.url}/organizations/oauth2/v2.0/token`,
      code_challenge_methods_supported: ['S256'],
    });
    const keys = (await call(`${entra.url}/organizations/discovery/v2.0/keys`, entra.caPem)).json<{ keys: Array<{ kid: string; kty: string }> }>();
    expect(keys.keys[0]).toMatchObject({ kty: 'RSA', kid: entra.trust.keys[0]!.kid });
  });

  it('shows a sign-in page, then redirects with a code and the state echoed', async () => {
    const page = await call(authorizeUrl({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }), entra.caPem);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Sign in');
    const wrong = await signIn(pkce().challenge, ENTRA_DEMO.user.username, 'nope');
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('Your account or password is incorrect');
    const ok = await signIn(pkce().challenge);
    expect(ok.status).toBe(302);
    const location = new URL(String(ok.headers.location));
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it('refuses unknown clients and unregistered redirect URIs on its own page, not by redirecting', async () => {
    const badClient = await call(authorizeUrl({ client_id: '00000000-0000-0000-0000-000000000000' }), entra.caPem);
    expect(badClient.status).toBe(400);
    expect(badClient.text).toContain('AADSTS700016');
    const badRedirect = await call(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), entra.caPem);
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.text).toContain('AADSTS50011');
  });

  it('requires PKCE with S256 and reports it to the redirect URI', async () => {
    const none = await call(authorizeUrl(), entra.caPem);
    expect(new URL(String(none.headers.location)).searchParams.get('error')).toBe('invalid_request');
    const plain = await call(authorizeUrl({ code_challenge: pkce().verifier, code_challenge_method: 'plain' }), entra.caPem);
    expect(new URL(String(plain.headers.location)).searchParams.get('error_description')).toContain('S256');
  });

  it('issues signed tokens for the resource from a code, once, and only with the right verifier and secret', async () => {
    const { verifier, challenge } = pkce();
    const code = new URL(String((await signIn(challenge, undefined, undefined, { nonce: 'n-1' })).headers.location)).searchParams.get('code')!;

    const badSecret = await redeem(code, verifier, 'wrong');
    expect(badSecret.status).toBe(401);
    expect(badSecret.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });

    const badVerifier = await redeem(code, pkce().verifier);
    expect(badVerifier.json()).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    // A failed redemption still used the code up, as Entra does.
    const again = await redeem(code, verifier);
    expect(again.json()).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });

    const fresh = pkce();
    const code2 = new URL(String((await signIn(fresh.challenge, undefined, undefined, { nonce: 'n-2' })).headers.location)).searchParams.get('code')!;
    const res = await redeem(code2, fresh.verifier);
    expect(res.status).toBe(200);
    const body = res.json<{ access_token: string; id_token: string; refresh_token: string; scope: string; expires_in: number }>();
    expect(body.scope).toContain(`${RESOURCE}/Project.Write`);
    const access = verifyJwt(body.access_token, [entra.trust], RESOURCE);
    expect(access).toMatchObject({ ok: true, claims: { aud: RESOURCE, upn: ENTRA_DEMO.user.username, scp: 'Project.Write', tid: ENTRA_DEMO.tenantId } });
    expect(verifyJwt(body.access_token, [entra.trust], 'https://other.example')).toMatchObject({ ok: false, reason: 'wrong-audience' });
    const id = verifyJwt(body.id_token, [entra.trust], ENTRA_DEMO.clientId);
    expect(id).toMatchObject({ ok: true, claims: { nonce: 'n-2', preferred_username: ENTRA_DEMO.user.username } });
    expect(body.refresh_token).toBeTruthy();
  });

  it('rotates refresh tokens and treats reuse of a rotated one as theft (invalid_grant, family revoked)', async () => {
    const { verifier, challenge } = pkce();
    const code = new URL(String((await signIn(challenge)).headers.location)).searchParams.get('code')!;
    const first = (await redeem(code, verifier)).json<{ refresh_token: string }>().refresh_token;
    const second = (await refresh(first)).json<{ refresh_token: string; access_token: string }>();
    expect(second.refresh_token).not.toBe(first);
    expect(verifyJwt(second.access_token, [entra.trust], RESOURCE).ok).toBe(true);

    const reuse = await refresh(first);
    expect(reuse.status).toBe(400);
    expect(reuse.json()).toMatchObject({ error: 'invalid_grant', suberror: 'bad_token' });
    // The rightful holder's newer token died with the family.
    expect((await refresh(second.refresh_token)).json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
  });

  it('refuses refresh tokens after "revoke sessions" and after their lifetime', async () => {
    let clock = Date.now();
    const short = await startEntraSimulator({ port: 0, autoSignIn: true, refreshTokenLifetimeSeconds: 60, now: () => clock });
    try {
      const getRt = async () => {
        const { verifier, challenge } = pkce();
        const u = new URL(`${short.authority}/oauth2/v2.0/authorize`);
        for (const [k, v] of Object.entries({ client_id: ENTRA_DEMO.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: `${RESOURCE}/Project.Write offline_access openid`, code_challenge: challenge, code_challenge_method: 'S256' })) u.searchParams.set(k, v);
        const code = new URL(String((await call(u.href, short.caPem)).headers.location)).searchParams.get('code')!;
        const res = await call(`${short.authority}/oauth2/v2.0/token`, short.caPem, {
          form: { client_id: ENTRA_DEMO.clientId, client_secret: ENTRA_DEMO.clientSecret, grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
        });
        return res.json<{ refresh_token: string }>().refresh_token;
      };
      const use = (rt: string) => call(`${short.authority}/oauth2/v2.0/token`, short.caPem, {
        form: { client_id: ENTRA_DEMO.clientId, client_secret: ENTRA_DEMO.clientSecret, grant_type: 'refresh_token', refresh_token: rt },
      });
      const revoked = await getRt();
      expect(short.revokeSessions(ENTRA_DEMO.user.username)).toBe(1);
      expect((await use(revoked)).json()).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });

      const old = await getRt();
      clock += 61_000;
      expect((await use(old)).json()).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });
    } finally {
      await short.close();
    }
  });
});
