import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export const CENSOR = '[redacted]';

/** Keys that hold a credential wherever they appear (compared without case, '-' or '_'). */
const SECRET_KEYS = new Set([
  'authorization', 'proxyauthorization', 'cookie', 'setcookie', 'pat', 'pwd', 'key', 'sig', 'signature',
  'formdigest', 'xrequestdigest', 'assertion', 'clientassertion', 'codeverifier',
]);
/** Key endings that name one: password, clientSecret, accessToken, adoPat, apiKey, connectionString... */
const SECRET_SUFFIXES = /(password|passwd|passphrase|secret|token|apikey|accountkey|privatekey|secretkey|cosmoskey|masterkey|signingkey|connectionstring|credential|credentials)$/;

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEYS.has(k) || SECRET_SUFFIXES.test(k) || /[a-z]Pat$/.test(key);
}

const MAX_DEPTH = 24;

/**
 * A copy of a log record with every value under a secret key censored, at any depth and inside
 * arrays. Pino's own redaction works by fixed paths, which cannot follow the SDK's activities
 * or card data. Only plain objects and arrays are copied; Errors and the like pass to pino's
 * serializers as they are. Flags and numbers under a secret key (hasToken) stay readable.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]' as T;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) && item !== null && typeof item !== 'boolean' && typeof item !== 'number' ? CENSOR : redactSecrets(item, depth + 1);
  }
  return out as T;
}

export interface LoggerOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to inspect output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'planbridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (record) => redactSecrets(record) },
    },
    (options.destination ?? process.stdout) as pino.DestinationStream,
  );
}
