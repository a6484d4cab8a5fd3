/**
 * Crash points of an Outlook events run, as a dying process would meet them: the store's run
 * journal (intent before a create, done after it) and the event links saved after the writes.
 * `arm(n)` lets `n` of those store writes through and fails every later one until `disarm()`, so
 * the process "dies" between a Graph write and the record of it: after a create and before its
 * journal entry, after the journal and before the link, or halfway through saving the links.
 * Nothing of PlanBridge is replaced: the same store, with these four calls wrapped.
 */
import type { Store } from '../../../src/store/index.js';

export class Crash extends Error {
  override readonly name = 'Crash';
  constructor(readonly point: string) {
    super(`simulated crash at ${point}: the process died mid-apply`);
  }
}

export class CrashSwitch {
  private budget: number | null = null;
  /** Where the first crash of the armed run struck, if it did. */
  struck: string | null = null;

  arm(n: number): void {
    this.budget = n;
    this.struck = null;
  }

  /** Ends the armed run: returns where it crashed (null when it did not) and lets every write through again. */
  disarm(): string | null {
    const struck = this.struck;
    this.budget = null;
    this.struck = null;
    return struck;
  }

  get armed(): boolean {
    return this.budget !== null;
  }

  spend(point: string): void {
    if (this.budget === null) return;
    if (this.budget <= 0) {
      this.struck ??= point;
      throw new Crash(point);
    }
    this.budget -= 1;
  }
}

export function crashingStore(store: Store, crash: CrashSwitch): Store {
  const { journal, eventLinks } = store;
  return {
    ...store,
    journal: {
      recordIntent: async (...a: Parameters<typeof journal.recordIntent>) => { crash.spend('journal intent'); return journal.recordIntent(...a); },
      markDone: async (...a: Parameters<typeof journal.markDone>) => { crash.spend('journal done'); return journal.markDone(...a); },
      list: (...a: Parameters<typeof journal.list>) => journal.list(...a),
    },
    eventLinks: {
      get: (...a: Parameters<typeof eventLinks.get>) => eventLinks.get(...a),
      list: (...a: Parameters<typeof eventLinks.list>) => eventLinks.list(...a),
      save: async (...a: Parameters<typeof eventLinks.save>) => { crash.spend('event link save'); return eventLinks.save(...a); },
      remove: async (...a: Parameters<typeof eventLinks.remove>) => { crash.spend('event link remove'); return eventLinks.remove(...a); },
    },
  };
}
