import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGuardedAgents, pinnedLookup, type GuardedAgents } from '../../src/net/guarded-agent.js';
import type { Resolver } from '../../src/net/url-safety.js';
import { loopbackConnector, startFakeServer, type FakeServer } from './fake-server.js';

/** GET through an agent; resolves with the status or rejects with the connection error. */
function get(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject);
  });
}

describe('guarded agents pin the checked address at connect', () => {
  let server: FakeServer;
  let agents: GuardedAgents | undefined;
  beforeEach(async () => { server = await startFakeServer((_req, res) => { res.writeHead(200, { Connection: 'close' }); res.end('ok'); }); });
  afterEach(async () => { agents?.destroy(); agents = undefined; await server.close(); });

  it('refuses a name that turned private after it was checked (DNS rebinding), before sending a byte', async () => {
    const answers = [['20.1.2.3'], ['169.254.169.254']];
    const resolve: Resolver = async () => answers.shift() ?? ['10.0.0.1'];
    const connect = loopbackConnector(server);
    agents = createGuardedAgents({ policy: { localMode: false }, resolve, connect });
    // First socket: the name is public, the connector is asked for exactly that address.
    expect(await get('http://ado.contoso.test/first', agents.http, { Authorization: 'Basic cGF0' })).toBe(200);
    expect(connect.dialed).toEqual(['20.1.2.3']);
    // Second socket (the server closed the first): the name now points at metadata.
    await expect(get('http://ado.contoso.test/second', agents.http, { Authorization: 'Basic cGF0' })).rejects.toThrow(/169\.254\.169\.254.*cloud metadata/);
    expect(connect.dialed).toEqual(['20.1.2.3']);
    expect(server.requests.map((r) => r.url)).toEqual(['/first']);
  });

  it('refuses IP literals, mapped and NAT64 forms included, without dialing', async () => {
    const connect = loopbackConnector(server);
    agents = createGuardedAgents({ policy: { localMode: false }, resolve: async () => ['20.1.2.3'], connect });
    for (const url of ['http://[::ffff:a9fe:a9fe]/', 'http://[64:ff9b::a01:203]/', 'http://10.1.2.3/', 'http://[::1]/']) {
      await expect(get(url, agents.http)).rejects.toThrow(/private or internal address/);
    }
    await expect(get('https://[::ffff:a9fe:a9fe]/', agents.https as http.Agent)).rejects.toThrow(/cloud metadata/);
    expect(connect.dialed).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('connects through the pinned lookup only (real sockets, loopback in local mode)', async () => {
    const asked: string[] = [];
    agents = createGuardedAgents({ policy: { localMode: true }, resolve: async (host) => { asked.push(host); return ['127.0.0.1']; } });
    expect(await get(`http://pwa.simulator.test:${server.port}/sites/pwa`, agents.http)).toBe(200);
    expect(asked).toEqual(['pwa.simulator.test']);
    expect(server.requests).toHaveLength(1);
  });

  it('answers lookups with the checked addresses only, in the form asked for', () => {
    const lookup = pinnedLookup(['20.1.2.3', '2620:1ec:4::1']);
    const calls: unknown[] = [];
    lookup('any.name', { all: true }, (err, addresses) => calls.push([err, addresses]));
    lookup('any.name', { family: 6 }, (err, address, family) => calls.push([err, address, family]));
    lookup('any.name', {}, (err, address, family) => calls.push([err, address, family]));
    expect(calls).toEqual([
      [null, [{ address: '20.1.2.3', family: 4 }, { address: '2620:1ec:4::1', family: 6 }]],
      [null, '2620:1ec:4::1', 6],
      [null, '20.1.2.3', 4],
    ]);
    pinnedLookup(['20.1.2.3'])('any.name', { family: 6 }, (err) => expect((err as NodeJS.ErrnoException).code).toBe('ENOTFOUND'));
  });
});
