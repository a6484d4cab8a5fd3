import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plain } from '../../../src/connectors/pwa/client.js';

/** `plain` as it was before it stopped copying what has no OData wrappers: the reference it must still equal. */
function copyingPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyingPlain);
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (Array.isArray(obj.results)) return obj.results.map(copyingPlain);
  if ('__deferred' in obj) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === '__metadata' || k.startsWith('odata.') || k.includes('@odata.')) continue;
    const p = copyingPlain(v);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

describe('PWA plain()', () => {
  const key = fc.constantFrom('Id', 'Name', 'Parent', 'Assignments', 'results', '__metadata', '__deferred', 'odata.type', 'Work@odata.type', 'uri', 'Custom_x005f_ab');
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.string(), fc.integer(), fc.boolean(), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  })).value;

  it('gives what the copying version gave, key order included, for any JSON', () => {
    fc.assert(fc.property(json, (value) => {
      // Through JSON, as a response body arrives (no undefined, no prototypes).
      const parsed = JSON.parse(JSON.stringify(value)) as unknown;
      const expected = copyingPlain(JSON.parse(JSON.stringify(value)));
      const actual = plain(parsed);
      expect(actual).toStrictEqual(expected);
      if (actual && typeof actual === 'object') expect(Object.keys(actual)).toEqual(Object.keys(expected as object));
    }), { numRuns: 500 });
  });

  it('returns a nometadata row as it is, and strips a verbose one', () => {
    const row = { Id: 't1', Parent: { Id: 't0' }, Assignments: [{ Id: 'a1', Resource: { Id: 'r1', Email: null } }] };
    expect(plain(row)).toBe(row);
    const verbose = { __metadata: { type: 'PS.PublishedTask' }, Id: 't1', Parent: { __metadata: {}, Id: 't0' }, Assignments: { results: [] }, Predecessors: { __deferred: { uri: 'x' } } };
    expect(plain(verbose)).toEqual({ Id: 't1', Parent: { Id: 't0' }, Assignments: [] });
  });
});
