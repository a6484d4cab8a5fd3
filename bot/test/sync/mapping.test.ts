import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { converterFor, agree } from '../../src/sync/mapping/convert.js';
import { adoDay, dayToAdo, dayToPlan, planDay } from '../../src/sync/mapping/dates.js';
import { defaultRules } from '../../src/sync/mapping/defaults.js';
import { addRule, deleteRule, editRule, moveRule, resetRules, rulesProblem, toggleRule } from '../../src/sync/mapping/edit.js';
import { htmlToText, normalizeText, textToHtml, truncate } from '../../src/sync/mapping/text.js';
import { formatHours, parseDays, parseHours } from '../../src/sync/mapping/work.js';
import type { MappingRule } from '../../src/sync/mapping/rule.js';
import { PROCESSES, PROCESS_NAMES, hierarchyProblem, statesFor } from '../../src/sync/processes.js';
import { IDENTITIES } from './support/fixtures.js';

const ctx = { timeZone: 'UTC', identities: IDENTITIES };
const rule = (rules: MappingRule[], id: string): MappingRule => rules.find((r) => r.id === id)!;
const conv = (r: MappingRule, timeZone = 'UTC') => converterFor(r, { ...ctx, timeZone });

describe.each(PROCESS_NAMES)('default mapping for %s', (process) => {
  const rules = defaultRules(process);
  const p = PROCESSES[process];

  it('is valid and maps Name, Start, Notes and resources for every type', () => {
    expect(rulesProblem(rules)).toBeNull();
    expect(rule(rules, 'name')).toMatchObject({ planField: 'Name', adoField: 'System.Title', direction: 'both' });
    expect(rule(rules, 'start')).toMatchObject({ planField: 'Start', adoField: 'Microsoft.VSTS.Scheduling.StartDate', transform: 'date' });
    expect(rule(rules, 'notes')).toMatchObject({ planField: 'Notes', adoField: 'System.Description', transform: 'html' });
    expect(rule(rules, 'assigned-to')).toMatchObject({ planField: 'ResourceNames', adoField: 'System.AssignedTo', transform: 'identity' });
  });

  it('maps Finish to Target Date on portfolio types and Finish Date on the others', () => {
    for (const t of p.portfolioTypes) expect(rule(rules, 'finish-target').appliesTo).toContain(t);
    for (const t of [p.requirementType, p.leafType]) expect(rule(rules, 'finish').appliesTo).toContain(t);
    expect(rule(rules, 'finish').appliesTo).not.toContain('Epic');
  });

  it('turns % complete into a valid state of each type, and states back into % complete', () => {
    for (const [id, type] of [['state', p.requirementType], ['state-task', p.leafType]] as const) {
      const c = conv(rule(rules, id));
      const states = statesFor(process, type);
      const [first] = states;
      const last = states.at(-1);
      expect(c.toAdo(0)).toEqual({ ok: true, value: first });
      expect(c.toAdo(100)).toEqual({ ok: true, value: last });
      const mid = c.toAdo(40);
      expect(mid.ok && states.includes(mid.value as string)).toBe(true);
      expect(c.toPlan(last, 20)).toEqual({ ok: true, value: 100 });
      expect(c.toPlan(first, 20)).toEqual({ ok: true, value: 0 });
      // An in-progress plan value inside the matching range is kept rather than flattened to 50.
      if (mid.ok) expect(c.toPlan(mid.value, 40)).toEqual({ ok: true, value: 40 });
      for (const s of states) expect(c.toPlan(s, null).ok).toBe(true);
    }
  });

  it('maps work in hours on tasks both ways and sizes backlog items towards ADO only', () => {
    const remaining = rule(rules, 'remaining-work');
    expect(remaining).toMatchObject({ planField: 'RemainingWork', adoField: 'Microsoft.VSTS.Scheduling.RemainingWork', direction: 'both', appliesTo: [p.leafType] });
    expect(conv(remaining).toAdo('2d')).toEqual({ ok: true, value: 16 });
    expect(conv(remaining).toPlan(6.5, null)).toEqual({ ok: true, value: '6.5h' });
    const sizing = rules.filter((r) => ['story-points', 'effort', 'size'].includes(r.id));
    expect(sizing.length).toBeGreaterThan(0);
    for (const r of sizing) expect(r.direction).toBe('planToAdo');
    expect(sizing.flatMap((r) => r.appliesTo ?? [])).toContain(p.requirementType);
  });

  it('has a hierarchy that fits the process', () => {
    expect(hierarchyProblem(process, p.levels, p.leafType)).toBeNull();
    expect(hierarchyProblem(process, [...p.levels].reverse(), p.leafType)).toMatch(/top down/);
  });
});

