/**
 * The ApplyJournal contract: the engine's write-ahead journal, pinned from the production
 * implementation (bot/src/adapters/store-journal.ts over the embedded Cosmos store) and run
 * against every implementation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyJournal, JournalEntry } from '../../src/sync/ports.js';

export interface ApplyJournalFixture {
  /** A fresh journal of its own integration: it shares nothing with any other journal made. */
  journal(): ApplyJournal;
  dispose(): Promise<void>;
}

const sorted = (entries: JournalEntry[]): JournalEntry[] => [...entries].sort((a, b) => a.opId.localeCompare(b.opId));

export function describeApplyJournalContract(name: string, make: () => Promise<ApplyJournalFixture>): void {
  describe(`ApplyJournal contract: ${name}`, () => {
    let f: ApplyJournalFixture;
    beforeAll(async () => { f = await make(); });
    afterAll(async () => f?.dispose());

    it('an intent lists as intended with its marker, then as done with its key and the marker kept', async () => {
      const j = f.journal();
      await j.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      expect(await j.list('run-1')).toEqual([{ opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'intended', marker: 'planbridge:pb-1' }]);
      await j.markDone('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', key: '101' });
      expect(await j.list('run-1')).toEqual([{ opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'done', marker: 'planbridge:pb-1', key: '101' }]);
    });

    it('done without an intent (an update) lists as done with its key and no marker', async () => {
      const j = f.journal();
      await j.markDone('run-1', { opId: 'update:plan:pb-9', linkId: 'pb-9', side: 'plan', key: 'task-9' });
      expect(await j.list('run-1')).toEqual([{ opId: 'update:plan:pb-9', linkId: 'pb-9', side: 'plan', state: 'done', key: 'task-9' }]);
    });

    it('lists the entries of one run only, each once; a run with none lists nothing', async () => {
      const j = f.journal();
      await j.recordIntent('run-a', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      await j.recordIntent('run-a', { opId: 'create:plan:pb-2', linkId: 'pb-2', side: 'plan', marker: 'task-2' });
      await j.markDone('run-a', { opId: 'create:plan:pb-2', linkId: 'pb-2', side: 'plan', key: 'task-2' });
      await j.recordIntent('run-b', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      await j.markDone('run-b', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', key: '555' });

      expect(sorted(await j.list('run-a'))).toEqual([
        { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'intended', marker: 'planbridge:pb-1' },
        { opId: 'create:plan:pb-2', linkId: 'pb-2', side: 'plan', state: 'done', marker: 'task-2', key: 'task-2' },
      ]);
      expect(await j.list('run-b')).toEqual([{ opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'done', marker: 'planbridge:pb-1', key: '555' }]);
      expect(await j.list('run-none')).toEqual([]);
    });

    it('journals of different integrations do not see each other\'s runs', async () => {
      const [one, two] = [f.journal(), f.journal()];
      await one.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      expect(await two.list('run-1')).toEqual([]);
    });

    it('markDone is idempotent: twice is one done entry', async () => {
      const j = f.journal();
      await j.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      await j.markDone('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', key: '101' });
      await j.markDone('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', key: '101' });
      await j.markDone('run-1', { opId: 'update:ado:pb-2', linkId: 'pb-2', side: 'ado', key: '102' });
      await j.markDone('run-1', { opId: 'update:ado:pb-2', linkId: 'pb-2', side: 'ado', key: '102' });
      expect(sorted(await j.list('run-1'))).toEqual([
        { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'done', marker: 'planbridge:pb-1', key: '101' },
        { opId: 'update:ado:pb-2', linkId: 'pb-2', side: 'ado', state: 'done', key: '102' },
      ]);
    });

    it('a resumed run recording the same intent again keeps the entry as it was (done stays done, the first marker stays)', async () => {
      const j = f.journal();
      await j.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      await j.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-1' });
      expect(await j.list('run-1')).toEqual([{ opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'intended', marker: 'planbridge:pb-1' }]);
      await j.markDone('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', key: '101' });
      await j.recordIntent('run-1', { opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', marker: 'planbridge:pb-other' });
      expect(await j.list('run-1')).toEqual([{ opId: 'create:ado:pb-1', linkId: 'pb-1', side: 'ado', state: 'done', marker: 'planbridge:pb-1', key: '101' }]);
    });
  });
}
