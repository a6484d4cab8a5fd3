import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv04Module from 'ajv-draft-04';

/** The Teams manifest schema is draft-04; ajv-draft-04 speaks it (plus `const`, which v1.24 uses). */
const Ajv04 = Ajv04Module.default;

export const MANIFEST_SCHEMA_FILE = 'MicrosoftTeams.v1.24.schema.json';
export const MANIFEST_SCHEMA_URL = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.24/MicrosoftTeams.schema.json';

/** Where the schema lives in this workspace: the shared reference folder beside the repo. */
export function defaultManifestSchemaPath(rootDir: string): string {
  return path.resolve(rootDir, '..', 'shared', 'schemas', MANIFEST_SCHEMA_FILE);
}

export type ManifestCheck = (manifest: unknown) => string[];

const compiled = new Map<string, ManifestCheck>();

/** Compiles the schema once per file; the check lists every violation as "path: message". */
export function loadManifestCheck(schemaPath: string): ManifestCheck {
  const cached = compiled.get(schemaPath);
  if (cached) return cached;
  if (!existsSync(schemaPath)) {
    throw new Error(
      `Teams manifest schema not found at ${schemaPath}. Pass --schema <file> pointing at a copy of ` +
        `${MANIFEST_SCHEMA_URL}, or --no-schema to skip validation.`,
    );
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  const ajv = new Ajv04({ strict: false, allErrors: true });
  // The only format the schema uses; ajv-formats is not installed, and URL parsing is the real rule.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  const validate = ajv.compile(schema);
  const check: ManifestCheck = (manifest) => {
    if (validate(manifest)) return [];
    return (validate.errors ?? []).map((e) => {
      const where = e.instancePath === '' ? '(root)' : e.instancePath;
      const detail = e.keyword === 'additionalProperties' ? ` "${String(e.params['additionalProperty'])}"` : '';
      return `${where}: ${e.message ?? e.keyword}${detail}`;
    });
  };
  compiled.set(schemaPath, check);
  return check;
}
