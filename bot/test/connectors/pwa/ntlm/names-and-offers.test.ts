import { describe, expect, it } from 'vitest';
import { displayNtlmUser, parseNtlmUser } from '../../../../src/connectors/pwa/ntlm/user.js';
import { authOffers, offerToken } from '../../../../src/connectors/pwa/ntlm/www-authenticate.js';

describe('parseNtlmUser', () => {
  it.each([
    ['CONTOSO\\pwa.admin', { domain: 'CONTOSO', user: 'pwa.admin' }],
    ['contoso.local\\pwa.admin', { domain: 'contoso.local', user: 'pwa.admin' }],
    ['pwa.admin@contoso.local', { domain: '', user: 'pwa.admin@contoso.local' }],
    ['  pwa.admin ', { domain: '', user: 'pwa.admin' }],
    ['.\\pwa.admin', { domain: '', user: 'pwa.admin' }],
  ])('%j', (text, expected) => {
    expect(parseNtlmUser(text)).toEqual(expected);
  });

  it('shows the name as Windows does', () => {
    expect(displayNtlmUser({ domain: 'CONTOSO', user: 'pwa.admin' })).toBe('CONTOSO\\pwa.admin');
    expect(displayNtlmUser({ domain: '', user: 'pwa.admin@contoso.local' })).toBe('pwa.admin@contoso.local');
  });
});

describe('authOffers (WWW-Authenticate)', () => {
  it('reads one header per scheme, as IIS sends them', () => {
    const offers = authOffers(['WWW-Authenticate', 'Negotiate', 'www-authenticate', 'NTLM', 'Content-Length', '0']);
    expect(offers).toEqual([{ scheme: 'Negotiate' }, { scheme: 'NTLM' }]);
  });

  it('finds the token in a comma-joined header beside Basic parameters', () => {
    const offers = authOffers(['WWW-Authenticate', 'Basic realm="pwa, on-prem", charset="UTF-8", NTLM TlRMTVNTUAACAAAA==']);
    expect(offers.map((o) => o.scheme)).toEqual(['Basic', 'NTLM']);
    expect(offerToken(offers, 'ntlm')).toBe('TlRMTVNTUAACAAAA==');
    expect(offerToken(offers, 'Negotiate')).toBeUndefined();
  });
});
