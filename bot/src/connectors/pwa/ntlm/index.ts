/** NTLM (NTLMv2, MS-NLMP) for Project Server on-premises: messages, NTLMv2 crypto, and a fetch. */
export { createNtlmFetch, type NtlmFetch, type NtlmFetchOptions } from './ntlm-fetch.js';
export { authenticateMessage, type AuthenticateOptions, type NtlmCredentials } from './handshake.js';
export { parseNtlmUser, displayNtlmUser, type NtlmUser } from './user.js';
export { encodeNegotiate, decodeNegotiate, CLIENT_NEGOTIATE_FLAGS, type NegotiateMessage } from './negotiate.js';
export { encodeChallenge, decodeChallenge, type ChallengeMessage, type ChallengeInput } from './challenge.js';
export { encodeAuthenticate, decodeAuthenticate, withoutMic, type AuthenticateMessage } from './authenticate.js';
export { decodeAvPairs, encodeAvPairs, avText, avTimestamp, findAv, fileTime, fileTimeToUnixMs, fileTimeBytes, type AvPair } from './av-pairs.js';
export { ntHash, ntowfv2, ntlmv2Blob, parseNtlmv2Blob, ntlmv2Response, messageIntegrityCode, hmacMd5 } from './ntlmv2.js';
export { AvId, Flag, AV_FLAG_MIC_PRESENT, hasFlag } from './constants.js';
export { NtlmError, messageType, versionBytes } from './wire.js';
export { md4 } from './md4.js';
