import { ENTRA_DEMO } from '../entra/directory.js';
import { Calendars } from './calendars.js';
import { demoUsers, Directory } from './directory.js';
import { readEventBody } from './event-input.js';

/**
 * Demo calendars: the PM already has a couple of meetings PlanBridge did not make (so a marker
 * lookup must not pick them up), and Alice has her copy of the steering committee. Empty calendars
 * otherwise. Seeding sends no invitations.
 */
export type GraphSeed = 'demo' | 'empty';

export function seededState(seed: GraphSeed, now: () => number): { directory: Directory; calendars: Calendars } {
  const directory = new Directory(demoUsers());
  const calendars = new Calendars(directory, now);
  if (seed === 'demo') {
    const pm = directory.find(ENTRA_DEMO.user.username)!;
    const zone = 'W. Europe Standard Time';
    calendars.create(pm, readEventBody({
      subject: 'Apollo steering committee', body: { contentType: 'text', content: 'Monthly review with sponsors.' },
      start: { dateTime: '2026-03-09T10:00:00', timeZone: zone }, end: { dateTime: '2026-03-09T11:00:00', timeZone: zone },
      attendees: [{ emailAddress: { address: 'alice@contoso.example', name: 'Alice Kim' }, type: 'required' }],
      categories: ['Apollo'],
    }, 'create'));
    calendars.create(pm, readEventBody({
      subject: 'Out of office', showAs: 'oof', isAllDay: true,
      start: { dateTime: '2026-03-20T00:00:00', timeZone: zone }, end: { dateTime: '2026-03-21T00:00:00', timeZone: zone },
    }, 'create'));
    calendars.invitations.length = 0;
  }
  return { directory, calendars };
}
