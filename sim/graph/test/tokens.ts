import { generateKeyPairSync } from 'node:crypto';
import { signJwt, type TrustedIssuer } from '../../entra/jwt.js';
import { GRAPH_RESOURCE } from '../server.js';

/**
 * A stand-in token issuer for tests that need what the Entra simulator cannot mint yet: app-only
 * tokens with Graph application permissions in `roles`, and tokens with chosen `scp`.
 */
export class TestIssuer {
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly issuer = 'https://login.test.invalid/7a3c9d52-1e4b-4f6a-9c2d-5b8e0f1a2c3d/v2.0';
  readonly trust: TrustedIssuer = { issuer: this.issuer, keys: [{ kid: 'test', jwk: { ...this.key.publicKey.export({ format: 'jwk' }), kid: 'test' } }] };

  private sign(claims: Record<string, unknown>, lifetime = 3600): string {
    const iat = Math.floor(Date.now() / 1000);
    return signJwt({ iss: this.issuer, aud: GRAPH_RESOURCE, iat, nbf: iat, exp: iat + lifetime, ver: '2.0', ...claims }, this.key.privateKey, 'test');
  }

  app(appId: string, roles: string[], extra: Record<string, unknown> = {}): string {
    return this.sign({ appid: appId, azp: appId, oid: appId, sub: appId, idtyp: 'app', roles, ...extra });
  }

  delegated(upn: string, scopes: string[], appId: string, extra: Record<string, unknown> = {}): string {
    return this.sign({ upn, preferred_username: upn, scp: scopes.join(' '), appid: appId, azp: appId, ...extra });
  }
}
