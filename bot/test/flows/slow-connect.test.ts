import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journey, cardText } from '../support/journey.js';

/**
 * Teams waits about 15 s for an invoke. A connect check against a server that is slow to answer
 * answers at once with a progress card, and the result replaces that card when it comes.
 */
describe('connecting to a slow server', () => {
  const j = new Journey();
  let slow: Server;
  let port: number;

  beforeAll(async () => {
    await j.start();
    j.bot.bot.flows.invokeBudgetMs = 300;
    // Accepts the connection and answers only after a while, like an overloaded host; then it turns
    // out not to be Azure DevOps at all.
    slow = createServer((socket) => {
      socket.on('data', () => undefined);
      setTimeout(() => socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'), 1500);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    port = (slow.address() as { port: number }).port;
  });
  afterAll(async () => {
    slow?.close();
    await j.stop();
  });

  it('answers the invoke with progress, then shows the outcome in the same card', async () => {
    const form = await j.say('connect ado');
    const started = Date.now();
    const reply = await j.click(form.card, 'Connect', { url: `http://127.0.0.1:${port}/contoso`, pat: 'some-pat-value', name: 'Slow ADO' }, { replyToId: form.id });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(cardText(reply.card)).toMatch(/Checking the connection to Azure DevOps/);
    const outcome = await j.waitForUpdate(form.id, (text) => /Could not reach|did not answer|reach Azure DevOps|Azure DevOps/.test(text) && !/Checking the connection/.test(text));
    expect(cardText(outcome)).not.toContain('some-pat-value');
    await j.settle();
  });
});
