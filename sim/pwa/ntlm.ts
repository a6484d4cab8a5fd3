import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  AV_FLAG_MIC_PRESENT, AvId, Flag, NtlmError, decodeAuthenticate, decodeAvPairs, decodeNegotiate, encodeChallenge, fileTime,
  fileTimeBytes, fileTimeToUnixMs, findAv, hasFlag, hmacMd5, messageIntegrityCode, messageType, ntlmv2Response, ntowfv2,
  parseNtlmv2Blob, versionBytes, withoutMic, type AvPair,
} from '../../bot/src/connectors/pwa/ntlm/index.js';

/**
 * Windows authentication (NTLM) as IIS serves it for Project Server Subscription Edition.
 * - A request with no credentials on an unauthenticated connection: 401 with
 *   `WWW-Authenticate: Negotiate` and `WWW-Authenticate: NTLM`.
 * - `Authorization: NTLM <negotiate>` (or `Negotiate <raw NTLMSSP>`): 401 with the CHALLENGE.
 * - `Authorization: NTLM <authenticate>` on the same connection: the NTLMv2 response (and MIC) is
 *   checked against the account's password; success binds the identity to the socket, and the
 *   request goes on. Later requests on that socket need no header (IIS's auth persistence).
 * Refused as a hardened server refuses: NTLMv1/LM responses, a challenge not issued on this
 * socket or used twice, a wrong MIC, a timestamp outside MaxLifetime. Kerberos (SPNEGO) is not
 * spoken: such a token gets the plain 401. The message codecs and NTLMv2 crypto are shared with the
 * client; both are pinned by MS-NLMP's own test vectors.
 */

export interface NtlmAccount {
  /** NetBIOS domain name, e.g. CONTOSO. */
  domain: string;
  /** DNS domain name, accepted as the domain and as a UPN suffix. */
  dnsDomain: string;
  username: string;
  password: string;
}

export interface NtlmIdentity {
  domain: string;
  username: string;
  /** `DOMAIN\user`, as SharePoint shows a Windows login. */
  login: string;
}

/** The default account of an `ntlmGate` made without `accounts` (the NTLM tests); the PWA simulator itself signs in `demo\pm` (auth.ts). */
export const NTLM_DEMO_ACCOUNT: NtlmAccount = Object.freeze({
  domain: 'CONTOSO',
  dnsDomain: 'contoso.local',
  username: 'pwa.admin',
  password: 'Pa$$w0rd-demo',
});

/** The names the CHALLENGE announces (the MsvAvNb... and MsvAvDns... pairs). */
export interface NtlmServerNames {
  netbiosComputer: string;
  netbiosDomain: string;
  dnsComputer: string;
  dnsDomain: string;
}

export const NTLM_DEMO_SERVER: NtlmServerNames = Object.freeze({
  netbiosComputer: 'PWA01', netbiosDomain: 'CONTOSO', dnsComputer: 'pwa01.contoso.local', dnsDomain: 'contoso.local',
});

/** MS-NLMP MaxLifetime for a challenge/response pair; Windows' default is 36 hours. */
export const NTLM_MAX_LIFETIME_MS = 36 * 3600_000;

/** What the server offers: NTLM with extended session security, target info and version. No
 *  key exchange, signing or sealing (not needed for HTTP; RC4 is missing from Node 22). */
const SERVER_FLAGS = (Flag.UNICODE | Flag.REQUEST_TARGET | Flag.NTLM | Flag.ALWAYS_SIGN | Flag.TARGET_TYPE_DOMAIN
  | Flag.EXTENDED_SESSIONSECURITY | Flag.TARGET_INFO | Flag.VERSION) >>> 0;

export interface NtlmGateOptions {
  accounts?: readonly NtlmAccount[];
  names?: NtlmServerNames;
  /** Extra `WWW-Authenticate` values for the first 401, e.g. `Basic realm="pwa"`. */
  alsoOffer?: readonly string[];
  /** Clock (ms), for tests. */
  now?: () => number;
  /** Told why a logon failed (for the simulator's request log; never sent to the client). */
  onFailure?: (reason: string) => void;
}

