import { generateKeyPair, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import {
  bitString, boolean, explicit, implicitPrimitive, octetString, oid, sequence, set, smallInteger, time, unsignedInteger, utf8String, nullValue,
} from './der.js';

/**
 * A throw-away certificate authority and a server certificate it signs, made at simulator start.
 * MSAL refuses authorities that are not https, so the Entra simulator must serve TLS; clients
 * (the bot's MSAL network module, tests) trust `caPem` explicitly instead of the system store.
 */
export interface SimulatorTls {
  /** PEM of the CA certificate to trust. */
  caPem: string;
  /** Server certificate (PEM) for the names in `hosts`. */
  certPem: string;
  /** Private key (PKCS#8 PEM) of the server certificate. */
  keyPem: string;
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const EXT = { basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', extKeyUsage: '2.5.29.37', subjectAltName: '2.5.29.17' };
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

const makeKeyPair = promisify(generateKeyPair);

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(COMMON_NAME), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function altNames(hosts: string[]): Buffer {
  return sequence(...hosts.map((h) => (isIP(h) === 4
    ? implicitPrimitive(7, Buffer.from(h.split('.').map(Number)))
    : implicitPrimitive(2, Buffer.from(h, 'ascii')))));
}

interface CertificateRequest {
  subject: string;
  issuer: string;
  subjectKey: KeyObject;
  issuerKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function issue(req: CertificateRequest): X509Certificate {
  const algorithm = sequence(oid(SHA256_WITH_RSA), nullValue());
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive and minimal: a non-zero top byte
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    name(req.issuer),
    sequence(time(req.notBefore), time(req.notAfter)),
    name(req.subject),
    req.subjectKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...req.extensions)),
  );
  const signature = sign('sha256', tbs, req.issuerKey);
  return new X509Certificate(sequence(tbs, algorithm, bitString(signature)));
}

function pem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A CA valid for a year and a server certificate for `hosts` (IPv4 addresses or DNS names). */
export async function createSimulatorTls(hosts: string[] = ['127.0.0.1', 'localhost'], now = new Date()): Promise<SimulatorTls> {
  const [ca, server] = await Promise.all([
    makeKeyPair('rsa', { modulusLength: 2048 }),
    makeKeyPair('rsa', { modulusLength: 2048 }),
  ]);
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000);
  const caName = 'PlanBridge Entra simulator CA';
  const caCert = issue({
    subject: caName, issuer: caName, subjectKey: ca.publicKey, issuerKey: ca.privateKey, notBefore, notAfter,
    extensions: [
      extension(EXT.basicConstraints, true, sequence(boolean(true))),
      extension(EXT.keyUsage, true, bitString(Buffer.from([0x06]), 1)), // keyCertSign, cRLSign
    ],
  });
  const serverCert = issue({
    subject: hosts[0] ?? 'localhost', issuer: caName, subjectKey: server.publicKey, issuerKey: ca.privateKey, notBefore, notAfter,
    extensions: [
      extension(EXT.basicConstraints, true, sequence()),
      extension(EXT.keyUsage, true, bitString(Buffer.from([0xa0]), 5)), // digitalSignature, keyEncipherment
      extension(EXT.extKeyUsage, false, sequence(oid(SERVER_AUTH))),
      extension(EXT.subjectAltName, false, altNames(hosts)),
    ],
  });
  if (!serverCert.verify(ca.publicKey) || !serverCert.checkIssued(caCert)) {
    throw new Error('the simulator could not build a valid certificate chain');
  }
  return {
    caPem: pem(caCert.raw),
    certPem: pem(serverCert.raw),
    keyPem: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** A certificate and its private key, as an admin uploads the one and keeps the other. */
export interface ClientCertificate {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

/**
 * A self-signed certificate for a service principal's client assertion: Entra only needs its
 * public key uploaded to the app registration (certificate credentials), not a chain.
 */
export async function createClientCertificate(subject: string, now = new Date()): Promise<ClientCertificate> {
  const pair = await makeKeyPair('rsa', { modulusLength: 2048 });
  const cert = issue({
    subject, issuer: subject, subjectKey: pair.publicKey, issuerKey: pair.privateKey,
    notBefore: new Date(now.getTime() - 60 * 60 * 1000), notAfter: new Date(now.getTime() + 365 * 24 * 60 * 60 * 1000),
    extensions: [extension(EXT.keyUsage, true, bitString(Buffer.from([0x80]), 7))], // digitalSignature
  });
  return { certPem: pem(cert.raw), keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}
