import { request } from 'node:http';
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnector } from '../support/fake-connector.js';
import { cardActionActivity, installActivity, messageActivity } from '../support/activities.js';
import { STACK_TRACE } from '../support/test-bot.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { gzipBomb } from './gzip-bomb.js';

/**
 * 1,000 generated hostile requests against the bot in its own process (bot-process.ts), over
 * HTTP: compressed bodies (gzip, deflate, corrupt, bombs), wrong content types, malformed JSON,
 * activities with fields of the wrong shape, huge and deeply nested bodies, odd methods, paths
 * and headers, and raw sockets that lie about their length. None may crash the process, none
 * may get a 5xx, and its RSS must come back under 300 MB. The seed is fixed so a failure
 * reproduces; there are no timing assertions, only deadlines that turn a hang into a failure.
 */
const SEED = 20_161_616;
const RUNS = 1000;
const IN_FLIGHT = 4;
const MB = 1024 * 1024;
/** Stands for the fake connector's URL, known only once it listens. */
const CONNECTOR = '$connector';

type Compression = 'none' | 'gzip' | 'deflate' | 'corrupt' | 'bomb';
type Body =
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'huge'; bytes: number; json: boolean }
  | { kind: 'deep'; levels: number; brackets: boolean };

interface HostileRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  compression: Compression;
  chunked: boolean;
  headers: Record<string, string>;
  body: Body;
}

interface RawRequest {
  raw: string;
}

const base = (o: { conversationId: string; fromId: string }) => ({ serviceUrl: CONNECTOR, ...o });
const commands = fc.constantFrom('help', 'connections', 'connect ado', 'connect pwa', 'sync Apollo', 'status Apollo', 'history Apollo',
  'schedule Apollo daily at 09:00', 'link project Apollo to ADO project Phoenix', 'synk Apollo', 'preview sync "Apollo Rollout"');
const ids = fc.stringMatching(/^[a-z0-9:@;._-]{1,40}$/);
/** Any UTF-16 units, lone surrogates and controls included (fc's 'binary' unit costs 120 MB of tables). */
const utf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((units) => String.fromCharCode(...units));
const texts = fc.oneof(commands, fc.string({ maxLength: 200 }), utf16,
  commands.chain((c) => fc.string({ maxLength: 60 }).map((s) => `${c} ${s}`)));

/** Real verbs (none that would reach out to a network) and made-up ones. */
const verbs = fc.oneof(fc.constantFrom('conn.list', 'conn.rename', 'conn.remove', 'conn.remove.confirm', 'conn.share', 'link.create', 'sync.approve',
  'sync.reject', 'sync.view', 'sync.page', 'schedule.pause', 'schedule.show', 'history.show', 'mapping.show', 'people.show', 'approver.request'), fc.string({ maxLength: 20 }));
const cardData = fc.dictionary(fc.constantFrom('connectionId', 'integrationId', 'planId', 'name', 'tenantId', 'page', 'decision', 'x'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

const validActivity = fc.record({ conversationId: ids, fromId: ids, text: texts, verb: verbs, data: cardData, kind: fc.constantFrom('message', 'message', 'invoke', 'invoke', 'install', 'update') })
  .map(({ conversationId, fromId, text, verb, data, kind }) => {
    const o = base({ conversationId: `a:${conversationId}`, fromId: `29:${fromId}` });
    if (kind === 'invoke') return cardActionActivity(verb, data, o);
    if (kind === 'install') return installActivity(o);
    if (kind === 'update') return { ...installActivity(o), type: 'conversationUpdate', membersAdded: [{ id: '28:planbridge-bot' }] };
    return messageActivity(text, o);
  });

/** Fields the SDK or our routes read, replaced by arbitrary JSON. */
const FIELDS = ['type', 'name', 'id', 'text', 'value', 'from', 'conversation', 'recipient', 'channelData', 'entities', 'attachments',
  'membersAdded', 'membersRemoved', 'replyToId', 'serviceUrl', 'locale', 'action', 'channelId', 'timestamp', 'relatesTo'];
const INVOKE_NAMES = fc.constantFrom('adaptiveCard/action', 'fileConsent/invoke', 'composeExtension/submitAction', 'message/submitAction',
  'signin/tokenExchange', 'signin/verifyState', 'signin/failure', 'task/fetch', 'task/submit', 'composeExtension/query', 'config/fetch', 'unknown/thing');
const shapes = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, {}, [], [null], [{}], [{ type: 'mention' }], '', 0, 'x'),
  fc.record({ id: fc.jsonValue({ maxDepth: 1 }), name: fc.jsonValue({ maxDepth: 1 }), tenant: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }));

