/**
 * Turns a mapping rule into a converter: how each side's value is normalized for the three-way
 * comparison, and how a value is written to the other side. Normal forms are chosen so that format
 * noise (time of day, "8h" vs "1d", HTML markup, e-mail case) never shows up as a change.
 */
import type { FieldValue } from '../model.js';
import type { MappingRule } from './rule.js';
import { adoDay, dayToAdo, dayToPlan, planDay } from './dates.js';
import { firstResource, identityForResource, resourceForIdentity, uniqueNameOf, type IdentityMap } from './identity.js';
import { MATCH_PEOPLE_HINT, noAdoUser } from './labels.js';
import { TEXT_LIMITS, htmlToText, normalizeText, textToHtml, truncate } from './text.js';
import { mapAdoToPlan, mapPlanToAdo } from './value-map.js';
import { formatDays, formatHours, parseDays, parseHours } from './work.js';

/** A failure's `problem` is a clause ("no Azure DevOps user matches ..."); `hint` says what to do. */
export type Converted = { readonly ok: true; readonly value: FieldValue } | { readonly ok: false; readonly problem: string; readonly hint?: string };

export interface Converter {
  normPlan(value: FieldValue | undefined): FieldValue;
  normAdo(value: FieldValue | undefined): FieldValue;
  toAdo(planValue: FieldValue | undefined): Converted;
  toPlan(adoValue: FieldValue | undefined, currentPlan: FieldValue | undefined): Converted;
}

export interface ConvertContext {
  readonly timeZone: string;
  readonly identities: IdentityMap;
}

const ok = (value: FieldValue): Converted => ({ ok: true, value });
const fail = (problem: string, hint?: string): Converted => ({ ok: false, problem, ...(hint ? { hint } : {}) });

function asText(v: FieldValue | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

function asNumber(v: FieldValue | undefined): number | null {
  if (v === null || v === undefined || v === '' || typeof v === 'boolean') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? Math.round(n * 1e6) / 1e6 + 0 : null;
}

export function converterFor(rule: MappingRule, ctx: ConvertContext): Converter {
  if (rule.valueMap && rule.valueMap.length > 0) {
    const map = rule.valueMap;
    const norm = (v: FieldValue | undefined): FieldValue => (v === undefined ? null : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
    return {
      normPlan: norm,
      normAdo: (v) => (v === undefined ? null : v),
      toAdo: (p) => {
        const out = mapPlanToAdo(map, norm(p));
        return out === undefined ? fail(`no value rule turns ${rule.planField} ${JSON.stringify(p ?? null)} into a ${rule.adoField}`) : ok(out);
      },
      toPlan: (a, current) => {
        const out = mapAdoToPlan(map, a ?? null, norm(current));
        return out === undefined ? fail(`no value rule turns ${rule.adoField} ${JSON.stringify(a ?? null)} into a ${rule.planField}`) : ok(out);
      },
    };
  }
  switch (rule.transform ?? 'text') {
    case 'text': {
      const adoLimit = TEXT_LIMITS[rule.adoField];
      const planLimit = TEXT_LIMITS[rule.planField];
      return {
        normPlan: (v) => normalizeText(asText(v)),
        normAdo: (v) => normalizeText(asText(v)),
        toAdo: (p) => ok(truncate(normalizeText(asText(p)), adoLimit)),
        toPlan: (a) => ok(truncate(normalizeText(asText(a)), planLimit)),
      };
    }
    case 'number':
      return { normPlan: asNumber, normAdo: asNumber, toAdo: (p) => ok(asNumber(p)), toPlan: (a) => ok(asNumber(a)) };
    case 'work':
      // An empty estimate and zero hours mean the same thing to a schedule.
      return {
        normPlan: (v) => parseHours(v) ?? 0,
        normAdo: (v) => asNumber(v) ?? 0,
        toAdo: (p) => ok(parseHours(p) ?? 0),
        toPlan: (a) => ok(formatHours(asNumber(a) ?? 0)),
      };
    case 'duration':
      return {
        normPlan: (v) => parseDays(v) ?? 0,
        normAdo: (v) => asNumber(v) ?? 0,
        toAdo: (p) => ok(parseDays(p) ?? 0),
        toPlan: (a) => ok(formatDays(asNumber(a) ?? 0)),
      };
    case 'date':
      return {
        normPlan: (v) => planDay(v),
        normAdo: (v) => adoDay(v, ctx.timeZone),
        toAdo: (p) => {
          const day = planDay(p);
          return ok(day === null ? null : dayToAdo(day, ctx.timeZone));
        },
        toPlan: (a, current) => {
          const day = adoDay(a, ctx.timeZone);
          return ok(day === null ? null : dayToPlan(day, current));
        },
      };
    case 'html':
      return {
        normPlan: (v) => normalizeText(asText(v)),
        normAdo: (v) => htmlToText(asText(v)),
        toAdo: (p) => ok(textToHtml(asText(p))),
        toPlan: (a) => ok(htmlToText(asText(a))),
      };
    case 'identity':
      return {
        // An identity of '' is "leave unassigned" chosen on purpose: no value and no warning.
        normPlan: (v) => {
          const name = firstResource(v);
          if (name === null) return null;
          const identity = identityForResource(ctx.identities, name);
          return identity === '' ? null : identity?.toLowerCase() ?? `unmapped:${name}`;
        },
        normAdo: (v) => uniqueNameOf(v),
        toAdo: (p) => {
          const name = firstResource(p);
          if (name === null) return ok(null);
          const identity = identityForResource(ctx.identities, name);
          if (identity === '') return ok(null);
          return identity === null ? fail(noAdoUser(name), MATCH_PEOPLE_HINT) : ok(identity);
        },
        toPlan: (a) => {
          const unique = uniqueNameOf(a);
          if (unique === null) return ok(null);
          const name = resourceForIdentity(ctx.identities, unique);
          return name === null ? fail(`no plan resource matches the Azure DevOps user ${unique}`) : ok(name);
        },
      };
  }
}

/** Whether a plan value and an ADO value already say the same thing under this rule. */
export function agree(c: Converter, planValue: FieldValue | undefined, adoValue: FieldValue | undefined): boolean {
  const toAdo = c.toAdo(planValue);
  if (toAdo.ok && c.normAdo(toAdo.value) === c.normAdo(adoValue)) return true;
  const toPlan = c.toPlan(adoValue, planValue);
  return toPlan.ok && c.normPlan(toPlan.value) === c.normPlan(planValue);
}
