import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv04Module from 'ajv-draft-04';

/**
 * Validators for the official Azure DevOps 7.1 OpenAPI definitions in ../shared/specs/ado.
 * Swagger writes .NET `object` as a bare {"type":"object"}, which really allows any JSON value
 * (field values are strings, numbers or objects), so such nodes become {}.
 */
const Ajv04 = Ajv04Module.default;
export const SPEC_DIR = fileURLToPath(new URL('../../../../shared/specs/ado/', import.meta.url));

type Json = Record<string, unknown>;

function loosen(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(loosen);
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  const keys = Object.keys(obj).filter((k) => k !== 'description');
  if (obj.type === 'object' && keys.length === 1) return {};
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, loosen(v)]));
}

export function readSpec(file: string): Json {
  const path = `${SPEC_DIR}${file}`;
  if (!existsSync(path)) throw new Error(`The ADO spec ${path} is missing; these tests need ../shared/specs/ado from the workspace.`);
  return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as Json;
}

export interface SpecChecker {
  /** Schema violations of `value` as definition `name`, as "path message" lines. */
  check(name: string, value: unknown): string[];
  /** Top-level properties of `value` that definition `name` (with its allOf bases) does not declare. */
  unknownProperties(name: string, value: Json): string[];
  /** Schema violations of `value` against an inline schema of this spec (a response's `schema`). */
  checkSchema(schema: Json, value: unknown): string[];
}

export function specChecker(file: string): SpecChecker {
  const definitions = loosen(readSpec(file).definitions) as Record<string, Json>;
  const ajv = new Ajv04({ strict: false, allErrors: true, validateFormats: false });
  const cache = new Map<string, ReturnType<typeof ajv.compile>>();
  const declared = (name: string): Set<string> => {
    const def = definitions[name] ?? {};
    const out = new Set(Object.keys((def.properties as Json | undefined) ?? {}));
    for (const part of (def.allOf as Json[] | undefined) ?? []) {
      const ref = /#\/definitions\/(.+)$/.exec(String(part.$ref ?? ''))?.[1];
      if (ref) for (const k of declared(ref)) out.add(k);
    }
    return out;
  };
  return {
    check(name, value) {
      if (!definitions[name]) throw new Error(`${file} has no definition ${name}.`);
      let validate = cache.get(name);
      if (!validate) {
        validate = ajv.compile({ definitions, $ref: `#/definitions/${name}` });
        cache.set(name, validate);
      }
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    },
    checkSchema(schema, value) {
      const validate = ajv.compile({ definitions, ...(loosen(schema) as Json) });
      return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    },
    unknownProperties(name, value) {
      const known = declared(name);
      return Object.keys(value).filter((k) => !known.has(k));
    },
  };
}

/** Official examples: `{ parameters, responses: { 200: { body } } }` per file. */
export function examples(area: string, resource: string): Array<{ file: string; body: unknown }> {
  const dir = `${SPEC_DIR}examples/${area}/7.1/httpExamples/${resource}/`;
  if (!existsSync(dir)) throw new Error(`The ADO examples folder ${dir} is missing.`);
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((file) => {
    const json = JSON.parse(readFileSync(`${dir}${file}`, 'utf8').replace(/^\uFEFF/, '')) as { responses?: Record<string, { body?: unknown }> };
    return { file, body: json.responses?.['200']?.body };
  });
}

/** One official example file, parsed. */
export function readExample(area: string, resource: string, file: string): { parameters: Record<string, any>; responses: { '200': { body: any } } } {
  const path = `${SPEC_DIR}examples/${area}/7.1/httpExamples/${resource}/${file}`;
  if (!existsSync(path)) throw new Error(`The ADO example ${path} is missing.`);
  return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
}

/** One operation of a spec: its route, verb and declared responses, by operationId. */
export interface SpecOperation {
  method: string;
  path: string;
  responses: Record<string, { schema?: Json }>;
}

export function specOperations(file: string): Map<string, SpecOperation> {
  const out = new Map<string, SpecOperation>();
  const paths = readSpec(file).paths as Record<string, Record<string, { operationId?: string; responses?: SpecOperation['responses'] }>>;
  for (const [path, verbs] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(verbs)) {
      if (op && typeof op === 'object' && op.operationId) out.set(op.operationId, { method: method.toUpperCase(), path, responses: op.responses ?? {} });
    }
  }
  return out;
}

/** Every official example file of an area, as `{resource}/{file}` relative to its httpExamples folder. */
export function exampleFiles(area: string): string[] {
  const dir = `${SPEC_DIR}examples/${area}/7.1/httpExamples/`;
  if (!existsSync(dir)) throw new Error(`The ADO examples folder ${dir} is missing.`);
  return readdirSync(dir).flatMap((resource) => readdirSync(`${dir}${resource}`).filter((f) => f.endsWith('.json')).map((f) => `${resource}/${f}`));
}
