import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fillPlaceholders, resolveEnv, type ResolvedEnv } from './manifest-env.js';
import { defaultManifestSchemaPath, loadManifestCheck } from './manifest-schema.js';
import { createZip } from './zip.js';

/**
 * `npm run package [-- --env <name>] [--schema <file> | --no-schema] [--out <dir>]`
 * Builds appPackage/build/appPackage.<env>.zip (manifest.json + both icons at the root) without
 * network access: placeholders are filled from the environment and env files, and the result is
 * checked against the Teams v1.24 manifest schema before anything is written.
 */

export interface PackageOptions {
  rootDir: string;
  envName: string;
  processEnv?: NodeJS.ProcessEnv;
  /** Schema file to validate against; null skips validation. Default: ../shared/schemas/... */
  schemaPath?: string | null;
  /** Output folder. Default: <rootDir>/appPackage/build */
  outDir?: string;
}

export interface PackageResult {
  zipPath: string;
  bytes: number;
  manifest: Record<string, unknown>;
  env: ResolvedEnv;
}

export class PackageError extends Error {
  override name = 'PackageError';
}

export function buildAppPackage(options: PackageOptions): PackageResult {
  const { rootDir, envName } = options;
  const manifestDir = path.join(rootDir, 'manifest');
  const template = JSON.parse(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;

  const env = resolveEnv(rootDir, envName, options.processEnv ?? process.env);
  const manifest = fillPlaceholders(template, env);

  const schemaPath = options.schemaPath === undefined ? defaultManifestSchemaPath(rootDir) : options.schemaPath;
  if (schemaPath !== null) {
    const problems = loadManifestCheck(schemaPath)(manifest);
    if (problems.length > 0) {
      throw new PackageError(`manifest/manifest.json (env "${envName}") does not match the v1.24 schema:\n  ${problems.join('\n  ')}`);
    }
  }

  const icons = iconFiles(manifest);
  const missingIcons = icons.filter((icon) => !existsSync(path.join(manifestDir, icon)));
  if (missingIcons.length > 0) {
    throw new PackageError(`Icon file(s) named in the manifest are missing from manifest/: ${missingIcons.join(', ')} (run: npx node scripts/make-icons.ts)`);
  }

  const zip = createZip([
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') },
    ...icons.map((icon) => ({ name: icon, data: readFileSync(path.join(manifestDir, icon)) })),
  ]);
  const outDir = options.outDir ?? path.join(rootDir, 'appPackage', 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${envName}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, bytes: zip.length, manifest, env };
}

/** The icon paths the manifest names; Teams requires them at the package root. */
function iconFiles(manifest: Record<string, unknown>): string[] {
  const icons = (manifest['icons'] ?? {}) as Record<string, unknown>;
  const names = [icons['color'], icons['outline'], icons['color32x32']].filter((v): v is string => typeof v === 'string');
  for (const name of names) {
    if (name.includes('/') || name.includes('\\')) {
      throw new PackageError(`Icon "${name}" must be a file name at the package root, not a path`);
    }
  }
  return [...new Set(names)];
}

/** Walks up from this module to the folder holding manifest/manifest.json (works from src and dist). */
export function findRepoRoot(start: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'manifest', 'manifest.json'))) return dir;
    if (path.dirname(dir) === dir) throw new PackageError(`Cannot find manifest/manifest.json above ${start}`);
  }
}

interface CliArgs {
  envName: string;
  schemaPath?: string | null;
  outDir?: string;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { envName: 'local' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new PackageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--env') args.envName = value();
    else if (arg === '--schema') args.schemaPath = path.resolve(value());
    else if (arg === '--no-schema') args.schemaPath = null;
    else if (arg === '--out') args.outDir = path.resolve(value());
    else if (arg === '--help' || arg === '-h') {
      console.log('Usage: npm run package -- [--env local|dev|...] [--schema <file> | --no-schema] [--out <dir>]');
      process.exit(0);
    } else throw new PackageError(`Unknown argument "${arg}" (try --help)`);
  }
  return args;
}

function main(): void {
  try {
    const args = parseArgs(process.argv.slice(2));
    const result = buildAppPackage({ rootDir: findRepoRoot(), ...args });
    if (args.schemaPath === null) console.warn('warning: schema validation skipped (--no-schema)');
    console.log(`Teams app package (env "${args.envName}"): ${path.relative(process.cwd(), result.zipPath) || result.zipPath} (${result.bytes} bytes)`);
  } catch (err) {
    console.error(`package failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
