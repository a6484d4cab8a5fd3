import type { PlanTask } from '../ppm.js';
import type { Row } from './client.js';

/**
 * Maps the pages of a concurrent read while later pages are still on the wire: the connector waits
 * on the network between pages, and mapping (and versioning) 5,000 tasks after the last one had
 * arrived was most of what the read added to its last round trip. Rows are mapped in slices of
 * about a millisecond, one per turn of the event loop, once the dependencies are in (a version
 * covers the predecessors): a response that arrives, and the request it lets the read send
 * (PnPjs sends from a timer), wait at most one slice, where mapping a page at once held them
 * several milliseconds. `tasks` maps what is left, and gives the mapped pages when they are exactly
 * the rows the read returned; whatever else it returned (a sequential read after pages that did
 * not fit) it maps there and then.
 */

const SLICE_MS = 1;

interface Page {
  rows: Row[];
  tasks: PlanTask[];
  /** Mapping a row threw: the page is mapped again in `tasks` if it is part of the result, where the error belongs. */
  failed: boolean;
}

export class PageMapper {
  private readonly pages: Array<Page | undefined> = [];
  private readonly queue: Page[] = [];
  private map: ((row: Row) => PlanTask) | null = null;
  private scheduled = false;

  constructor(private readonly mapper: Promise<(row: Row) => PlanTask>) {
    // Its failure (the dependencies' read) is the read's, reported there: not also an unhandled rejection here.
    mapper.then((map) => { this.map = map; this.schedule(); }, () => undefined);
  }

  readonly add = (index: number, rows: Row[]): void => {
    const page: Page = { rows, tasks: [], failed: false };
    this.pages[index] = page;
    this.queue.push(page);
    this.schedule();
  };

  async tasks(rows: Row[]): Promise<PlanTask[]> {
    const map = (this.map = await this.mapper);
    this.work(Number.POSITIVE_INFINITY);
    const out: PlanTask[] = [];
    for (const page of this.pages) {
      if (out.length === rows.length) break;
      if (!page || page.failed || !page.rows.every((row, i) => rows[out.length + i] === row)) return rows.map(map);
      for (const task of page.tasks) out.push(task);
    }
    return out.length === rows.length ? out : rows.map(map);
  }

  private schedule(): void {
    if (this.scheduled || this.map === null || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.work(performance.now() + SLICE_MS);
      this.schedule();
    });
  }

  /** Maps queued rows until `deadline`, or all of them. */
  private work(deadline: number): void {
    const map = this.map!;
    while (this.queue.length > 0) {
      const page = this.queue[0]!;
      try {
        while (page.tasks.length < page.rows.length) {
          page.tasks.push(map(page.rows[page.tasks.length]!));
          if (performance.now() > deadline) return;
        }
      } catch {
        page.failed = true;
      }
      this.queue.shift();
    }
  }
}
