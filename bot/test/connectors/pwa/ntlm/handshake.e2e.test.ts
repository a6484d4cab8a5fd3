import { Agent, createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedAgents } from '../../../../src/net/guarded-agent.js';
import { createNtlmFetch, type NtlmFetch } from '../../../../src/connectors/pwa/ntlm/ntlm-fetch.js';
import { parseNtlmUser } from '../../../../src/connectors/pwa/ntlm/user.js';
import { NtlmError } from '../../../../src/connectors/pwa/ntlm/wire.js';
import { NTLM_DEMO_ACCOUNT, ntlmGate, ntlmIdentity } from '../../../../../sim/pwa/ntlm.js';

/** A plain node:http server behind the simulator's NTLM gate, on loopback. */
interface Probe {
  connections: number;
  /** The Authorization scheme + NTLM message type of each request ('-' when absent). */
  auth: string[];
  failures: string[];
  /** Answer the next authenticated request with a fresh 401, as a server whose session expired. */
  expireOnce: boolean;
  /** Close the connection after the CHALLENGE, as a proxy that does not keep connections. */
  closeAfterChallenge: boolean;
}

const demo = { domain: NTLM_DEMO_ACCOUNT.domain, user: NTLM_DEMO_ACCOUNT.username, password: NTLM_DEMO_ACCOUNT.password };

