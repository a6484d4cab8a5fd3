import { describe, expect, it } from 'vitest';
import { decodeChallenge } from '../../../../src/connectors/pwa/ntlm/challenge.js';
import { AvId } from '../../../../src/connectors/pwa/ntlm/constants.js';
import { authenticateMessage } from '../../../../src/connectors/pwa/ntlm/handshake.js';
import { avText, avTimestamp, fileTimeToUnixMs } from '../../../../src/connectors/pwa/ntlm/av-pairs.js';
import { encodeNegotiate } from '../../../../src/connectors/pwa/ntlm/negotiate.js';
import { challengeFor, NTLM_DEMO_ACCOUNT, NTLM_DEMO_SERVER, NTLM_MAX_LIFETIME_MS, verifyAuthenticate, type NtlmAccount } from '../../../../../sim/pwa/ntlm.js';
import { CHROMIUM, SPEC } from './vectors.js';

const specAccount: NtlmAccount = { domain: 'Domain', dnsDomain: 'domain.test', username: 'User', password: 'Password' };
const specPending = { negotiate: CHROMIUM.negotiate, challenge: SPEC.challenge, serverChallenge: SPEC.serverChallenge, scheme: 'NTLM' };

describe('the simulator checks AUTHENTICATE messages', () => {
  it("accepts Chromium's message for the MS-NLMP challenge (proof and MIC from another implementation)", () => {
    const result = verifyAuthenticate({ pending: specPending, authenticate: CHROMIUM.authenticate, accounts: [specAccount], now: CHROMIUM.clientTimeMs });
    expect(result).toEqual({ ok: true, identity: { domain: 'Domain', username: 'User', login: 'Domain\\User' } });
  });

  it('refuses the same message for another password, a tampered MIC, or outside MaxLifetime', () => {
    const wrong = verifyAuthenticate({ pending: specPending, authenticate: CHROMIUM.authenticate, accounts: [{ ...specAccount, password: 'Password1' }], now: CHROMIUM.clientTimeMs });
    expect(wrong).toEqual({ ok: false, reason: 'wrong password for Domain\\User' });
    const tampered = Buffer.from(CHROMIUM.authenticate);
    tampered[280] = tampered[280]! ^ 1; // a byte of the workstation name: only the MIC notices
    expect(verifyAuthenticate({ pending: specPending, authenticate: tampered, accounts: [specAccount], now: CHROMIUM.clientTimeMs }))
      .toEqual({ ok: false, reason: 'MIC mismatch (messages altered)' });
    expect(verifyAuthenticate({ pending: specPending, authenticate: CHROMIUM.authenticate, accounts: [specAccount], now: CHROMIUM.clientTimeMs + NTLM_MAX_LIFETIME_MS + 1 }))
      .toMatchObject({ ok: false, reason: expect.stringMatching(/MaxLifetime/) });
  });

  it('issues a challenge with the NetBIOS and DNS names and its own timestamp', () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const challenge = decodeChallenge(challengeFor(NTLM_DEMO_SERVER, now));
    expect(challenge.targetName).toBe('CONTOSO');
    expect(avText(challenge.targetInfo, AvId.NB_DOMAIN_NAME)).toBe('CONTOSO');
    expect(avText(challenge.targetInfo, AvId.NB_COMPUTER_NAME)).toBe('PWA01');
    expect(avText(challenge.targetInfo, AvId.DNS_DOMAIN_NAME)).toBe('contoso.local');
    expect(avText(challenge.targetInfo, AvId.DNS_COMPUTER_NAME)).toBe('pwa01.contoso.local');
    expect(fileTimeToUnixMs(avTimestamp(challenge.targetInfo)!)).toBe(now);
  });

  it.each([
    ['CONTOSO', 'pwa.admin'], ['contoso', 'PWA.ADMIN'], ['contoso.local', 'pwa.admin'], ['', 'pwa.admin@contoso.local'], ['', 'pwa.admin'],
  ])('knows the demo account as %j \\ %j', (domain, user) => {
    const now = Date.now();
    const negotiate = encodeNegotiate();
    const raw = challengeFor(NTLM_DEMO_SERVER, now);
    const authenticate = authenticateMessage({ negotiate, challenge: decodeChallenge(raw), credentials: { domain, user, password: NTLM_DEMO_ACCOUNT.password } });
    const pending = { negotiate, challenge: raw, serverChallenge: raw.subarray(24, 32), scheme: 'NTLM' };
    expect(verifyAuthenticate({ pending, authenticate, accounts: [NTLM_DEMO_ACCOUNT], now })).toMatchObject({ ok: true, identity: { login: 'CONTOSO\\pwa.admin' } });
  });

  it('refuses NTLMv1 and unknown accounts', () => {
    const now = Date.now();
    const negotiate = encodeNegotiate();
    const raw = challengeFor(NTLM_DEMO_SERVER, now);
    const pending = { negotiate, challenge: raw, serverChallenge: raw.subarray(24, 32), scheme: 'NTLM' };
    const other = authenticateMessage({ negotiate, challenge: decodeChallenge(raw), credentials: { domain: 'CONTOSO', user: 'mallory', password: 'x' } });
    expect(verifyAuthenticate({ pending, authenticate: other, accounts: [NTLM_DEMO_ACCOUNT], now })).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown account/) });
    const v1 = Buffer.from(other);
    v1.writeUInt16LE(24, 20); // NT response length 24: an NTLMv1 response
    expect(verifyAuthenticate({ pending, authenticate: v1, accounts: [NTLM_DEMO_ACCOUNT], now })).toMatchObject({ ok: false, reason: expect.stringMatching(/NTLMv2 only/) });
  });
});
