import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../errors.js';

/**
 * One process owns an embedded database directory at a time: two servers replaying and
 * appending the same journal would each lose the other's writes. The lock file holds the
 * owner's pid; a lock left by a process that no longer exists (kill -9) is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dir: string): DataDirLock {
    const file = join(dir, 'LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number.parseInt(readOwner(file), 10);
        if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
          const who = owner === process.pid ? 'this process (open it once and share the Store)' : `process ${owner}`;
          throw new StoreError(`the embedded database in ${dir} is already in use by ${who}; stop it, or run \`node dist/scripts/cosmos-local.js\` and point every bot at it with COSMOS_ENDPOINT`);
        }
        rmSync(file, { force: true });
      }
    }
    throw new StoreError(`could not lock the embedded database in ${dir}; remove ${file} if no PlanBridge process is running`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

function readOwner(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
