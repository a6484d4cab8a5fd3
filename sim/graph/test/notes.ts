import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The facts the conformance test checks, read from ../shared/notes/graph-outlook-events.md itself,
 * so a change to the notes shows up as a failing test rather than a silent drift.
 */
export const NOTES_PATH = fileURLToPath(new URL('../../../../shared/notes/graph-outlook-events.md', import.meta.url));

export function readNotes(): string {
  if (!existsSync(NOTES_PATH)) throw new Error(`The notes ${NOTES_PATH} are missing; these tests need ../shared/notes from the workspace.`);
  return readFileSync(NOTES_PATH, 'utf8');
}

function section(notes: string, heading: string): string {
  const start = notes.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`The notes no longer have a section '${heading}'.`);
  const end = notes.indexOf('\n## ', start + 3);
  return notes.slice(start, end < 0 ? undefined : end);
}

/** The example create request (the first json block), with its Prefer header and target user. */
export function exampleCreate(notes: string): { user: string; prefer: string; body: Record<string, unknown> } {
  const m = /```json\nPOST \/users\/([^/]+)\/events\nPrefer: (.+)\n([\s\S]+?)```/.exec(notes);
  if (!m) throw new Error('The notes no longer show the example POST /users/{id}/events.');
  return { user: m[1]!, prefer: m[2]!, body: JSON.parse(m[3]!) as Record<string, unknown> };
}

/** Property names the notes say a create response includes (the bullets after "Response ... includes"). */
export function responseProperties(notes: string): string[] {
  const from = notes.indexOf('Response (`user-post-events.md`');
  const block = notes.slice(from, notes.indexOf('\n## ', from));
  const spans = block.split('\n').filter((l) => l.startsWith('- ')).flatMap((l) => [...l.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  const names = spans.filter((s) => !s.includes('.md') && !s.startsWith('{')).map((s) => /^"?(@?[a-z][\w.]*)/.exec(s)?.[1]).filter((n): n is string => Boolean(n));
  return [...new Set(names)];
}

/** `start`/`end` of the response example: `{"dateTime":"2026-12-07T08:00:00.0000000","timeZone":"UTC"}`. */
export function responseTime(notes: string): { dateTime: string; timeZone: string } {
  const m = /`start`\/`end` as `(\{[^`]+\})`/.exec(notes);
  if (!m) throw new Error('The notes no longer give the response start/end.');
  return JSON.parse(m[1]!) as { dateTime: string; timeZone: string };
}

/** `attendees[].status {response:"none",time:"0001-01-01T00:00:00Z"}`. */
export function attendeeStatus(notes: string): { response: string; time: string } {
  const m = /attendees\[\]\.status \{response:"(\w+)",time:"([^"]+)"\}/.exec(notes);
  if (!m) throw new Error('The notes no longer give attendees[].status.');
  return { response: m[1]!, time: m[2]! };
}

/** The error table: status, code, and the quoted message where given. */
export function errorTable(notes: string): Array<{ status: number; code: string; message?: string }> {
  return section(notes, 'Errors').split('\n').map((l) => /^\| (\d{3}) \| `(\w+)`(?: \("([^"]+)"\))? \|/.exec(l)).filter((m) => m !== null)
    .map((m) => ({ status: Number(m![1]), code: m![2]!, ...(m![3] ? { message: m![3] } : {}) }));
}

/** The keys of the error shape line: error{code,message,innerError{date,request-id,client-request-id}}. */
export function errorShape(notes: string): { error: string[]; innerError: string[] } {
  const m = /The shape is `\{"error":\{"code","message","innerError":\{([^}]+)\}\}\}`/.exec(notes);
  if (!m) throw new Error('The notes no longer give the error shape.');
  return { error: ['code', 'message', 'innerError'], innerError: m[1]!.split(',').map((s) => s.replace(/"/g, '')) };
}

/** The throttled answer body the notes quote. */
export function throttledBody(notes: string): { error: { code: string; message: string } } {
  const m = /`(\{"error":\{"code":"ApplicationThrottled"[^`]+)`/.exec(notes);
  if (!m) throw new Error('The notes no longer quote the throttled body.');
  return JSON.parse(m[1]!) as { error: { code: string; message: string } };
}

/** The access policy refusal message: 403 `ErrorAccessDenied` "...". */
export function accessPolicyMessage(notes: string): string {
  const m = /blocked by the policy gets 403 `ErrorAccessDenied` "([^"]+)"/.exec(notes);
  if (!m) throw new Error('The notes no longer give the access policy refusal.');
  return m[1]!;
}

/** The extended-property filter example, with `{g}` for the GUID. */
export function extendedPropertyFilter(notes: string): string {
  const m = /`GET \/users\/\{id\}\/events\?\$filter=(singleValueExtendedProperties\/Any\([^`]+\))`/.exec(notes);
  if (!m) throw new Error('The notes no longer give the extended property filter.');
  return m[1]!;
}

/** Numbers the notes give for limits. */
export function limits(notes: string): { batch: number; concurrent: number; perTenMinutes: number } {
  const batch = /At most \*\*(\d+)\*\* requests/.exec(notes);
  const concurrent = /per app ID: (\d+) concurrent requests/.exec(notes);
  const perTen = /([\d,]+) requests per 10 minutes/.exec(notes);
  if (!batch || !concurrent || !perTen) throw new Error('The notes no longer give the batch, concurrency or request limits.');
  return { batch: Number(batch[1]), concurrent: Number(concurrent[1]), perTenMinutes: Number(perTen[1]!.replace(/,/g, '')) };
}
