import { PsError, psErrors } from './errors.js';
import { checkNavigation, type EntityView } from './odata.js';

/**
 * Follows navigation properties along a URL path, `Projects('p')/Tasks('t')/Predecessors` style:
 * each segment must be a navigation property of the entity reached so far (400 if its type has
 * none of that name), and a key picks one entity out of a collection.
 */

export interface Segment {
  name: string;
  arg: string | null;
}

export type Target =
  | { kind: 'one'; view: EntityView; set: string }
  | { kind: 'many'; rows: EntityView[]; set: string }
  | { kind: 'null' };

/** `'guid'`, `guid'...'`, `3` and the like into a comparable key. */
export function keyOf(arg: string): string {
  return arg.replace(/^\w+=/, '').replace(/^guid'|^'|'$/g, '').trim().toLowerCase();
}

export function navigate(start: EntityView, set: string, segments: Segment[], missing: (set: string, key: string) => PsError): Target {
  let target: Target = { kind: 'one', view: start, set };
  for (const seg of segments) {
    if (target.kind !== 'one') throw psErrors.badRequest(`The segment '${seg.name}' cannot follow a ${target.kind === 'null' ? 'null' : 'collection'} value.`);
    checkNavigation(target.view, seg.name);
    const next = target.view.navs![seg.name]!();
    if (next === null) {
      if (seg.arg !== null) throw missing(seg.name, keyOf(seg.arg));
      target = { kind: 'null' };
    } else if (Array.isArray(next)) {
      if (seg.arg === null) { target = { kind: 'many', rows: next, set: seg.name }; continue; }
      const key = keyOf(seg.arg);
      // A view that computes its properties one at a time gives its Id alone (a task of 5,000 looked up by key).
      const found: EntityView | undefined = next.find((v) => String((v.property ? v.property('Id') : v.props.Id) ?? '').toLowerCase() === key);
      if (!found) throw missing(seg.name, key);
      target = { kind: 'one', view: found, set: seg.name };
    } else {
      if (seg.arg !== null) throw psErrors.badRequest(`The segment '${seg.name}' is not a collection and takes no key.`);
      target = { kind: 'one', view: next, set: seg.name };
    }
  }
  return target;
}
