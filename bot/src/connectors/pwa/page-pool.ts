import type { Row } from './client.js';

/**
 * The pages of a collection after its first, read from a sliding pool: each slot asks for the next
 * page as soon as its last one arrived. The first page shows the server's page size; later pages
 * are asked for by `$skip` (notes/pwa-rest.md: page with `$top`/`$skip`) without `$top`, so the
 * server still pages them as it pages any read: a page with `odata.nextLink` / `__next` has more
 * after it, and once the server has shown that it links pages asked for this way, a full page
 * without a link is the last. The read then ends when that page arrives, not a round later when
 * the pages past it come back empty. A short page is the last whatever the server links.
 */

export interface Page {
  rows: Row[];
  next: string | null;
}

/** Reads page `index` (0-based) of the collection; `signal` aborts pages found to be past the end. */
export type PageReader = (index: number, signal: AbortSignal) => Promise<Page>;

/**
 * The rows of every page in order, given a full first page with a next link; null when the pages
 * do not fit together (a row twice, or rows past the last page, as when the plan is published
 * mid-read), so the caller reads them again one after another. The first failure is thrown.
 *
 * A full first page means at least two: one slot asks for the second (a two-page plan costs two
 * requests), and the rest of the pool joins once that one is full too, so a big plan has
 * `maxInFlight` pages in flight from its third round (and a small one wastes at most one round).
 * `onPage` sees each page as it arrives, for work that need not wait for the last one.
 */
export async function readPages(first: Page, readPage: PageReader, maxInFlight: number, onPage?: (index: number, rows: Row[]) => void): Promise<Row[] | null> {
  const size = first.rows.length;
  const pages: Array<Page | undefined> = [first];
  // Index of the last page, once a page showed it.
  let last = Number.POSITIVE_INFINITY;
  // Whether a page asked for by $skip came back with a next link: then the server links such pages,
  // and a full one without a link is the last. Until then, full pages without one wait here: a
  // server that never links them must not end the read early.
  let linksSkipPages = false;
  const unlinked: number[] = [];
  let nextIndex = 1;
  let failure: { error: unknown } | null = null;
  let running = 0;
  const pastTheEnd = new AbortController();
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => { settle = resolve; });
  const complete = (): boolean => {
    if (last === Number.POSITIVE_INFINITY) return false;
    for (let i = 0; i <= last; i++) if (!pages[i]) return false;
    return true;
  };
  const learn = (index: number, page: Page): void => {
    pages[index] = page;
    onPage?.(index, page.rows);
    if (page.rows.length < size) last = Math.min(last, index);
    else if (page.next) linksSkipPages = true;
    else unlinked.push(index);
    if (linksSkipPages) for (const index of unlinked.splice(0)) last = Math.min(last, index);
  };
  let widen: () => void = () => undefined;
  const slot = async (): Promise<void> => {
    running += 1;
    try {
      while (failure === null && nextIndex <= last) {
        const index = nextIndex++;
        let page: Page;
        try {
          page = await readPage(index, pastTheEnd.signal);
        } catch (error) {
          // A page past the end is not needed: aborted, or failed after the end was found.
          if (index > last) continue;
          failure ??= { error }; // no slot starts another page; the first error is the answer
          return;
        }
        learn(index, page);
        if (page.rows.length === size) widen();
        if (complete()) return;
      }
    } finally {
      running -= 1;
      if (failure !== null || complete() || running === 0) settle();
    }
  };
  const start = (count: number): void => {
    for (let k = 0; k < count; k++) void slot();
  };
  widen = () => {
    widen = () => undefined;
    if (failure === null && last === Number.POSITIVE_INFINITY) start(maxInFlight - 1);
  };
  start(1);
  await settled;
  // Pages still in flight are past the end (or the read failed): nobody waits for them.
  pastTheEnd.abort();
  // (Set by the slots: the compiler cannot see that through the closures.)
  const failed = failure as { error: unknown } | null;
  if (failed !== null) throw failed.error;
  if (!complete()) return null;
  const rows: Row[] = [];
  for (let i = 0; i <= last; i++) for (const row of pages[i]!.rows) rows.push(row);
  const tail = pages.slice(last + 1).some((page) => page !== undefined && page.rows.length > 0);
  const ids = new Set(rows.map((row) => String(row.Id)));
  return tail || ids.size !== rows.length ? null : rows;
}
