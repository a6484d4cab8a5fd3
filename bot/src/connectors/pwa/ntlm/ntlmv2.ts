import { createHmac } from 'node:crypto';
import { md4 } from './md4.js';
import { NtlmError, utf16 } from './wire.js';

/** NTLMv2 computations of MS-NLMP 3.3.2; the worked example is section 4.2.4. */

export const hmacMd5 = (key: Buffer, ...data: Buffer[]): Buffer => {
  const mac = createHmac('md5', key);
  for (const part of data) mac.update(part);
  return mac.digest();
};

/** NTOWFv1: MD4 over the UTF-16LE password (the "NT hash"). */
export const ntHash = (password: string): Buffer => md4(utf16(password));

/** NTOWFv2 = HMAC_MD5(NT hash, UNICODE(Uppercase(User) + UserDom)). Only the user is upper-cased. */
export const ntowfv2 = (password: string, user: string, domain: string): Buffer => hmacMd5(ntHash(password), utf16(user.toUpperCase() + domain));

/** The spec's "temp": RespType, HiRespType, Z(6), time, client challenge, Z(4), AV pairs (with EOL), Z(4). */
export function ntlmv2Blob(timestamp: bigint, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  if (clientChallenge.length !== 8) throw new NtlmError('malformed', 'A client challenge is 8 bytes.');
  const fixed = Buffer.alloc(28);
  fixed[0] = 1;
  fixed[1] = 1;
  fixed.writeBigUInt64LE(timestamp, 8);
  clientChallenge.copy(fixed, 16);
  return Buffer.concat([fixed, targetInfo, Buffer.alloc(4)]);
}

export interface BlobFields {
  timestamp: bigint;
  clientChallenge: Buffer;
  /** AV pairs as encoded (from offset 28 to the trailing Z(4)). */
  targetInfo: Buffer;
}

export function parseNtlmv2Blob(blob: Buffer): BlobFields {
  if (blob.length < 32 || blob[0] !== 1 || blob[1] !== 1) throw new NtlmError('unsupported', 'Not an NTLMv2 response.');
  return { timestamp: blob.readBigUInt64LE(8), clientChallenge: Buffer.from(blob.subarray(16, 24)), targetInfo: blob.subarray(28) };
}

export interface Ntlmv2Response {
  /** NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge + temp). */
  proof: Buffer;
  /** NtChallengeResponse = NTProofStr + temp. */
  ntResponse: Buffer;
  /** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr); the MIC key when there is no key exchange. */
  sessionBaseKey: Buffer;
}

export function ntlmv2Response(responseKeyNT: Buffer, serverChallenge: Buffer, blob: Buffer): Ntlmv2Response {
  const proof = hmacMd5(responseKeyNT, serverChallenge, blob);
  return { proof, ntResponse: Buffer.concat([proof, blob]), sessionBaseKey: hmacMd5(responseKeyNT, proof) };
}

/** MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE + CHALLENGE + AUTHENTICATE with a zero MIC field). */
export const messageIntegrityCode = (exportedSessionKey: Buffer, negotiate: Buffer, challenge: Buffer, authenticateWithoutMic: Buffer): Buffer =>
  hmacMd5(exportedSessionKey, negotiate, challenge, authenticateWithoutMic);
