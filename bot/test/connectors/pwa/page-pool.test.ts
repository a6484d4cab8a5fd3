import { describe, expect, it } from 'vitest';
import { readPages, type Page } from '../../../src/connectors/pwa/page-pool.js';

/**
 * The sliding pool of page reads against scripted servers: where the read ends, what it asks for,
 * and what it gives back when the pages do not fit together.
 */

const SIZE = 100;
const rowsOf = (from: number, count: number) => Array.from({ length: Math.max(0, count) }, (_, k) => ({ Id: `t${from + k}` }));

interface Server {
  asked: number[];
  aborted: number[];
  read: (index: number, signal: AbortSignal) => Promise<Page>;
}

/**
 * A collection of `total` rows paged by SIZE. `links`: 'ahead' links a page when rows follow it (as
 * the simulator does), 'full' links every full page, 'never' links no page asked for by $skip.
 * Page `index` answers after `delay(index)` ms unless aborted.
 */
function server(total: number, links: 'ahead' | 'full' | 'never', delay: (index: number) => number = () => 1): Server {
  const asked: number[] = [];
  const aborted: number[] = [];
  return {
    asked,
    aborted,
    read: (index, signal) => new Promise<Page>((resolve, reject) => {
      asked.push(index);
      const onAbort = () => {
        clearTimeout(timer);
        aborted.push(index);
        reject(new Error('aborted'));
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        const rows = rowsOf(index * SIZE, Math.min(SIZE, total - index * SIZE));
        const linked = links === 'ahead' ? (index + 1) * SIZE < total : links === 'full' ? rows.length === SIZE : false;
        resolve({ rows, next: linked ? `next-${index + 1}` : null });
      }, delay(index));
      signal.addEventListener('abort', onAbort);
    }),
  };
}

const firstPage = (total: number): Page => ({ rows: rowsOf(0, Math.min(SIZE, total)), next: 'next-1' });
const ids = (rows: Array<Record<string, unknown>> | null) => rows?.map((r) => r.Id);

describe('PWA page pool', () => {
  it('ends a plan of whole pages when its last page arrives, once the server has linked a page asked for by $skip', async () => {
    // The last page (49) is slow, so pages past it are asked for before it arrives; those would take 300 ms.
    const s = server(5000, 'ahead', (i) => (i === 49 ? 20 : i >= 50 ? 300 : 2));
    const started = performance.now();
    const rows = await readPages(firstPage(5000), s.read, 8);
    expect(ids(rows)).toEqual(rowsOf(0, 5000).map((r) => r.Id));
    // Nobody waited for the pages past the end: they were called off.
    expect(performance.now() - started).toBeLessThan(250);
    const past = s.asked.filter((i) => i >= 50);
    expect(past.length).toBeGreaterThan(0);
    expect(past.length).toBeLessThanOrEqual(7);
    expect([...s.aborted].sort()).toEqual([...past].sort());
  });

  it('reads to the short page when the server links every full page', async () => {
    const s = server(5000, 'full');
    const rows = await readPages(firstPage(5000), s.read, 8);
    expect(rows).toHaveLength(5000);
    expect(s.asked).toContain(50); // the empty page that shows the end
  });

  it('never ends early on a server that links no page asked for by $skip', async () => {
    const s = server(1234, 'never');
    const rows = await readPages(firstPage(1234), s.read, 8);
    expect(ids(rows)).toEqual(rowsOf(0, 1234).map((r) => r.Id));
  });

  it('asks for the second page alone: a two-page plan costs one more request', async () => {
    const s = server(150, 'ahead');
    expect(await readPages(firstPage(150), s.read, 8)).toHaveLength(150);
    expect(s.asked).toEqual([1]);
  });

  it('gives null for pages that do not fit together: a row twice, or rows past the last page', async () => {
    // A task inserted after the first page was read: every later page starts one row early.
    const shifted = async (index: number): Promise<Page> => ({ rows: rowsOf(index * SIZE - 1, Math.min(SIZE, 251 - index * SIZE)), next: null });
    expect(await readPages(firstPage(250), shifted, 8)).toBeNull();
    // Tasks removed mid-read: page 2 comes back short after page 3 came back full.
    const removed = (index: number): Promise<Page> => new Promise((resolve) => setTimeout(() => resolve({
      rows: index === 2 ? rowsOf(200, 10) : rowsOf(index * SIZE, index <= 3 ? SIZE : 0), next: null,
    }), index === 2 ? 20 : 1));
    expect(await readPages(firstPage(1000), removed, 8)).toBeNull();
  });

  it('fails with the first error and calls off the pages still in flight', async () => {
    const s = server(5000, 'ahead', (i) => (i === 5 ? 1 : 30));
    const failing = (index: number, signal: AbortSignal): Promise<Page> => (index === 5 ? Promise.reject(new Error('page 5 failed')) : s.read(index, signal));
    await expect(readPages(firstPage(5000), failing, 8)).rejects.toThrow('page 5 failed');
    expect(s.aborted.length).toBeGreaterThan(0);
    expect(Math.max(...s.asked)).toBeLessThan(12);
  });
});
