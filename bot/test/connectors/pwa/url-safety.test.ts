import { afterEach, describe, expect, it } from 'vitest';
import { PwaClient } from '../../../src/connectors/pwa/client.js';
import { PwaConnector } from '../../../src/connectors/pwa/connector.js';
import type { PwaAuth } from '../../../src/connectors/pwa/auth.js';
import { PlanConnectorError } from '../../../src/connectors/ppm.js';
import { json, loopbackConnector, startFakeServer, type FakeServer } from '../../net/fake-server.js';

const bearer: PwaAuth = { kind: 'oauth', getAccessToken: async () => 'bearer-that-must-stay-home' };
const onprem: PwaAuth = { kind: 'onprem', username: 'CONTOSO\\pm', password: 'password-that-must-stay-home' };

async function failure(p: Promise<unknown>): Promise<PlanConnectorError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(PlanConnectorError);
  return err as PlanConnectorError;
}

/** Defect 5 for Project Web App: the URL guard now stands in front of every PWA request. */
describe('PWA client URL safety', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
  const start = async (handler: Parameters<typeof startFakeServer>[0]) => { const s = await startFakeServer(handler); servers.push(s); return s; };

  it.each([
    ['https://169.254.169.254/sites/pwa', bearer, /cloud metadata/],
    ['https://10.1.2.3/sites/pwa', onprem, /10\.1\.2\.3 is a private or internal address/],
    ['https://[::ffff:a9fe:a9fe]/sites/pwa', bearer, /cloud metadata/],
  ] as const)('sends no credential to %s', async (siteUrl, auth, message) => {
    const pwa = await start((_req, res) => json(res, { value: [] }));
    const connect = loopbackConnector(pwa);
    const client = new PwaClient({ siteUrl, auth, urlPolicy: { localMode: false }, resolve: async () => ['20.1.2.3'], connect });
    const err = await failure(client.getAll('ProjectServer/Projects'));
    expect(err.message).toMatch(message);
    expect(err.needsAttention).toBe(true);
    expect(connect.dialed).toEqual([]);
    expect(pwa.requests).toEqual([]);
  });

  it('refuses them in the connector as the bot builds it (no policy passed)', async () => {
    for (const siteUrl of ['https://169.254.169.254/sites/pwa', 'https://10.1.2.3/sites/pwa']) {
      const err = await failure(new PwaConnector({ siteUrl, auth: onprem }).verifyAccess());
      expect(err.message).toMatch(/private or internal address/);
    }
  });

  it('refuses a site name that turns private after the first connection (DNS rebinding)', async () => {
    const pwa = await start((_req, res) => { res.setHeader('Connection', 'close'); json(res, { value: [] }); });
    const connect = loopbackConnector(pwa);
    const answers = [['20.1.2.3']];
    const client = new PwaClient({ siteUrl: 'https://pwa.contoso.test/sites/pwa', auth: bearer, urlPolicy: { localMode: false }, resolve: async () => answers.shift() ?? ['127.0.0.1'], connect });
    expect(await client.getAll('ProjectServer/Projects')).toEqual([]);
    const err = await failure(client.getAll('ProjectServer/Projects'));
    expect(err.message).toMatch(/resolves to a private or internal address \(127\.0\.0\.1\)/);
    expect(connect.dialed).toEqual(['20.1.2.3']);
    expect(pwa.requests).toHaveLength(1);
  });

  it('does not follow a redirect or a paging link to another server', async () => {
    const elsewhere = await start((_req, res) => json(res, { value: [] }));
    const redirecting = await start((_req, res) => { res.writeHead(302, { Location: `${elsewhere.origin}/steal` }); res.end(); });
    const client = new PwaClient({ siteUrl: `${redirecting.origin}/sites/pwa`, auth: bearer });
    expect((await failure(client.getAll('ProjectServer/Projects'))).message).toMatch(/redirect \(302\)/);

    const paging = await start((_req, res) => json(res, { value: [{ Id: '1' }], 'odata.nextLink': `${elsewhere.origin}/sites/pwa/_api/ProjectServer/Projects?$skip=1` }));
    const pager = new PwaClient({ siteUrl: `${paging.origin}/sites/pwa`, auth: bearer });
    expect((await failure(pager.getAll('ProjectServer/Projects'))).message).toMatch(/only sends credentials to the address you connected/);
    expect(elsewhere.requests).toEqual([]);
  });
});
