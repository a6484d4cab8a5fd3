import type { ConversationReference } from '@microsoft/teams.api';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/index.js';
import { JOURNAL_FILE } from '../../src/store/embedded/journal.js';
import { REMOTE } from './support.js';

const ref = (id: string): ConversationReference => ({ serviceUrl: `https://smba.example/${id}`, channelId: 'msteams', bot: { id: '28:b', name: 'PlanBridge', role: 'bot' }, conversation: { id, conversationType: 'personal' } });

describe.skipIf(REMOTE)('embedded database files', () => {
  let dataDir: string;
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const open = () => openStore({ cosmos: { database: 'planbridge' }, dataDir, logger: createLogger({ level: 'silent' }) });

  it('skips a torn last journal line (a write cut off by a crash) and keeps the rest', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-journal-'));
    const store = await open();
    await store.conversations.save('t', ref('kept'));
    // Crash before close: copy the journal as it is now, then simulate a torn final write.
    const journal = readFileSync(join(dataDir, 'cosmos', JOURNAL_FILE), 'utf8');
    await store.close();
    writeFileSync(join(dataDir, 'cosmos', 'snapshot.jsonl'), '');
    writeFileSync(join(dataDir, 'cosmos', JOURNAL_FILE), journal);
    appendFileSync(join(dataDir, 'cosmos', JOURNAL_FILE), '{"t":"doc","db":"planbridge","coll":"conversa');
    const reopened = await open();
    try {
      expect((await reopened.conversations.get('t', 'kept'))?.reference.serviceUrl).toBe('https://smba.example/kept');
    } finally {
      await reopened.close();
    }
  });

  it('refuses a damaged snapshot with a message saying what to do', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-journal-'));
    const store = await open();
    await store.conversations.save('t', ref('x'));
    await store.close();
    appendFileSync(join(dataDir, 'cosmos', 'snapshot.jsonl'), 'not json\n{}\n');
    await expect(open()).rejects.toThrow(/is damaged at line \d+; restore it from a backup or move the data dir aside/);
  });

  it('etags survive a restart, so a version read before it can still be updated after it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'planbridge-journal-'));
    const store = await open();
    await store.conversations.save('t', ref('e'));
    const before = await store.conversations.get('t', 'e');
    await store.close();
    const reopened = await open();
    try {
      expect((await reopened.conversations.get('t', 'e'))?.etag).toBe(before?.etag);
    } finally {
      await reopened.close();
    }
  });
});
