import { describe, expect, it } from 'vitest';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { assertPublicHost, isPrivateAddress, parseAdoUrl } from '../../../src/connectors/ado/url.js';

const cloud = { localMode: false };
const local = { localMode: true };
const reject = (input: string, mode = cloud): string => {
  try {
    parseAdoUrl(input, mode);
  } catch (e) {
    expect(e).toBeInstanceOf(AdoConnectorError);
    return (e as Error).message;
  }
  throw new Error(`${input} was accepted`);
};

describe('ADO URL handling', () => {
  it.each([
    ['https://dev.azure.com/contoso', 'services', 'https://dev.azure.com/contoso', 'contoso'],
    ['dev.azure.com/contoso/', 'services', 'https://dev.azure.com/contoso', 'contoso'],
    ['https://dev.azure.com/contoso/_apis', 'services', 'https://dev.azure.com/contoso', 'contoso'],
    ['https://contoso.visualstudio.com', 'visualstudio', 'https://contoso.visualstudio.com', 'contoso'],
    ['https://contoso.visualstudio.com/DefaultCollection/', 'visualstudio', 'https://contoso.visualstudio.com', 'contoso'],
    ['https://ado.contoso.com/tfs/DefaultCollection', 'server', 'https://ado.contoso.com/tfs/DefaultCollection', 'DefaultCollection'],
    ['https://ado.contoso.com:8443/tfs/Main/', 'server', 'https://ado.contoso.com:8443/tfs/Main', 'Main'],
    ['https://devops.contoso.com/Collection1', 'server', 'https://devops.contoso.com/Collection1', 'Collection1'],
  ])('normalizes %s', (input, kind, url, name) => {
    expect(parseAdoUrl(input, cloud)).toMatchObject({ kind, url, name });
  });

  it('explains each common mistake', () => {
    expect(reject('https://dev.azure.com/')).toMatch(/no organization.*dev\.azure\.com\/\{organization\}/);
    expect(reject('https://dev.azure.com/contoso/Phoenix')).toMatch(/project URL \(project "Phoenix"\).*https:\/\/dev\.azure\.com\/contoso/);
    expect(reject('https://dev.azure.com/contoso/Phoenix/_boards/board')).toMatch(/project URL/);
    expect(reject('https://contoso.visualstudio.com/Phoenix')).toMatch(/project URL.*https:\/\/contoso\.visualstudio\.com/);
    expect(reject('https://ado.contoso.com/tfs/DefaultCollection/Phoenix')).toMatch(/project URL.*\/tfs\/DefaultCollection/);
    expect(reject('https://ado.contoso.com/tfs')).toMatch(/no collection.*\/tfs\/DefaultCollection/);
    expect(reject('contoso')).toMatch(/organization name.*https:\/\/dev\.azure\.com\/contoso/);
    expect(reject('ftp://dev.azure.com/contoso')).toMatch(/https:\/\//);
    expect(reject('https://user:secret@dev.azure.com/contoso')).not.toContain('secret');
  });

  it('refuses http:// except to loopback in local mode', () => {
    expect(reject('http://dev.azure.com/contoso')).toMatch(/Use https:\/\//);
    expect(reject('http://127.0.0.1:8081/contoso')).toMatch(/local simulator/);
    expect(parseAdoUrl('http://127.0.0.1:8081/contoso', local).url).toBe('http://127.0.0.1:8081/contoso');
    expect(reject('http://10.0.0.5/tfs/DefaultCollection', local)).toMatch(/Use https:\/\//);
  });

  it.each(['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])('treats %s as private', (a) => {
    expect(isPrivateAddress(a)).toBe(true);
  });

  it.each(['13.107.6.183', '172.32.0.1', '8.8.8.8', '2620:1ec:4::1'])('treats %s as public', (a) => {
    expect(isPrivateAddress(a)).toBe(false);
  });

  it('refuses hosts that resolve to internal addresses in authenticated mode', async () => {
    const org = parseAdoUrl('https://ado.contoso.com/tfs/DefaultCollection', cloud);
    await expect(assertPublicHost(org, { localMode: false, resolve: async () => ['169.254.169.254'] })).rejects.toThrow(/private or internal address \(169\.254\.169\.254\)/);
    await expect(assertPublicHost(org, { localMode: false, resolve: async () => ['20.1.2.3', '10.0.0.1'] })).rejects.toThrow(/10\.0\.0\.1/);
    await expect(assertPublicHost(org, { localMode: false, resolve: async () => ['20.1.2.3'] })).resolves.toBeUndefined();
    await expect(assertPublicHost(org, { localMode: false, allowPrivateNetwork: true, resolve: async () => ['10.0.0.1'] })).resolves.toBeUndefined();
    await expect(assertPublicHost(org, { localMode: false, resolve: async () => { throw new Error('ENOTFOUND'); } })).rejects.toThrow(/could not be resolved/);
  });
});
