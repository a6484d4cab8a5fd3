import { MessageType } from './constants.js';
import { expectType, header, layout, payloadStart, readField, utf16 } from './wire.js';

/** AUTHENTICATE_MESSAGE (type 3, MS-NLMP 2.2.1.3), Unicode strings only. */
export interface AuthenticateMessage {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedSessionKey: Buffer;
  /** Present when the header is long enough to hold VERSION and MIC (payloads start at 88 or later). */
  mic?: Buffer;
}

const AT = { lm: 12, nt: 20, domain: 28, user: 36, workstation: 44, sessionKey: 52 } as const;
const FLAGS_AT = 60;
export const MIC_OFFSET = 72;
const HEADER_WITH_MIC = 88;

export interface AuthenticateInput {
  flags: number;
  lmResponse: Buffer;
  ntResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
}

/**
 * Always the 88-byte header: VERSION left zero (it is informational) and a MIC slot, zero until
 * the caller patches the MIC in with `withMic` (the MIC covers this very message).
 * Payload order: session key (empty), LM, NT, domain, user, workstation.
 */
export function encodeAuthenticate(input: AuthenticateInput): Buffer {
  const out = header(MessageType.AUTHENTICATE, HEADER_WITH_MIC);
  out.writeUInt32LE(input.flags >>> 0, FLAGS_AT);
  return layout(out, [
    { at: AT.sessionKey, value: Buffer.alloc(0) },
    { at: AT.lm, value: input.lmResponse },
    { at: AT.nt, value: input.ntResponse },
    { at: AT.domain, value: utf16(input.domain) },
    { at: AT.user, value: utf16(input.user) },
    { at: AT.workstation, value: utf16(input.workstation) },
  ]);
}

export function withMic(message: Buffer, mic: Buffer): Buffer {
  const out = Buffer.from(message);
  mic.copy(out, MIC_OFFSET);
  return out;
}

export function withoutMic(message: Buffer): Buffer {
  const out = Buffer.from(message);
  out.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
  return out;
}

export function decodeAuthenticate(message: Buffer): AuthenticateMessage {
  expectType(message, MessageType.AUTHENTICATE, 64);
  const start = payloadStart(message, Object.values(AT));
  return {
    flags: message.readUInt32LE(FLAGS_AT),
    lmResponse: readField(message, AT.lm),
    ntResponse: readField(message, AT.nt),
    domain: readField(message, AT.domain).toString('utf16le'),
    user: readField(message, AT.user).toString('utf16le'),
    workstation: readField(message, AT.workstation).toString('utf16le'),
    encryptedSessionKey: readField(message, AT.sessionKey),
    ...(start >= HEADER_WITH_MIC ? { mic: Buffer.from(message.subarray(MIC_OFFSET, MIC_OFFSET + 16)) } : {}),
  };
}
