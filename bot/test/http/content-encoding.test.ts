import { request } from 'node:http';
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity } from '../support/activities.js';
import { startTestBot, STACK_TRACE, type TestBot } from '../support/test-bot.js';
import { gzipBomb } from '../security/gzip-bomb.js';

/** Raw POSTs: fetch would refuse some of these headers or body shapes. */
function post(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may answer and close before the whole body is written.
    req.on('error', (err) => reject(err));
    req.end(body);
  });
}

async function healthy(bot: TestBot): Promise<boolean> {
  return (await fetch(`${bot.bot.url}/healthz`)).status === 200;
}

let bomb: Promise<Buffer> | undefined;

const help = JSON.stringify(messageActivity('help', { serviceUrl: 'http://127.0.0.1:1/' }));

describe.each([
  ['local mode', {}],
  // The body is read before the token check, so authenticated mode must hold too.
  ['authenticated mode', { CLIENT_ID: '3f1c2a44-5b6d-4e7f-8a9b-0c1d2e3f4a5b', CLIENT_SECRET: 'not-a-real-secret', TENANT_ID: '11111111-1111-4111-8111-111111111111', HOST: '127.0.0.1' }],
])('Content-Encoding on /api/messages (%s)', (_mode, env: Record<string, string>) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot(env, env.CLIENT_ID ? { token: () => 'outbound-token-never-used' } : {});
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('a gzip header on a body that is not gzip gets 415 and the bot stays up', async () => {
    const res = await post(bot.bot.url, Buffer.from('0123456789'), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
    expect(res.body).not.toMatch(STACK_TRACE);
    expect(await healthy(bot)).toBe(true);
  });

  it.each([
    ['gzip', gzipSync(help)],
    ['deflate', deflateSync(help)],
    ['br', Buffer.from(help)],
    ['GZIP', gzipSync(help)],
    ['gzip, identity', gzipSync(help)],
  ])('valid %s is refused with 415 too (no decompression at all)', async (encoding, body) => {
    const res = await post(bot.bot.url, body, { 'content-encoding': encoding });
    expect(res.status).toBe(415);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'UnsupportedMediaTypeError' });
  });

  it('a 261 kB gzip bomb is refused without inflating it', async () => {
    const body = await (bomb ??= gzipBomb(256));
    expect(body.length).toBeLessThan(300 * 1024);
    const before = process.memoryUsage().rss;
    const res = await post(bot.bot.url, body, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
    // Inflating would have cost 256 MB at least; allow noise from the rest of the process.
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
    expect(await healthy(bot)).toBe(true);
  });

  it('an upload that breaks midway leaves the bot up', async () => {
    const { port } = new URL(bot.bot.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /api/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"type":');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    expect(await healthy(bot)).toBe(true);
  });

  it('identity is the same as no encoding', async () => {
    const res = await post(bot.bot.url, Buffer.from('{"type": 7}'), { 'content-encoding': 'identity' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'BadActivity' });
  });
});
