import { expect } from 'vitest';
import type { EntraSimulator } from '../../../sim/entra/server.js';
import { call } from '../../../sim/entra/test/https-client.js';
import { cardOf } from '../support/fake-connector.js';
import { cardText, type Card, type Journey } from '../support/journey.js';

/**
 * The browser's part of a Microsoft 365 sign-in in HTTP journeys: the card's link, the Entra
 * simulator's page, the bot's callback; and the result the bot then posts into the chat.
 */
export { freePort } from '../../../e2e/support/ports.js';

/** The "Sign in with Microsoft 365" link on a card (the bot's /auth/pwa/start). */
export function signInLinkOf(card: Card): string {
  const found = JSON.stringify(card).match(/"url":"(http:\/\/localhost:\d+\/auth\/pwa\/start\?state=[^"]+)"/);
  if (!found) throw new Error(`no sign-in link on the card:\n${cardText(card)}`);
  return found[1]!;
}

export interface SignInVisit {
  /** The bot's callback page. */
  status: number;
  html: string;
  /** The scopes the bot asked Entra for. */
  scope: string;
}

/** Follows the link, signs in on the simulator's page (or cancels) and lands on the bot's callback. */
export async function signInThroughBrowser(entra: EntraSimulator, link: string, account: { username: string; password: string }, action = 'accept'): Promise<SignInVisit> {
  const start = await fetch(link, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorizeUrl = start.headers.get('location')!;
  expect(authorizeUrl.startsWith(entra.authority)).toBe(true);
  const page = await call(authorizeUrl, entra.caPem);
  expect(page.text).toContain('<form');
  const submitted = await call(authorizeUrl, entra.caPem, {
    form: { ...Object.fromEntries(new URL(authorizeUrl).searchParams), username: account.username, password: account.password, action },
  });
  expect(submitted.status).toBe(302);
  const back = await fetch(String(submitted.headers.location), { redirect: 'manual' });
  return { status: back.status, html: await back.text(), scope: new URL(authorizeUrl).searchParams.get('scope') ?? '' };
}

/** Messages the bot has posted on its own (proactive) so far. */
export const postedCount = (j: Journey): number => j.activities.filter((a) => a.method === 'POST').length;

/** The card of the next message the bot posts on its own after `before` of them. */
export async function nextPosted(j: Journey, before: number): Promise<Card> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const posts = j.activities.filter((a) => a.method === 'POST');
    if (posts.length > before) return cardOf(posts[before]!) ?? {};
    if (Date.now() > deadline) throw new Error('nothing was posted to the chat after the sign-in');
    await new Promise((r) => setTimeout(r, 25));
  }
}
