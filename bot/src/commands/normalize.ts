/**
 * Turns raw Teams message text into tokens. Teams wraps @mentions in <at> tags, may send
 * HTML (<p>, &nbsp;) and users type smart quotes from phones, so all of that is undone here
 * before the grammar sees the words.
 */

export interface Token {
  /** As typed (quotes removed). */
  text: string;
  /** Lower-cased, trailing punctuation removed; what keywords are compared with. */
  word: string;
  quoted: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** What cleanMessageText changes: tags, entities, smart quotes, and whitespace other than single spaces. */
const NEEDS_CLEANING = /[<&\u201C\u201D\u201E\u00AB\u00BB\u2018\u2019]|[^\S ]| {2}/;

export function cleanMessageText(raw: string): string {
  // Most messages are plain words ("status"): one test instead of six replaces.
  if (!NEEDS_CLEANING.test(raw)) return raw.trim();
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e] ?? ' ')
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

export function tokenize(text: string): Token[] {
  // Without quotes every token is a run of non-spaces: split, not the quote-aware pattern.
  if (!text.includes('"')) return text.split(/\s+/).map(bareToken).filter((t): t is Token => t !== undefined);
  const tokens: Token[] = [];
  // A quoted phrase is one token; otherwise split on spaces.
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const m of text.matchAll(pattern)) {
    if (m[1] !== undefined) {
      const inner = m[1].trim();
      if (inner) tokens.push({ text: inner, word: inner.toLowerCase(), quoted: true });
      continue;
    }
    const token = bareToken(m[2]!);
    if (token) tokens.push(token);
  }
  return tokens;
}

/** An unquoted word without the brackets and punctuation around it; undefined when nothing is left. */
function bareToken(word: string): Token | undefined {
  const bare = word.replace(/^[([{'"]+/, '').replace(/[)\]}'".,;:!?]+$/, '');
  return bare ? { text: bare, word: bare.toLowerCase(), quoted: false } : undefined;
}

/** A message cleaned and split once, for each grammar that reads it (outlook-commands.ts, then parse.ts). */
export interface MessageWords {
  /** The cleaned text. */
  readonly text: string;
  /** Shared by both grammars: read, never changed. */
  readonly tokens: Token[];
}

export function readWords(raw: string): MessageWords {
  const text = cleanMessageText(raw);
  return { text, tokens: tokenize(text) };
}

/** Accepts raw text or words already read, so callers with both grammars read a message once. */
export const wordsOf = (message: string | MessageWords): MessageWords => (typeof message === 'string' ? readWords(message) : message);
