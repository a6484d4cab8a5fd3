import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Reads a schema from the shared reference folder beside the repo, failing with a clear reason. */
export function readSharedSchema(file: string): object {
  const full = path.resolve(REPO_ROOT, '..', 'shared', 'schemas', file);
  if (!existsSync(full)) {
    throw new Error(`Missing ../shared/schemas/${file} (looked at ${full}): these tests need the shared reference folder next to the repo.`);
  }
  return JSON.parse(readFileSync(full, 'utf8')) as object;
}

export function sharedSchemaPath(file: string): string {
  readSharedSchema(file);
  return path.resolve(REPO_ROOT, '..', 'shared', 'schemas', file);
}

/**
 * A scratch copy of manifest/ and the env templates, so tests control which env files exist
 * (a developer's own env/.env.local or env/.env.dev must not change the outcome).
 */
export function scratchRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'planbridge-manifest-'));
  scratchRoots.push(root);
  cpSync(path.join(REPO_ROOT, 'manifest'), path.join(root, 'manifest'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'env'), path.join(root, 'env'), {
    recursive: true,
    filter: (src) => !path.basename(src).startsWith('.env.') || src.endsWith('.template'),
  });
  return root;
}


const scratchRoots: string[] = [];

/** For afterAll: removes every scratch root this test file made. */
export function removeScratchRoots(): void {
  for (const root of scratchRoots.splice(0)) rmSync(root, { recursive: true, force: true });
}
