import { StringDecoder } from 'node:string_decoder';
import type { Next, Request, RequestHandler, Response } from 'restify';

export interface BodyReaderOptions {
  maxBytes: number;
  /** After a refusal the rest of the body is read and dropped up to this many bytes, so the
   *  client can read the answer; past it the connection is closed. */
  drainBytes?: number;
}

type HttpError = Error & { statusCode: number };

/** restify sends an Error carrying `statusCode` with that status (server.ts shapes the body). */
function httpError(statusCode: number, name: string, message: string): HttpError {
  return Object.assign(new Error(message), { name, statusCode });
}

/**
 * Reads request bodies for every route, replacing restify's bodyReader, which inflates gzip
 * with no error listener (one bad byte killed the process) and counts the limit on compressed
 * bytes (a 261 kB bomb became 256 MB). Here nothing is ever decompressed (any Content-Encoding
 * but identity gets 415), the limit counts the bytes that arrive, and no stream event can
 * escape as an exception. JSON bodies are parsed; others stay text for the route to refuse.
 */
export function readBody(options: BodyReaderOptions): RequestHandler {
  const drainBytes = options.drainBytes ?? options.maxBytes * 4;
  return (req: Request, res: Response, next: Next) => {
    let refusal = refusalFromHeaders(req, options.maxBytes);
    // RFC 7694: a 415 for an encoding names the encodings that are accepted.
    if (refusal?.statusCode === 415) res.setHeader('accept-encoding', 'identity');
    // Decoded as it arrives: the body exists once, as a string, never also as one big Buffer.
    const decoder = new StringDecoder('utf8');
    let text = '';
    let received = 0;
    let done = false;
    const finish = (outcome?: HttpError | false) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      // Whatever arrives after the answer is dropped, never buffered.
      req.on('data', ignore);
      if (outcome === undefined) next();
      else next(outcome);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (!refusal && received > options.maxBytes) {
        refusal = httpError(413, 'PayloadTooLargeError', `Request body larger than ${options.maxBytes} bytes.`);
        text = '';
      }
      if (!refusal) text += decoder.write(chunk);
      else if (received > drainBytes) {
        res.setHeader('connection', 'close');
        finish(refusal);
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      if (refusal) return finish(refusal);
      const parsed = parseBody(req, text + decoder.end());
      if ('error' in parsed) return finish(parsed.error);
      req.body = parsed.body;
      finish();
    });
    // A broken or abandoned upload ends this request quietly; the socket is already gone.
    req.once('error', () => finish(false));
    req.once('close', () => finish(false));
  };
}

function refusalFromHeaders(req: Request, maxBytes: number): HttpError | undefined {
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return httpError(415, 'UnsupportedMediaTypeError', 'Compressed request bodies are not accepted.');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    return httpError(413, 'PayloadTooLargeError', `Request body larger than ${maxBytes} bytes.`);
  }
  return undefined;
}

/** JSON media types are parsed; other bodies stay text so the route can say what it expected. */
function parseBody(req: Request, text: string): { body: unknown } | { error: HttpError } {
  if (text.length === 0) return { body: undefined };
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) return { body: text };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { error: httpError(400, 'InvalidContentError', 'The request body is not valid JSON.') };
  }
}

function ignore(): void {}
