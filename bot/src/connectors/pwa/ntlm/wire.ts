import { MessageType, NTLMSSP_SIGNATURE } from './constants.js';

/** A message that is not NTLM, or that NTLM allows but PlanBridge does not speak. Never carries a secret. */
export class NtlmError extends Error {
  constructor(readonly code: 'malformed' | 'unsupported' | 'handshake', message: string) {
    super(message);
    this.name = 'NtlmError';
  }
}

export const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** Checks the NTLMSSP signature and the message type; returns the type found. */
export function messageType(message: Buffer): number {
  if (message.length < 12 || !message.subarray(0, 8).equals(NTLMSSP_SIGNATURE)) {
    throw new NtlmError('malformed', 'Not an NTLMSSP message.');
  }
  return message.readUInt32LE(8);
}

export function expectType(message: Buffer, type: (typeof MessageType)[keyof typeof MessageType], minLength: number): void {
  const found = messageType(message);
  if (found !== type) throw new NtlmError('malformed', `Expected NTLM message type ${type}, got ${found}.`);
  if (message.length < minLength) throw new NtlmError('malformed', `NTLM message type ${type} is truncated.`);
}

/** Reads a (length, max length, offset) security buffer and returns the bytes it points to. */
export function readField(message: Buffer, at: number): Buffer {
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (length === 0) return Buffer.alloc(0);
  if (offset + length > message.length) throw new NtlmError('malformed', 'An NTLM field points past the end of the message.');
  return message.subarray(offset, offset + length);
}

/** Lowest payload offset among the given security buffers (tells how long the fixed header is). */
export function payloadStart(message: Buffer, fieldPositions: readonly number[]): number {
  let start = message.length;
  for (const at of fieldPositions) {
    if (message.readUInt16LE(at) > 0) start = Math.min(start, message.readUInt32LE(at + 4));
  }
  return start;
}

/**
 * Lays out a message: a fixed header with security-buffer slots, then the payloads in the order
 * given. Payload order is free in the spec; callers choose one and tests pin it.
 */
export function layout(header: Buffer, fields: ReadonlyArray<{ at: number; value: Buffer }>): Buffer {
  let offset = header.length;
  for (const { at, value } of fields) {
    header.writeUInt16LE(value.length, at);
    header.writeUInt16LE(value.length, at + 2);
    header.writeUInt32LE(offset, at + 4);
    offset += value.length;
  }
  return Buffer.concat([header, ...fields.map((f) => f.value)]);
}

/** An 8-byte VERSION structure (MS-NLMP 2.2.2.10); revision 15 is NTLMSSP_REVISION_W2K3. */
export function versionBytes(major: number, minor: number, build: number): Buffer {
  const out = Buffer.alloc(8);
  out[0] = major;
  out[1] = minor;
  out.writeUInt16LE(build, 2);
  out[7] = 0x0f;
  return out;
}

export function header(type: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  NTLMSSP_SIGNATURE.copy(out, 0);
  out.writeUInt32LE(type, 8);
  return out;
}
