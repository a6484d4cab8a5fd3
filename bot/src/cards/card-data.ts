/**
 * The data each card template in /cards expects. Adding a card = `cards/<name>.json` (+ `.data.json`
 * sample) and one entry in CardDataByName; renderCard then type-checks every caller.
 */

import type { OutlookConnectCardData, OutlookLinkCardData, OutlookPreviewCardData, OutlookReportCardData, UsageCardData } from './outlook-card-data.js';

/** Sent when the app is installed for a person, a chat or a team. */
export interface WelcomeCardData {
  /** Who PlanBridge works for here: "you" | "this chat" | "this team". */
  scopeLabel: string;
  /** Exactly three; each becomes a button that types the command for the user. */
  firstSteps: FirstStep[];
  docsHint: string;
}

export interface FirstStep {
  command: string;
  why: string;
}

export interface HelpCardData {
  groups: HelpGroup[];
}

export interface HelpGroup {
  title: string;
  commands: HelpCommand[];
}

export interface HelpCommand {
  usage: string;
  description: string;
  examples: string[];
  /** False: shown with a subdued "Coming soon" marker, never hidden. */
  available: boolean;
}

export interface UnknownCommandCardData {
  /** What the user typed, already shortened by the caller; shown as plain text, never as markdown. */
  typed: string;
  suggestion: { usage: string; example: string } | null;
}

/** For a command that is recognised but whose flow is not built yet. */
export interface ComingSoonCardData {
  title: string;
  summary: string;
  whatWorksNow: string[];
}

export interface ErrorCardData {
  title: string;
  /** What went wrong, in the user's terms. Never a stack trace or a secret. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** An id support can look up in the logs (e.g. a run or correlation id). */
  reference?: string;
}

/** An Action.Execute button. `data` always carries the tenant stamp `t` (see flows/action-guard.ts). */
export interface CardButton {
  title: string;
  verb: string;
  data: Record<string, unknown>;
  style: 'default' | 'positive' | 'destructive';
}

export interface Choice {
  title: string;
  value: string;
}

/** Universal Actions refresh: the listed users get their own view via the verb. */
export interface CardRefresh {
  action: { type: 'Action.Execute'; verb: string; data: Record<string, unknown> };
  userIds: string[];
}

export interface ConnectAdoCardData {
  /** Values to keep when the card is shown again; the PAT, client secret and certificate are never among them. */
  values: { url: string; method: string; name: string; expiresOn: string; tenantId: string; clientId: string };
  /** '' = no problem with that field; `credential` is the client secret or certificate. */
  errors: { url: string; method: string; pat: string; expiresOn: string; tenantId: string; clientId: string; credential: string; form: string };
  /** PAT, Microsoft Entra service principal, and (in Azure) this app's managed identity. */
  methods: Choice[];
  methodNote: string;
  submit: CardButton;
}

export interface ConnectPwaCardData {
  values: { url: string; method: string; username: string; name: string; timeZone: string };
  errors: { url: string; method: string; secret: string; username: string; timeZone: string; form: string };
  methods: Choice[];
  /** Says plainly whether Microsoft 365 sign-in works in this deployment. */
  oauthNote: string;
  submit: CardButton;
}

/** Planner premium: the Dataverse environment, then Microsoft 365 sign-in or a delegated access token. */
export interface ConnectPlannerCardData {
  /** Values to keep when the card is shown again; the token is never among them. */
  values: { url: string; name: string; timeZone: string; method: 'signin' | 'token' };
  /** '' = no problem with that field. */
  errors: { url: string; method: string; secret: string; timeZone: string; form: string };
  /** Sign-in first when this deployment offers it. */
  methods: Choice[];
  /** What the token is and that it expires within about an hour. */
  tokenNote: string;
  submit: CardButton;
}

export interface ChecklistItem {
  label: string;
  /** A symbol shown before the label: present, missing or unknown. */
  mark: string;
  detail: string;
}

export interface ChecklistCardData {
  title: string;
  subtitle: string;
  /** Drives the title colour: good, warning or attention. */
  tone: 'Good' | 'Warning' | 'Attention';
  items: ChecklistItem[];
  notes: string[];
  buttons: CardButton[];
}

export interface ConnectionRow {
  id: string;
  name: string;
  kindLabel: string;
  url: string;
  status: string;
  attention: boolean;
  detail: string;
  secretLabel: string;
  nameInputId: string;
  secretInputId: string;
  expiryInputId: string;
  /** Who made it ("Ada Lovelace") and who may use it ("Only Ada Lovelace"). */
  owner: string;
  sharing: string;
  recheck: CardButton;
  rename: CardButton;
  replaceSecret: CardButton;
  /** Made by Microsoft 365 sign-in: "Sign in again" replaces "Replace secret" (its secret is the sealed sign-in). */
  signsIn: boolean;
  signInAgain: CardButton;
  share: CardButton;
  remove: CardButton;
}

export interface ConnectionSharingCardData {
  title: string;
  /** Owner and the current setting. */
  summary: string;
  modes: Choice[];
  mode: string;
  people: Choice[];
  /** Comma-separated values of the people named now. */
  peopleValue: string;
  note: string;
  save: CardButton;
  back: CardButton;
}

export interface ConnectionsCardData {
  summary: string;
  connections: ConnectionRow[];
  buttons: CardButton[];
}

export interface NoticeCardData {
  title: string;
  message: string;
  details: string[];
  tone: 'Default' | 'Good' | 'Warning' | 'Attention';
  buttons: CardButton[];
  /** An Action.OpenUrl shown first (e.g. "Sign in with Microsoft 365"); url '' = none. */
  link: { title: string; url: string };
}

