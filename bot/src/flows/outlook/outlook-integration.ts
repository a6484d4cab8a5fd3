/**
 * What an Outlook integration is: an integration document whose target is 'outlook' (store/
 * integrations.ts), and its fixed default mapping, as the seed article's "Fields Mapping" screen
 * shows it (events/plan.ts implements it).
 */
import type { IntegrationDocument } from '../../store/index.js';
import type { LabelledValue } from '../../cards/outlook-card-data.js';

export function isOutlookIntegration(i: Pick<IntegrationDocument, 'target'>): boolean {
  return i.target === 'outlook';
}

export function eventMapping(timeZone: string): LabelledValue[] {
  return [
    { label: 'Subject', value: 'Task name' },
    { label: 'Start and end', value: `Start and finish, in the plan site's zone (${timeZone}); a task spanning whole days becomes an all-day event` },
    { label: 'Body', value: 'Notes' },
    { label: 'Required attendees', value: 'Assigned resources, matched to directory users by e-mail, else by a name only one user has' },
    { label: 'Which tasks', value: 'Those with "Create event" = Yes and a start and finish' },
  ];
}

/**
 * Schedules are not offered for Outlook integrations yet: the scheduled run and its reports are
 * built on the ADO plan; and the Outlook connection is a pasted token that lapses within the hour,
 * so an unattended run would fail anyway until Microsoft 365 sign-in for Outlook exists.
 */
export const OUTLOOK_SCHEDULE_REFUSAL = 'Outlook integrations sync on demand for now: type "sync project ‹plan› to Outlook". '
  + 'Schedules need a Microsoft 365 sign-in that PlanBridge can renew, and the Outlook connection is an access token that expires within about an hour.';
