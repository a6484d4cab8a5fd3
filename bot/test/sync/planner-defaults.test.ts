import { describe, expect, it } from 'vitest';
import { defaultRules, plannerDefaultRules } from '../../src/sync/mapping/defaults.js';
import { converterFor } from '../../src/sync/mapping/convert.js';

describe('Planner premium default mapping', () => {
  const paths = { iterations: ['Phoenix', 'Phoenix\\Sprint 1', 'Phoenix\\Sprint 2', 'Phoenix\\Release 2\\Sprint 1'], areas: ['Phoenix', 'Phoenix\\Web', 'Phoenix\\Mobile'] };
  const rules = plannerDefaultRules('Agile', paths);
  const rule = (id: string) => rules.find((r) => r.id === id)!;

  it('maps subject, effort, remaining and completed effort, progress, dates and assignments as issue 17 lists', () => {
    expect(rule('name')).toMatchObject({ planField: 'Name', adoField: 'System.Title', direction: 'both', active: true });
    expect(rule('work')).toMatchObject({ planField: 'Work', adoField: 'Microsoft.VSTS.Scheduling.OriginalEstimate', direction: 'both' });
    expect(rule('remaining-work')).toMatchObject({ adoField: 'Microsoft.VSTS.Scheduling.RemainingWork', direction: 'planToAdo' });
    expect(rule('actual-work')).toMatchObject({ adoField: 'Microsoft.VSTS.Scheduling.CompletedWork', direction: 'planToAdo' });
    expect(rule('state-task')).toMatchObject({ planField: 'PercentComplete', adoField: 'System.State' });
    expect(rule('start')).toMatchObject({ planField: 'Start', transform: 'date' });
    expect(rule('finish')).toMatchObject({ planField: 'Finish', transform: 'date' });
    expect(rule('assigned-to')).toMatchObject({ planField: 'ResourceNames', adoField: 'System.AssignedTo', transform: 'identity' });
  });

  it('offers sprints <-> iterations and buckets -> areas, off, by the last node of each path', () => {
    expect(rule('sprint')).toMatchObject({ planField: 'Sprint', adoField: 'System.IterationPath', direction: 'both', active: false });
    expect(rule('bucket')).toMatchObject({ planField: 'Bucket', adoField: 'System.AreaPath', direction: 'planToAdo', active: false });
    const sprint = converterFor(rule('sprint'), { timeZone: 'UTC', identities: {} });
    expect(sprint.toAdo('Sprint 2')).toEqual({ ok: true, value: 'Phoenix\\Sprint 2' });
    // Two leaves named "Sprint 1": the first path wins; the root means no sprint.
    expect(sprint.toAdo('Sprint 1')).toEqual({ ok: true, value: 'Phoenix\\Sprint 1' });
    expect(sprint.toAdo(null)).toEqual({ ok: true, value: 'Phoenix' });
    expect(sprint.toPlan('Phoenix\\Sprint 2', null)).toEqual({ ok: true, value: 'Sprint 2' });
    expect(converterFor(rule('bucket'), { timeZone: 'UTC', identities: {} }).toAdo('Mobile')).toEqual({ ok: true, value: 'Phoenix\\Mobile' });
  });

  it('without the paths, the optional rules compare text', () => {
    expect(plannerDefaultRules('Agile').find((r) => r.id === 'sprint')).toMatchObject({ transform: 'text', active: false });
  });

  it('leaves Project Web App\'s defaults as they were', () => {
    for (const process of ['Agile', 'Scrum', 'CMMI', 'Basic'] as const) {
      const pwa = defaultRules(process);
      expect(pwa.some((r) => r.planField === 'Sprint' || r.planField === 'Bucket')).toBe(false);
      expect(pwa.filter((r) => r.planField === 'RemainingWork').every((r) => r.direction === 'both')).toBe(true);
      expect(plannerDefaultRules(process).slice(0, pwa.length).map((r) => r.id)).toEqual(pwa.map((r) => r.id));
    }
  });
});
