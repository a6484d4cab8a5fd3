/**
 * Property tests for the synchronization start date over random plan outlines and random modified
 * times (some missing) on a first run: exactly the recent items and their ancestors are created,
 * everything else is counted as left out, and the hash depends only on which side of the date
 * each item falls.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/sync/build-plan.js';
import type { Item } from '../../src/sync/model.js';
import { integrationFor } from './support/fixtures.js';

const CUTOFF = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

interface Node {
  parent: number | null;
  /** Days from the cutoff (negative = before), or null for no modified time. */
  day: number | null;
}

const outline = fc.array(fc.record({ parent: fc.nat(), day: fc.option(fc.integer({ min: -30, max: 30 }), { nil: null }), root: fc.boolean() }), { minLength: 1, maxLength: 25 })
  .map((rows): Node[] => rows.map((r, i) => ({ parent: i === 0 || r.root ? null : r.parent % i, day: r.day })));

const toItems = (nodes: Node[], jitter = 0): Item[] => nodes.map((n, i) => ({
  key: `t${i}`, system: 'plan', type: 'Task', parentKey: n.parent === null ? null : `t${n.parent}`, fields: { Name: `Task ${i}` }, version: 1,
  ...(n.day === null ? {} : { modifiedAt: new Date(CUTOFF + n.day * DAY + (n.day >= 0 ? jitter : -jitter)).toISOString() }),
}));

const recent = (n: Node): boolean => n.day === null || n.day >= 0;

describe('synchronization start date (properties)', () => {
  const integration = integrationFor('Agile', { direction: 'planToAdo', creation: 'withAllSubItems' });
  const since = new Date(CUTOFF).toISOString();

  it('creates exactly the recent tasks and their ancestors, and counts the rest as left out', () => {
    fc.assert(fc.property(outline, (nodes) => {
      const plan = buildPlan({ integration, planItems: toItems(nodes), adoItems: [], links: [], changesSince: since });
      const expected = new Set<string>();
      nodes.forEach((n, i) => {
        if (!recent(n)) return;
        for (let k: number | null = i; k !== null && !expected.has(`t${k}`); k = nodes[k]!.parent) expected.add(`t${k}`);
      });
      const created = plan.operations.flatMap((o) => (o.kind === 'create' ? [o.sourceKey] : []));
      expect(new Set(created)).toEqual(expected);
      expect(created).toHaveLength(expected.size);
      expect(plan.leftOut).toEqual({ since, planTasks: nodes.length - expected.size, workItems: 0 });
      // Every created task's parent is created too (or it is a root): no orphans.
      for (const o of plan.operations) if (o.kind === 'create' && o.level > 0) expect(o.parent).toHaveProperty('linkId');
    }));
  });

  it('gives the same hash when modified times move but stay on the same side of the date', () => {
    fc.assert(fc.property(outline, fc.integer({ min: 1, max: DAY - 1 }), (nodes, jitter) => {
      const a = buildPlan({ integration, planItems: toItems(nodes), adoItems: [], links: [], changesSince: since });
      const b = buildPlan({ integration, planItems: toItems(nodes, jitter), adoItems: [], links: [], changesSince: since });
      expect(b.hash).toBe(a.hash);
    }));
  });
});
