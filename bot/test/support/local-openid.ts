import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { PUBLIC, type CloudEnvironment } from '@microsoft/teams.api';

/**
 * Plays login.botframework.com for tests: OpenID metadata and a JWKS on loopback, plus a signer
 * for Bot Connector-style tokens. Nothing leaves the machine.
 */
export class LocalOpenId {
  private server?: Server;
  private privateKey?: CryptoKey;
  private jwk?: JWK;
  readonly kid = 'local-test-key';
  url = '';

  async start(): Promise<this> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = privateKey;
    this.jwk = { ...(await exportJWK(publicKey)), kid: this.kid, use: 'sig', alg: 'RS256' };
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(JSON.stringify({ issuer: PUBLIC.tokenIssuer, jwks_uri: `${this.url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
      } else if (req.url === '/v1/.well-known/keys') {
        res.end(JSON.stringify({ keys: [this.jwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The public cloud, with OpenID metadata pointed at this server. */
  cloud(): CloudEnvironment {
    return { ...PUBLIC, openIdMetadataUrl: `${this.url}/v1/.well-known/openidconfiguration` };
  }

  /** A Bot Connector token; override claims or the signing key to make it bad. */
  async token(claims: { aud: string; serviceurl?: string; iss?: string }, signWith?: CryptoKey): Promise<string> {
    const { iss = PUBLIC.tokenIssuer, ...rest } = claims;
    return new SignJWT(rest)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(iss)
      .setIssuedAt()
      .setNotBefore('-1m')
      .setExpirationTime('10m')
      .sign(signWith ?? this.privateKey!);
  }
}

/** A key the local server does not publish, for wrong-signature tokens. */
export async function strangerKey(): Promise<CryptoKey> {
  return (await generateKeyPair('RS256')).privateKey;
}
