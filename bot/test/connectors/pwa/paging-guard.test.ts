import { afterEach, describe, expect, it } from 'vitest';
import { PwaClient } from '../../../src/connectors/pwa/client.js';
import { PlanConnectorError } from '../../../src/connectors/ppm.js';
import { MAX_PAGES } from '../../../src/net/next-links.js';
import { startFakeServer, type FakeServer } from '../../net/fake-server.js';

/** A PWA site that pages wrongly: reading by next-page links must stop, never go round for ever. */
describe('PWA client: a collection read by next-page links', () => {
  const servers: FakeServer[] = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  async function read(next: (n: number, origin: string) => string): Promise<{ err: unknown; requests: number }> {
    let n = 0;
    let origin = '';
    const server = await startFakeServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json;odata=nometadata' });
      res.end(JSON.stringify({ value: [{ Id: `p${n}` }], 'odata.nextLink': next(n++, origin) }));
    });
    servers.push(server);
    origin = server.origin;
    const client = new PwaClient({ siteUrl: `${origin}/sites/pwa`, auth: { kind: 'oauth', getAccessToken: async () => 'token' } });
    const err = await client.getAll('ProjectServer/Projects').then(() => null, (e: unknown) => e);
    return { err, requests: server.requests.length };
  }

  it('stops when the server sends a link it sent before', async () => {
    const { err, requests } = await read((_n, origin) => `${origin}/sites/pwa/_api/ProjectServer/Projects?$skiptoken=same`);
    expect(err).toBeInstanceOf(PlanConnectorError);
    expect((err as PlanConnectorError).message).toMatch(/sent the same next-page link twice while listing/);
    expect(requests).toBe(2);
  });

  it('stops past MAX_PAGES when every link is new', async () => {
    const { err, requests } = await read((n, origin) => `${origin}/sites/pwa/_api/ProjectServer/Projects?$skiptoken=${n}`);
    expect((err as PlanConnectorError).message).toMatch(new RegExp(`kept sending next-page links past ${MAX_PAGES} pages`));
    expect(requests).toBe(MAX_PAGES);
  });
});
