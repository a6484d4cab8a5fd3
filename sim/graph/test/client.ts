import { GRAPH_DEMO_CREDENTIALS, type GraphSimulator } from '../server.js';

/** A thin Graph client for the simulator tests: bearer token, JSON in and out. */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export class TestClient {
  constructor(private readonly sim: GraphSimulator, private readonly token: string = GRAPH_DEMO_CREDENTIALS.bearerToken) {}

  as(token: string): TestClient {
    return new TestClient(this.sim, token);
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const url = path.startsWith('http') ? path : `${this.sim.apiUrl}${path}`;
    const res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('GET', path, undefined, headers);
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('POST', path, body, headers);
  }

  patch(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('PATCH', path, body, headers);
  }

  delete(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('DELETE', path, undefined, headers);
  }
}

export const TAG = 'String {6c3f2a1e-9b4d-4e7f-8a2c-1d5e9f3b7c40} Name PlanBridgeLinkId';

/** A timed PlanBridge-style event body. */
export function taskEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: 'Apollo: Design review',
    body: { contentType: 'HTML', content: '<p>Task 1.2</p>' },
    start: { dateTime: '2026-12-07T09:00:00', timeZone: 'W. Europe Standard Time' },
    end: { dateTime: '2026-12-07T11:00:00', timeZone: 'W. Europe Standard Time' },
    categories: ['PlanBridge'],
    ...overrides,
  };
}

export const attendee = (address: string, name?: string, type = 'required') => ({ emailAddress: { address, ...(name ? { name } : {}) }, type });
