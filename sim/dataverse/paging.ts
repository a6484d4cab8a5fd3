import { dvErrors } from './errors.js';

/**
 * Paging as Dataverse does it [notes "Paging", MS page-results.md]: `Prefer: odata.maxpagesize=N`
 * (at most 5,000, also the default), `@odata.nextLink` carrying a `$skiptoken` paging cookie that
 * the client follows unchanged with the same page size, and `Preference-Applied` echoing what was honoured.
 */
export const MAX_PAGE_SIZE = 5000;

export interface Preferences {
  maxPageSize: number | null;
  includeAnnotations: string | null;
  returnRepresentation: boolean;
}

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const prefs: Preferences = { maxPageSize: null, includeAnnotations: null, returnRepresentation: false };
  const raw = Array.isArray(header) ? header.join(',') : header ?? '';
  for (const part of raw.split(/,(?=\s*[\w.-]+\s*=|\s*return)/)) {
    const [key = '', ...rest] = part.split('=');
    const value = rest.join('=').trim();
    const k = key.trim().toLowerCase();
    if (k === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefs.maxPageSize = Math.min(n, MAX_PAGE_SIZE);
    } else if (k === 'odata.include-annotations') {
      prefs.includeAnnotations = value.replace(/^"|"$/g, '');
    } else if (k === 'return' && value === 'representation') {
      prefs.returnRepresentation = true;
    }
  }
  return prefs;
}

export function preferenceApplied(prefs: Preferences, paged: boolean): string | null {
  const applied = [
    ...(paged && prefs.maxPageSize !== null ? [`odata.maxpagesize=${prefs.maxPageSize}`] : []),
    ...(prefs.includeAnnotations ? [`odata.include-annotations="${prefs.includeAnnotations}"`] : []),
  ];
  return applied.length ? applied.join(',') : null;
}

/**
 * The paging cookie: `<cookie pagenumber="2" pagingcookie="…" istracking="False" />`, as the
 * service writes it. The opaque part holds the offset and the page size it was cut for.
 */
export function skipToken(page: number, offset: number, pageSize: number): string {
  const opaque = encodeURIComponent(encodeURIComponent(`<cookie page="${page}"><offset>${offset}</offset><size>${pageSize}</size></cookie>`));
  return `<cookie pagenumber="${page + 1}" pagingcookie="${opaque}" istracking="False" />`;
}

export function readSkipToken(token: string, pageSize: number): number {
  const cookie = /pagingcookie="([^"]*)"/.exec(token);
  const inner = cookie ? decodeURIComponent(decodeURIComponent(cookie[1]!)) : '';
  const offset = /<offset>(\d+)<\/offset>/.exec(inner);
  const size = /<size>(\d+)<\/size>/.exec(inner);
  if (!offset || !size) throw dvErrors.odata(`The $skiptoken value '${token}' is not valid. Follow @odata.nextLink unchanged.`);
  // The notes: keep the same page size when following nextLink; the simulator refuses a change loudly.
  if (Number(size[1]) !== pageSize) {
    throw dvErrors.odata(`The paging cookie was issued for odata.maxpagesize=${size[1]} but this request asks for ${pageSize}. Keep the same page size when following @odata.nextLink.`);
  }
  return Number(offset[1]);
}
