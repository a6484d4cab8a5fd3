/** What a chat message asks PlanBridge to do. Produced by `parseCommand`, consumed by flows. */

export type SyncDirection = 'to-ado' | 'to-plan' | 'both';
/** The system a `connect` names: Azure DevOps, or a plan system (Project Web App, Planner premium). */
export type PlanSystem = 'ado' | 'pwa' | 'planner';

export type ScheduleSpec =
  | { kind: 'off' }
  | { kind: 'hourly' }
  | { kind: 'daily'; time: string; timeZone?: string }
  | { kind: 'weekly'; days: Weekday[]; time: string; timeZone?: string }
  | { kind: 'monthly'; dayOfMonth: number; time: string; timeZone?: string };

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export type Intent =
  | { kind: 'help'; topic?: string }
  | { kind: 'connect'; system?: PlanSystem }
  | { kind: 'connections' }
  | { kind: 'link'; planProject: string; adoProject?: string }
  | { kind: 'sync'; project: string; direction?: SyncDirection; previewOnly: boolean }
  | { kind: 'status'; project?: string }
  | { kind: 'history'; project?: string }
  /** `startDate` (YYYY-MM-DD, from "... starting 2025-12-01"): the synchronization start date. */
  | { kind: 'schedule'; project: string; schedule: ScheduleSpec; startDate?: string }
  /** Recognised verb, but the rest did not parse: `problem` says what is missing. */
  | { kind: 'incomplete'; command: CommandId; problem: string }
  | { kind: 'unknown'; text: string; suggestion?: CommandSuggestion };

export type CommandId = 'help' | 'connect' | 'connections' | 'link' | 'sync' | 'status' | 'history' | 'schedule';

export interface CommandSuggestion {
  command: CommandId;
  usage: string;
  /** A runnable example built from what the user typed, e.g. "sync Apollo". */
  example: string;
}
