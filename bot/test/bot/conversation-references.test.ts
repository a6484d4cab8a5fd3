import { describe, expect, it } from 'vitest';
import { installActivity, messageActivity, TENANT } from '../support/activities.js';
import { useLocalBot } from '../support/local-bot.js';

/** Conversation references are stored so proactive messages can reach the chat, and rewritten only when they change. */
describe('conversation references over HTTP', () => {
  const world = useLocalBot();

  const conversation = (name: string) => `a:${name}-${Math.random().toString(36).slice(2)}`;
  const stored = (conversationId: string) => world.bot.bot.store.conversations.get(TENANT, conversationId);

  it('stores the reference on the first message and leaves it untouched by repeat messages', async () => {
    const conversationId = conversation('repeat');
    await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
    await world.connector.waitFor(conversationId, 1);
    const first = await stored(conversationId);
    expect(first?.reference.serviceUrl).toBe(world.connector.url.replace(/\/$/, ''));
    for (let i = 2; i <= 3; i++) {
      await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
      await world.connector.waitFor(conversationId, i);
    }
    expect((await stored(conversationId))?.etag).toBe(first?.etag);
  });

  it('rewrites the reference when it changes (another speaker)', async () => {
    const conversationId = conversation('speaker');
    await world.bot.post(messageActivity('<at>PlanBridge</at> help', { serviceUrl: world.connector.url, conversationId, conversationType: 'groupChat' }));
    await world.connector.waitFor(conversationId, 1);
    await world.bot.post(messageActivity('<at>PlanBridge</at> help', { serviceUrl: world.connector.url, conversationId, conversationType: 'groupChat', fromId: '29:user-grace' }));
    await world.connector.waitFor(conversationId, 2);
    expect((await stored(conversationId))?.reference.user?.id).toBe('29:user-grace');
  });

  it('an install stores the reference again even if this instance stored it before (removed elsewhere)', async () => {
    const conversationId = conversation('reinstall');
    await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
    await world.connector.waitFor(conversationId, 1);
    // Another instance handled an uninstall: the document is gone, this instance never heard of it.
    await world.bot.bot.store.conversations.remove(TENANT, conversationId);
    await world.bot.post(installActivity({ serviceUrl: world.connector.url, conversationId }));
    await world.connector.waitFor(conversationId, 2);
    expect(await stored(conversationId)).toBeDefined();
  });

  it('an uninstall here forgets the reference, and a later message stores it again', async () => {
    const conversationId = conversation('uninstall');
    await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
    await world.connector.waitFor(conversationId, 1);
    expect((await world.bot.post(installActivity({ serviceUrl: world.connector.url, conversationId }, 'remove'))).status).toBe(200);
    expect(await stored(conversationId)).toBeUndefined();
    await world.bot.post(messageActivity('help', { serviceUrl: world.connector.url, conversationId }));
    await world.connector.waitFor(conversationId, 2);
    expect(await stored(conversationId)).toBeDefined();
  });
});
