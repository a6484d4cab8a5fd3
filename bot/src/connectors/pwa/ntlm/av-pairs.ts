import { AvId } from './constants.js';
import { NtlmError } from './wire.js';

/** Target information (MS-NLMP 2.2.2.1): a list of AV_PAIRs ending with MsvAvEOL. */
export interface AvPair {
  id: number;
  value: Buffer;
}

export function decodeAvPairs(data: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let at = 0;
  while (at + 4 <= data.length) {
    const id = data.readUInt16LE(at);
    const length = data.readUInt16LE(at + 2);
    if (id === AvId.EOL) return pairs;
    if (at + 4 + length > data.length) break;
    pairs.push({ id, value: data.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  throw new NtlmError('malformed', 'NTLM target information is not terminated by MsvAvEOL.');
}

/** Encodes the pairs and the terminating MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const { id, value } of pairs) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(id, 0);
    head.writeUInt16LE(value.length, 2);
    parts.push(head, value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

export const findAv = (pairs: readonly AvPair[], id: number): Buffer | undefined => pairs.find((p) => p.id === id)?.value;

export function avText(pairs: readonly AvPair[], id: number): string | undefined {
  return findAv(pairs, id)?.toString('utf16le');
}

export function avTimestamp(pairs: readonly AvPair[]): bigint | undefined {
  const value = findAv(pairs, AvId.TIMESTAMP);
  return value && value.length === 8 ? value.readBigUInt64LE(0) : undefined;
}

// FILETIME: 100 ns ticks since 1601-01-01 UTC; the Unix epoch is 11,644,473,600 s later.
const EPOCH_OFFSET_MS = 11_644_473_600_000n;

export const fileTime = (unixMs: number): bigint => (BigInt(Math.floor(unixMs)) + EPOCH_OFFSET_MS) * 10_000n;
export const fileTimeToUnixMs = (ticks: bigint): number => Number(ticks / 10_000n - EPOCH_OFFSET_MS);

export function fileTimeBytes(ticks: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(ticks, 0);
  return out;
}
