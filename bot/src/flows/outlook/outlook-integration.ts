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

