import type { HttpMethod, HttpRouteHandler, IHttpServerAdapter } from '@microsoft/teams.apps';
import type { Server } from 'restify';
import type { Logger } from '../log.js';
import { checkActivityShape } from './activity-guard.js';

/**
 * Hosts the Teams SDK on restify. The SDK keeps JWT validation and dispatch; this class only
 * moves requests and responses across, after a cheap shape check so malformed activities get
 * a 400 that names the problem instead of a 500 from deep inside the SDK.
 */
export class RestifyAdapter implements IHttpServerAdapter {
  constructor(
    private readonly server: Server,
    private readonly logger: Logger,
    private readonly listenHost: string,
  ) {}

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    if (method !== 'POST') throw new Error(`RestifyAdapter only serves POST routes, not ${method}`);
    this.server.post(path, async (req, res) => {
      const problem = checkActivityShape(req.body);
      if (problem) {
        this.logger.warn({ path, problem }, 'rejected malformed activity');
        res.send(400, { error: 'BadActivity', message: problem });
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
      const response = await handler({ body: req.body, headers });
      if (response.body === undefined) res.send(response.status);
      else res.send(response.status, response.body);
    });
  }

  async start(port: number | string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(Number(port), this.listenHost, () => {
        this.server.server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    if (!this.server.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive sockets would hold close() open until they time out.
      this.server.server.closeIdleConnections?.();
    });
  }
}
