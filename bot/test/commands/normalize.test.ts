import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanMessageText, readWords, tokenize } from '../../src/commands/normalize.js';
import { parseCommand } from '../../src/commands/parse.js';
import { parseOutlookCommand } from '../../src/commands/outlook-commands.js';

/** Every cleaning step, always applied: what cleanMessageText's shortcut for plain text must agree with. */
function cleanedTheLongWay(raw: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => entities[e] ?? ' ')
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

/** The quote-aware pattern, always used: what tokenize's split for text without quotes must agree with. */
function tokensTheLongWay(text: string) {
  const tokens: Array<{ text: string; word: string; quoted: boolean }> = [];
  for (const m of text.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (m[1] !== undefined) {
      const inner = m[1].trim();
      if (inner) tokens.push({ text: inner, word: inner.toLowerCase(), quoted: true });
      continue;
    }
    const bare = m[2]!.replace(/^[([{'"]+/, '').replace(/[)\]}'".,;:!?]+$/, '');
    if (bare) tokens.push({ text: bare, word: bare.toLowerCase(), quoted: false });
  }
  return tokens;
}

// Plain words most of the time, with the characters that need cleaning mixed in.
const messageChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'status sync Apollo to ADO 42 .,!?'.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('"', '(', ')', "'", '<', '>', '&', ';', 'amp', 'nbsp', '<at>', '</at>', '\u201C', '\u2019', '\u00AB', '\u00A0', '\t', '\n', '\u2003', '\u3000', '  ') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
);
const message = fc.array(messageChar, { maxLength: 40 }).map((parts) => parts.join(''));

describe('reading a chat message', () => {
  it('cleans plain text the same way as every cleaning step would', () => {
    fc.assert(fc.property(message, (raw) => {
      expect(cleanMessageText(raw)).toBe(cleanedTheLongWay(raw));
    }), { numRuns: 3000 });
  });

  it('splits text with and without quotes as the quote-aware pattern does', () => {
    fc.assert(fc.property(message, (raw) => {
      expect(tokenize(raw)).toEqual(tokensTheLongWay(raw));
      expect(tokenize(cleanMessageText(raw))).toEqual(tokensTheLongWay(cleanMessageText(raw)));
    }), { numRuns: 3000 });
  });

  it.each([
    ['  status  ', 'status'],
    ['sync\u00A0Apollo', 'sync Apollo'],
    ['sync\tApollo\n', 'sync Apollo'],
    ['<at>PlanBridge</at> sync \u201CApollo Rollout\u201D', 'sync "Apollo Rollout"'],
    ['a &amp; b', 'a & b'],
  ])('cleans %j to %j', (raw, cleaned) => {
    expect(cleanMessageText(raw)).toBe(cleaned);
  });

  it('gives both grammars the same answer for words read once as for raw text', () => {
    fc.assert(fc.property(message, (raw) => {
      const words = readWords(raw);
      expect(words.tokens).toEqual(tokenize(cleanMessageText(raw)));
      expect(parseOutlookCommand(words)).toEqual(parseOutlookCommand(raw));
      expect(parseCommand(words)).toEqual(parseCommand(raw));
    }), { numRuns: 1000 });
  });
});
