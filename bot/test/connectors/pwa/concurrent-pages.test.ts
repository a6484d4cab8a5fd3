import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_PAGE_SIZE } from '../../../../sim/pwa/odata.js';
import { startPwaSimulator, type PwaSimulator } from '../../../../sim/pwa/server.js';
import { connectorFor } from './harness.js';

/** Big plans are read with pages in flight together, and the result is the sequential read's. */
describe('PWA task pages read concurrently', () => {
  let sim: PwaSimulator;
  let projectId: string;
  const TASKS = 1234;

  beforeAll(async () => {
    sim = await startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'empty', bigProject: { name: 'Big', tasks: TASKS, levels: 4 } });
    projectId = sim.state.projects[0]!.Id;
  });
  afterAll(async () => sim?.close());

  const path = () => `ProjectServer/Projects('${projectId}')/Tasks`;
  const params = { $select: 'Id,Name,OutlinePosition' };

  it('gives every task once, in the order the sequential read gives, in few more requests than pages', async () => {
    const c = connectorFor(sim, 'oauth', 'nometadata');
    const sequential = await c.client.getAll(path(), params);
    const before = c.client.requestCount;
    const concurrent = await c.client.getAllConcurrently(path(), params);
    const requests = c.client.requestCount - before;
    expect(concurrent.map((r) => r.Id)).toEqual(sequential.map((r) => r.Id));
    expect(concurrent).toHaveLength(TASKS);
    const pages = Math.ceil(TASKS / SERVER_PAGE_SIZE);
    expect(requests).toBeGreaterThanOrEqual(pages);
    expect(requests).toBeLessThanOrEqual(pages + 7);
  });

  it('reads a plan of whole pages to its last task, ending when the last page arrives (the simulator links a page only when more follow)', async () => {
    const whole = await startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'empty', bigProject: { name: 'Whole', tasks: 12 * SERVER_PAGE_SIZE, levels: 4 } });
    try {
      const c = connectorFor(whole, 'oauth', 'nometadata');
      const tasks = `ProjectServer/Projects('${whole.state.projects[0]!.Id}')/Tasks`;
      const sequential = await c.client.getAll(tasks, params);
      const concurrent = await c.client.getAllConcurrently(tasks, params);
      expect(concurrent.map((r) => r.Id)).toEqual(sequential.map((r) => r.Id));
      expect(concurrent).toHaveLength(12 * SERVER_PAGE_SIZE);
    } finally {
      await whole.close();
    }
  });

  it('a plan of one page costs one request, and of two pages, two', async () => {
    const small = await startPwaSimulator({ port: 0, queueJobMs: 0, seed: 'empty', bigProject: { name: 'Small', tasks: 150, levels: 2 } });
    try {
      const c = connectorFor(small, 'oauth', 'nometadata');
      const id = small.state.projects[0]!.Id;
      const rows = await c.client.getAllConcurrently(`ProjectServer/Projects('${id}')/Tasks`, params);
      expect(rows).toHaveLength(150);
      expect(c.client.requestCount).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('falls back to reading page after page when the pages do not fit together (a publish mid-read)', async () => {
    const c = connectorFor(sim, 'oauth', 'nometadata');
    const client = c.client as unknown as {
      page(query: { query: Map<string, string> }): Promise<{ rows: Array<Record<string, unknown>>; next: string | null }>;
      getAll(path: string, params: Record<string, string>): Promise<Array<Record<string, unknown>>>;
      getAllConcurrently(path: string, params: Record<string, string>): Promise<Array<Record<string, unknown>>>;
    };
    // Pages as a server gives them when a task is inserted after the first page was read: the
    // first row of page two is the last row of page one.
    client.page = async (query) => {
      const skip = Number(query.query.get('$skip') ?? 0);
      const from = skip === 0 ? 0 : skip - 1;
      const rows = Array.from({ length: Math.max(0, Math.min(100, 250 - from)) }, (_, k) => ({ Id: `t${from + k}` }));
      return { rows, next: skip === 0 ? 'next-page' : null };
    };
    const sequential = [{ Id: 'read-in-order' }];
    client.getAll = async () => sequential;
    expect(await client.getAllConcurrently('ProjectServer/Projects(\'p\')/Tasks', {})).toBe(sequential);
  });
});
