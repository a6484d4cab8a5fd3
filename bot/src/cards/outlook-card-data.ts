/**
 * The data of the Outlook-events and usage cards (cards/outlook-*.json, cards/usage.json), kept
 * beside card-data.ts, which lists them in CardDataByName.
 */
import type { CardButton } from './card-data.js';

export interface OutlookConnectCardData {
  /** Values to keep when the form is shown again; the token is never among them. */
  values: { access: 'signin' | 'delegated' | 'app'; mailbox: string; graphUrl: string; name: string };
  /** '' = no problem with that field. */
  errors: { token: string; mailbox: string; graphUrl: string; form: string };
  /** Microsoft 365 sign-in first when this deployment offers it, then a pasted delegated token, then app access. */
  accessChoices: Array<{ title: string; value: string }>;
  /** What the token is and how long it lasts. */
  tokenNote: string;
  submit: CardButton;
}

export interface LabelledValue {
  label: string;
  value: string;
}

export interface OutlookLinkCardData {
  title: string;
  subtitle: string;
  /** The default mapping, one row per event property. */
  mapping: LabelledValue[];
  notes: string[];
  values: { name: string };
  errors: { name: string };
  buttons: CardButton[];
}

export interface OutlookPreviewCardData {
  title: string;
  subtitle: string;
  facts: LabelledValue[];
  creates: string[];
  updates: string[];
  /** Cancels are choices, off by default: one toggle each. */
  cancels: Array<{ inputId: string; title: string }>;
  unmatched: string[];
  skipped: string[];
  more: string;
  buttons: CardButton[];
}

export interface OutlookReportCardData {
  title: string;
  tone: 'Good' | 'Warning' | 'Attention';
  subtitle: string;
  facts: LabelledValue[];
  /** Each event written, opening it in Outlook on the web ('' when Outlook gave no link). */
  events: Array<{ text: string; url: string }>;
  notDone: string[];
  more: string;
  buttons: CardButton[];
}

export interface UsageCardData {
  title: string;
  subtitle: string;
  facts: LabelledValue[];
  byIntegration: Array<{ name: string; kind: string; count: string }>;
  /** A small PNG bar chart as a data URI; url '' = no chart (no usage yet). */
  chart: { url: string; altText: string };
  trend: string;
  notes: string[];
  buttons: CardButton[];
}
