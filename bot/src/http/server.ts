import restify, { type Server } from 'restify';
import type { Logger } from '../log.js';
import { readBody } from './body-reader.js';
import { registerHealthRoute, type HealthSource } from './health.js';

/** Teams activities are small; 4 MB leaves room for a huge pasted message to be refused politely in chat.
 *  Counted as bytes arrive: bodies are never decompressed (body-reader.ts). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function createRestifyServer(logger: Logger, health: HealthSource): Server {
  const server = restify.createServer({ name: 'planbridge', handleUncaughtExceptions: false });
  // Our own reader, not restify's: it never decompresses and never lets a stream error escape.
  server.use(readBody({ maxBytes: MAX_BODY_BYTES }));
  registerHealthRoute(server, health);

  // Refusals (bad JSON, too large, compressed, no route) are logged without bodies or headers.
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: RestifyError, callback: () => void) => {
    logger.warn({ method: req.method, url: req.url, status: err.statusCode, error: err.name }, 'request refused');
    // Replace restify's default body so no internal detail escapes.
    err.toJSON = () => ({ error: err.name, message: publicMessage(err) });
    callback();
  });
  return server;
}

type RestifyError = Error & { statusCode?: number; toJSON?: () => unknown };

function publicMessage(err: RestifyError): string {
  if (err.statusCode === 413) return `The request is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`;
  if (err.statusCode === 400) return 'The request body is not valid JSON.';
  if (err.statusCode === 415) return 'Send the body uncompressed (Content-Encoding: identity).';
  if (err.statusCode === 404) return 'No such route.';
  if (err.statusCode === 405) return 'Method not allowed on this route.';
  return 'The request could not be processed.';
}
