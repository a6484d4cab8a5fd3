import { isIP } from 'node:net';

/**
 * What an IP address reaches, for the SSRF guard. IPv6 forms that carry an IPv4 address
 * (mapped ::ffff:a.b.c.d, SIIT, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged
 * by the IPv4 address inside, because the URL parser rewrites `[::ffff:169.254.169.254]` to
 * `[::ffff:a9fe:a9fe]` and the kernel or a NAT64 gateway still delivers it to 169.254.169.254.
 */
export type AddressKind = 'public' | 'private' | 'loopback' | 'link-local' | 'metadata' | 'reserved';

type Range = readonly [prefix: readonly number[], bits: number, kind: AddressKind];

/** Cloud instance-metadata endpoints (Azure/AWS/GCP, AWS ECS, Alibaba, Oracle), refused in every mode. */
const METADATA_V4: readonly string[] = ['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192'];
const METADATA_V6: readonly string[] = ['fd00:ec2::254'];

// IANA special-purpose registry (RFC 6890 and successors); anything not listed is public.
const V4: readonly Range[] = [
  [[0], 8, 'reserved'], // "this network"; 0.0.0.0 reaches the local host on Linux
  [[10], 8, 'private'],
  [[100, 64], 10, 'private'], // carrier-grade NAT
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 0, 2], 24, 'reserved'],
  [[192, 88, 99], 24, 'reserved'],
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'],
  [[198, 51, 100], 24, 'reserved'],
  [[203, 0, 113], 24, 'reserved'],
  [[224], 4, 'reserved'], // multicast
  [[240], 4, 'reserved'], // future use and broadcast
];

// Bytes of IPv6 prefixes (two bytes per group).
const V6: readonly Range[] = [
  [[0x01, 0x00, 0, 0, 0, 0, 0, 0], 64, 'reserved'], // discard
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'private'], // local-use NAT64: the mapping is the site's own
  [[0x20, 0x01, 0, 0], 32, 'reserved'], // Teredo: tunnels to an address we cannot judge
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'reserved'], // documentation
  [[0xfc], 7, 'private'], // unique-local
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'], // deprecated site-local
  [[0xff], 8, 'reserved'], // multicast
];

function inRange(bytes: Uint8Array | readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i += 1) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

/** 16 bytes of a textual IPv6 address (zone id dropped, dotted tail allowed). */
function v6Bytes(text: string): Uint8Array | undefined {
  let addr = text.split('%')[0]!.toLowerCase();
  const tail = addr.slice(addr.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    const v4 = v4Bytes(tail);
    if (!v4) return undefined;
    addr = `${addr.slice(0, addr.length - tail.length)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...rest];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => { const n = parseInt(g, 16); bytes[2 * i] = n >> 8; bytes[2 * i + 1] = n & 0xff; });
  return bytes;
}

function kindOfV4(bytes: readonly number[]): AddressKind {
  if (METADATA_V4.includes(bytes.join('.'))) return 'metadata';
  return V4.find(([prefix, bits]) => inRange(bytes, prefix, bits))?.[2] ?? 'public';
}

/** The IPv4 address an IPv6 address carries, for the forms that deliver to it. */
function embeddedV4(b: Uint8Array): number[] | undefined {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return [...b.slice(12)]; // ::ffff:a.b.c.d
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return [...b.slice(12)]; // ::ffff:0:a.b.c.d (SIIT)
  if (zeros(0, 12) && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && (b[15] ?? 0) <= 1)) return [...b.slice(12)]; // ::a.b.c.d
  if (inRange(b, [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96)) return [...b.slice(12)]; // NAT64 well-known prefix
  if (b[0] === 0x20 && b[1] === 0x02) return [...b.slice(2, 6)]; // 6to4
  return undefined;
}

function kindOfV6(b: Uint8Array): AddressKind {
  const v4 = embeddedV4(b);
  if (v4) return kindOfV4(v4);
  if (b.every((x, i) => x === (i === 15 ? 1 : 0))) return 'loopback';
  const fixed = V6.find(([prefix, bits]) => inRange(b, prefix, bits));
  if (fixed) return fixed[2];
  // Only 2000::/3 is global unicast; everything else (:: included) is special-purpose.
  return (b[0]! & 0xe0) === 0x20 ? 'public' : 'reserved';
}

/** Classifies an IP address (IPv4, IPv6, with or without brackets); undefined when it is not one. */
export function addressKind(address: string): AddressKind | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const version = isIP(bare.split('%')[0]!);
  if (version === 4) return kindOfV4(v4Bytes(bare)!);
  if (version !== 6) return undefined;
  const bytes = v6Bytes(bare);
  if (!bytes) return undefined;
  if (METADATA_V6.some((m) => v6Bytes(m)!.every((x, i) => x === bytes[i]))) return 'metadata';
  return kindOfV6(bytes);
}