describe('hierarchy settings', () => {
  it('names the types a process lacks', () => {
    expect(hierarchyProblem('Basic', ['Epic', 'Feature'], 'Task')).toMatch(/Basic process has no "Feature"/);
  });
});

describe('conversions', () => {
  it.each([
    ['208h', 208], ['26d', 208], ['1w', 40], ['30m', 0.5], ['1mo', 160], ['2ed', 48], ['1.5d', 12], ['3,5h', 3.5], ['4h?', 4], ['0h', 0], [7_200_000, 2], ['', null], ['soon', null],
  ] as const)('PWA work %j is %j hours', (input, hours) => {
    expect(parseHours(input)).toBe(hours);
  });

  it('formats hours and durations', () => {
    expect(formatHours(2.333333)).toBe('2.33h');
    expect(parseDays('73d')).toBe(73);
    expect(parseDays('4h')).toBe(0.5);
  });

  it.each(['UTC', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kolkata', 'Europe/Berlin', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'dates keep their day through ADO and back in %s, DST days included', (zone) => {
      fc.assert(fc.property(fc.integer({ min: 0, max: 3650 }), (n) => {
        const day = new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
        expect(adoDay(dayToAdo(day, zone), zone)).toBe(day);
      }), { numRuns: 200 });
    });

  it('sends a plan day as local midnight and keeps the plan time of day on the way back', () => {
    expect(dayToAdo('2025-03-10', 'America/Los_Angeles')).toBe('2025-03-10T07:00:00.000Z');
    expect(dayToAdo('2025-03-09', 'America/Los_Angeles')).toBe('2025-03-09T08:00:00.000Z');
    expect(dayToAdo('2025-03-10', 'Pacific/Auckland')).toBe('2025-03-09T11:00:00.000Z');
    expect(dayToPlan('2025-03-12', '2025-03-10T17:00:00')).toBe('2025-03-12T17:00:00');
    expect(dayToPlan('2025-03-12', null)).toBe('2025-03-12T00:00:00');
    expect(planDay('0001-01-01T00:00:00')).toBeNull();
  });

  it('compares dates by day, so an unchanged day in another format is not a change', () => {
    const start = conv(rule(defaultRules('Agile'), 'start'), 'Asia/Kolkata');
    expect(agree(start, '2025-03-10T08:00:00', '2025-03-09T18:30:00Z')).toBe(true);
    expect(agree(start, '2025-03-10T08:00:00', '2025-03-10T18:30:00Z')).toBe(false);
  });

  it('converts Notes to ADO HTML and back without loss', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }), (lines) => {
      const text = lines.join('\n');
      expect(htmlToText(textToHtml(text))).toBe(normalizeText(text));
    }), { numRuns: 300 });
    expect(textToHtml('a < b & c\nnext')).toBe('<div>a &lt; b &amp; c</div><div>next</div>');
    expect(htmlToText('<p>Hello&nbsp;<b>world</b></p><ul><li>one</li><li>two &#x2713;</li></ul>')).toBe('Hello world\n\n- one\n- two \u2713');
  });

  it('cuts titles to ADO\'s 255 characters without splitting a character', () => {
    const name = conv(rule(defaultRules('Scrum'), 'name'));
    const long = 'x'.repeat(300);
    expect(name.toAdo(long)).toEqual({ ok: true, value: 'x'.repeat(255) });
    expect(truncate(`${'a'.repeat(254)}\u{1F600}`, 255)).toBe('a'.repeat(254));
  });

  it('assigns the first plan resource through the identity map, and says when one is missing', () => {
    const who = conv(rule(defaultRules('CMMI'), 'assigned-to'));
    expect(who.toAdo('Alice Smith, Bob Jones')).toEqual({ ok: true, value: 'alice@contoso.com' });
    expect(who.toPlan('Bob Jones <BOB@contoso.com>', null)).toEqual({ ok: true, value: 'Bob Jones' });
    expect(who.toAdo('Carol')).toEqual({ ok: false, problem: 'no Azure DevOps user matches "Carol"', hint: 'Use "Match people" to pick one.' });
    expect(agree(who, 'alice smith', 'Alice <alice@contoso.com>')).toBe(true);
  });

  it('leaves a resource unassigned on purpose without a warning when its identity is empty', () => {
    const who = converterFor(rule(defaultRules('Agile'), 'assigned-to'), { ...ctx, identities: { 'Dana Ruiz': '' } });
    expect(who.toAdo('Dana Ruiz')).toEqual({ ok: true, value: null });
    expect(who.normPlan('Dana  ruiz')).toBeNull();
    expect(agree(who, 'Dana Ruiz', null)).toBe(true);
    expect(who.toPlan('nobody@contoso.com', null)).toEqual({ ok: false, problem: 'no plan resource matches the Azure DevOps user nobody@contoso.com' });
  });

  it('reads numbers', () => {
    const n = converterFor({ id: 'n', planField: 'Cost', adoField: 'Custom.Cost', direction: 'both', active: true, transform: 'number' }, ctx);
    expect(n.normPlan('12.50')).toBe(12.5);
    expect(n.normAdo(null)).toBeNull();
    expect(n.toPlan(0.1 + 0.2, null)).toEqual({ ok: true, value: 0.3 });
  });
});

