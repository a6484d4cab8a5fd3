import type { IncomingMessage, ServerResponse } from 'node:http';

/** Plumbing every simulator's HTTP handler needs, kept apart from what each service answers. */

/** The whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A request header as one string (repeated headers joined with commas, as HTTP allows). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * What a proxy or captive sign-in page in front of a service answers instead of it: 200 with HTML.
 * The simulators send it for their scripted 'proxy-page' fault; the request never reaches the service.
 */
export function sendProxySignInPage(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end('<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue to the network.</body></html>');
}
