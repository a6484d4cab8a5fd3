import { Flag, MessageType } from './constants.js';
import { expectType, header } from './wire.js';

/**
 * NEGOTIATE_MESSAGE (type 1, MS-NLMP 2.2.1.1). The client names no domain or workstation here:
 * neither OEM_*_SUPPLIED flag is set, so the 32-byte form without VERSION is complete.
 */

/** What PlanBridge asks for: Unicode, NTLM with extended session security. No signing or sealing:
 *  HTTP only needs the authentication, and RC4 (for key exchange) is not in Node 22's OpenSSL. */
export const CLIENT_NEGOTIATE_FLAGS = (Flag.UNICODE | Flag.OEM | Flag.REQUEST_TARGET | Flag.NTLM | Flag.ALWAYS_SIGN | Flag.EXTENDED_SESSIONSECURITY) >>> 0;

export interface NegotiateMessage {
  flags: number;
}

export function encodeNegotiate(flags: number = CLIENT_NEGOTIATE_FLAGS): Buffer {
  const out = header(MessageType.NEGOTIATE, 32);
  out.writeUInt32LE(flags >>> 0, 12);
  // Empty domain and workstation buffers point at the end of the header, as Windows writes them.
  out.writeUInt32LE(32, 20);
  out.writeUInt32LE(32, 28);
  return out;
}

export function decodeNegotiate(message: Buffer): NegotiateMessage {
  expectType(message, MessageType.NEGOTIATE, 16);
  return { flags: message.readUInt32LE(12) };
}
