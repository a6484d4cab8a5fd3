import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import { rawMarkersIn, type PlaygroundChat } from './chat.js';

/** The card reads clean: no template markers, JSON or leaked JS values, and no text cut off. */
export async function expectReadable(chat: PlaygroundChat, card: Locator, name: string): Promise<string> {
  const text = await chat.text(card);
  expect(rawMarkersIn(text), `${name} shows raw markers:\n${text}`).toEqual([]);
  expect(await chat.clipped(card), `${name} has text cut off`).toEqual([]);
  return text;
}

/** The signed-in Playground user: the person every "approved by" names. */
export async function playgroundUser(playgroundUrl: string): Promise<string> {
  const res = await fetch(`${playgroundUrl}/_internal/v1/config`);
  const { config } = (await res.json()) as { config: { currentUser: { name: string } } };
  expect(config.currentUser.name).toMatch(/\w+ \w+/);
  return config.currentUser.name;
}

/** `text` as a literal in a RegExp (card titles hold dots, parentheses and arrows). */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
