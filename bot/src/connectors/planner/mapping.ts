import type { DependencyKind, PlanProject, SiteLocalDateTime } from '../ppm.js';
import { utcToSiteLocal } from '../pwa/dates.js';
import type { Row } from './client.js';
import { MINUTES_PER_DAY } from './limits.js';

/**
 * Dataverse rows to PlanBridge's neutral shapes, and back for the values PlanBridge writes.
 * Column names from "Task columns" in ../shared/notes/planner-premium.md.
 */

/** The plan-side names of the values Planner premium keeps outside PWA's task properties. */
export const BUCKET_FIELD = 'Bucket';
export const SPRINT_FIELD = 'Sprint';
export const PRIORITY_FIELD = 'Priority';

/** msdyn_priority: 1 Urgent, 3 Important, 5 Medium, 9 Low [3P]. */
export const PRIORITIES: Readonly<Record<number, string>> = { 1: 'Urgent', 3: 'Important', 5: 'Medium', 9: 'Low' };

export const PROJECT_SELECT = 'msdyn_projectid,msdyn_subject,msdyn_start,msdyn_finish,modifiedon,statecode';
export const TASK_SELECT = [
  'msdyn_projecttaskid', 'msdyn_subject', 'msdyn_description', '_msdyn_parenttask_value', 'msdyn_outlinelevel', 'msdyn_displaysequence',
  'msdyn_start', 'msdyn_finish', 'msdyn_duration', 'msdyn_effort', 'msdyn_effortcompleted', 'msdyn_effortremaining', 'msdyn_progress',
  '_msdyn_projectbucket_value', '_msdyn_projectsprint_value', 'msdyn_summary', 'msdyn_ismilestone', 'msdyn_priority', 'modifiedon', 'versionnumber', 'statecode',
].join(',');

/**
 * msdyn_projecttaskdependencylinktype: 192350000+ on some tenants, 0-3 on others [?]; both in
 * Project's order FS, SS, FF, SF [guess for the 0-3 range].
 */
const LINK_KINDS: DependencyKind[] = ['finish-to-start', 'start-to-start', 'finish-to-finish', 'start-to-finish'];
export function dependencyKind(code: unknown): DependencyKind {
  const n = Number(code);
  return LINK_KINDS[n >= 192350000 ? n - 192350000 : n] ?? 'finish-to-start';
}

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const lower = (id: string): string => id.toLowerCase();

/** A Dataverse DateTimeOffset (UTC) as a wall-clock time in the connection's zone: no day shift for a user east or west of UTC. */
export function localDate(value: unknown, timeZone: string): SiteLocalDateTime | null {
  return typeof value === 'string' && value !== '' ? utcToSiteLocal(value, timeZone) : null;
}

/** Hours (Dataverse effort) to whole minutes. */
export const hoursToMinutes = (hours: unknown): number => Math.round(num(hours) * 60);
/** Minutes to hours, to the hundredth (finer than anyone estimates). */
export const minutesToHours = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;

export function toPlanProject(row: Row, timeZone: string): PlanProject {
  return {
    id: String(row.msdyn_projectid),
    name: String(row.msdyn_subject ?? ''),
    start: localDate(row.msdyn_start, timeZone),
    finish: localDate(row.msdyn_finish, timeZone),
    // Planner premium has no publishing: every saved operation set is live. The last change stands in.
    lastPublished: localDate(row.modifiedon, timeZone),
    archived: Number(row.statecode) === 1,
    checkedOut: false,
    checkedOutBy: null,
    minutesPerDay: MINUTES_PER_DAY,
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** msdyn_description holds HTML: plain text with line breaks for blocks, entities decoded. */
export function htmlToText(html: unknown): string {
  if (typeof html !== 'string') return '';
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h\d)>\s*/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e]!)
    .replace(/\n+$/, '');
}

/** Plain text for msdyn_description: escaped, so it reads back as written. */
export function textToHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}
