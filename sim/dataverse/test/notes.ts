import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The facts the conformance test checks, read from ../shared/notes/planner-premium.md itself, so a
 * change to the notes shows up as a failing test rather than a silent drift.
 */
export const NOTES_PATH = fileURLToPath(new URL('../../../../shared/notes/planner-premium.md', import.meta.url));

export function readNotes(): string {
  if (!existsSync(NOTES_PATH)) throw new Error(`The notes ${NOTES_PATH} are missing; these tests need ../shared/notes from the workspace.`);
  return readFileSync(NOTES_PATH, 'utf8');
}

function section(notes: string, startsWith: string, endsBefore: string): string {
  const start = notes.indexOf(startsWith);
  const end = notes.indexOf(endsBefore, start + startsWith.length);
  if (start < 0 || end < 0) throw new Error(`The notes no longer have a section '${startsWith}'.`);
  return notes.slice(start, end);
}

const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Column names of the "Task columns" list. */
export function taskColumns(notes: string): string[] {
  const list = section(notes, 'Task columns', 'Queries and protocol');
  return [...new Set(codeSpans(list).flatMap((s) => s.split('/')).filter((s) => /^_?msdyn_\w+$|^modifiedon$|^versionnumber$/.test(s)))];
}

/** Entity set names of the "Entity sets:" line, and the lookup columns named beside them. */
export function entitySets(notes: string): { sets: string[]; lookups: Record<string, string[]> } {
  const line = notes.split('\n').find((l) => l.startsWith('Entity sets:'))!;
  const sets: string[] = [];
  const lookups: Record<string, string[]> = {};
  for (const m of line.matchAll(/`(msdyn_\w+)`(?:\s*\(([^)]*)\))?/g)) {
    sets.push(m[1]!);
    if (m[2]) lookups[m[1]!] = codeSpans(m[2]);
  }
  return { sets, lookups };
}

/** The $expand navigation properties of the "Whole plan in one call" query. */
export function wholePlanExpand(notes: string): string[] {
  const m = /\$expand=([\w,]+)/.exec(notes);
  if (!m) throw new Error('The notes no longer show the whole-plan $expand.');
  return m[1]!.split(',');
}

/** msdyn_status values the notes list (Open, Pending, Completed, and the two disputed ones). */
export function operationSetStatuses(notes: string): number[] {
  return [...section(notes, '`msdyn_status` values', 'Errors seen').matchAll(/1923500\d\d/g)].map((m) => Number(m[0]));
}

/** The service protection table: limit, decimal code, hex code. */
export function serviceProtectionTable(notes: string): Array<{ limit: string; number: number; hex: string }> {
  return notes.split('\n').filter((l) => /^\|[^|]+\|\s*-\d+\s*\|\s*0x[0-9A-Fa-f]+\s*\|$/.test(l)).map((l) => {
    const [limit = '', number = '', hex = ''] = l.split('|').slice(1, 4).map((c) => c.trim());
    return { limit, number: Number(number), hex: hex.toLowerCase() };
  });
}

/** The quoted direct-write refusal and its code. */
export function directWriteRefusal(notes: string): { code: string; message: string } {
  const m = /fail with (0x[0-9a-f]{8}) "([^"]+)"/.exec(notes);
  if (!m) throw new Error('The notes no longer quote the direct-write refusal.');
  return { code: m[1]!, message: m[2]! };
}

/** The 412 message of conditional writes. */
export function preconditionMessage(notes: string): string {
  const m = /412 "([^"]+)"/.exec(notes);
  if (!m) throw new Error('The notes no longer quote the 412 message.');
  return m[1]!;
}

/** Keys of the parsed OperationSetResponse. */
export function operationSetResponseKeys(notes: string): string[] {
  const m = /parses to `\{([^}]*)\}`/.exec(notes);
  if (!m) throw new Error('The notes no longer give the OperationSetResponse shape.');
  return m[1]!.split(',').map((s) => s.trim());
}

/** `GET WhoAmI` keys. */
export function whoAmIKeys(notes: string): string[] {
  const m = /`GET WhoAmI` returns `\{([^}]*)\}`/.exec(notes);
  if (!m) throw new Error('The notes no longer give the WhoAmI shape.');
  return m[1]!.split(',').map((s) => s.trim());
}

/** Numbers of the write limits: operations per set and open sets per user. */
export function writeLimits(notes: string): { operations: number; openSets: number } {
  const m = /\*\*(\d+) operations per set\*\* and \*\*(\d+) open sets per user\*\*/.exec(notes);
  if (!m) throw new Error('The notes no longer give the operation set limits.');
  return { operations: Number(m[1]), openSets: Number(m[2]) };
}
