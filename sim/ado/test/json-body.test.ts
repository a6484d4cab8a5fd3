import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../json-body.js';

/** Issue 19: the simulator writes large list answers in pieces; clients must get the very same bytes. */
describe('ADO simulator JSON answers in pieces', () => {
  it('writes exactly what JSON.stringify writes', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined)), { maxLength: 300 }), fc.oneof(fc.jsonValue(), fc.constant(undefined)), (value, count) => {
      expect(jsonPieces({ count, value }).join('')).toBe(JSON.stringify({ count, value }));
      expect(jsonPieces(value).join('')).toBe(JSON.stringify(value));
    }), { numRuns: 200 });
  });

  it('cuts a large list answer into pieces, and leaves any other body whole', () => {
    const value = Array.from({ length: 200 }, (_, i) => ({ id: i, fields: { 'System.Title': `Item ${i} ${'x'.repeat(400)}` } }));
    expect(jsonPieces({ count: 200, value }).length).toBeGreaterThan(1);
    expect(jsonPieces({ value, count: 200 })).toEqual([JSON.stringify({ value, count: 200 })]);
    expect(jsonPieces({ count: 200, value, more: 1 })).toHaveLength(1);
    expect(jsonPieces([1, 2, 3])).toEqual(['[1,2,3]']);
    expect(jsonPieces(null)).toEqual(['null']);
    expect(jsonPieces(undefined)).toEqual([]);
  });
});
