/**
 * Text conversions: length limits, plain text <-> the HTML ADO keeps in rich-text fields
 * (System.Description), and the normal form both are compared in.
 */

/** Longest value each field accepts (System.Title: 255 in ADO; a Project task name: 255). */
export const TEXT_LIMITS: Readonly<Record<string, number>> = {
  'System.Title': 255,
  Name: 255,
};

/** Cuts to `limit` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, limit: number | undefined): string {
  if (limit === undefined || text.length <= limit) return text;
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** Anything normalizeText would change; most values have none, and skip the work. */
const NEEDS_NORMALIZING = /[\r\u00a0]|[ \t]\n|\n\n\n|^\s|\s$/;

/** Line endings, non-breaking spaces and trailing blanks do not count as changes. */
export function normalizeText(text: string): string {
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Groups: 1 script/style (dropped with content), 2 line break, 3 list item, 4 end of a block; else any tag. */
const MARKUP = /<(script|style)\b[\s\S]*?<\/\1\s*>|(<br\s*\/?>)|(<li\b[^>]*>)|(<\/(?:p|div|h[1-6]|tr|ul|ol|blockquote|pre)\s*>)|<[^>]*>/gi;

/** Readable plain text from ADO rich text: block ends become line breaks, list items get a dash. */
export function htmlToText(html: string): string {
  if (!html.includes('<') && !html.includes('&')) return normalizeText(html);
  // One pass over the markup: it runs for every description on every preview.
  const text = html.replace(MARKUP, (_tag: string, _dropped?: string, br?: string, li?: string, blockEnd?: string) =>
    (br !== undefined || blockEnd !== undefined ? '\n' : li !== undefined ? '\n- ' : ''));
  return normalizeText(decodeEntities(text));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** ADO rich text for plain text: one <div> per line, so ADO's editor shows the same lines. */
export function textToHtml(text: string): string {
  const normal = normalizeText(text);
  if (normal === '') return '';
  return normal
    .split('\n')
    .map((line) => (line === '' ? '<div><br></div>' : `<div>${escapeHtml(line)}</div>`))
    .join('');
}
