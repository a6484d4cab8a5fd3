import { afterEach, describe, expect, it } from 'vitest';
import { AdoConnector } from '../../../src/connectors/ado/connector.js';
import { AdoConnectorError } from '../../../src/connectors/ado/errors.js';
import { isPrivateAddress } from '../../../src/connectors/ado/index.js';
import { ADO_DEMO_PATS, startAdoSimulator } from '../../../../sim/ado/server.js';
import { loopbackConnector, startFakeServer, type FakeServer } from '../../net/fake-server.js';

async function failure(p: Promise<unknown>): Promise<AdoConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdoConnectorError);
  return err as AdoConnectorError;
}

const PAT = 'pat-that-must-stay-home';

/** Defect 5 for Azure DevOps: no way past the URL guard with the PAT. */
describe('ADO connector URL safety', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
  const start = async (handler: Parameters<typeof startFakeServer>[0]) => { const s = await startFakeServer(handler); servers.push(s); return s; };

  it.each(['::ffff:a9fe:a9fe', '::ffff:a01:203', '64:ff9b::a9fe:a9fe', '::ffff:0:a9fe:a9fe', '2002:a9fe:a9fe::'])('sees the IPv4 address inside %s (the URL parser\'s hex form)', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it('does not follow a redirect with the PAT', async () => {
    const metadata = await start((_req, res) => { res.end('{}'); });
    const ado = await start((_req, res) => { res.writeHead(302, { Location: `${metadata.origin}/metadata/identity/oauth2/token` }); res.end(); });
    const c = new AdoConnector({ url: `${ado.origin}/tfs/DefaultCollection`, pat: PAT, localMode: true });
    const err = await failure(c.checkConnection());
    expect(err.code).toBe('invalid-url');
    expect(err.message).toMatch(/redirect \(302\).*does not follow redirects/);
    expect(metadata.requests).toEqual([]);
    await c.dispose();
  });

  it.each([
    'https://[::ffff:169.254.169.254]/tfs/DefaultCollection',
    'https://[::ffff:10.1.2.3]/tfs/DefaultCollection',
    'https://[64:ff9b::a9fe:a9fe]/tfs/DefaultCollection',
  ])('refuses %s in authenticated mode without opening a socket', async (url) => {
    const ado = await start((_req, res) => { res.end('{}'); });
    const connect = loopbackConnector(ado);
    const err = await (async () => {
      try {
        return await failure(new AdoConnector({ url, pat: PAT, localMode: false, resolve: async () => ['20.1.2.3'], connect }).checkConnection());
      } catch (e) {
        expect(e).toBeInstanceOf(AdoConnectorError); // refused while parsing the URL
        return e as AdoConnectorError;
      }
    })();
    expect(err.code).toBe('invalid-url');
    expect(err.message).toMatch(/private or internal address/);
    expect(connect.dialed).toEqual([]);
    expect(ado.requests).toEqual([]);
  });

  it('refuses a name that turns private between the check and the connect (DNS rebinding)', async () => {
    const ado = await start((_req, res) => { res.end('{}'); });
    const connect = loopbackConnector(ado);
    const answers = [['20.1.2.3']];
    const c = new AdoConnector({ url: 'https://ado.contoso.test/tfs/DefaultCollection', pat: PAT, localMode: false, resolve: async () => answers.shift() ?? ['10.0.0.7'], connect });
    const err = await failure(c.checkConnection());
    expect(err.code).toBe('invalid-url');
    expect(err.needsAttention).toBe(true);
    expect(err.message).toMatch(/ado\.contoso\.test resolves to a private or internal address \(10\.0\.0\.7\)/);
    expect(connect.dialed).toEqual([]);
    expect(ado.requests).toEqual([]);
    await c.dispose();
  });

  it('works in authenticated mode through the checked address only', async () => {
    const sim = await startAdoSimulator({ mode: 'server2019' });
    try {
      const simServer = { port: Number(new URL(sim.url).port) } as FakeServer;
      const connect = loopbackConnector(simServer);
      const org = new URL(sim.url).pathname;
      const c = new AdoConnector({ url: `https://ado.contoso.test${org}`, pat: ADO_DEMO_PATS.fullAccess, localMode: false, resolve: async () => ['20.1.2.3'], connect });
      const report = await c.checkConnection();
      expect(report.missing).toEqual([]);
      expect(connect.dialed.length).toBeGreaterThan(0);
      expect(new Set(connect.dialed)).toEqual(new Set(['20.1.2.3']));
      await c.dispose();
    } finally {
      await sim.close();
    }
  });
});
