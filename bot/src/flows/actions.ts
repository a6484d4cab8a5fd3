/**
 * Card actions (Action.Execute): what a flow receives and answers. The Teams layer turns an
 * `adaptiveCard/action` invoke into a CardAction and the reply into the invoke response.
 */
import { UserFacingError } from '../errors.js';
import type { AdaptiveCardJson, ChatTurn } from './chat.js';

export interface CardAction {
  verb: string;
  /** The action's data merged with the card's input values, as the client sent it. Untrusted. */
  data: Record<string, unknown>;
  /** 'automatic' = a Universal Actions refresh asking for this user's view of the card. */
  trigger: 'manual' | 'automatic';
}

export interface ActionTurn extends ChatTurn {
  /** The message holding the card, so progress can replace it in place. */
  readonly cardActivityId?: string;
  /** The Teams conversation reference (for work that reports back later, e.g. a sign-in). */
  readonly conversationRef?: Record<string, unknown>;
}

/** A card replaces the one clicked (for this user); a message shows without touching the card. */
export type ActionReply = { card: AdaptiveCardJson } | { message: string };

/** An action refused before any handler ran; `reason` is for logs, `message` for the user. */
export class ActionRefused extends UserFacingError {
  constructor(readonly reason: string, message: string) {
    super(`refused:${reason}`, message);
  }
}

/** Reads a string input, trimmed and bounded; undefined when absent or blank. */
export function text(data: Record<string, unknown>, key: string, max = 2000): string | undefined {
  const v = data[key];
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s.slice(0, max);
}
