import { describe, expect, it } from 'vitest';
import type { PlanProject } from '../../../src/connectors/ppm.js';
import type { ConcurrentReadOptions, PwaClient, Row } from '../../../src/connectors/pwa/client.js';
import { readTasks } from '../../../src/connectors/pwa/reads.js';
import { taskRowMapper } from '../../../src/connectors/pwa/task-rows.js';

/** Task pages are mapped as they arrive; the tasks must be those of mapping the rows the read returned. */

const project = { id: 'p1', minutesPerDay: 480 } as PlanProject;
const row = (n: number, name = `Task ${n}`): Row => ({
  Id: `t${n}`, Name: name, OutlineLevel: 1, OutlinePosition: String(n), IsSummary: false, Start: '2026-03-02T08:00:00', Finish: '2026-03-06T17:00:00',
  Duration: '5d', Work: '40h', ActualWork: '8h', RemainingWork: '32h', PercentComplete: 20, Notes: '', Modified: '2026-01-05T09:00:00',
  Deadline: '0001-01-01T00:00:00', IsMilestone: false, IsActive: true, TaskType: 0, IsSubProject: false, Parent: null,
  Assignments: [{ Id: `a${n}`, Work: '40h', ActualWork: '8h', RemainingWork: '32h', Resource: { Id: 'r1', Name: 'Alice', Email: 'alice@example.com' } }],
});
const links = [{ Id: 'l1', DependencyType: 1, Start: { Id: 't1' }, End: { Id: 't2' } }];

/** A client whose concurrent read shows `pages` as they arrive and then returns `result`. */
function client(pages: Row[][], result: Row[]): PwaClient {
  return {
    getAll: async () => links,
    getAllConcurrently: async (_path: string, _params: Record<string, string>, options: ConcurrentReadOptions = {}) => {
      for (const [index, rows] of pages.entries()) {
        await new Promise((r) => setTimeout(r, 1));
        options.onPage?.(index, rows);
      }
      return result;
    },
  } as unknown as PwaClient;
}

const expected = (rows: Row[]) => rows.map(taskRowMapper({ fields: [], minutesPerDay: 480, dependencies: new Map([['t2', [{ predecessorId: 't1', kind: 'finish-to-start' }]]]) }));

describe('PWA task rows mapped page by page', () => {
  it('gives the tasks of mapping every row at the end, versions and predecessors included', async () => {
    const pages = [[row(1), row(2)], [row(3)], [row(4), row(5)]];
    const tasks = await readTasks(client(pages, pages.flat()), project, []);
    expect(tasks).toEqual(expected(pages.flat()));
    expect(tasks[1]!.predecessors).toEqual([{ predecessorId: 't1', kind: 'finish-to-start' }]);
  });

  it('fails the read with the error of a row that cannot be mapped, as mapping at the end would', async () => {
    const bad = { ...row(4), OutlineLevel: Symbol('not a number') };
    const pages = [[row(1), row(2)], [row(3), bad]];
    await expect(readTasks(client(pages, pages.flat()), project, [])).rejects.toThrow(TypeError);
  });

  it('maps the rows the read returned when they are not the pages it showed (a sequential read after pages that did not fit)', async () => {
    const pages = [[row(1), row(2)], [row(2), row(3)]];
    const again = [row(1), row(2, 'Renamed'), row(3)];
    expect(await readTasks(client(pages, again), project, [])).toEqual(expected(again));
  });
});
