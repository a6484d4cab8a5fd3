import restify, { type Server } from 'restify';
import type { Logger } from '../log.js';
import { registerHealthRoute, type HealthSource } from './health.js';

/** Teams activities are small; 4 MB leaves room for a huge pasted message to be refused politely in chat. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function createRestifyServer(logger: Logger, health: HealthSource): Server {
  const server = restify.createServer({ name: 'planbridge', handleUncaughtExceptions: false });
  // jsonBodyParser passes its options on to bodyReader, which enforces maxBodySize (the typings lag).
  server.use(restify.plugins.jsonBodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false } as restify.plugins.JsonBodyParserOptions));
  registerHealthRoute(server, health);

  // restify answers parse errors and oversize bodies itself; log them without bodies or headers.
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
  if (err.statusCode === 404) return 'No such route.';
  if (err.statusCode === 405) return 'Method not allowed on this route.';
  return 'The request could not be processed.';
}
