/**
 * The shape an inbound activity must have before the SDK and our routes touch it. Both cast the
 * body to `Activity` and dereference it freely (`entities.filter`, `value.action`, `from.id`...),
 * so every field they read is checked here. Returns a sentence naming the first problem, or
 * undefined when the activity is usable. Unknown fields pass untouched.
 */
export function checkActivityShape(body: unknown): string | undefined {
  if (!isObject(body)) return 'The request body must be a JSON activity object.';
  if (tooDeep(body)) return `The activity is nested more than ${MAX_DEPTH} levels deep.`;
  const a = body;
  if (typeof a.type !== 'string' || a.type.length === 0) return 'The activity has no "type" string.';
  if (typeof a.serviceUrl !== 'string' || !isHttpUrl(a.serviceUrl)) return 'The activity has no valid "serviceUrl".';
  return strings(a, 'activity', OPTIONAL_STRINGS)
    ?? pathSafe(a.id, 'id')
    ?? pathSafe(a.replyToId, 'replyToId')
    ?? account(a.from, 'from', true)
    ?? account(a.recipient, 'recipient', false)
    ?? conversation(a.conversation)
    ?? channelData(a.channelData)
    ?? list(a.entities, 'entities', entity)
    ?? list(a.attachments, 'attachments', (x, at) => (isObject(x) ? strings(x, at, ['contentType', 'name', 'contentUrl']) : `"${at}" must be an object.`))
    ?? list(a.membersAdded, 'membersAdded', (x, at) => account(x, at, true))
    ?? list(a.membersRemoved, 'membersRemoved', (x, at) => account(x, at, true))
    ?? optionalObject(a.relatesTo, 'relatesTo')
    ?? (a.type === 'invoke' ? invoke(a) : undefined);
}

/** Deeper than any real activity (a card quoted in an attachment stays well inside it); keeps
 *  recursive walkers (logs, templating, the SDK's clones) far from the stack limit. */
const MAX_DEPTH = 64;

const OPTIONAL_STRINGS = ['id', 'text', 'name', 'channelId', 'locale', 'replyToId', 'textFormat', 'action', 'valueType', 'timestamp', 'localTimestamp', 'summary'];

/** Invokes whose `value` the SDK dereferences without a check (router and OAuth handlers). */
const VALUE_REQUIRED = new Set(['adaptiveCard/action', 'fileConsent/invoke', 'composeExtension/submitAction', 'message/submitAction', 'signin/tokenExchange', 'signin/verifyState', 'task/fetch', 'task/submit']);

type Json = Record<string, unknown>;

function account(value: unknown, at: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (!isObject(value) || typeof value.id !== 'string' || !value.id) return `The activity has no "${at}.id" string.`;
  return strings(value, at, ['name', 'aadObjectId', 'role', 'tenantId']);
}

function conversation(value: unknown): string | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || !value.id) return 'The activity has no "conversation.id" string.';
  const unsafe = pathSafe(value.id, 'conversation.id');
  if (unsafe) return unsafe;
  if (value.isGroup !== undefined && typeof value.isGroup !== 'boolean') return '"conversation.isGroup" must be true or false.';
  return strings(value, 'conversation', ['tenantId', 'conversationType', 'name']);
}

function channelData(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return '"channelData" must be an object.';
  for (const key of ['tenant', 'team', 'channel', 'meeting'] as const) {
    const part = value[key];
    if (part === undefined) continue;
    if (!isObject(part)) return `"channelData.${key}" must be an object.`;
    const problem = strings(part, `channelData.${key}`, ['id', 'name']);
    if (problem) return problem;
  }
  return strings(value, 'channelData', ['eventType']);
}

/** Mentions are read by the SDK's mention stripping: `mentioned.id`, `mentioned.name`, `text`. */
function entity(value: unknown, at: string): string | undefined {
  if (!isObject(value)) return `"${at}" must be an object.`;
  if (value.type !== 'mention') return strings(value, at, ['type']);
  return account(value.mentioned, `${at}.mentioned`, true) ?? strings(value, at, ['text']);
}

function invoke(a: Json): string | undefined {
  if (typeof a.name !== 'string' || !a.name) return 'The invoke has no "name" string.';
  if (a.value === undefined && !VALUE_REQUIRED.has(a.name)) return undefined;
  if (!isObject(a.value)) return `The "${a.name}" invoke needs a "value" object.`;
  const value = a.value;
  if (a.name === 'adaptiveCard/action') return optionalObject(value.action, 'value.action');
  if (a.name.startsWith('signin/')) return strings(value, 'value', ['connectionName', 'state', 'id', 'token', 'code', 'message']);
  if (a.name.startsWith('task/')) return optionalObject(value.data, 'value.data');
  return undefined;
}

/**
 * The SDK puts conversation and activity ids into connector URLs unencoded
 * (`/v3/conversations/${id}/activities/${replyToId}`), so they may not carry path syntax.
 * Real ids look like "19:abc@thread.tacv2;messageid=1" or "a:1Xy-Q".
 */
function pathSafe(value: unknown, at: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length > MAX_ID_LENGTH || /[\s/\\?#%\u0000-\u001f\u007f]/.test(value) ? `"${at}" is not a valid id.` : undefined;
}

const MAX_ID_LENGTH = 1024;

function list(value: unknown, at: string, each: (item: unknown, at: string) => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return `"${at}" must be an array.`;
  for (let i = 0; i < value.length; i++) {
    const problem = each(value[i], `${at}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

function strings(value: Json, at: string, keys: readonly string[]): string | undefined {
  const bad = keys.find((key) => value[key] !== undefined && value[key] !== null && typeof value[key] !== 'string');
  return bad ? `"${at === 'activity' ? bad : `${at}.${bad}`}" must be a string.` : undefined;
}

function optionalObject(value: unknown, at: string): string | undefined {
  return value === undefined || value === null || isObject(value) ? undefined : `"${at}" must be an object.`;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Iterative, so a hostile nesting cannot overflow the stack here either. */
function tooDeep(root: unknown): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
