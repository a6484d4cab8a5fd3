import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AjvModule, { type ErrorObject } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { cardsDirectory } from '../../src/cards/render.js';

const Ajv = AjvModule.default;

/** The shared reference folder sits beside the repository root (the folder holding cards/). */
export const CARD_SCHEMA_PATH = join(dirname(cardsDirectory()), '..', 'shared', 'schemas', 'adaptive-card.1.5.0.json');

/**
 * Teams reads these top-level card properties, but the 1.5 schema (additionalProperties: false)
 * does not list them, so they are removed before validation instead of weakening the schema.
 */
const TEAMS_CARD_EXTENSIONS = ['msteams'] as const;

export type CardCheck = (card: unknown) => string[];

type Schema = Record<string, unknown>;

const compiled = new Map<string, CardCheck>();

/**
 * Compiles the Adaptive Card 1.5 schema once. The check returns [] for a valid card, else one
 * "path: message" line per problem. The verdict always comes from the published schema as is.
 */
export function adaptiveCardCheck(schemaPath = CARD_SCHEMA_PATH): CardCheck {
  const cached = compiled.get(schemaPath);
  if (cached) return cached;
  if (!existsSync(schemaPath)) {
    throw new Error(
      `Adaptive Card 1.5 schema not found at ${schemaPath}. The card tests read it from the shared ` +
        'reference folder (../shared/schemas beside the repo); restore that folder to run them.',
    );
  }
  const { id, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as { id?: string } & Schema;
  // The published file names itself with the draft-04 "id" keyword although it declares draft-06.
  if (id !== undefined) schema['$id'] = id;
  const validate = newAjv().compile(schema);
  const explain = newAjv().compile(dispatchOnType(schema));
  const check: CardCheck = (card) => {
    const subject = stripTeamsExtensions(card);
    if (validate(subject)) return [];
    explain(subject);
    const readable = readableErrors(explain.errors ?? []);
    return readable.length > 0 ? readable : readableErrors(validate.errors ?? []);
  };
  compiled.set(schemaPath, check);
  return check;
}

function newAjv(): InstanceType<typeof Ajv> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  // Relative references and data: URLs are both allowed; anything without whitespace parses as one.
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
  return ajv;
}

/**
 * The schema picks an element's definition with `anyOf` over every element type, so one typo
 * yields an error from each of ~16 types. For messages only, an equivalent schema selects the
 * definition by the element's `type` (if/then), so errors come from the type the author meant.
 */
function dispatchOnType(schema: Schema): Schema {
  const copy = structuredClone(schema);
  const definitions = copy['definitions'] as Record<string, Schema>;
  for (const [name, definition] of Object.entries(definitions)) {
    if (!name.startsWith('ImplementationsOf.')) continue;
    const branches = (definition['anyOf'] as Array<{ allOf: Array<{ $ref: string }> }>).map(({ allOf: [ref] }) => {
      const target = definitions[ref!.$ref.replace('#/definitions/', '')];
      const type = (target?.['properties'] as { type?: { enum?: string[] } } | undefined)?.type?.enum?.[0];
      return { type, ref: ref!.$ref };
    });
    // TextRun may also be a bare string, so inlines keep their original anyOf.
    if (branches.some((b) => b.type === undefined)) continue;
    definitions[name] = {
      required: ['type'],
      properties: { type: { enum: branches.map((b) => b.type) } },
      allOf: branches.map((b) => ({ if: { properties: { type: { const: b.type } } }, then: { $ref: b.ref } })),
    };
  }
  return copy;
}

function readableErrors(errors: ErrorObject[]): string[] {
  const pathsWithEnum = new Set(errors.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));
  const lines = errors
    // "must match then schema" repeats its children; pattern/type/anyOf restate a failed enum.
    .filter((e) => e.keyword !== 'if')
    .filter((e) => !(pathsWithEnum.has(e.instancePath) && ['pattern', 'type', 'anyOf'].includes(e.keyword)))
    // "must match a schema in anyOf" above a more precise error only says "something below failed".
    .filter((e) => !(e.keyword === 'anyOf' && errors.some((o) => o.instancePath.startsWith(`${e.instancePath}/`))))
    .map((e) => {
      const where = e.instancePath === '' ? '(root)' : e.instancePath;
      let detail = '';
      if (e.keyword === 'additionalProperties') detail = ` "${String(e.params['additionalProperty'])}"`;
      if (e.keyword === 'enum') detail = `: ${(e.params['allowedValues'] as unknown[]).join(', ')}`;
      return `${where}: ${e.message ?? e.keyword}${detail}`;
    });
  return [...new Set(lines)];
}

function stripTeamsExtensions(card: unknown): unknown {
  if (typeof card !== 'object' || card === null || Array.isArray(card)) return card;
  const copy: Schema = { ...(card as Schema) };
  for (const key of TEAMS_CARD_EXTENSIONS) delete copy[key];
  return copy;
}
