import type { ILogger, LogLevel } from '@microsoft/teams.common';
import type { Logger } from '../log.js';
import { maskSecrets } from '../text/secrets.js';

/**
 * Routes the Teams SDK's console-style logging into our structured, redacting logger.
 * The SDK logs free-form arguments; objects are passed as fields so redaction still applies.
 */
export function sdkLogger(logger: Logger, name = 'teams-sdk'): ILogger {
  const child = logger.child({ component: name });
  const write = (level: LogLevel, msg: unknown[]) => {
    if (!child.isLevelEnabled(level)) return;
    const text = maskSecrets(msg.filter((m) => typeof m === 'string').join(' '));
    const objects = msg.filter((m) => typeof m !== 'string').map((m) => (isActivity(m) ? activitySummary(m) : m));
    const error = objects.find((m): m is Error => m instanceof Error);
    const fields = error ? { err: { name: error.name, message: maskSecrets(error.message) } } : objects.length ? { detail: objects } : {};
    child[level](fields, text || name);
  };
  // The SDK asks for the same few children on every activity (files, stream, ...): one each, kept.
  const children = new Map<string, ILogger>();
  const self: ILogger = {
    debug: (...m) => write('debug', m),
    info: (...m) => write('info', m),
    warn: (...m) => write('warn', m),
    error: (...m) => write('error', m),
    trace: (...m) => write('trace', m),
    log: (level, ...m) => write(level, m),
    child: (childName) => {
      const known = children.get(childName);
      if (known) return known;
      const made = sdkLogger(logger, `${name}/${childName}`);
      if (children.size < MAX_CHILDREN) children.set(childName, made);
      return made;
    },
  };
  return self;
}

/** Names are the SDK's own (a fixed few); the bound is for a name that would not be. */
const MAX_CHILDREN = 64;

type Json = Record<string, unknown>;

function isActivity(m: unknown): m is Json {
  return isObject(m) && typeof m.type === 'string' && ('conversation' in m || 'from' in m || 'serviceUrl' in m);
}

/**
 * The SDK logs whole activities ("Handling activity"). What people type (chat text, Action.Submit
 * values, card inputs, HTML attachments) can hold a PAT or a password under any key, so only the
 * routing facts are kept: an allow-list, not a deny-list.
 */
export function activitySummary(a: Json): Json {
  const conversation = isObject(a.conversation) ? a.conversation : {};
  const from = isObject(a.from) ? a.from : {};
  return {
    type: a.type,
    ...pick(a, ['id', 'name', 'channelId', 'replyToId', 'locale', 'action']),
    conversation: pick(conversation, ['id', 'conversationType', 'tenantId']),
    from: pick(from, ['id', 'aadObjectId']),
    ...(typeof a.text === 'string' ? { textLength: a.text.length } : {}),
    ...(a.value !== undefined ? { value: valueSummary(a.value) } : {}),
    ...(Array.isArray(a.attachments) ? { attachments: a.attachments.map((x) => (isObject(x) ? pick(x, ['contentType']) : typeof x)) } : {}),
    ...(Array.isArray(a.entities) ? { entities: a.entities.map((x) => (isObject(x) ? x.type : typeof x)) } : {}),
  };
}

/** A card action keeps its verb; any other value only the names of its inputs. */
function valueSummary(value: unknown): unknown {
  if (!isObject(value)) return typeof value;
  const action = isObject(value.action) ? value.action : undefined;
  const data = action && isObject(action.data) ? action.data : value;
  return {
    ...(action ? { action: pick(action, ['type', 'verb']) } : {}),
    inputs: Object.keys(data).map((key) => maskSecrets(key)),
  };
}

function pick(source: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'string') out[key] = maskSecrets(value);
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
  }
  return out;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
