import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAuthenticate, encodeAuthenticate } from '../../../../src/connectors/pwa/ntlm/authenticate.js';
import { avText, avTimestamp, fileTime, fileTimeBytes, fileTimeToUnixMs, type AvPair } from '../../../../src/connectors/pwa/ntlm/av-pairs.js';
import { decodeChallenge, encodeChallenge } from '../../../../src/connectors/pwa/ntlm/challenge.js';
import { AvId, Flag } from '../../../../src/connectors/pwa/ntlm/constants.js';
import { authenticateMessage } from '../../../../src/connectors/pwa/ntlm/handshake.js';
import { CLIENT_NEGOTIATE_FLAGS, decodeNegotiate, encodeNegotiate } from '../../../../src/connectors/pwa/ntlm/negotiate.js';
import { NtlmError, versionBytes } from '../../../../src/connectors/pwa/ntlm/wire.js';
import { CHROMIUM, SPEC } from './vectors.js';

describe('NEGOTIATE (type 1)', () => {
  it('is byte for byte the message Chromium sends (flags 0x00088207)', () => {
    expect(CLIENT_NEGOTIATE_FLAGS).toBe(0x00088207);
    expect(encodeNegotiate().toString('hex')).toBe(CHROMIUM.negotiate.toString('hex'));
    expect(decodeNegotiate(CHROMIUM.negotiate).flags).toBe(0x00088207);
  });

  it('refuses what is not NTLMSSP, or the wrong type', () => {
    expect(() => decodeNegotiate(Buffer.from('hello world, not ntlm'))).toThrow(NtlmError);
    expect(() => decodeNegotiate(SPEC.challenge)).toThrow(/type 1, got 2/);
  });
});

describe('CHALLENGE (type 2)', () => {
  it('decodes the MS-NLMP 4.2.4.3 message: flags, server challenge, target name, AV pairs', () => {
    const challenge = decodeChallenge(SPEC.challenge);
    expect(challenge.flags >>> 0).toBe(0xe28a8233);
    expect(challenge.serverChallenge.equals(SPEC.serverChallenge)).toBe(true);
    expect(challenge.targetName).toBe('Server');
    expect(avText(challenge.targetInfo, AvId.NB_DOMAIN_NAME)).toBe('Domain');
    expect(avText(challenge.targetInfo, AvId.NB_COMPUTER_NAME)).toBe('Server');
    expect(challenge.timestamp).toBeUndefined();
    expect(challenge.raw).toBe(SPEC.challenge);
  });

  it('round-trips names, flags and MsvAvTimestamp through encode and decode', () => {
    const text = fc.string({ maxLength: 20 });
    fc.assert(fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), text, text, fc.integer({ min: 0, max: 4102444800000 }), (bytes, name, dns, ms) => {
      const pairs: AvPair[] = [
        { id: AvId.NB_DOMAIN_NAME, value: Buffer.from(name, 'utf16le') },
        { id: AvId.DNS_DOMAIN_NAME, value: Buffer.from(dns, 'utf16le') },
        { id: AvId.TIMESTAMP, value: fileTimeBytes(fileTime(ms)) },
      ];
      const flags = (Flag.UNICODE | Flag.NTLM | Flag.TARGET_INFO | Flag.VERSION | Flag.NEGOTIATE_56) >>> 0;
      const wire = encodeChallenge({ flags, serverChallenge: Buffer.from(bytes), targetName: name, targetInfo: pairs, version: versionBytes(10, 0, 20348) });
      const back = decodeChallenge(wire);
      expect(back.flags >>> 0).toBe(flags);
      expect(back.serverChallenge.equals(Buffer.from(bytes))).toBe(true);
      expect(back.targetName).toBe(name);
      expect(avText(back.targetInfo, AvId.DNS_DOMAIN_NAME)).toBe(dns);
      expect(fileTimeToUnixMs(avTimestamp(back.targetInfo)!)).toBe(ms);
      expect(wire.subarray(48, 56).toString('hex')).toBe('0a007c4f0000000f');
    }));
  });

  it('refuses a truncated message and a field pointing past the end', () => {
    expect(() => decodeChallenge(SPEC.challenge.subarray(0, 20))).toThrow(/truncated/);
    const broken = Buffer.from(SPEC.challenge);
    broken.writeUInt32LE(0x1000, 44); // target info offset
    expect(() => decodeChallenge(broken)).toThrow(/past the end/);
  });
});

describe('AUTHENTICATE (type 3) with the NTLMv2 response and a MIC', () => {
  const build = () => authenticateMessage({
    negotiate: CHROMIUM.negotiate,
    challenge: decodeChallenge(SPEC.challenge),
    credentials: { domain: SPEC.domain, user: SPEC.user, password: SPEC.password },
    workstation: CHROMIUM.workstation,
    targetSpn: CHROMIUM.spn,
    channelBindingsHash: CHROMIUM.channelBindingsHash,
    clientChallenge: SPEC.clientChallenge,
    now: CHROMIUM.clientTimeMs,
  });

  it('is byte for byte what Chromium sends for the MS-NLMP challenge (proof, target info, MIC)', () => {
    expect(fileTime(CHROMIUM.clientTimeMs)).toBe(CHROMIUM.clientTimestamp);
    expect(build().toString('hex')).toBe(CHROMIUM.authenticate.toString('hex'));
  });

  it('decodes back to its fields', () => {
    const message = decodeAuthenticate(build());
    expect(message).toMatchObject({ flags: 0x00088203, domain: 'Domain', user: 'User', workstation: 'COMPUTER' });
    expect(message.lmResponse.equals(Buffer.alloc(24))).toBe(true);
    expect(message.ntResponse).toHaveLength(138);
    expect(message.mic?.equals(CHROMIUM.mic)).toBe(true);
    expect(message.encryptedSessionKey).toHaveLength(0);
  });

  it('uses the server MsvAvTimestamp rather than the client clock when there is one', () => {
    const challenge = decodeChallenge(encodeChallenge({
      flags: decodeChallenge(SPEC.challenge).flags, serverChallenge: SPEC.serverChallenge, targetName: 'Server',
      targetInfo: [{ id: AvId.TIMESTAMP, value: Buffer.from('0102030405060708', 'hex') }],
    }));
    const message = decodeAuthenticate(authenticateMessage({
      negotiate: CHROMIUM.negotiate, challenge, credentials: { domain: 'D', user: 'u', password: 'p' }, now: CHROMIUM.clientTimeMs,
    }));
    expect(message.ntResponse.subarray(16 + 8, 16 + 16).toString('hex')).toBe('0102030405060708');
  });

  it('refuses a server that offers no Unicode', () => {
    const challenge = { ...decodeChallenge(SPEC.challenge), flags: Flag.OEM | Flag.NTLM };
    expect(() => authenticateMessage({ negotiate: CHROMIUM.negotiate, challenge, credentials: { domain: 'D', user: 'u', password: 'secret-pw' } }))
      .toThrow(/OEM/);
  });

  it('round-trips plain fields through encode and decode', () => {
    const wire = encodeAuthenticate({ flags: 0x88201, lmResponse: Buffer.alloc(24, 1), ntResponse: Buffer.alloc(60, 2), domain: 'CONTOSO', user: 'pwa.admin', workstation: 'WS' });
    expect(decodeAuthenticate(wire)).toMatchObject({ flags: 0x88201, domain: 'CONTOSO', user: 'pwa.admin', workstation: 'WS' });
  });
});
