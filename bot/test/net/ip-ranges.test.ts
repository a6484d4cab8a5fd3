import { describe, expect, it } from 'vitest';
import { addressKind } from '../../src/net/ip-ranges.js';

describe('address classification for the SSRF guard', () => {
  it.each([
    // The reproductions: the URL parser turns these into hex, and they still reach IPv4.
    ['::ffff:a9fe:a9fe', 'metadata'], // [::ffff:169.254.169.254]
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a01:203', 'private'], // [::ffff:10.1.2.3]
    ['64:ff9b::a9fe:a9fe', 'metadata'], // NAT64 of 169.254.169.254
    ['64:ff9b::a01:203', 'private'],
    ['::ffff:0:a01:203', 'private'], // SIIT
    ['::a01:203', 'private'], // IPv4-compatible
    ['2002:a9fe:a9fe::1', 'metadata'], // 6to4
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b:1::a01:203', 'private'], // local-use NAT64
    ['2001:0:4136:e378::1', 'reserved'], // Teredo
  ])('sees through the IPv6 form %s (%s)', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
    expect(addressKind(`[${address}]`)).toBe(kind);
  });

  it.each([
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'], ['100.127.255.255', 'private'], ['fd12:3456::1', 'private'], ['fec0::1', 'private'],
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'],
    ['169.254.1.1', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'], ['169.254.170.2', 'metadata'], ['100.100.100.200', 'metadata'], ['192.0.0.192', 'metadata'], ['fd00:ec2::254', 'metadata'],
    ['0.0.0.0', 'reserved'], ['::', 'reserved'], ['224.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'], ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'], ['ff02::1', 'reserved'], ['2001:db8::1', 'reserved'], ['100::1', 'reserved'],
  ])('classifies %s as %s', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it.each(['13.107.6.183', '172.32.0.1', '100.128.0.1', '8.8.8.8', '2620:1ec:4::1', '2a01:111:f100::1', '64:ff9b::d6b:6b7', '::ffff:d6b:6b7'])('treats %s as public', (address) => {
    expect(addressKind(address)).toBe('public');
  });

  it.each(['dev.azure.com', '1.2.3', '::ffff:1.2.3.256', ''])('does not take %j for an address', (text) => {
    expect(addressKind(text)).toBeUndefined();
  });
});
