import { describe, expect, it } from 'vitest';
import { checkUrl, checkUrlText, MAX_URL_LENGTH, resolveChecked, UnsafeUrlError, withoutCredentials, type UrlPolicy } from '../../src/net/url-safety.js';

const cloud: UrlPolicy = { localMode: false };
const onPrem: UrlPolicy = { localMode: false, allowPrivateNetwork: true };
const local: UrlPolicy = { localMode: true };

function refusal(run: () => unknown): UnsafeUrlError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(UnsafeUrlError);
    return e as UnsafeUrlError;
  }
  throw new Error('accepted');
}

async function asyncRefusal(run: () => Promise<unknown>): Promise<UnsafeUrlError> {
  const err = await run().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UnsafeUrlError);
  return err as UnsafeUrlError;
}

describe('the URL policy', () => {
  it.each([
    'https://[::ffff:169.254.169.254]/',
    'https://[::ffff:10.1.2.3]/tfs/DefaultCollection',
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://169.254.169.254/sites/pwa',
    'https://10.1.2.3/sites/pwa',
    'https://0x7f000001/',
    'https://[::1]:8443/',
    'https://localhost/sites/pwa',
    'https://127.1/',
  ])('refuses %s in authenticated mode without resolving anything', (url) => {
    expect(refusal(() => checkUrlText(url, cloud)).reason).toBe('address');
  });

  it('lets PLANBRIDGE_ALLOW_PRIVATE_NETWORK open private ranges only, never loopback or metadata', () => {
    expect(checkUrlText('https://10.1.2.3/tfs/Main', onPrem).hostname).toBe('10.1.2.3');
    expect(checkUrlText('https://[::ffff:10.1.2.3]/', onPrem).hostname).toBe('[::ffff:a01:203]');
    expect(refusal(() => checkUrlText('https://169.254.169.254/', onPrem)).message).toMatch(/cloud metadata/);
    expect(refusal(() => checkUrlText('https://127.0.0.1/', onPrem)).message).toMatch(/loopback/);
  });

  it('keeps local mode working for the simulators, and still refuses metadata', () => {
    expect(checkUrlText('http://127.0.0.1:8081/contoso', local).port).toBe('8081');
    expect(checkUrlText('http://localhost:8082/sites/pwa', local).port).toBe('8082');
    expect(checkUrlText('http://[::1]:8082/sites/pwa', local).port).toBe('8082');
    expect(checkUrlText('https://10.0.0.5/tfs/Main', local).hostname).toBe('10.0.0.5');
    expect(refusal(() => checkUrlText('http://10.0.0.5/tfs/Main', local)).reason).toBe('scheme');
    expect(refusal(() => checkUrlText('https://[::ffff:a9fe:a9fe]/', local)).reason).toBe('address');
  });

  it('refuses other schemes, plain http outside local loopback, credentials and overlong URLs', () => {
    expect(refusal(() => checkUrlText('ftp://dev.azure.com/contoso', cloud)).reason).toBe('scheme');
    expect(refusal(() => checkUrlText('file:///etc/passwd', cloud)).reason).toBe('scheme');
    expect(refusal(() => checkUrlText('http://dev.azure.com/contoso', cloud)).reason).toBe('scheme');
    expect(refusal(() => checkUrlText('http://127.0.0.1:8081/contoso', cloud)).reason).toBe('scheme');
    const creds = refusal(() => checkUrlText('https://pm:Secret123@contoso.sharepoint.com/sites/pwa', cloud));
    expect(creds.reason).toBe('credentials');
    expect(creds.message).not.toContain('Secret123');
    expect(refusal(() => checkUrlText(`https://dev.azure.com/${'a'.repeat(MAX_URL_LENGTH)}`, cloud)).reason).toBe('too-long');
    expect(refusal(() => checkUrlText('not a url', cloud)).reason).toBe('invalid');
  });

  it('checks every address a name resolves to, with the injected resolver', async () => {
    const resolve = (answer: string[]) => async () => answer;
    expect(await resolveChecked('ado.contoso.com', cloud, resolve(['20.1.2.3', '2620:1ec:4::1']))).toEqual(['20.1.2.3', '2620:1ec:4::1']);
    const mixed = await asyncRefusal(() => resolveChecked('ado.contoso.com', cloud, resolve(['20.1.2.3', '::ffff:a9fe:a9fe'])));
    expect(mixed.message).toMatch(/ado\.contoso\.com resolves to a private or internal address \(::ffff:a9fe:a9fe\)/);
    expect((await asyncRefusal(() => resolveChecked('ado.contoso.com', cloud, resolve(['64:ff9b::a01:203'])))).reason).toBe('address');
    expect((await asyncRefusal(() => resolveChecked('nowhere.invalid', cloud, async () => { throw new Error('ENOTFOUND'); }))).reason).toBe('unresolvable');
    expect((await asyncRefusal(() => resolveChecked('empty.example', cloud, resolve([])))).reason).toBe('unresolvable');
    expect(await resolveChecked('ado.corp', onPrem, resolve(['10.0.0.1']))).toEqual(['10.0.0.1']);
    await expect(checkUrl('https://pwa.contoso.com/sites/pwa', cloud, { resolve: resolve(['10.0.0.1']) })).rejects.toThrow(/PLANBRIDGE_ALLOW_PRIVATE_NETWORK/);
  });

  it('strips credentials before a refused URL is shown again', () => {
    expect(withoutCredentials('https://pm:Secret123@contoso.sharepoint.com/sites/pwa')).toBe('https://contoso.sharepoint.com/sites/pwa');
    expect(withoutCredentials('pm:Secret123@contoso.sharepoint.com/sites/pwa')).toBe('contoso.sharepoint.com/sites/pwa');
    expect(withoutCredentials('https://dev.azure.com/contoso?mail=a@b')).toBe('https://dev.azure.com/contoso?mail=a@b');
  });
});