function describeAuth(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (!header) return '-';
  const [scheme, token = ''] = header.split(' ');
  return `${scheme} ${Buffer.from(token, 'base64').readUInt32LE(8)}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('NTLM handshake between createNtlmFetch and the simulator gate', () => {
  let server: Server;
  let base: string;
  const probe: Probe = { connections: 0, auth: [], failures: [], expireOnce: false, closeAfterChallenge: false };
  const clients: NtlmFetch[] = [];
  const client = (credentials = demo): NtlmFetch => {
    const made = createNtlmFetch({ credentials, origin: base });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        probe.auth.push(describeAuth(req));
        if (probe.expireOnce && !req.headers.authorization && ntlmIdentity(req)) {
          probe.expireOnce = false;
          res.writeHead(401, { 'www-authenticate': ['Negotiate', 'NTLM'], 'content-length': '0' });
          res.end();
          return;
        }
        if (probe.closeAfterChallenge) res.setHeader('connection', 'close');
        if (await ntlmGate(req, res, { onFailure: (reason) => probe.failures.push(reason) }) === 'handled') return;
        const body = await readBody(req);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ login: ntlmIdentity(req)?.login, method: req.method, body }));
      })().catch((err: unknown) => { res.statusCode = 500; res.end(String(err)); });
    });
    server.on('connection', () => { probe.connections += 1; });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const reset = (): void => {
    probe.connections = 0;
    probe.auth = [];
    probe.failures = [];
  };

  it('answers an anonymous request with 401 offering Negotiate and NTLM', async () => {
    const response = await fetch(`${base}/sites/pwa/_api/ProjectServer/Projects`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Negotiate, NTLM');
  });

  it('signs in the demo account, then reuses the authenticated connection with no new handshake', async () => {
    reset();
    const ntlm = client();
    const first = await ntlm(`${base}/sites/pwa/_api/ProjectServer/Projects`, { headers: { Accept: 'application/json' } });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ login: 'CONTOSO\\pwa.admin', method: 'GET', body: '' });
    expect(probe.auth).toEqual(['NTLM 1', 'NTLM 3']);

    const second = await ntlm(new URL(`${base}/sites/pwa/_api/ProjectServer/Projects('x')/Draft/Update()`), { method: 'POST', body: '{"a":1}' });
    expect(await second.json()).toEqual({ login: 'CONTOSO\\pwa.admin', method: 'POST', body: '{"a":1}' });
    expect(probe.auth).toEqual(['NTLM 1', 'NTLM 3', '-']);
    expect(probe.connections).toBe(1);
    expect(ntlm.stats).toEqual({ handshakes: 1, requests: 3 });
  });

  it('signs in with a UPN (user@domain) and with DOMAIN\\user parsed from one field', async () => {
    for (const signIn of ['pwa.admin@contoso.local', 'contoso\\pwa.admin']) {
      const ntlm = client({ ...parseNtlmUser(signIn), password: NTLM_DEMO_ACCOUNT.password });
      const response = await ntlm(`${base}/sites/pwa/_api/web`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { login: string }).login).toBe('CONTOSO\\pwa.admin');
    }
  });

  it('refuses a wrong password with 401, and the password appears nowhere', async () => {
    reset();
    const password = 'not-the-Pa$$w0rd';
    const ntlm = client({ ...demo, password });
    const response = await ntlm(`${base}/sites/pwa/_api/web`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).toContain('Access is denied');
    expect(response.headers.get('www-authenticate')).toContain('NTLM');
    expect(probe.failures).toEqual(['wrong password for CONTOSO\\pwa.admin']);
    expect(JSON.stringify([text, [...response.headers], probe])).not.toContain(password);
    // Nothing was bound to the connection: the next request handshakes again and is refused again.
    expect((await ntlm(`${base}/sites/pwa/_api/web`)).status).toBe(401);
    expect(ntlm.stats.handshakes).toBe(2);
  });

  it('handshakes again when the server answers 401 on the authenticated connection', async () => {
    const ntlm = client();
    expect((await ntlm(`${base}/sites/pwa/_api/web`)).status).toBe(200);
    reset();
    probe.expireOnce = true;
    const response = await ntlm(`${base}/sites/pwa/_api/web`);
    expect(response.status).toBe(200);
    expect(probe.auth).toEqual(['-', 'NTLM 1', 'NTLM 3']);
    expect(probe.connections).toBe(0);
    expect(ntlm.stats.handshakes).toBe(2);
  });

  it('handshakes on a new connection when the server closed the idle one', async () => {
    const ntlm = client();
    expect((await ntlm(`${base}/sites/pwa/_api/web`)).status).toBe(200);
    reset();
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await ntlm(`${base}/sites/pwa/_api/web`);
    expect(response.status).toBe(200);
    expect(probe.connections).toBe(1);
    expect(probe.auth).toEqual(['NTLM 1', 'NTLM 3']);
  });

  it('sends concurrent requests one at a time over one connection and one handshake', async () => {
    reset();
    const ntlm = client();
    const responses = await Promise.all([1, 2, 3, 4, 5].map((n) => ntlm(`${base}/sites/pwa/_api/web`, { method: 'POST', body: String(n) })));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await Promise.all(responses.map(async (r) => ((await r.json()) as { body: string }).body))).toEqual(['1', '2', '3', '4', '5']);
    expect(probe.connections).toBe(1);
    expect(ntlm.stats.handshakes).toBe(1);
  });

  it('says so when the connection does not survive the handshake', async () => {
    probe.closeAfterChallenge = true;
    try {
      await expect(client()(`${base}/sites/pwa/_api/web`)).rejects.toThrow(/closed the connection in the middle of the NTLM handshake/);
    } finally {
      probe.closeAfterChallenge = false;
    }
  });

  it('runs through the guarded agents (URL safety) when the PWA client passes them in', async () => {
    reset();
    const agents = createGuardedAgents({ policy: { localMode: true } }, { keepAlive: true, maxSockets: 1 });
    const ntlm = createNtlmFetch({ credentials: demo, origin: base, agent: agents.forProtocol('http:') });
    try {
      expect((await ntlm(`${base}/sites/pwa/_api/web`)).status).toBe(200);
      expect((await ntlm(`${base}/sites/pwa/_api/web`)).status).toBe(200);
      expect(probe.connections).toBe(1);
      expect(ntlm.stats.handshakes).toBe(1);
    } finally {
      agents.destroy();
    }
    const refused = createNtlmFetch({ credentials: demo, agent: createGuardedAgents({ policy: { localMode: false } }, { keepAlive: true, maxSockets: 1 }).http });
    await expect(refused(`${base}/sites/pwa/_api/web`)).rejects.toThrow(/loopback|local/i);
    expect(() => createNtlmFetch({ credentials: demo, agent: new Agent({ keepAlive: true }) })).toThrow(/maxSockets: 1/);
  });

  it('speaks NTLM under the Negotiate scheme to a server that offers only Negotiate', async () => {
    const negotiateOnly = createServer((req, res) => {
      void (async () => {
        if (!/^Negotiate /i.test(req.headers.authorization ?? '') && !ntlmIdentity(req)) {
          res.writeHead(401, { 'www-authenticate': 'Negotiate', 'content-length': '0' });
          res.end();
          return;
        }
        if (await ntlmGate(req, res) === 'handled') return;
        res.end(ntlmIdentity(req)?.login);
      })();
    });
    await new Promise<void>((resolve) => negotiateOnly.listen(0, '127.0.0.1', resolve));
    try {
      const ntlm = createNtlmFetch({ credentials: demo });
      clients.push(ntlm);
      const response = await ntlm(`http://127.0.0.1:${(negotiateOnly.address() as AddressInfo).port}/sites/pwa`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('CONTOSO\\pwa.admin');
    } finally {
      negotiateOnly.closeAllConnections();
      await new Promise((resolve) => negotiateOnly.close(resolve));
    }
  });

  it('refuses another origin, and a server that offers no NTLM', async () => {
    await expect(client()('http://127.0.0.2:1/sites/pwa')).rejects.toThrow(/not sent to 127\.0\.0\.2:1/);
    const basicOnly = createServer((_req, res) => { res.writeHead(401, { 'www-authenticate': 'Basic realm="pwa"', 'content-length': '0' }); res.end(); });
    await new Promise<void>((resolve) => basicOnly.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(basicOnly.address() as AddressInfo).port}/sites/pwa`;
      const ntlm = createNtlmFetch({ credentials: demo });
      clients.push(ntlm);
      const error = await ntlm(url).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(NtlmError);
      expect((error as Error).message).toMatch(/did not answer with an NTLM challenge \(it offers: Basic\)/);
      expect((error as Error).message).not.toContain(demo.password);
    } finally {
      basicOnly.closeAllConnections();
      await new Promise((resolve) => basicOnly.close(resolve));
    }
  });
});
