/** The activities the load sends: the same Teams shapes the bot's HTTP tests use. */
export { cardActionActivity, messageActivity, TENANT } from '../../bot/test/support/activities.js';

/** The user every conversation belongs to; she owns the seeded connections. */
export const ADA = { id: '29:user-ada', name: 'Ada Lovelace', aadObjectId: '00000000-0000-4000-8000-0000000000a1' };