interface PendingChallenge {
  negotiate: Buffer;
  challenge: Buffer;
  serverChallenge: Buffer;
  scheme: string;
}

interface SocketState {
  pending?: PendingChallenge;
  identity?: NtlmIdentity;
}

/** NTLM authenticates the connection: state lives with the socket and dies with it. */
const sockets = new WeakMap<Socket, SocketState>();

const UNAUTHORIZED_BODY = '401 - Unauthorized: Access is denied due to invalid credentials.';

/** The Windows identity bound to this request's connection, if the handshake completed on it. */
export function ntlmIdentity(req: IncomingMessage): NtlmIdentity | undefined {
  return sockets.get(req.socket)?.identity;
}

function unauthorized(res: ServerResponse, req: IncomingMessage, challenges: readonly string[]): 'handled' {
  req.resume(); // drain any body so the connection stays usable for the next leg
  const body = Buffer.from(UNAUTHORIZED_BODY, 'utf8');
  res.writeHead(401, { 'content-type': 'text/html', 'content-length': String(body.length), 'www-authenticate': [...challenges] });
  res.end(body);
  return 'handled';
}

export function challengeFor(names: NtlmServerNames, now: number, serverChallenge = randomBytes(8)): Buffer {
  const pairs: AvPair[] = [
    { id: AvId.NB_DOMAIN_NAME, value: Buffer.from(names.netbiosDomain, 'utf16le') },
    { id: AvId.NB_COMPUTER_NAME, value: Buffer.from(names.netbiosComputer, 'utf16le') },
    { id: AvId.DNS_DOMAIN_NAME, value: Buffer.from(names.dnsDomain, 'utf16le') },
    { id: AvId.DNS_COMPUTER_NAME, value: Buffer.from(names.dnsComputer, 'utf16le') },
    { id: AvId.DNS_TREE_NAME, value: Buffer.from(names.dnsDomain, 'utf16le') },
    { id: AvId.TIMESTAMP, value: fileTimeBytes(fileTime(now)) },
  ];
  // Windows Server 2022 (10.0.20348), NTLM revision 15.
  return encodeChallenge({ flags: SERVER_FLAGS, serverChallenge, targetName: names.netbiosDomain, targetInfo: pairs, version: versionBytes(10, 0, 20348) });
}

/** The account a name pair designates: DOMAIN\user, dns.domain\user, a UPN, or a bare user name. */
function findAccount(accounts: readonly NtlmAccount[], user: string, domain: string): NtlmAccount | undefined {
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  return accounts.find((account) => {
    if (domain === '' && user.includes('@')) {
      const at = user.lastIndexOf('@');
      const suffix = user.slice(at + 1);
      return same(user.slice(0, at), account.username) && (same(suffix, account.dnsDomain) || same(suffix, account.domain));
    }
    return same(user, account.username) && (domain === '' || same(domain, account.domain) || same(domain, account.dnsDomain));
  });
}

export interface VerifyInput {
  pending: PendingChallenge;
  authenticate: Buffer;
  accounts: readonly NtlmAccount[];
  now: number;
}

export type VerifyResult = { ok: true; identity: NtlmIdentity } | { ok: false; reason: string };

