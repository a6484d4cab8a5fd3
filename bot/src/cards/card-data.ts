/**
 * The data each card template in /cards expects. Adding a card = `cards/<name>.json` (+ `.data.json`
 * sample) and one entry in CardDataByName; renderCard then type-checks every caller.
 */

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

export interface CardDataByName {
  welcome: WelcomeCardData;
  help: HelpCardData;
  'unknown-command': UnknownCommandCardData;
  'coming-soon': ComingSoonCardData;
  error: ErrorCardData;
}

export type CardName = keyof CardDataByName;
