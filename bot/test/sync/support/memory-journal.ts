/**
 * In-memory ApplyJournal (the store's job in production). Passes the ApplyJournal contract
 * (bot/test/contracts/apply-journal.contract.ts), like the Cosmos journal: an intent is recorded
 * once (a rerun's intent never resets a done entry), and markDone keeps the intent's marker.
 */
import type { ApplyJournal, JournalEntry } from '../../../src/sync/ports.js';
import { Crashpoint } from './crash.js';

export class MemoryJournal implements ApplyJournal {
  runs = new Map<string, Map<string, JournalEntry>>();
  crash = new Crashpoint();

  private run(runId: string): Map<string, JournalEntry> {
    let r = this.runs.get(runId);
    if (!r) this.runs.set(runId, (r = new Map()));
    return r;
  }

  async recordIntent(runId: string, entry: { opId: string; linkId: string; side: 'ado' | 'plan'; marker: string }): Promise<void> {
    this.crash.run(() => {
      if (!this.run(runId).has(entry.opId)) this.run(runId).set(entry.opId, { ...entry, state: 'intended' });
    });
  }

  async markDone(runId: string, entry: { opId: string; linkId: string; side: 'ado' | 'plan'; key: string }): Promise<void> {
    this.crash.run(() => {
      const prev = this.run(runId).get(entry.opId);
      this.run(runId).set(entry.opId, { ...entry, state: 'done', ...(prev?.marker !== undefined ? { marker: prev.marker } : {}) });
    });
  }

  async list(runId: string): Promise<JournalEntry[]> {
    return this.crash.run(() => [...this.run(runId).values()].map((e) => ({ ...e })));
  }
}