const mutatedActivity = fc.record({
  activity: validActivity,
  edits: fc.array(fc.tuple(fc.constantFrom(...FIELDS), shapes), { minLength: 1, maxLength: 3 }),
  invokeName: fc.option(INVOKE_NAMES, { nil: undefined }),
}).map(({ activity, edits, invokeName }) => {
  const out: Record<string, unknown> = { ...activity, ...(invokeName ? { type: 'invoke', name: invokeName } : {}) };
  for (const [field, value] of edits) out[field] = value;
  return out;
});

const truncatedJson = validActivity.chain((a) => {
  const text = JSON.stringify(a);
  return fc.integer({ min: 0, max: text.length - 1 }).map((cut) => text.slice(0, cut));
});

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(validActivity, mutatedActivity, mutatedActivity).map((value): Body => ({ kind: 'json', value })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value): Body => ({ kind: 'json', value })) },
  { weight: 2, arbitrary: fc.oneof(truncatedJson, fc.string({ maxLength: 300 }), fc.constantFrom('', 'null', '{', '{"type":', '[]', '"x"', '\u0000')).map((text): Body => ({ kind: 'text', text })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((bytes): Body => ({ kind: 'bytes', bytes })) },
  { weight: 1, arbitrary: fc.record({ levels: fc.integer({ min: 30, max: 200_000 }), brackets: fc.boolean() }).map((d): Body => ({ kind: 'deep', ...d })) },
  { weight: 1, arbitrary: fc.record({ bytes: fc.constantFrom(4 * MB - 4096, 4 * MB + 1, 6 * MB), json: fc.boolean() }).map((h): Body => ({ kind: 'huge', ...h })) },
);

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x', 'application/octet-stream', 'application/activity+json', 'application/json; charset=utf-16', 'x/y;;;=', ''];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'x-gzip', 'gzip, deflate', 'GZIP', 'compress', ''];
const ODD_HEADERS: Record<string, string> = {
  authorization: 'Bearer not.a.jwt',
  'x-forwarded-for': '169.254.169.254',
  'content-md5': 'AAAA',
  'x-long': 'x'.repeat(8000),
  accept: 'application/xml',
  expect: '100-continue',
  cookie: 'a=b; '.repeat(200),
};

/** Mostly what Teams sends, so most requests reach the SDK and our routes; the rest is odd. */
const usually = <T>(common: T, ...odd: T[]) => fc.oneof({ weight: 6 * odd.length, arbitrary: fc.constant(common) }, ...odd.map((o) => ({ weight: 1, arbitrary: fc.constant(o) })));

const hostileRequest: fc.Arbitrary<HostileRequest> = fc.record({
  method: usually('POST', 'PUT', 'GET', 'DELETE', 'PATCH', 'OPTIONS'),
  path: usually('/api/messages', '/api/messages?x=1', '/API/MESSAGES', '/api/messages/', '/healthz', '/nope', '/%', '/..%2f..%2fetc%2fpasswd', '/api/messages%00'),
  contentType: usually<string | undefined>('application/json', undefined, ...CONTENT_TYPES.slice(1)),
  contentEncoding: usually<string | undefined>(undefined, ...ENCODINGS),
  compression: usually<Compression>('none', 'gzip', 'deflate', 'corrupt', 'bomb'),
  chunked: fc.boolean(),
  headers: fc.subarray(Object.keys(ODD_HEADERS), { maxLength: 3 }).map((keys) => Object.fromEntries(keys.map((k) => [k, ODD_HEADERS[k]!]))),
  body,
});

