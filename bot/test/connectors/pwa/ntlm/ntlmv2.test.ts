import { describe, expect, it } from 'vitest';
import { decodeAvPairs, encodeAvPairs } from '../../../../src/connectors/pwa/ntlm/av-pairs.js';
import { ntHash, ntlmv2Blob, ntlmv2Response, ntowfv2, parseNtlmv2Blob } from '../../../../src/connectors/pwa/ntlm/ntlmv2.js';
import { SPEC } from './vectors.js';

describe('NTLMv2 against MS-NLMP 4.2.4 (User / Domain / Password)', () => {
  it('NT hash (NTOWFv1, 4.2.2.1.2) through the pure MD4', () => {
    expect(ntHash(SPEC.password).toString('hex')).toBe(SPEC.ntowfv1.toString('hex'));
  });

  it('NTOWFv2 (4.2.4.1.1) upper-cases the user only', () => {
    expect(ntowfv2(SPEC.password, SPEC.user, SPEC.domain).toString('hex')).toBe(SPEC.ntowfv2.toString('hex'));
    expect(ntowfv2(SPEC.password, 'user', SPEC.domain).equals(SPEC.ntowfv2)).toBe(true);
    expect(ntowfv2(SPEC.password, SPEC.user, 'DOMAIN').equals(SPEC.ntowfv2)).toBe(false);
  });

  it('builds the blob ("temp", 4.2.4.1.3) from time 0, the client challenge and the AV pairs', () => {
    const blob = ntlmv2Blob(SPEC.time, SPEC.clientChallenge, SPEC.targetInfo);
    expect(blob.toString('hex')).toBe(SPEC.temp.toString('hex'));
    const fields = parseNtlmv2Blob(blob);
    expect(fields.timestamp).toBe(0n);
    expect(fields.clientChallenge.equals(SPEC.clientChallenge)).toBe(true);
    expect(decodeAvPairs(fields.targetInfo)).toHaveLength(2);
  });

  it('NTProofStr (4.2.4.2.2), the NTLMv2 response and SessionBaseKey (4.2.4.1.2)', () => {
    const response = ntlmv2Response(SPEC.ntowfv2, SPEC.serverChallenge, SPEC.temp);
    expect(response.proof.toString('hex')).toBe(SPEC.ntProofStr.toString('hex'));
    expect(response.ntResponse.toString('hex')).toBe(Buffer.concat([SPEC.ntProofStr, SPEC.temp]).toString('hex'));
    expect(response.sessionBaseKey.toString('hex')).toBe(SPEC.sessionBaseKey.toString('hex'));
  });

  it('the AV pairs of 4.2.4 round-trip', () => {
    const pairs = decodeAvPairs(SPEC.targetInfo);
    expect(pairs.map((p) => [p.id, p.value.toString('utf16le')])).toEqual([[2, 'Domain'], [1, 'Server']]);
    expect(encodeAvPairs(pairs).equals(SPEC.targetInfo)).toBe(true);
  });

  it('refuses an NTLMv1-shaped blob', () => {
    expect(() => parseNtlmv2Blob(Buffer.alloc(8))).toThrow(/NTLMv2/);
  });
});
