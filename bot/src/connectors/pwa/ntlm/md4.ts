/**
 * MD4 (RFC 1320). NTLM's NT hash is MD4 over the UTF-16LE password, and Node 22's OpenSSL 3 keeps
 * MD4 in the legacy provider (`crypto.getHashes()` has no 'md4'), so it lives here as a pure function.
 * Never use it for anything but the NT hash: MD4 is broken as a general-purpose hash.
 */

const rotl = (x: number, s: number): number => ((x << s) | (x >>> (32 - s))) >>> 0;
const f = (x: number, y: number, z: number): number => (x & y) | (~x & z);
const g = (x: number, y: number, z: number): number => (x & y) | (x & z) | (y & z);
const h = (x: number, y: number, z: number): number => x ^ y ^ z;

// Word order and shift amounts of the three rounds (RFC 1320 section 3.4).
const ROUND2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const SHIFTS = [[3, 7, 11, 19], [3, 5, 9, 13], [3, 9, 11, 15]] as const;

/** Message bytes, a 0x80 byte, zeros to 56 mod 64, then the bit length as 64-bit little-endian. */
function pad(message: Uint8Array): Buffer {
  const length = message.length;
  const padded = Buffer.alloc((((length + 8) >> 6) + 1) << 6);
  padded.set(message);
  padded[length] = 0x80;
  const bits = BigInt(length) * 8n;
  padded.writeBigUInt64LE(bits & 0xffffffffffffffffn, padded.length - 8);
  return padded;
}

export function md4(message: Uint8Array): Buffer {
  const data = pad(message);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let block = 0; block < data.length; block += 64) {
    for (let i = 0; i < 16; i += 1) x[i] = data.readUInt32LE(block + i * 4);
    let [a, b, c, d] = state as [number, number, number, number];
    for (let i = 0; i < 16; i += 1) {
      const t = rotl((a + f(b, c, d) + x[i]!) >>> 0, SHIFTS[0][i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i += 1) {
      const t = rotl((a + g(b, c, d) + x[ROUND2_ORDER[i]!]! + 0x5a827999) >>> 0, SHIFTS[1][i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i += 1) {
      const t = rotl((a + h(b, c, d) + x[ROUND3_ORDER[i]!]! + 0x6ed9eba1) >>> 0, SHIFTS[2][i % 4]!);
      [a, b, c, d] = [d, t, b, c];
    }
    state[0] = (state[0]! + a) >>> 0;
    state[1] = (state[1]! + b) >>> 0;
    state[2] = (state[2]! + c) >>> 0;
    state[3] = (state[3]! + d) >>> 0;
  }
  const out = Buffer.alloc(16);
  state.forEach((word, i) => out.writeUInt32LE(word, i * 4));
  return out;
}