/** Requests a well-behaved client library would refuse to send. */
const rawRequest: fc.Arbitrary<RawRequest> = fc.constantFrom(
  'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{"type":"message"',
  'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-encoding: gzip\r\ncontent-length: 10\r\n\r\n0123456789',
  'POST /api/messages HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n',
  'GARBAGE\r\n\r\n',
  'POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}{}{}{}',
).map((raw) => ({ raw }));

const anyRequest = fc.oneof({ weight: 24, arbitrary: hostileRequest }, { weight: 1, arbitrary: rawRequest });

describe('1,000 hostile requests', () => {
  let connector: FakeConnector;
  let bot: BotProcess;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    bot = await startBotProcess();
    bomb = await gzipBomb(256);
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  it('crash nothing, get no 5xx, and leave memory under 300 MB', async () => {
    const requests = fc.sample(anyRequest, { seed: SEED, numRuns: RUNS });
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length && bot.exited() === undefined) {
        const index = next++;
        const req = requests[index]!;
        const outcome = 'raw' in req ? await sendRaw(bot.url, req.raw) : await send(bot.url, req, connector.url);
        const problem = bot.exited() !== undefined ? `the bot exited (${bot.exited()})` : judge(outcome, 'raw' in req || !routed(req));
        if (problem) failures.push(`#${index} ${problem}: ${describeRequest(req)}`);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));

    expect(bot.exited(), `the bot crashed:\n${bot.tail()}`).toBeUndefined();
    expect(failures.slice(0, 20), `${failures.length} of ${RUNS} requests failed`).toEqual([]);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(await settledRss(bot), 'RSS of the bot after the run, in MB').toBeLessThan(300);
  }, 240_000);
});

type Outcome = { status: number; body: string } | { error: string };

/**
 * `mayHangUp`: raw sockets, and requests restify refuses by route or method (404, 405) before
 * reading the body, may see the connection close while they still upload; Node closes it rather
 * than read megabytes nobody wants. A POST to /api/messages must always get an answer.
 */
function judge(outcome: Outcome, mayHangUp: boolean): string | undefined {
  if ('error' in outcome) return mayHangUp ? undefined : `no answer (${outcome.error})`;
  if (outcome.status >= 500) return `status ${outcome.status} ${outcome.body.slice(0, 120)}`;
  if (outcome.status === 0 && !mayHangUp) return 'no status';
  if (STACK_TRACE.test(outcome.body)) return 'stack trace in the answer';
  return undefined;
}

function routed(r: HostileRequest | RawRequest): boolean {
  return !('raw' in r) && r.method === 'POST' && /^\/api\/messages(\?|$)/.test(r.path);
}

function bodyBytes(b: Body, connectorUrl: string): Buffer | Buffer[] {
  switch (b.kind) {
    case 'json':
      return Buffer.from(JSON.stringify(b.value, (_k, v: unknown) => (v === CONNECTOR ? connectorUrl : v)) ?? 'null');
    case 'text':
      return Buffer.from(b.text);
    case 'bytes':
      return Buffer.from(b.bytes);
    case 'deep':
      return Buffer.from(b.brackets ? `${'['.repeat(b.levels)}${']'.repeat(b.levels)}` : `${'{"a":'.repeat(b.levels)}1${'}'.repeat(b.levels)}`);
    case 'huge':
      return hugeBody(b.bytes, b.json, connectorUrl);
  }
}

