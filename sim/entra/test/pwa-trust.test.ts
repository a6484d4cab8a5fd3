import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPwaSimulator, PWA_DEMO_CREDENTIALS, type PwaSimulator } from '../../pwa/server.js';
import { signJwt } from '../jwt.js';
import { ENTRA_DEMO, startEntraSimulator, type EntraSimulator } from '../server.js';

/** The PWA simulator accepts the Entra simulator's access tokens as SharePoint Online would, and only those. */
describe('PWA simulator with Entra access tokens', () => {
  let entra: EntraSimulator;
  let pwa: PwaSimulator;
  const now = Date.now();
  beforeAll(async () => {
    entra = await startEntraSimulator({ port: 0, autoSignIn: true, now: () => now });
    pwa = await startPwaSimulator({ port: 0, trustedIssuers: [entra.trust] });
  });
  afterAll(async () => {
    await Promise.all([entra.close(), pwa.close()]);
  });

  const mint = (audience: string, username: string = ENTRA_DEMO.user.username, issuedAt = now): string =>
    entra.mintAccessToken({ audience, username, issuedAt });

  const projects = (token: string) =>
    fetch(`${pwa.url}/_api/ProjectServer/Projects`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });

  it('serves a valid token for the site, mapped to the PWA user', async () => {
    const res = await projects(mint(new URL(pwa.url).origin));
    expect(res.status).toBe(200);
    const canManage = async (username: string) => {
      const perms = await fetch(`${pwa.url}/_api/ProjectServer/UserPermissions`, { headers: { authorization: `Bearer ${mint(new URL(pwa.url).origin, username)}`, accept: 'application/json' } });
      const rows = ((await perms.json()) as { value: Array<{ Permission: string; HasPermission: boolean }> }).value;
      return rows.find((r) => r.Permission === 'ManageEnterpriseCustomFields')?.HasPermission;
    };
    expect(await canManage(ENTRA_DEMO.user.username)).toBe(true);
    expect(await canManage(ENTRA_DEMO.viewer.username)).toBe(false);
  });

  it('answers 401 to a token for another resource, an expired one, a forged one and an unknown account', async () => {
    const origin = new URL(pwa.url).origin;
    expect((await projects(mint('https://contoso.sharepoint.com'))).status).toBe(401);
    expect((await projects(mint(origin, ENTRA_DEMO.user.username, Date.now() - 2 * 3600_000))).status).toBe(401);
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = signJwt({ iss: entra.trust.issuer, aud: origin, upn: ENTRA_DEMO.user.username, exp: Math.floor(Date.now() / 1000) + 600 }, forger, entra.trust.keys[0]!.kid);
    expect((await projects(forged)).status).toBe(401);
    expect((await projects(mint(origin, 'stranger@contoso.onmicrosoft.com'))).status).toBe(401);
  });

  it('still accepts the static demo token', async () => {
    expect((await projects(PWA_DEMO_CREDENTIALS.bearerToken)).status).toBe(200);
  });
});
