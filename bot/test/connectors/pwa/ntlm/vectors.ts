/**
 * Test vectors. MS-NLMP section 4.2 ("Cryptographic Values for Validation") as transcribed in
 * Chromium's net/ntlm/ntlm_test_data.h (chromium/chromium, BSD licence), which quotes the spec:
 * inputs of 4.2.1, NTOWFv1 of 4.2.2.1.2, NTOWFv2 of 4.2.4.1.1, SessionBaseKey of 4.2.4.1.2,
 * temp of 4.2.4.1.3, NTProofStr of 4.2.4.2.2 and the CHALLENGE message of 4.2.4.3.
 * The NEGOTIATE and AUTHENTICATE messages are Chromium's own output for that challenge (with a
 * MIC, EPA channel bindings and client timestamp), an independent implementation's bytes.
 */

const hex = (h: string): Buffer => Buffer.from(h.replace(/\s+/g, ''), 'hex');

export const SPEC = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  serverChallenge: hex('0123456789abcdef'),
  clientChallenge: hex('aaaaaaaaaaaaaaaa'),
  time: 0n,
  /** 4.2.2.1.2 NTOWFv1 (the NT hash, MD4 of UTF-16LE "Password"). */
  ntowfv1: hex('a4f49c406510bdcab6824ee7c30fd852'),
  /** 4.2.4.1.1 NTOWFv2. */
  ntowfv2: hex('0c868a403bfd7a93a3001ef22ef02e3f'),
  /** 4.2.4.1.2 SessionBaseKey. */
  sessionBaseKey: hex('8de40ccadbc14a82f15cb0ad0de95ca3'),
  /** 4.2.4 AV pairs: MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL. */
  targetInfo: hex('02000c0044006f006d00610069006e00 01000c00530065007200760065007200 00000000'),
  /** 4.2.4.1.3 temp (the blob). */
  temp: hex(`01010000000000000000000000000000aaaaaaaaaaaaaaaa00000000
    02000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000`),
  /** 4.2.4.2.2 NTProofStr. */
  ntProofStr: hex('68cd0ab851e51c96aabc927bebef6a1c'),
  /** 4.2.4.3 CHALLENGE_MESSAGE. */
  challenge: hex(`4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef0000000000000000
    2400240044000000060070170000000f53006500720076006500720002000c0044006f006d00610069006e00
    01000c0053006500720076006500720000000000`),
};

export const CHROMIUM = {
  /** kExpectedNegotiateMsg: flags 0x00088207, no VERSION. */
  negotiate: hex('4e544c4d53535000010000000782080000000000200000000000000020000000'),
  workstation: 'COMPUTER',
  spn: 'HTTP/Server',
  /** kClientTimestamp, FILETIME ticks (2017-05-23T20:13:07Z). */
  clientTimestamp: 131400439870000000n,
  clientTimeMs: 1495570387000,
  /** kExpectedChannelBindingHashV2 (EPA test data from a Microsoft Open Specifications blog post). */
  channelBindingsHash: hex('6586e99d81c2fc984e47172fd4dd0310'),
  /** kExpectedMicV2. */
  mic: hex('f7361633f0ad9bdf4a7c421bc6b824a3'),
  /** kExpectedAuthenticateMsgSpecResponseV2. */
  authenticate: hex(`4e544c4d535350000300000018001800580000008a008a00700000000c000c00fa000000080008000601
    0000100010000e0100000000000058000000038208000000000000000000f7361633f0ad9bdf4a7c421bc6b824a3
    0000000000000000000000000000000000000000000000008c0260dbef690662af9c42d50782d2ed010100000000
    0000800bc8fd00d4d201aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c0053006500
    720076006500720006000400020000000a0010006586e99d81c2fc984e47172fd4dd031009001600480054005400
    50002f00530065007200760065007200000000000000000044006f006d00610069006e0055007300650072004300
    4f004d0050005500540045005200`),
};
