import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { deepFreeze } from '../deep-freeze.js';
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
/** JSON size of each template, for the size estimate of kept cards. */
const templateChars = new Map<CardName, number>();

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
  templateChars.set(name, JSON.stringify(json).length);
  return prepared;
}

/**
 * Expands `cards/<name>.json` with `data`. Values are bound as data, not spliced into JSON text,
 * so quotes, braces or `${...}` in user input come out literally. A card that may be shared with
 * other callers (see `expanded`) is deeply frozen, so one that edited it would change theirs:
 * build a new object around it instead (`{ ...card, refresh }`).
 */
export function renderCard<N extends CardName>(name: N, data: CardDataByName[N]): AdaptiveCardJson {
  const key = `${name}\n${JSON.stringify(data)}`;
  const cacheable = key.length <= EXPANDED_MAX_KEY_CHARS;
  const hit = cacheable ? expanded.get(key) : undefined;
  if (hit !== undefined) {
    expanded.delete(key); // Map order is recency order
    expanded.set(hit.key, hit); // under the key it was stored with: see KEPT_KEY
    return hit.card;
  }
  const card: unknown = template(name).expand({ $root: data });
  if (typeof card !== 'object' || card === null || (card as { type?: unknown }).type !== 'AdaptiveCard') {
    throw new Error(`Card template "${name}" did not expand to an AdaptiveCard object`);
  }
  if (!cacheable) return card as AdaptiveCardJson; // never shared, so left as it is
  // Frozen as a copy: the expansion holds the caller's data objects by reference, and those must stay theirs.
  const kept = deepFreeze(JSON.parse(JSON.stringify(card)) as AdaptiveCardJson);
  const chars = key.length + templateChars.get(name)!;
  expanded.set(key, { key, card: kept, chars });
  expandedChars += chars;
  while (expanded.size > EXPANDED_MAX || expandedChars > EXPANDED_MAX_CHARS) {
    const [oldest, entry] = expanded.entries().next().value!;
    expanded.delete(oldest);
    expandedChars -= entry.chars;
  }
  return kept;
}

/**
 * Expanding evaluates every binding with adaptive-expressions, which costs far more than the
 * lookup. The templates' functions are pure (count, if, join...), so the same data always gives
 * the same card: recent expansions (help, the same list re-rendered by a button) are kept.
 * Large data (long previews) is rarely repeated and is not kept. Kept cards are handed out as
 * they are, frozen, rather than as JSON parsed again on every hit (issue 19: the parse was most of
 * the cost of a hit, e.g. ~50 µs for the connections card on a turn budget of ~600 µs). Their size
 * is bounded by an estimate: the data's JSON plus the template's.
 */
const EXPANDED_MAX = 500;
const EXPANDED_MAX_KEY_CHARS = 32 * 1024;
const EXPANDED_MAX_CHARS = 4_000_000;
const expanded = new Map<string, { key: string; card: AdaptiveCardJson; chars: number }>();
/**
 * KEPT_KEY: a hit is moved to the end of the Map under the key string it was first stored with,
 * not the one this lookup just built. Re-setting with the fresh string made the long-lived Map
 * hold a new string on every hit (5 KB for the connections card), which the next scavenge then
 * copied and promoted into old space, only to become garbage there at the following hit.
 */
let expandedChars = 0;

export function cardAttachment(card: AdaptiveCardJson): AdaptiveCardAttachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card };
}
