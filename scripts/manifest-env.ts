import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Fills the `${{VAR}}` placeholders of manifest/manifest.json the way Teams Toolkit does, but
 * offline, so `npm run package` works without a Microsoft 365 sign-in.
 *
 * Lookup order for each variable: process.env, then env/.env.<env> when it exists, else the
 * env's template (env/.env.<env>.template). For the "local" env only, values still empty fall
 * back to LOCAL_DEFAULTS, so a fresh checkout can build a sideloadable package at once.
 */

/** Fixed ids for local packages: stable across runs, obviously not real registrations. */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '00000000-0000-0000-0000-000000000001',
  BOT_ID: '00000000-0000-0000-0000-000000000002',
  BOT_DOMAIN: 'localhost:3978',
};

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface ResolvedEnv {
  /** The value for one variable, or undefined when no source has a non-empty one. */
  lookup(name: string): string | undefined;
  /** Human-readable places values come from, in lookup order (for error messages). */
  sources: string[];
  /** What to do when values are missing, if there is something better than "set them". */
  hint?: string;
}

export class UnfilledPlaceholderError extends Error {
  constructor(
    readonly missing: string[],
    env: ResolvedEnv,
  ) {
    super(
      `No value for ${missing.map((m) => `\${{${m}}}`).join(', ')} in manifest/manifest.json ` +
        `(looked in ${env.sources.join(', ')}). ` +
        (env.hint ?? `Set ${missing.length > 1 ? 'them' : 'it'} in the environment or in the env file, e.g. ${missing[0]}=...`),
    );
    this.name = 'UnfilledPlaceholderError';
  }
}

/** Parses the dotenv subset Teams Toolkit writes: KEY=VALUE lines, # comments, optional quotes. */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
    } else {
      // An unquoted value ends at an inline " #" comment.
      const hash = value.search(/\s#/);
      if (hash >= 0) value = value.slice(0, hash).trimEnd();
    }
    out[key] = value;
  }
  return out;
}

/** Collects the values for one Teams Toolkit environment (see the module comment for the order). */
export function resolveEnv(rootDir: string, envName: string, processEnv: NodeJS.ProcessEnv = process.env): ResolvedEnv {
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) throw new Error(`Invalid env name "${envName}": use letters, digits, "-" or "_"`);
  const envFile = path.join('env', `.env.${envName}`);
  const templateFile = `${envFile}.template`;
  const fileToRead = existsSync(path.join(rootDir, envFile)) ? envFile : templateFile;
  const fileExists = existsSync(path.join(rootDir, fileToRead));
  const fromFile = fileExists ? parseDotEnv(readFileSync(path.join(rootDir, fileToRead), 'utf8')) : {};
  const sources = ['process.env', fileExists ? fileToRead : `${fileToRead} (missing)`];
  const defaults: Readonly<Record<string, string>> = envName === 'local' ? LOCAL_DEFAULTS : {};
  if (envName === 'local') sources.push('local defaults');

  return {
    lookup: (name) => nonEmpty(processEnv[name]) ?? nonEmpty(fromFile[name]) ?? nonEmpty(defaults[name]),
    sources,
    hint:
      fileToRead === templateFile && envName !== 'local'
        ? `${envFile} does not exist yet: copy ${templateFile} to it and run \`teamsapp provision --env ${envName}\`, ` +
          'which writes the ids there, or set the variables in the environment.'
        : undefined,
  };
}

/** Placeholder names used anywhere in a JSON value, in first-seen order. */
export function placeholdersIn(value: unknown): string[] {
  const found = new Set<string>();
  walkStrings(value, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]!);
    return s;
  });
  return [...found];
}

/**
 * Returns a copy of `manifest` with every `${{VAR}}` in its string values replaced.
 * Works on parsed JSON rather than text so values never need JSON escaping.
 * Throws UnfilledPlaceholderError naming every variable without a value.
 */
export function fillPlaceholders<T>(manifest: T, env: ResolvedEnv): T {
  const missing = placeholdersIn(manifest).filter((name) => env.lookup(name) === undefined);
  if (missing.length > 0) throw new UnfilledPlaceholderError(missing, env);
  return walkStrings(manifest, (s) => s.replace(PLACEHOLDER, (_, name: string) => env.lookup(name)!)) as T;
}

function walkStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walkStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkStrings(v, fn)]));
  }
  return value;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
