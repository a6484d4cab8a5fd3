import { UserFacingError } from '../errors.js';

/**
 * The apply journal is what makes a write happen once across crashes and retries (sync/apply.ts,
 * events/apply.ts). When it cannot be read or written the run stops rather than write blind.
 */
export class JournalUnavailable extends UserFacingError {
  constructor(message: string) {
    super('journal-unavailable', message);
  }
}

/** Runs a journal call; its failure stops the run, naming what could have been duplicated ("work items"). */
export async function journaled<T>(duplicates: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new JournalUnavailable(`The run journal could not be written, so the run stopped to avoid duplicate ${duplicates}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
