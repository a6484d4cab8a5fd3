import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fillPlaceholders, resolveEnv, UnfilledPlaceholderError } from '../../../scripts/manifest-env.js';
import { MANIFEST_SCHEMA_FILE } from '../../../scripts/manifest-schema.js';
import { buildAppPackage, PackageError } from '../../../scripts/package-app.js';
import { createZip } from '../../../scripts/zip.js';
import { removeScratchRoots, scratchRoot, sharedSchemaPath } from './support.js';
import { readZip } from './unzip.js';

afterAll(removeScratchRoots);

const schemaPath = sharedSchemaPath(MANIFEST_SCHEMA_FILE);
const unzipAvailable = ['/usr/bin/unzip', '/bin/unzip'].some((p) => existsSync(p));

function build(env: NodeJS.ProcessEnv = {}, envName = 'local') {
  const root = scratchRoot();
  return { root, result: buildAppPackage({ rootDir: root, envName, processEnv: env, schemaPath, outDir: path.join(root, 'out') }) };
}

describe('npm run package (offline Teams app package)', () => {
  it('writes appPackage.<env>.zip with manifest.json and both icons at the root', () => {
    const { root, result } = build();
    expect(path.basename(result.zipPath)).toBe('appPackage.local.zip');
    const zip = readFileSync(result.zipPath);
    expect(zip.length).toBe(result.bytes);

    const entries = readZip(zip);
    expect([...entries.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const expected = fillPlaceholders(JSON.parse(readFileSync(path.join(root, 'manifest', 'manifest.json'), 'utf8')), resolveEnv(root, 'local', {}));
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).toEqual(expected);
    expect(entries.get('color.png')!.equals(readFileSync(path.join(root, 'manifest', 'color.png')))).toBe(true);
    expect(entries.get('outline.png')!.equals(readFileSync(path.join(root, 'manifest', 'outline.png')))).toBe(true);
  });

  it.skipIf(!unzipAvailable)('produces a zip that Info-ZIP unzip tests clean (skipped when unzip is not installed)', () => {
    const { result } = build();
    const report = execFileSync('unzip', ['-t', result.zipPath], { encoding: 'utf8' });
    expect(report).toMatch(/No errors detected/);
    expect(report).toMatch(/testing: manifest\.json\s+OK/);
  });

  it('puts values from process.env into the packaged manifest', () => {
    const { result } = build({ TEAMS_APP_ID: '4f1a0c2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', BOT_DOMAIN: 'pb.example.net' });
    const manifest = JSON.parse(readZip(readFileSync(result.zipPath)).get('manifest.json')!.toString('utf8'));
    expect(manifest.id).toBe('4f1a0c2e-5b6d-4e7f-8a9b-0c1d2e3f4a5b');
    expect(manifest.validDomains).toEqual(['pb.example.net']);
  });

  it('builds byte-identical packages from identical input', () => {
    expect(readFileSync(build().result.zipPath).equals(readFileSync(build().result.zipPath))).toBe(true);
  });

  it('fails naming the unfilled placeholders, and writes nothing', () => {
    const root = scratchRoot();
    const out = path.join(root, 'out');
    const run = () => buildAppPackage({ rootDir: root, envName: 'dev', processEnv: { BOT_DOMAIN: 'x.example.net' }, schemaPath, outDir: out });
    expect(run).toThrow(UnfilledPlaceholderError);
    expect(run).toThrow(/\$\{\{TEAMS_APP_ID\}\}, \$\{\{BOT_ID\}\}/);
    expect(existsSync(path.join(out, 'appPackage.dev.zip'))).toBe(false);
  });

  it('refuses a manifest that breaks the schema, saying which field', () => {
    const root = scratchRoot();
    const file = path.join(root, 'manifest', 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"accentColor": "#2E5AAC"', '"accentColor": "blue"'));
    expect(() => buildAppPackage({ rootDir: root, envName: 'local', processEnv: {}, schemaPath, outDir: path.join(root, 'out') })).toThrow(
      /does not match the v1\.24 schema:\n\s+\/accentColor: must match pattern/,
    );
  });

  it('says how to fix a missing schema file', () => {
    const root = scratchRoot();
    const run = () => buildAppPackage({ rootDir: root, envName: 'local', processEnv: {}, schemaPath: path.join(root, 'nope.json') });
    expect(run).toThrow(/schema not found at .*nope\.json.*--schema <file>.*--no-schema/);
  });

  it('refuses unsafe or duplicate entry names in the zip writer', () => {
    expect(() => createZip([{ name: '../x', data: Buffer.alloc(1) }])).toThrow(/Invalid zip entry name/);
    expect(() => createZip([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }])).toThrow(/Duplicate/);
  });

  it('is a PackageError the CLI can print when an icon is missing', () => {
    const root = scratchRoot();
    const file = path.join(root, 'manifest', 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"outline": "outline.png"', '"outline": "missing.png"'));
    const run = () => buildAppPackage({ rootDir: root, envName: 'local', processEnv: {}, schemaPath, outDir: path.join(root, 'out') });
    expect(run).toThrow(PackageError);
    expect(run).toThrow(/missing from manifest\/: missing\.png/);
  });
});
