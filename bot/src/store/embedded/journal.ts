import { closeSync, existsSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import type { StateEntry } from './account-state.js';

/**
 * Durable state of the embedded server: `snapshot.jsonl` (a full dump) plus `journal.jsonl`
 * (every acknowledged change since). A change is written to the journal with a synchronous
 * write() before its HTTP response is sent, so once a caller has its answer the change is in
 * the operating system's file cache and survives the process being killed (kill -9). The file
 * is fdatasync'ed at most one second later, so an operating-system crash or power cut loses at
 * most the last second. Compaction writes a new snapshot to a temporary file, fsyncs it,
 * renames it over the old one, and only then empties the journal; a crash in between replays
 * the old journal over the new snapshot, which is harmless because entries are whole states.
 */
export const SNAPSHOT_FILE = 'snapshot.jsonl';
export const JOURNAL_FILE = 'journal.jsonl';
export const FLUSH_INTERVAL_MS = 1000;

export interface LoadedState {
  entries: StateEntry[];
  /** Journal entries replayed on top of the snapshot. */
  journalEntries: number;
  /** A torn final journal line (a write cut short by a crash) was skipped. */
  tornTail: boolean;
}

export function loadState(dir: string): LoadedState {
  const snapshot = readEntries(join(dir, SNAPSHOT_FILE), false);
  const journal = readEntries(join(dir, JOURNAL_FILE), true);
  return { entries: [...snapshot.entries, ...journal.entries], journalEntries: journal.entries.length, tornTail: journal.tornTail };
}

function readEntries(file: string, tolerateTornTail: boolean): { entries: StateEntry[]; tornTail: boolean } {
  if (!existsSync(file)) return { entries: [], tornTail: false };
  const lines = readFileSync(file, 'utf8').split('\n');
  const entries: StateEntry[] = [];
  let tornTail = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    try {
      entries.push(JSON.parse(line) as StateEntry);
    } catch {
      const isLast = lines.slice(i + 1).every((l) => l === '');
      if (tolerateTornTail && isLast) {
        tornTail = true;
        continue;
      }
      throw new StoreError(`embedded database file ${file} is damaged at line ${i + 1}; restore it from a backup or move the data dir aside to start empty`);
    }
  }
  return { entries, tornTail };
}

export class Journal {
  private fd: number;
  private dirty = false;
  private syncing = false;
  private entriesSinceCompaction = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly dir: string) {
    this.fd = openSync(join(dir, JOURNAL_FILE), 'a', 0o600);
    this.timer = setInterval(() => this.flushSoon(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  get pending(): number {
    return this.entriesSinceCompaction;
  }

  append(entry: StateEntry): void {
    writeAll(this.fd, `${JSON.stringify(entry)}\n`);
    this.dirty = true;
    this.entriesSinceCompaction++;
  }

  /** Background fdatasync; at most one in flight. */
  private flushSoon(): void {
    if (!this.dirty || this.syncing) return;
    this.dirty = false;
    this.syncing = true;
    fdatasync(this.fd, () => {
      this.syncing = false;
    });
  }

  flushNow(): void {
    fsyncSync(this.fd);
    this.dirty = false;
  }

  /** Replaces snapshot + journal with a snapshot of `entries` (the full current state). */
  compact(entries: Iterable<StateEntry>): void {
    const tmp = join(this.dir, `${SNAPSHOT_FILE}.tmp`);
    const out = openSync(tmp, 'w', 0o600);
    try {
      let buffer = '';
      for (const entry of entries) {
        buffer += `${JSON.stringify(entry)}\n`;
        if (buffer.length > 1 << 20) {
          writeAll(out, buffer);
          buffer = '';
        }
      }
      writeAll(out, buffer);
      fsyncSync(out);
    } finally {
      closeSync(out);
    }
    renameSync(tmp, join(this.dir, SNAPSHOT_FILE));
    syncDirectory(this.dir);
    ftruncateSync(this.fd, 0);
    fsyncSync(this.fd);
    this.entriesSinceCompaction = 0;
    this.dirty = false;
  }

  close(): void {
    clearInterval(this.timer);
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
