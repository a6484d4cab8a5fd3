import { describe, expect, it } from 'vitest';
import { lazyViews } from '../lazy-views.js';
import type { EntityView, ODataFormat } from '../odata.js';
import { addOrionProject } from '../seed-orion.js';
import { demoState } from '../seed.js';
import { Views } from '../views.js';

/**
 * What the simulator computes lazily must read as what it would have built eagerly: a task's
 * properties one at a time equal its props, in order, and a lazily made collection of views reads
 * as the array of all of them.
 */
describe('PWA simulator lazy views', () => {
  const state = demoState();
  addOrionProject(state);
  const api = 'http://127.0.0.1:1/sites/pwa/_api';

  it.each<[ODataFormat, boolean]>([['nometadata', false], ['verbose', false], ['nometadata', true], ['verbose', true]])(
    'gives each task property (%s, draft %s) as its props hold it, in their order',
    (format, draft) => {
      const views = new Views(() => state, api, format);
      let withCustom = 0;
      for (const p of state.projects) {
        for (const t of p.tasks) {
          const view = views.task(p, t, draft);
          const fresh = views.task(p, t, draft);
          // One view asked property by property, before its props exist; another asked for its props.
          const one = Object.fromEntries(view.propertyNames!.map((name) => [name, view.property!(name)]));
          expect(Object.keys(fresh.props)).toEqual(view.propertyNames);
          expect(one).toStrictEqual(fresh.props);
          if (Object.keys(t.custom).length > 0) withCustom += 1;
        }
      }
      expect(withCustom).toBeGreaterThan(0); // the custom field values (lookups included) were covered
    },
  );

  it('reads a lazy collection as the array of all its views', () => {
    const items = Array.from({ length: 250 }, (_, i) => `t${i}`);
    let made = 0;
    const view = (id: string): EntityView => { made += 1; return { type: 'PS.PublishedTask', uri: id, props: { Id: id } }; };
    const lazy = lazyViews(items, view);
    const eager = items.map(view);
    made = 0;
    const ids = (views: EntityView[]) => views.map((v) => v.props.Id);
    expect(lazy).toHaveLength(250);
    expect(ids(lazy.slice(100, 200))).toEqual(ids(eager.slice(100, 200)));
    expect(made).toBe(100); // only the slice was made
    expect(Array.isArray(lazy)).toBe(true);
    expect(lazy[0]).toBe(lazy[0]);
    expect(0 in lazy && 249 in lazy && !(250 in lazy)).toBe(true);
    expect(lazy.find((v) => v.props.Id === 't7')?.uri).toBe('t7');
    expect(ids(lazy.filter((v) => String(v.props.Id).endsWith('9')))).toEqual(ids(eager.filter((v) => String(v.props.Id).endsWith('9'))));
    expect(ids([...lazy])).toEqual(ids(eager));
    expect(lazy[250]).toBeUndefined();
  });
});