/** A huge body as a list of views on one reused chunk, so the test process stays small. */
function hugeBody(bytes: number, json: boolean, connectorUrl: string): Buffer[] {
  const fill = json ? 'A' : 'x';
  const [head, tail] = json ? JSON.stringify(messageActivity('', { serviceUrl: connectorUrl })).split('"text":""') as [string, string] : ['', ''];
  const prefix = Buffer.from(json ? `${head}"text":"` : '');
  const suffix = Buffer.from(json ? `"${tail}` : '');
  const chunk = (FILL[fill] ??= Buffer.alloc(64 * 1024, fill));
  const parts: Buffer[] = [prefix];
  for (let left = bytes - prefix.length - suffix.length; left > 0; left -= chunk.length) parts.push(left >= chunk.length ? chunk : chunk.subarray(0, left));
  parts.push(suffix);
  return parts;
}
const FILL: Record<string, Buffer> = {};

let bomb: Buffer;
function compress(bytes: Buffer, how: Compression): Buffer {
  if (how === 'gzip') return gzipSync(bytes);
  if (how === 'deflate') return deflateSync(bytes);
  if (how === 'corrupt') return Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), bytes.subarray(0, 64)]);
  if (how === 'bomb') return bomb;
  return bytes;
}

function send(baseUrl: string, r: HostileRequest, connectorUrl: string): Promise<Outcome> {
  const bytes = bodyBytes(r.body, connectorUrl);
  // Huge bodies are streamed as they are; compressing them would only test zlib in this process.
  const parts = Array.isArray(bytes) ? bytes : [compress(bytes, r.compression)];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const headers: Record<string, string> = { ...r.headers };
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  if (r.contentEncoding !== undefined) headers['content-encoding'] = r.contentEncoding;
  else if (r.compression === 'gzip' || r.compression === 'bomb' || r.compression === 'corrupt') headers['content-encoding'] = 'gzip';
  else if (r.compression === 'deflate') headers['content-encoding'] = 'deflate';
  if (!r.chunked) headers['content-length'] = String(length);
  return new Promise((resolve) => {
    const req = request(`${baseUrl}${r.path}`, { method: r.method, headers, agent: false, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve({ error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out after 60 s')));
    req.on('error', (err) => resolve({ error: err.message }));
    // Every method sends its body: a GET that declares a length and sends nothing would hang by design.
    writeAll(req, parts);
  });
}

function writeAll(req: ReturnType<typeof request>, parts: Buffer[]): void {
  let i = 0;
  const write = () => {
    while (i < parts.length) if (!req.write(parts[i++]!)) return void req.once('drain', write);
    req.end();
  };
  write();
}

/** Raw bytes on a socket: only the status line matters, and a closed socket is a fine answer. */
function sendRaw(baseUrl: string, raw: string): Promise<Outcome> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(raw));
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', (err) => resolve({ error: err.message }));
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ status: status ? Number(status[1]) : 0, body: answer.split('\r\n\r\n').slice(1).join('') });
    });
  });
}

function describeRequest(r: HostileRequest | RawRequest): string {
  if ('raw' in r) return JSON.stringify(r.raw.slice(0, 120));
  const b = r.body;
  const body = b.kind === 'json' ? JSON.stringify(b.value).slice(0, 300) : b.kind === 'text' ? JSON.stringify(b.text.slice(0, 120))
    : b.kind === 'bytes' ? `${b.bytes.length} random bytes` : b.kind === 'deep' ? `${b.levels} levels` : `${b.bytes} bytes`;
  return `${r.method} ${r.path} type=${r.contentType} enc=${r.contentEncoding} ${r.compression}${r.chunked ? ' chunked' : ''} ${Object.keys(r.headers).join(',')} ${body}`;
}

/**
 * The bot's RSS, given time to come back: V8 returns memory when its memory reducer runs,
 * some seconds after the load stops. Polled, so a slow machine only waits longer.
 */
async function settledRss(bot: BotProcess): Promise<number> {
  let rss = bot.rssMb();
  for (let i = 0; i < 90 && rss >= 300; i++) {
    await new Promise((r) => setTimeout(r, 500));
    rss = bot.rssMb();
  }
  return rss;
}