export interface LinkSetupCardData {
  title: string;
  intro: string;
  problem: string;
  planProjects: Choice[];
  planProjectId: string;
  /** e.g. "Plan (Planner premium)": the picker names the plan's system. */
  planLabel: string;
  adoProjects: Choice[];
  adoProjectsValue: string;
  teams: Choice[];
  areas: Choice[];
  iterations: Choice[];
  directions: Choice[];
  direction: string;
  /** "All tasks" or only those flagged "Sync to ADO"; preset 'all'. */
  planTaskChoices: Choice[];
  planTasks: string;
  levels: string;
  leafType: string;
  creations: Choice[];
  creation: string;
  processNote: string;
  approverNote: string;
  notifyChoices: Choice[];
  notify: string;
  /** Which connections the card reads and links ("Using Contoso PWA and Contoso ADO."). */
  connectionsNote: string;
  /** The pickers show only when the person may use more than one connection of a kind. */
  showConnectionPicker: boolean;
  planConnections: Choice[];
  planConnectionValue: string;
  adoConnections: Choice[];
  adoConnectionValue: string;
  switchConnections: CardButton;
  submit: CardButton;
}

export interface Fact {
  label: string;
  value: string;
}

export interface IntegrationCardData {
  title: string;
  subtitle: string;
  facts: Fact[];
  buttons: CardButton[];
}

export interface MappingRow {
  position: string;
  label: string;
  detail: string;
  active: boolean;
  buttons: CardButton[];
}

export interface MappingCardData {
  title: string;
  problem: string;
  rules: MappingRow[];
  canEdit: boolean;
  directions: Choice[];
  transforms: Choice[];
  add: CardButton;
  buttons: CardButton[];
}

export interface ProgressCardData {
  title: string;
  subtitle: string;
  steps: Array<{ mark: string; label: string }>;
  detail: string;
}

export interface PreviewChange {
  symbol: string;
  text: string;
}

export interface PreviewDecision {
  inputId: string;
  title: string;
  lines: string[];
  choices: Choice[];
  value: string;
}

export interface SyncPreviewCardData {
  title: string;
  subtitle: string;
  requestedBy: string;
  counts: Fact[];
  changes: PreviewChange[];
  pageNote: string;
  /** "Link existing": pairs that look like the same work, each to link, keep apart or leave for later. */
  matches: PreviewDecision[];
  conflicts: PreviewDecision[];
  hierarchy: PreviewDecision[];
  deletions: PreviewDecision[];
  warnings: string[];
  /** Approvers see inputs and Approve; everyone else a read-only view. */
  canDecide: boolean;
  viewNote: string;
  buttons: CardButton[];
  refresh: CardRefresh;
}

export interface ReportLine {
  text: string;
  url: string;
}

export interface SyncReportCardData {
  title: string;
  tone: 'Good' | 'Warning' | 'Attention';
  subtitle: string;
  facts: Fact[];
  changed: ReportLine[];
  skipped: string[];
  /** "…and N more" when the lists were cut; empty otherwise. */
  more: string;
  planUrl: string;
  /** e.g. "Open the plan in Planner premium". */
  planButtonTitle: string;
  buttons: CardButton[];
}

export interface RunsCardData {
  title: string;
  subtitle: string;
  runs: Array<{ heading: string; outcome: string; detail: string }>;
  buttons: CardButton[];
}

export interface ScheduleCardData {
  title: string;
  subtitle: string;
  problem: string;
  facts: Fact[];
  /** "Next runs (Europe/Berlin)": the times below are in the schedule's zone. */
  nextRunsLabel: string;
  nextRuns: string[];
  /** Approvers get the form (how often, approval policy, start date). */
  canEdit: boolean;
  spec: string;
  approval: string;
  approvals: Choice[];
  /** YYYY-MM-DD */
  startDate: string;
  buttons: CardButton[];
}

/** One plan resource on the People card; rows that need a choice carry an input. */
export interface PeopleRow {
  resource: string;
  /** How it is matched now, in words ("Chen Wu (chen.wu@contoso.com), same name"). */
  status: string;
  hasInput: boolean;
  inputId: string;
  value: string;
  choices: Choice[];
}

export interface PeopleCardData {
  title: string;
  subtitle: string;
  /** "Saved. ..." after a save; empty otherwise. */
  notice: string;
  problem: string;
  rows: PeopleRow[];
  /** Limits or why there is nothing to pick; empty otherwise. */
  note: string;
  buttons: CardButton[];
}

export interface CardDataByName {
  welcome: WelcomeCardData;
  help: HelpCardData;
  'unknown-command': UnknownCommandCardData;
  'coming-soon': ComingSoonCardData;
  error: ErrorCardData;
  'connect-ado': ConnectAdoCardData;
  'connect-pwa': ConnectPwaCardData;
  'connect-planner': ConnectPlannerCardData;
  checklist: ChecklistCardData;
  connections: ConnectionsCardData;
  'connection-sharing': ConnectionSharingCardData;
  notice: NoticeCardData;
  'link-setup': LinkSetupCardData;
  integration: IntegrationCardData;
  mapping: MappingCardData;
  progress: ProgressCardData;
  'sync-preview': SyncPreviewCardData;
  'sync-report': SyncReportCardData;
  runs: RunsCardData;
  schedule: ScheduleCardData;
  people: PeopleCardData;
  'outlook-connect': OutlookConnectCardData;
  'outlook-link': OutlookLinkCardData;
  'outlook-preview': OutlookPreviewCardData;
  'outlook-report': OutlookReportCardData;
  usage: UsageCardData;
}

export type CardName = keyof CardDataByName;
