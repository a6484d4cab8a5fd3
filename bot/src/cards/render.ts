import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import type { CardDataByName, CardName } from './card-data.js';

/** An expanded Adaptive Card, ready to send as an attachment. */
export type AdaptiveCardJson = Record<string, unknown>;

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCardJson;
}

let cardsDirCache: string | undefined;

/**
 * The repository's `cards/` folder. Found by walking up from this module, so the same code works
 * from bot/src (vitest) and from dist/bot/src (compiled), without depending on the process cwd.
 */
export function cardsDirectory(): string {
  if (cardsDirCache) return cardsDirCache;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'cards');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate) && statSync(candidate).isDirectory()) {
      cardsDirCache = candidate;
      return candidate;
    }
    if (dirname(dir) === dir) {
      throw new Error(
        `Cannot find the cards/ folder: looked in every parent of ${start} for a directory holding both ` +
          'package.json and cards/. Deploy cards/ next to package.json.',
      );
    }
  }
}

// Parsing a template is the expensive part; each one is read and prepared once per process.
const templates = new Map<CardName, ACData.Template>();

function template(name: CardName): ACData.Template {
  const cached = templates.get(name);
  if (cached) return cached;
  const path = join(cardsDirectory(), `${name}.json`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message;
    throw new Error(`Card template "${name}" cannot be loaded from ${path}: ${why}`);
  }
  const prepared = new ACData.Template(json);
  templates.set(name, prepared);
  return prepared;
}

/**
 * Expands `cards/<name>.json` with `data`. Values are bound as data, not spliced into JSON text,
 * so quotes, braces or `${...}` in user input come out literally.
 */
export function renderCard<N extends CardName>(name: N, data: CardDataByName[N]): AdaptiveCardJson {
  const key = `${name}\n${JSON.stringify(data)}`;
  const cacheable = key.length <= EXPANDED_MAX_KEY_CHARS;
  const hit = cacheable ? expanded.get(key) : undefined;
  if (hit !== undefined) {
    expanded.delete(key); // Map order is recency order
    expanded.set(key, hit);
    return JSON.parse(hit) as AdaptiveCardJson; // a fresh copy: callers may change what they get
  }
  const card: unknown = template(name).expand({ $root: data });
  if (typeof card !== 'object' || card === null || (card as { type?: unknown }).type !== 'AdaptiveCard') {
    throw new Error(`Card template "${name}" did not expand to an AdaptiveCard object`);
  }
  if (cacheable) {
    expanded.set(key, JSON.stringify(card));
    if (expanded.size > EXPANDED_MAX) expanded.delete(expanded.keys().next().value!);
  }
  return card as AdaptiveCardJson;
}

/**
 * Expanding evaluates every binding with adaptive-expressions, which costs far more than the
 * lookup. The templates' functions are pure (count, if, join...), so the same data always gives
 * the same card: recent expansions (help, the same list re-rendered by a button) are kept as JSON.
 * Large data (long previews) is rarely repeated and is not kept.
 */
const EXPANDED_MAX = 500;
const EXPANDED_MAX_KEY_CHARS = 32 * 1024;
const expanded = new Map<string, string>();

export function cardAttachment(card: AdaptiveCardJson): AdaptiveCardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
