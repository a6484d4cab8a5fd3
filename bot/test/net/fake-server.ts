import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Connector } from '../../src/net/guarded-agent.js';

/** A loopback HTTP server that records every request; the handler answers them. */
export interface FakeServer {
  port: number;
  /** http://127.0.0.1:{port} */
  origin: string;
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

export async function startFakeServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<FakeServer> {
  const requests: FakeServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    requests.push(entry);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { entry.body += chunk; });
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port, origin: `http://127.0.0.1:${port}`, requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export function json(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A connector that dials the fake server whatever address was checked, and records that address. */
export function loopbackConnector(server: FakeServer): Connector & { dialed: string[] } {
  const dialed: string[] = [];
  const connect: Connector = (target) => {
    dialed.push(target.address);
    return net.connect(server.port, '127.0.0.1');
  };
  return Object.assign(connect, { dialed });
}
