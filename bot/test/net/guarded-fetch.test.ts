import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch, type FetchLike } from '../../src/net/guarded-fetch.js';
import { UnsafeUrlError } from '../../src/net/url-safety.js';
import { json, loopbackConnector, startFakeServer, type FakeServer } from './fake-server.js';

describe('guarded fetch', () => {
  const servers: FakeServer[] = [];
  let fetcher: FetchLike | undefined;
  afterEach(async () => { fetcher?.close(); fetcher = undefined; await Promise.all(servers.splice(0).map((s) => s.close())); });
  const start = async (handler: Parameters<typeof startFakeServer>[0]) => { const s = await startFakeServer(handler); servers.push(s); return s; };

  it('never follows a redirect, so the credential stays with the first server', async () => {
    const elsewhere = await start((_req, res) => json(res, { stolen: true }));
    const site = await start((_req, res) => { res.writeHead(302, { Location: `${elsewhere.origin}/latest/meta-data` }); res.end(); });
    fetcher = createGuardedFetch({ policy: { localMode: true }, what: 'Project Web App' });
    const err = await fetcher(`${site.origin}/sites/pwa/_api/ProjectServer/Projects`, { headers: { Authorization: 'Bearer secret-token' } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafeUrlError);
    expect((err as UnsafeUrlError).reason).toBe('redirect');
    expect((err as Error).message).toContain(`redirect (302) to 127.0.0.1:${elsewhere.port}`);
    expect((err as Error).message).not.toContain('secret-token');
    expect(elsewhere.requests).toEqual([]);
  });

  it('refuses another origin than the connected one (a server-chosen paging link)', async () => {
    const site = await start((_req, res) => json(res, {}));
    fetcher = createGuardedFetch({ policy: { localMode: true }, origin: site.origin });
    await expect(fetcher('http://127.0.0.2:1/sites/pwa/_api/next')).rejects.toMatchObject({ reason: 'other-origin' });
    expect(site.requests).toEqual([]);
  });

  it('refuses a private site in authenticated mode before connecting, with the injected connector unused', async () => {
    const site = await start((_req, res) => json(res, {}));
    const connect = loopbackConnector(site);
    fetcher = createGuardedFetch({ policy: { localMode: false }, resolve: async () => ['10.1.2.3'], connect });
    await expect(fetcher('https://10.1.2.3/sites/pwa/_api/web')).rejects.toThrow(/10\.1\.2\.3 is a private or internal address/);
    await expect(fetcher('https://169.254.169.254/sites/pwa/_api/web')).rejects.toThrow(/cloud metadata/);
    await expect(fetcher('https://pwa.contoso.test/sites/pwa/_api/web')).rejects.toThrow(/resolves to a private or internal address \(10\.1\.2\.3\)/);
    expect(connect.dialed).toEqual([]);
    expect(site.requests).toEqual([]);
  });

  it('sends method, headers and body, and hands back status, headers and body', async () => {
    let received = '';
    const site = await start((req, res) => { json(res, { ok: true, method: req.method, type: req.headers['content-type'] }, 201); });
    const connect = loopbackConnector(site);
    fetcher = createGuardedFetch({ policy: { localMode: false }, resolve: async () => ['20.1.2.3'], connect, origin: 'https://pwa.contoso.test' });
    const res = await fetcher(new URL('https://pwa.contoso.test/sites/pwa/_api/x'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    received = await res.text();
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(received)).toEqual({ ok: true, method: 'POST', type: 'application/json' });
    expect(connect.dialed).toEqual(['20.1.2.3']);
    expect(site.requests[0]!.headers.host).toBe('pwa.contoso.test');
  });

  it('gives a 204 an empty body', async () => {
    const site = await start((_req, res) => { res.writeHead(204); res.end(); });
    fetcher = createGuardedFetch({ policy: { localMode: true } });
    const res = await fetcher(`${site.origin}/x`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });
});