describe('editing rules', () => {
  const rules = defaultRules('Agile');

  it('adds, edits, toggles, reorders and deletes', () => {
    const added = addRule(rules, { planField: 'Priority', adoField: 'Microsoft.VSTS.Common.Priority', direction: 'planToAdo', active: true, transform: 'number' });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    const id = added.rules.at(-1)!.id;
    const moved = moveRule(added.rules, id, 0);
    expect(moved.ok && moved.rules[0]!.id).toBe(id);
    const edited = editRule(added.rules, id, { direction: 'both' });
    expect(edited.ok && edited.rules.at(-1)!.direction).toBe('both');
    const off = toggleRule(added.rules, 'name');
    expect(off.ok && off.rules.find((r) => r.id === 'name')!.active).toBe(false);
    const gone = deleteRule(added.rules, id);
    expect(gone.ok && gone.rules).toEqual(rules);
    expect(resetRules('Agile')).toEqual({ ok: true, rules });
  });

  it('refuses edits that would leave the rules unusable, saying what to change', () => {
    const bad = addRule(rules, { planField: 'Name', adoField: 'Title', direction: 'both', active: true });
    expect(bad).toEqual({ ok: false, problem: expect.stringMatching(/"Title" is not an ADO field reference name/) });
    const twice = addRule(rules, { planField: 'Text1', adoField: 'System.Title', direction: 'planToAdo', active: true });
    expect(twice).toEqual({ ok: false, problem: expect.stringMatching(/both write System.Title/) });
    // Switching the default off makes room for the new rule.
    const off = toggleRule(rules, 'name', false);
    expect(off.ok && addRule(off.rules, { planField: 'Text1', adoField: 'System.Title', direction: 'planToAdo', active: true }).ok).toBe(true);
    expect(editRule(rules, 'nope', { active: false })).toEqual({ ok: false, problem: expect.stringMatching(/no rule "nope"/) });
    expect(editRule(rules, 'state', { valueMap: [{ plan: { min: 5, max: 1 }, ado: 'Active' }] })).toEqual({ ok: false, problem: expect.stringMatching(/range 5..1 is empty/) });
  });
});
