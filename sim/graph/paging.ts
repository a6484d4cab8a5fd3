import { graphErrors } from './errors.js';
import type { GraphRequest } from './wire.js';

/**
 * Outlook pages with `$top` and `$skip`: 10 events a page by default, `Prefer: odata.maxpagesize`
 * honoured, and an `@odata.nextLink` that repeats the query with the next `$skip` [notes
 * "Endpoints": calendarView answers with @odata.nextLink]. Page size capped at 1,000 [guess].
 */
export const EVENT_PAGE = { default: 10, max: 1000 } as const;

export interface Page<T> {
  items: T[];
  nextLink?: string;
  /** `odata.maxpagesize=N` when the preference decided the page size. */
  applied?: string;
}

function count(req: GraphRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) throw graphErrors.badQuery(`The value '${raw}' of ${name} is not a non-negative integer.`);
  return Number(raw);
}

export function pageOf<T>(items: T[], req: GraphRequest, baseUrl: string, maxPageSize: number | undefined): Page<T> {
  const top = count(req, '$top');
  const skip = count(req, '$skip') ?? 0;
  const size = Math.min(top ?? maxPageSize ?? EVENT_PAGE.default, EVENT_PAGE.max);
  const items_ = items.slice(skip, skip + size);
  const page: Page<T> = { items: items_ };
  if (top === undefined && maxPageSize !== undefined) page.applied = `odata.maxpagesize=${maxPageSize}`;
  if (skip + size < items.length) {
    const next = new URLSearchParams(req.query);
    next.set('$top', String(size));
    next.set('$skip', String(skip + size));
    page.nextLink = `${baseUrl}${req.path}?${next.toString().replace(/%24/g, '$')}`;
  }
  return page;
}
