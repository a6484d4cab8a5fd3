import type { ILogger, LogLevel } from '@microsoft/teams.common';
import type { Logger } from '../log.js';

/**
 * Routes the Teams SDK's console-style logging into our structured, redacting logger.
 * The SDK logs free-form arguments; objects are passed as fields so redaction still applies.
 */
export function sdkLogger(logger: Logger, name = 'teams-sdk'): ILogger {
  const child = logger.child({ component: name });
  const write = (level: LogLevel, msg: unknown[]) => {
    const text = msg.filter((m) => typeof m === 'string').join(' ');
    const objects = msg.filter((m) => typeof m !== 'string').map(withoutCardInputs);
    const error = objects.find((m): m is Error => m instanceof Error);
    const fields = error ? { err: { name: error.name, message: error.message } } : objects.length ? { detail: objects } : {};
    child[level](fields, text || name);
  };
  const self: ILogger = {
    debug: (...m) => write('debug', m),
    info: (...m) => write('info', m),
    warn: (...m) => write('warn', m),
    error: (...m) => write('error', m),
    trace: (...m) => write('trace', m),
    log: (level, ...m) => write(level, m),
    child: (childName) => sdkLogger(logger, `${name}/${childName}`),
  };
  return self;
}

/**
 * The SDK logs whole inbound activities. A card action's data holds what the user typed into the
 * card (a PAT, a password), under keys no redaction list can predict, so only the key names stay.
 */
function withoutCardInputs(m: unknown): unknown {
  const value = (m as { value?: { action?: { data?: unknown } } } | null)?.value;
  const data = value?.action?.data;
  if (!data || typeof data !== 'object') return m;
  return { ...(m as object), value: { ...value, action: { ...value.action, data: { inputs: Object.keys(data) } } } };
}
