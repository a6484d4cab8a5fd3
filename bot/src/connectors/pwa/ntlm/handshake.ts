import { randomBytes } from 'node:crypto';
import { encodeAvPairs, fileTime, type AvPair } from './av-pairs.js';
import { encodeAuthenticate, withMic } from './authenticate.js';
import type { ChallengeMessage } from './challenge.js';
import { AV_FLAG_MIC_PRESENT, AvId, Flag, hasFlag } from './constants.js';
import { CLIENT_NEGOTIATE_FLAGS } from './negotiate.js';
import { messageIntegrityCode, ntlmv2Blob, ntlmv2Response, ntowfv2 } from './ntlmv2.js';
import { NtlmError, utf16 } from './wire.js';

/** The client's answer to a CHALLENGE: an NTLMv2 AUTHENTICATE message with a MIC. */

export interface NtlmCredentials {
  domain: string;
  user: string;
  password: string;
}

export interface AuthenticateOptions {
  /** The NEGOTIATE message sent on this connection (the MIC covers it). */
  negotiate: Buffer;
  challenge: ChallengeMessage;
  credentials: NtlmCredentials;
  /** Workstation name sent to the server (informational; empty by default). */
  workstation?: string;
  /** SPN of the server, e.g. `HTTP/pwa.contoso.local` (MsvAvTargetName). */
  targetSpn?: string;
  /** MD5 of the gss_channel_bindings_struct for TLS (EPA); 16 zero bytes means "none". */
  channelBindingsHash?: Buffer;
  /** Injected for tests; random otherwise. */
  clientChallenge?: Buffer;
  /** Client time in ms, used only when the server sends no MsvAvTimestamp. */
  now?: number;
}

/** The target info the client sends back: the server's pairs plus MsvAvFlags (MIC present),
 *  channel bindings and target name, in the order Windows and Chromium use. */
function clientTargetInfo(server: readonly AvPair[], options: AuthenticateOptions): Buffer {
  const pairs: AvPair[] = [];
  let flagsSeen = false;
  for (const pair of server) {
    if (pair.id === AvId.FLAGS && pair.value.length === 4) {
      const value = Buffer.alloc(4);
      value.writeUInt32LE((pair.value.readUInt32LE(0) | AV_FLAG_MIC_PRESENT) >>> 0, 0);
      pairs.push({ id: AvId.FLAGS, value });
      flagsSeen = true;
    } else if (pair.id !== AvId.CHANNEL_BINDINGS && pair.id !== AvId.TARGET_NAME) {
      pairs.push(pair);
    }
  }
  if (!flagsSeen) {
    const value = Buffer.alloc(4);
    value.writeUInt32LE(AV_FLAG_MIC_PRESENT, 0);
    pairs.push({ id: AvId.FLAGS, value });
  }
  pairs.push({ id: AvId.CHANNEL_BINDINGS, value: options.channelBindingsHash ?? Buffer.alloc(16) });
  if (options.targetSpn) pairs.push({ id: AvId.TARGET_NAME, value: utf16(options.targetSpn) });
  return encodeAvPairs(pairs);
}

export function authenticateMessage(options: AuthenticateOptions): Buffer {
  const { challenge, credentials } = options;
  if (!hasFlag(challenge.flags, Flag.UNICODE)) {
    throw new NtlmError('unsupported', 'The server offers only OEM (non-Unicode) NTLM, which PlanBridge does not speak.');
  }
  if (!hasFlag(challenge.flags, Flag.NTLM)) throw new NtlmError('unsupported', 'The server does not offer NTLM authentication.');
  const clientChallenge = options.clientChallenge ?? randomBytes(8);
  // MS-NLMP 3.1.5.1.2: use the server's time when it sends one, so clock skew cannot fail the logon.
  const timestamp = challenge.timestamp ?? fileTime(options.now ?? Date.now());
  const blob = ntlmv2Blob(timestamp, clientChallenge, clientTargetInfo(challenge.targetInfo, options));
  const key = ntowfv2(credentials.password, credentials.user, credentials.domain);
  const response = ntlmv2Response(key, challenge.serverChallenge, blob);
  const message = encodeAuthenticate({
    flags: (CLIENT_NEGOTIATE_FLAGS & challenge.flags) >>> 0,
    // With a MIC the LMv2 response is redundant; Z(24) is what MS-NLMP asks for alongside MsvAvTimestamp.
    lmResponse: Buffer.alloc(24),
    ntResponse: response.ntResponse,
    domain: credentials.domain,
    user: credentials.user,
    workstation: options.workstation ?? '',
  });
  // No key exchange was negotiated, so the exported session key is the session base key.
  return withMic(message, messageIntegrityCode(response.sessionBaseKey, options.negotiate, challenge.raw, message));
}