/** Checks an AUTHENTICATE message against the challenge issued on this connection. */
export function verifyAuthenticate({ pending, authenticate, accounts, now }: VerifyInput): VerifyResult {
  const message = decodeAuthenticate(authenticate);
  if (!hasFlag(message.flags, Flag.UNICODE)) return { ok: false, reason: 'OEM strings refused' };
  if (hasFlag(message.flags, Flag.KEY_EXCH)) return { ok: false, reason: 'key exchange was not offered' };
  if (message.ntResponse.length <= 24) return { ok: false, reason: 'NTLMv1/LM responses refused (NTLMv2 only)' };
  const account = findAccount(accounts, message.user, message.domain);
  if (!account) return { ok: false, reason: `unknown account ${message.domain}\\${message.user}` };
  const proof = message.ntResponse.subarray(0, 16);
  const blob = message.ntResponse.subarray(16);
  const fields = parseNtlmv2Blob(blob);
  if (Math.abs(fileTimeToUnixMs(fields.timestamp) - now) > NTLM_MAX_LIFETIME_MS) return { ok: false, reason: 'response timestamp outside MaxLifetime' };
  // The key uses the names exactly as the client sent them (case of the domain included).
  const key = ntowfv2(account.password, message.user, message.domain);
  const expected = ntlmv2Response(key, pending.serverChallenge, blob);
  if (!timingSafeEqual(expected.proof, proof)) return { ok: false, reason: `wrong password for ${message.domain}\\${message.user}` };
  const avFlags = findAv(decodeAvPairs(fields.targetInfo), AvId.FLAGS);
  if (avFlags && avFlags.length === 4 && hasFlag(avFlags.readUInt32LE(0), AV_FLAG_MIC_PRESENT)) {
    if (!message.mic) return { ok: false, reason: 'MIC announced but missing' };
    const mic = messageIntegrityCode(expected.sessionBaseKey, pending.negotiate, pending.challenge, withoutMic(authenticate));
    if (!timingSafeEqual(mic, message.mic)) return { ok: false, reason: 'MIC mismatch (messages altered)' };
  }
  return { ok: true, identity: { domain: account.domain, username: account.username, login: `${account.domain}\\${account.username}` } };
}

/**
 * Call at the top of the request handler (after any other scheme it accepts, such as Basic).
 * 'handled': a 401 was written, stop. 'authenticated': go on; `ntlmIdentity(req)` names the caller.
 */
export async function ntlmGate(req: IncomingMessage, res: ServerResponse, options: NtlmGateOptions = {}): Promise<'authenticated' | 'handled'> {
  const accounts = options.accounts ?? [NTLM_DEMO_ACCOUNT];
  const now = (options.now ?? Date.now)();
  const offers = ['Negotiate', 'NTLM', ...(options.alsoOffer ?? [])];
  const state = sockets.get(req.socket) ?? {};
  sockets.set(req.socket, state);
  const header = req.headers.authorization;
  if (!header) return state.identity ? 'authenticated' : unauthorized(res, req, offers);

  const [scheme = '', token = ''] = header.trim().split(/\s+/, 2);
  if (!/^(ntlm|negotiate)$/i.test(scheme) || !token) return unauthorized(res, req, offers);
  const message = Buffer.from(token, 'base64');
  let type: number;
  try {
    type = messageType(message);
  } catch {
    return unauthorized(res, req, offers); // SPNEGO/Kerberos or garbage
  }
  try {
    if (type === 1) {
      decodeNegotiate(message);
      // A new handshake on the connection replaces whoever was signed in on it, as on IIS.
      delete state.identity;
      const challenge = challengeFor(options.names ?? NTLM_DEMO_SERVER, now);
      state.pending = { negotiate: message, challenge, serverChallenge: challenge.subarray(24, 32), scheme };
      return unauthorized(res, req, [`${scheme} ${challenge.toString('base64')}`]);
    }
    if (type === 3) {
      const pending = state.pending;
      delete state.pending; // a challenge answers one AUTHENTICATE, right or wrong
      if (!pending) {
        options.onFailure?.('AUTHENTICATE without a challenge on this connection');
        return unauthorized(res, req, offers);
      }
      const result = verifyAuthenticate({ pending, authenticate: message, accounts, now });
      if (!result.ok) {
        options.onFailure?.(result.reason);
        return unauthorized(res, req, offers);
      }
      state.identity = result.identity;
      return 'authenticated';
    }
  } catch (err) {
    if (!(err instanceof NtlmError)) throw err;
    options.onFailure?.(err.message);
  }
  return unauthorized(res, req, offers);
}
