import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestGate } from '../../src/net/request-gate.js';
import { UserFacingError } from '../../src/errors.js';
import { readErrorBody, type ErrorBody } from '../../src/net/error-body.js';
import { MAX_PAGES } from '../../src/net/next-links.js';
import { ODataTransport, type ODataConnectionOptions, type ODataRequest, type TransportFailure } from '../../src/net/odata-transport.js';
import { GATEWAY_AND_THROTTLE, type RetryLimits } from '../../src/net/retry-policy.js';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/** The shared transport of the Graph and Dataverse clients, over real HTTP to a loopback server. */
const LIMITS: RetryLimits = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000, retryStatuses: GATEWAY_AND_THROTTLE };

/** What the transport handed the client to explain, thrown so a test can read it. */
class Explained extends Error {
  constructor(readonly failure: TransportFailure<ErrorBody>) {
    super(`explained ${failure.kind}`);
  }
}

type Answer = (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void;

const fail = (res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code: `E${status}`, message: `status ${status}` } }));
};
const drop = (req: http.IncomingMessage): void => { req.socket.destroy(); };
const GET: ODataRequest = { method: 'GET', path: 'items' };

describe('OData transport', () => {
  const servers: FakeServer[] = [];
  const transports: Array<ODataTransport<ErrorBody>> = [];
  afterEach(async () => {
    transports.splice(0).forEach((t) => t.close());
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A transport on a loopback server whose `answer` gets the request number; sleeps are recorded, not slept. */
  async function setup(answer: Answer, options: Partial<ODataConnectionOptions> = {}) {
    let n = 0;
    const server = await startFakeServer((req, res) => answer(n++, req, res));
    servers.push(server);
    const waits: number[] = [];
    const sleep = async (ms: number): Promise<void> => { waits.push(ms); };
    const gate = new RequestGate({ maxInFlight: 2, sleep });
    const transport = new ODataTransport<ErrorBody>({
      what: 'Test service', tag: 'test', baseUrl: `${server.origin}/api/`, headers: { 'OData-Version': '4.0' }, limits: LIMITS, gate,
      readError: readErrorBody, explain: (failure) => new Explained(failure),
    }, { getAccessToken: async () => 'token-1', sleep, ...options });
    transports.push(transport);
    return { server, transport, waits, gate };
  }

  const explained = async (p: Promise<unknown>): Promise<TransportFailure<ErrorBody>> => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Explained);
    return (err as Explained).failure;
  };

  it('sends the service headers, a bearer token, an encoded query and a JSON body; reads JSON, and an empty answer as {}', async () => {
    const { server, transport } = await setup((n, _req, res) => (n === 0 ? json(res, { id: 'a1' }, 201) : (res.writeHead(202), res.end())));
    const created = await transport.send({ method: 'POST', path: 'items', query: { $filter: "name eq 'a b'" }, body: { name: 'a b' }, headers: { Prefer: 'return=representation' } });
    expect(created).toMatchObject({ status: 201, body: { id: 'a1' } });
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/api/items?$filter=name%20eq%20%27a%20b%27', body: '{"name":"a b"}' });
    expect(sent!.headers).toMatchObject({
      authorization: 'Bearer token-1', accept: 'application/json', 'odata-version': '4.0',
      'content-type': 'application/json; charset=utf-8', prefer: 'return=representation',
    });
    expect((await transport.send({ method: 'DELETE', path: 'items(a1)' })).body).toEqual({});
    expect(server.requests[1]!.headers['content-type']).toBeUndefined();
  });

  it.each([429, 502, 503, 504])('retries %i after a backoff, then answers', async (status) => {
    const { server, transport, waits } = await setup((n, _req, res) => (n === 0 ? fail(res, status) : json(res, { ok: true })));
    expect((await transport.send(GET)).body).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(transport.requestCount).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(LIMITS.baseDelayMs / 2);
    expect(waits[0]).toBeLessThanOrEqual(LIMITS.baseDelayMs);
  });

  it.each([400, 401, 403, 404, 409, 412, 500])('never retries %i: one request, and the answer goes to the client to explain', async (status) => {
    const { server, transport, waits } = await setup((_n, _req, res) => fail(res, status));
    expect(await explained(transport.send(GET))).toEqual({ kind: 'http', error: { status, code: `E${status}`, message: `status ${status}` } });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('honours Retry-After: the gate holds the retry, and every other request of the connection, for that long', async () => {
    const { server, transport, waits, gate } = await setup((n, _req, res) => (n === 0 ? fail(res, 429, { 'Retry-After': '3' }) : json(res, { n })));
    expect((await transport.send(GET)).body).toEqual({ n: 1 });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(2_900);
    expect(waits[0]).toBeLessThanOrEqual(3_000);
    // The recorded sleep does not move the clock, so the pause still holds the next request.
    expect(gate.pausedForMs).toBeGreaterThan(2_900);
    await transport.send({ method: 'GET', path: 'other' });
    expect(waits).toHaveLength(2);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/items', '/api/items', '/api/other']);
  });

  it('gives up after the retry budget, handing over the last answer', async () => {
    const { server, transport, waits } = await setup((_n, _req, res) => fail(res, 503));
    expect(await explained(transport.send(GET))).toMatchObject({ kind: 'http', error: { status: 503 } });
    expect(server.requests).toHaveLength(1 + LIMITS.maxRetries);
    expect(waits).toHaveLength(LIMITS.maxRetries);
  });

  it('gives up at once when Retry-After asks for longer than the cap (or the caller\'s maxRetryWaitMs)', async () => {
    const { server, transport, waits } = await setup((_n, _req, res) => fail(res, 429, { 'Retry-After': '60' }));
    expect(await explained(transport.send(GET))).toMatchObject({ kind: 'http', error: { status: 429 } });
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    const tight = await setup((_n, _req, res) => fail(res, 429, { 'Retry-After': '2' }), { maxRetryWaitMs: 1_000, maxRetries: 5 });
    await explained(tight.transport.send(GET));
    expect(tight.server.requests).toHaveLength(1);
  });

  it('sends a read again after a dropped connection', async () => {
    const { server, transport, waits } = await setup((n, req, res) => (n === 0 ? drop(req) : json(res, { ok: true })));
    expect((await transport.send(GET)).body).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('never sends a request that may have landed again, unless the caller says it is idempotent', async () => {
    // The POST's one attempt and the PATCH's first are dropped.
    const { server, transport } = await setup((n, req, res) => (n < 2 ? drop(req) : json(res, { ok: true }, 201)));
    expect(await explained(transport.send({ method: 'POST', path: 'Execute', body: {} }))).toMatchObject({ kind: 'network', idempotent: false });
    expect(server.requests).toHaveLength(1);
    expect((await transport.send({ method: 'PATCH', path: 'items(a1)', body: {}, idempotent: true })).status).toBe(201);
    expect(server.requests).toHaveLength(3);
  });

  it('sends a write again after a throttle, never after a gateway timeout (the service may have done it)', async () => {
    const gateway = await setup((_n, _req, res) => fail(res, 504));
    expect(await explained(gateway.transport.send({ method: 'POST', path: 'Execute', body: {} }))).toMatchObject({ kind: 'http', error: { status: 504 } });
    expect(gateway.server.requests).toHaveLength(1);
    const throttled = await setup((n, _req, res) => (n === 0 ? fail(res, 429, { 'Retry-After': '0' }) : json(res, { ok: true }, 201)));
    expect((await throttled.transport.send({ method: 'POST', path: 'Execute', body: {} })).status).toBe(201);
    expect(throttled.server.requests).toHaveLength(2);
  });

  it('gives up on an attempt the server never answers (or whose body stalls), and never sends such a write again', async () => {
    // Headers then silence, or nothing at all: either way the attempt ends at its timeout.
    const hung = await setup((n, _req, res) => { if (n % 2 === 1) { res.writeHead(200, { 'Content-Type': 'application/json' }); res.write('{"va'); } }, { timeoutMs: 150 });
    expect(await explained(hung.transport.send(GET))).toMatchObject({ kind: 'network', idempotent: true });
    expect(hung.server.requests).toHaveLength(1 + LIMITS.maxRetries);
    const write = await setup(() => undefined, { timeoutMs: 150 });
    expect(await explained(write.transport.send({ method: 'POST', path: 'Execute', body: {} }))).toMatchObject({ kind: 'network', idempotent: false });
    expect(write.server.requests).toHaveLength(1);
  });

  it('a network failure that outlasts the budget is handed over as one', async () => {
    const { server, transport } = await setup((_n, req) => drop(req));
    expect(await explained(transport.send(GET))).toMatchObject({ kind: 'network', idempotent: true });
    expect(server.requests).toHaveLength(1 + LIMITS.maxRetries);
  });

  it('asks for the token before every attempt, so a retry carries a renewed one', async () => {
    let issued = 0;
    const { server, transport } = await setup((n, _req, res) => (n === 0 ? fail(res, 503) : json(res, {})), { getAccessToken: async () => `token-${++issued}` });
    await transport.send(GET);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('a token that cannot be had is handed over and nothing is sent; a UserFacingError from the token source passes as it is', async () => {
    const broken = await setup((_n, _req, res) => json(res, {}), { getAccessToken: async () => { throw new Error('refresh token revoked'); } });
    expect(await explained(broken.transport.send(GET))).toMatchObject({ kind: 'token', cause: { message: 'refresh token revoked' } });
    expect(broken.server.requests).toEqual([]);
    const own = new UserFacingError('sign-in-needed', 'Sign in again.');
    const signedOut = await setup((_n, _req, res) => json(res, {}), { getAccessToken: async () => { throw own; } });
    await expect(signedOut.transport.send(GET)).rejects.toBe(own);
  });

  it('reads every page, following @odata.nextLink unchanged with the same headers', async () => {
    let origin = '';
    const { server, transport } = await setup((n, _req, res) => json(res, n === 0 ? { value: [1, 2], '@odata.nextLink': `${origin}/api/items?$skiptoken=a%3D1` } : { value: [3] }));
    origin = server.origin;
    const rows = await transport.all({ method: 'GET', path: 'items', query: { $top: '2' }, headers: { Prefer: 'odata.maxpagesize=2' } });
    expect(rows).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/items?$top=2', '/api/items?$skiptoken=a%3D1']);
    expect(server.requests.map((r) => r.headers.prefer)).toEqual(['odata.maxpagesize=2', 'odata.maxpagesize=2']);
  });

  it('stops reading a collection whose next-page link repeats, or that runs past MAX_PAGES, and hands that over', async () => {
    let origin = '';
    const looping = await setup((n, _req, res) => json(res, { value: [n], '@odata.nextLink': `${origin}/api/items?$skiptoken=same` }));
    origin = looping.server.origin;
    expect(await explained(looping.transport.all(GET))).toEqual({ kind: 'paging', pages: 2, repeated: true });
    expect(looping.server.requests).toHaveLength(2);

    const endless = await setup((n, _req, res) => json(res, { value: [n], '@odata.nextLink': `${origin}/api/items?$skiptoken=${n}` }));
    origin = endless.server.origin;
    expect(await explained(endless.transport.all(GET))).toEqual({ kind: 'paging', pages: MAX_PAGES, repeated: false });
    expect(endless.server.requests).toHaveLength(MAX_PAGES);
  });

  it.each([
    ['a read', GET, true],
    ['a write', { method: 'POST', path: 'items', body: { name: 'a' } } as ODataRequest, false],
  ])('hands over a success answer that is not JSON (%s), once, saying whether it may have landed', async (_what, request, idempotent) => {
    const { server, transport } = await setup((_n, _req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html>Sign in to continue</html>'); });
    expect(await explained(transport.send(request))).toEqual({ kind: 'not-json', status: 200, contentType: 'text/html', idempotent });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a redirect and a paging link to another origin, without retrying', async () => {
    const redirecting = await setup((_n, _req, res) => { res.writeHead(302, { Location: 'http://127.0.0.2/steal' }); res.end(); });
    expect(await explained(redirecting.transport.send(GET))).toMatchObject({ kind: 'unsafe-url', error: { reason: 'redirect' } });
    expect(redirecting.server.requests).toHaveLength(1);
    const paging = await setup((_n, _req, res) => json(res, { value: [1], '@odata.nextLink': 'http://127.0.0.2:1/api/items?$skiptoken=x' }));
    expect(await explained(paging.transport.all(GET))).toMatchObject({ kind: 'unsafe-url', error: { reason: 'other-origin' } });
    expect(paging.server.requests).toHaveLength(1);
  });

  it('sends every attempt through the gate, so requests in flight stay under its cap', async () => {
    let active = 0;
    let peak = 0;
    const { transport } = await setup((_n, _req, res) => {
      active += 1;
      peak = Math.max(peak, active);
      setTimeout(() => { active -= 1; json(res, {}); }, 15);
    });
    await Promise.all(Array.from({ length: 6 }, () => transport.send(GET)));
    expect(peak).toBe(2);
  });
});
