import { createHash } from 'node:crypto';

/**
 * Cosmos DB ids may not contain `/ \ ? #`, are limited to 255 characters, and travel in URL
 * paths. Every external key (conversation ids contain `:` `;` `@`, PWA keys may contain anything)
 * goes through `encodeId`, which keeps [A-Za-z0-9.-] and writes every other UTF-8 byte as `~HH`.
 * The encoding is injective, so distinct keys never share an id, and `:` never appears in an
 * encoded part, so `compositeId` joins parts unambiguously. An encoding longer than the limit
 * becomes `~~` + SHA-256 hex: still deterministic (uniqueness by id keeps working) and unable to
 * collide with a plain encoding, which never contains `~~`.
 */
export const MAX_ID_LENGTH = 255;

const SAFE = /^[A-Za-z0-9.-]$/;
const ALL_SAFE = /^[A-Za-z0-9.-]+$/;

export function encodeId(key: string): string {
  if (key.length === 0) throw new RangeError('an id must not be empty');
  // Tenant ids and GUIDs, on every store call: nothing to encode, so no walk character by character.
  if (key.length <= MAX_ID_LENGTH && ALL_SAFE.test(key)) return key;
  let out = '';
  for (const ch of key) {
    if (SAFE.test(ch)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out.length <= MAX_ID_LENGTH ? out : hashedId(key);
}

/** Inverse of `encodeId` for ids that were not hashed; undefined for hashed ones. */
export function decodeId(id: string): string | undefined {
  if (id.startsWith('~~')) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < id.length; i++) {
    if (id[i] === '~') {
      bytes.push(Number.parseInt(id.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(id.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Joins already-meaningful parts (each encoded) into one id, e.g. `task:<planTask>`. */
export function compositeId(...parts: string[]): string {
  const joined = parts.map(encodeId).join(':');
  return joined.length <= MAX_ID_LENGTH ? joined : hashedId(parts.join('\u0000'));
}

function hashedId(key: string): string {
  return `~~${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
