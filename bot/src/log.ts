import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * Every key that may carry a credential, at any depth we log. Pino redacts by path,
 * so nested shapes we know about are listed explicitly as well as wildcards.
 */
export const REDACTED_PATHS = [
  'authorization', 'Authorization', 'token', 'accessToken', 'refreshToken', 'idToken',
  'pat', 'password', 'secret', 'clientSecret', 'key', 'cosmosKey', 'secretKey', 'formDigest',
  '*.authorization', '*.Authorization', '*.token', '*.accessToken', '*.refreshToken', '*.idToken',
  '*.pat', '*.password', '*.secret', '*.clientSecret', '*.key', '*.cosmosKey', '*.secretKey',
  'headers.authorization', 'req.headers.authorization', 'req.headers.cookie', 'headers.cookie',
  '*.headers.authorization', '*.headers["x-requestdigest"]',
];

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
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    (options.destination ?? process.stdout) as pino.DestinationStream,
  );
}
