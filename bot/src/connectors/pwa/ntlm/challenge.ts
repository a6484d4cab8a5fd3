import { avTimestamp, decodeAvPairs, encodeAvPairs, type AvPair } from './av-pairs.js';
import { Flag, MessageType, hasFlag } from './constants.js';
import { expectType, header, layout, NtlmError, readField } from './wire.js';

/** CHALLENGE_MESSAGE (type 2, MS-NLMP 2.2.1.2). */
export interface ChallengeMessage {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  /** Decoded AV pairs, without the terminating MsvAvEOL. */
  targetInfo: AvPair[];
  /** MsvAvTimestamp, when the server sent one (FILETIME ticks). */
  timestamp?: bigint;
  /** The message as received: the MIC is computed over these exact bytes. */
  raw: Buffer;
}

const TARGET_NAME_AT = 12;
const TARGET_INFO_AT = 40;

export function decodeChallenge(message: Buffer): ChallengeMessage {
  // 32 bytes is the oldest form (no target info); anything from Windows 2003 on has 48+.
  expectType(message, MessageType.CHALLENGE, 32);
  const flags = message.readUInt32LE(20);
  const nameBytes = readField(message, TARGET_NAME_AT);
  const targetName = hasFlag(flags, Flag.UNICODE) ? nameBytes.toString('utf16le') : nameBytes.toString('latin1');
  let targetInfo: AvPair[] = [];
  if (message.length >= 48 && hasFlag(flags, Flag.TARGET_INFO)) {
    const info = readField(message, TARGET_INFO_AT);
    if (info.length > 0) targetInfo = decodeAvPairs(info);
  }
  const timestamp = avTimestamp(targetInfo);
  return {
    flags,
    serverChallenge: Buffer.from(message.subarray(24, 32)),
    targetName,
    targetInfo,
    ...(timestamp === undefined ? {} : { timestamp }),
    raw: message,
  };
}

export interface ChallengeInput {
  flags: number;
  serverChallenge: Buffer;
  targetName: string;
  targetInfo: readonly AvPair[];
  /** 8 bytes; written (and the VERSION flag expected) when given. */
  version?: Buffer;
}

export function encodeChallenge(input: ChallengeInput): Buffer {
  if (input.serverChallenge.length !== 8) throw new NtlmError('malformed', 'A server challenge is 8 bytes.');
  const out = header(MessageType.CHALLENGE, 56);
  out.writeUInt32LE(input.flags >>> 0, 20);
  input.serverChallenge.copy(out, 24);
  input.version?.copy(out, 48);
  return layout(out, [
    { at: TARGET_NAME_AT, value: Buffer.from(input.targetName, 'utf16le') },
    { at: TARGET_INFO_AT, value: encodeAvPairs(input.targetInfo) },
  ]);
}
