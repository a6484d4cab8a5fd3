import { describe, expect, it } from 'vitest';
import { cardOf, cardText } from '../support/fake-connector.js';
import { installActivity, messageActivity } from '../support/activities.js';
import { STACK_TRACE } from '../support/test-bot.js';
import { useLocalBot } from '../support/local-bot.js';

describe('bot over HTTP in local mode', () => {
  const world = useLocalBot();

  const conversation = (name: string) => `a:${name}-${Math.random().toString(36).slice(2)}`;

  it.each(['personal', 'groupChat', 'channel'] as const)('install in %s sends a welcome card with the first three steps', async (conversationType) => {
    const conversationId = conversation(`install-${conversationType}`);
    const res = await world.bot.post(installActivity({ serviceUrl: world.connector.url, conversationId, conversationType }));
    expect(res.status).toBe(200);
    const [reply] = await world.connector.waitFor(conversationId, 1);
    const card = cardOf(reply!);
    expect(card, 'welcome is an adaptive card').toBeDefined();
    const text = cardText(card);
    expect(text).toMatch(/Azure DevOps/);
    expect(text).toContain('connect ado');
    expect(text).toContain('connect pwa');
    expect(text).toContain('link project Apollo to ADO project Phoenix');
    if (conversationType !== 'personal') expect(text).toMatch(/@PlanBridge/);
  });

  it('help sends a help card listing every command with examples, marking unbuilt ones', async () => {
    const conversationId = conversation('help');
    await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
    const [reply] = await world.connector.waitFor(conversationId, 1);
    const text = cardText(cardOf(reply!));
    for (const example of ['connect ado', 'connections', 'sync project "Apollo Rollout" to ADO', 'preview sync Apollo', 'status Apollo', 'schedule Apollo daily at 09:00 Europe/Berlin']) {
      expect(text).toContain(example);
    }
    // Every command is built now, so none is marked as coming soon.
    expect(text.toLowerCase()).not.toContain('coming soon');
  });

  it('routes mention-stripped channel text to the right intent', async () => {
    const conversationId = conversation('channel');
    await world.bot.post(messageActivity('<at>PlanBridge</at> schedule "Apollo Rollout" daily at 09:00', {
      serviceUrl: world.connector.url, conversationId, conversationType: 'channel',
    }));
    const [reply] = await world.connector.waitFor(conversationId, 1);
    const text = cardText(cardOf(reply!));
    expect(text).toMatch(/No integration matches "Apollo Rollout"/);
  });

  it('unknown text gets a short help reply with the closest command', async () => {
    const conversationId = conversation('unknown');
    await world.bot.post(messageActivity('synk Apollo', { serviceUrl: world.connector.url, conversationId }));
    const [reply] = await world.connector.waitFor(conversationId, 1);
    const text = cardText(cardOf(reply!));
    expect(text).toMatch(/did you mean/i);
    expect(text).toContain('sync Apollo');
  });

  it('an incomplete command explains what is missing', async () => {
    const conversationId = conversation('incomplete');
    await world.bot.post(messageActivity('schedule Apollo daily at 25:00', { serviceUrl: world.connector.url, conversationId }));
    const [reply] = await world.connector.waitFor(conversationId, 1);
    expect(cardText(cardOf(reply!))).toContain('25:00');
  });

  it('answers /healthz with version, uptime and store reachability', async () => {
    const res = await fetch(`${world.bot.bot.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), auth: 'local', store: { reachable: true, mode: 'embedded' } });
    expect(typeof body.uptimeSeconds).toBe('number');
  });

  describe('bad input', () => {
    const malformed: Array<[string, unknown]> = [
      ['no type', { serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'c' }, from: { id: 'u' } }],
      ['no conversation', { type: 'message', text: 'help', serviceUrl: 'http://127.0.0.1:1/', from: { id: 'u' } }],
      ['no from', { type: 'message', text: 'help', serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'c' } }],
      ['conversation is a string', { type: 'message', text: 'help', serviceUrl: 'http://127.0.0.1:1/', conversation: 'c', from: { id: 'u' } }],
      ['type is a number', { type: 7, serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'c' }, from: { id: 'u' } }],
      ['text is an object', { type: 'message', text: { a: 1 }, serviceUrl: 'http://127.0.0.1:1/', conversation: { id: 'c' }, from: { id: 'u' } }],
      ['serviceUrl is not a URL', { type: 'message', text: 'help', serviceUrl: 'javascript:alert(1)', conversation: { id: 'c' }, from: { id: 'u' } }],
      ['an array', [1, 2, 3]],
      ['null', null],
    ];

    it.each(malformed)('%s gets a 4xx naming the problem, without a stack trace', async (_name, body) => {
      const res = await world.bot.post(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toMatch(STACK_TRACE);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'BadActivity' });
    });

    it('invalid JSON gets a 400 without a stack trace', async () => {
      const res = await world.bot.post('{"type": "message", ');
      expect(res.status).toBe(400);
      expect(res.body).not.toMatch(STACK_TRACE);
    });

    it('a 1 MB message gets a polite refusal in chat, and the server stays healthy', async () => {
      const conversationId = conversation('huge');
      const res = await world.bot.post(messageActivity(`sync ${'A'.repeat(1024 * 1024)}`, { serviceUrl: world.connector.url, conversationId }));
      expect(res.status).toBe(200);
      const [reply] = await world.connector.waitFor(conversationId, 1);
      expect(reply!.body.text).toMatch(/only read commands up to 4,000 characters/);
      expect(reply!.body.text!.length).toBeLessThan(400);
      expect((await fetch(`${world.bot.bot.url}/healthz`)).status).toBe(200);
    });

    it('a body over the size limit is refused with 413', async () => {
      const res = await world.bot.post(messageActivity('x'.repeat(5 * 1024 * 1024), { serviceUrl: world.connector.url }));
      expect(res.status).toBe(413);
      expect(res.body).not.toMatch(STACK_TRACE);
    });

    it('after all that the server is still healthy and still answers help', async () => {
      expect((await fetch(`${world.bot.bot.url}/healthz`)).status).toBe(200);
      const conversationId = conversation('after');
      await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
      await world.connector.waitFor(conversationId, 1);
    });

    it('no reply the bot sent contains a stack trace', () => {
      expect(world.connector.activities.length).toBeGreaterThan(5);
      for (const activity of world.connector.activities) expect(JSON.stringify(activity.body)).not.toMatch(STACK_TRACE);
    });
  });
});
