import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListAnswerParser } from '../../../src/connectors/ado/list-answer.js';

/**
 * Issue 19: batch answers are parsed piece by piece as they arrive. Whatever the chunking, the
 * elements must be exactly JSON.parse's, and anything that is not a `{count, value}` list must say so.
 */
function parseInChunks(text: string, cuts: number[]): ReturnType<ListAnswerParser<unknown>['end']> {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new ListAnswerParser((x) => x);
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b)) {
    parser.push(bytes.subarray(from, cut));
    from = cut;
  }
  parser.push(bytes.subarray(from));
  return parser.end();
}

const everySplit = (text: string): number[][] => Array.from({ length: Buffer.byteLength(text) + 1 }, (_, i) => [i]);

const item = (id: number, extra: Record<string, unknown> = {}) => ({
  id, rev: 1,
  fields: { 'System.Title': `Item ${id}`, 'System.CreatedBy': { displayName: 'Dana Demo', uniqueName: 'dana@contoso.com', id: 'u1', _links: { avatar: { href: 'https://x/a' } } }, ...extra },
  relations: [{ rel: 'System.LinkTypes.Hierarchy-Reverse', url: `https://dev.azure.com/o/_apis/wit/workItems/${id + 1000}`, attributes: { isLocked: false, name: 'Parent' } }],
  url: `https://dev.azure.com/o/_apis/wit/workItems/${id}`,
});

describe('ADO list answers parsed as they arrive', () => {
  it('gives JSON.parse\'s elements whichever byte the answer is split at', () => {
    const value = [item(1), null, item(2, { 'System.Description': 'Zoë\'s "plan", über ✓ — },{"id":7} inside text' }), null, item(3)];
    const text = JSON.stringify({ count: value.length, value });
    for (const cuts of everySplit(text)) expect(parseInChunks(text, cuts)).toEqual(value);
    expect(parseInChunks(text, Array.from({ length: text.length }, (_, i) => i))).toEqual(value);
  });

  it('is not fooled by `,{"id":` inside a nested array of objects', () => {
    const value = [item(1, { 'Custom.Rows': [{ id: 1 }, { id: 2 }, null, { id: 3 }] }), item(2)];
    const text = JSON.stringify({ count: 2, value });
    for (const cuts of everySplit(text)) expect(parseInChunks(text, cuts)).toEqual(value);
  });

  it('reads empty lists, whitespace and the client library\'s own spacing', () => {
    expect(parseInChunks('{"count":0,"value":[]}', [5])).toEqual([]);
    const value = [item(1), item(2)];
    const spaced = JSON.stringify({ count: 2, value }, null, 2);
    for (const cuts of everySplit(spaced).filter((_, i) => i % 7 === 0)) expect(parseInChunks(spaced, cuts)).toEqual(value);
  });

  it('tells an answer that is not JSON from JSON that is not a list', () => {
    expect(parseInChunks('<html><body>Sign in</body></html>', [3])).toBe('not-json');
    expect(parseInChunks('{"Code":"Success"}', [])).toBe('not-a-list');
    // Not starting as ADO's list: read whole, as JSON.parse reads it.
    expect(parseInChunks('{"value":[{"id":1}],"count":1}', [])).toEqual([{ id: 1 }]);
    // Starting as one but not ending as one (cut short, or more after the list): not ADO's answer.
    expect(parseInChunks('{"count":2,"value":[{"id":1},{"id":2}', [10, 25])).toBe('not-a-list');
    expect(parseInChunks('{"count":1,"value":[{"id":1}],"next":[2]}', [15])).toBe('not-a-list');
  });

  it('maps each element once, in order, as the chunks arrive', () => {
    const value = [item(1), null, item(2), item(3)];
    const bytes = Buffer.from(JSON.stringify({ count: 4, value }));
    const seen: unknown[] = [];
    const parser = new ListAnswerParser((x) => { seen.push(x); return (x as { id?: number } | null)?.id ?? null; });
    for (let i = 0; i < bytes.length; i += 50) parser.push(bytes.subarray(i, i + 50));
    // Parsed while arriving, not all at the end.
    expect(seen.length).toBeGreaterThan(1);
    expect(parser.end()).toEqual([1, null, 2, 3]);
    expect(seen).toEqual(value);
  });

  it('matches JSON.parse for any list of JSON values, split anywhere (property)', () => {
    const element = fc.oneof(
      fc.constant(null),
      fc.record({ id: fc.integer(), fields: fc.dictionary(fc.string(), fc.jsonValue()) }),
      fc.jsonValue(),
    );
    fc.assert(fc.property(fc.array(element, { maxLength: 12 }), fc.array(fc.nat(4000), { maxLength: 12 }), (value, cuts) => {
      const text = JSON.stringify({ count: value.length, value });
      expect(parseInChunks(text, cuts)).toEqual(JSON.parse(text).value);
    }), { numRuns: 300 });
  });
});
