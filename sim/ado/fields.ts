import type { ApiContext, ApiRequest, ApiResult } from './api.js';
import { adoErrors } from './errors.js';
import type { SimField } from './model.js';
import type { FieldKind } from './processes.js';
import { ALL_FIELDS, fieldView } from './views.js';

/**
 * `[{project}/]_apis/wit/fields[/{field}]` (Fields_*, wit 7.1): the organization's fields. The
 * system fields are fixed; Create adds an organization field, Update locks or undeletes one and
 * Delete removes it to the recycle bin (`isDeleted`), as the official examples show.
 */
const FIELD_TYPE_ORDER = ['string', 'integer', 'dateTime', 'plainText', 'html', 'treePath', 'history', 'double', 'guid', 'boolean', 'identity'];
const KINDS: FieldKind[] = ['string', 'integer', 'double', 'dateTime', 'plainText', 'html', 'treePath', 'identity', 'boolean', 'history'];

function byName(ctx: ApiContext, key: string): SimField | undefined {
  const k = key.toLowerCase();
  return ctx.state.customFields.find((f) => f.referenceName.toLowerCase() === k || f.name.toLowerCase() === k);
}

export function fields(ctx: ApiContext, req: ApiRequest): ApiResult {
  const key = req.rest[2];
  const live = (): Array<Parameters<typeof fieldView>[1]> => [...ALL_FIELDS, ...ctx.state.customFields.filter((f) => !f.isDeleted)];
  if (req.method === 'GET' && key === undefined) return { status: 200, body: { count: live().length, value: live().map((f) => fieldView(ctx.base, f)) } };
  if (req.method === 'GET' && key !== undefined) {
    const k = key.toLowerCase();
    const f = live().find((x) => x.referenceName.toLowerCase() === k || x.name.toLowerCase() === k);
    if (!f) throw adoErrors.fieldNotFound(key);
    return { status: 200, body: fieldView(ctx.base, f) };
  }
  if (req.method === 'POST' && key === undefined) return { status: 200, body: fieldView(ctx.base, create(ctx, req.body)) };
  if (key === undefined) throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
  const system = ALL_FIELDS.some((f) => f.referenceName.toLowerCase() === key.toLowerCase());
  const own = byName(ctx, key);
  if (!own && system) throw adoErrors.badRequest(`The system field ${key} cannot be changed or deleted.`);
  if (!own) throw adoErrors.fieldNotFound(key);
  if (req.method === 'PATCH') {
    const body = (req.body ?? {}) as { isLocked?: unknown; isDeleted?: unknown };
    if (typeof body.isLocked === 'boolean') own.isLocked = body.isLocked;
    if (body.isDeleted === false) own.isDeleted = false;
    return { status: 200, body: fieldView(ctx.base, own) };
  }
  if (req.method === 'DELETE') {
    own.isDeleted = true;
    return { status: 204, body: undefined };
  }
  throw adoErrors.notFound(`_apis/${req.rest.join('/')}`);
}

function create(ctx: ApiContext, raw: unknown): SimField {
  const body = (raw ?? {}) as { name?: unknown; referenceName?: unknown; type?: unknown; description?: unknown; readOnly?: unknown };
  const name = String(body.name ?? '').trim();
  const referenceName = String(body.referenceName ?? '').trim() || `Custom.${name.replace(/[^A-Za-z0-9]/g, '')}`;
  if (!name) throw adoErrors.badRequest('A field needs a name.');
  // The client library sends the FieldType enum as a number, in the spec's order.
  const type = (typeof body.type === 'number' ? FIELD_TYPE_ORDER[body.type] : String(body.type ?? 'string')) as FieldKind;
  if (!KINDS.includes(type)) throw adoErrors.badRequest(`The field type '${type}' is not supported.`);
  if (ALL_FIELDS.some((f) => f.referenceName.toLowerCase() === referenceName.toLowerCase()) || byName(ctx, referenceName) || byName(ctx, name)) {
    throw adoErrors.fieldExists(referenceName);
  }
  const field: SimField = { referenceName, name, type, readOnly: body.readOnly === true, description: typeof body.description === 'string' ? body.description : '', isLocked: false, isDeleted: false };
  ctx.state.customFields.push(field);
  return field;
}
