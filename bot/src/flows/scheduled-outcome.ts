/**
 * What a scheduled run did, whichever system it wrote to (scheduled-sync.ts for ADO,
 * outlook/scheduled-outlook.ts for Outlook), for the reporter (scheduled-reports.ts).
 */
export type ScheduledOutcome =
  | { readonly kind: 'in-step' }
  | { readonly kind: 'applied'; readonly runId: string }
  /** The preview waits for an approver: `decisions` > 0 when it holds something a person must decide. */
  | { readonly kind: 'awaiting-approval'; readonly runId: string; readonly decisions: number }
  /** The integration was removed (or switched off) after the run was due. */
  | { readonly kind: 'gone' };

export const SCHEDULE_REQUESTER = { id: 'planbridge:schedule', name: 'the schedule' } as const;
export const AUTO_APPROVER = 'the schedule (applied automatically: nothing needed a decision)';
