import { isDeepStrictEqual } from 'node:util';
import type { ConversationReference } from '@microsoft/teams.api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameJson } from '../../src/same-json.js';
import { RememberedReferences } from '../../src/teams/remembered-references.js';

const viaJson = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('a', 'b', 'activityId', 'id'), tie('node'), { maxKeys: 4 }),
})).object;

describe('comparing conversation references without writing their JSON', () => {
  it('agrees with comparing their JSON forms, with and without a field left out', () => {
    // Pairs that differ, and pairs that differ only by undefined fields and key order.
    const pair = fc.oneof(
      fc.tuple(value, value),
      value.map((v) => [v, { ...(viaJson(v) as object), extra: undefined }] as const),
    );
    fc.assert(fc.property(pair, fc.boolean(), ([a, b], skipping) => {
      const omit = (o: object) => (skipping ? { ...o, activityId: undefined } : o);
      expect(sameJson(a, b, skipping ? 'activityId' : undefined)).toBe(isDeepStrictEqual(viaJson(omit(a)), viaJson(omit(b))));
    }), { numRuns: 3000 });
  });

  const ref = (activityId: string, userName = 'Ada'): ConversationReference => ({
    activityId, serviceUrl: 'https://smba.example/', channelId: 'msteams', locale: undefined,
    bot: { id: '28:bot', name: 'PlanBridge', role: 'bot' }, user: { id: '29:ada', name: userName, role: 'user' },
    conversation: { id: 'a:1', conversationType: 'personal', tenantId: 't', isGroup: false },
  });

  it('knows a stored reference again on the next message, and not once it changed or aged', () => {
    let now = 1_000;
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const kept = new RememberedReferences(10, 60_000);
      const first = ref('act-1');
      kept.set('t\na:1', first);
      (first.user as { name: string }).name = 'changed after the turn'; // the kept copy is its own
      expect(kept.has('t\na:1', ref('act-2'))).toBe(true);
      expect(kept.has('t\na:1', ref('act-3', 'Ada L.'))).toBe(false);
      expect(kept.has('t\na:2', ref('act-4'))).toBe(false);
      now += 60_001;
      expect(kept.has('t\na:1', ref('act-5'))).toBe(false);
    } finally {
      Date.now = realNow;
    }
  });

  it('keeps at most its bound, the least recently known out first', () => {
    const kept = new RememberedReferences(2, 60_000);
    kept.set('a', ref('1'));
    kept.set('b', ref('1'));
    expect(kept.has('a', ref('2'))).toBe(true);
    kept.set('c', ref('1'));
    expect([kept.has('a', ref('3')), kept.has('b', ref('3')), kept.has('c', ref('3'))]).toEqual([true, false, true]);
  });
});
