import { DATAVERSE_DEMO_CREDENTIALS, type DataverseSimulator } from '../server.js';

/** A thin Web API client for the simulator tests: the headers the notes prescribe, JSON in and out. */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export const LICENSED = DATAVERSE_DEMO_CREDENTIALS.bearerToken;
export const UNLICENSED = DATAVERSE_DEMO_CREDENTIALS.unlicensedBearerToken;

export class TestClient {
  constructor(private readonly sim: DataverseSimulator, private readonly token: string = LICENSED) {}

  as(token: string): TestClient {
    return new TestClient(this.sim, token);
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const url = path.startsWith('http') ? path : `${this.sim.apiUrl}${path}`;
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`, accept: 'application/json', 'odata-maxversion': '4.0', 'odata-version': '4.0',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('GET', path, undefined, headers);
  }

  action(name: string, body: unknown): Promise<Answer> {
    return this.request('POST', name, body);
  }

  async openSet(projectId: string, description = 'test run'): Promise<string> {
    const r = await this.action('msdyn_CreateOperationSetV1', { ProjectId: projectId, Description: description });
    if (r.status !== 200) throw new Error(`CreateOperationSet: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.OperationSetId as string;
  }

  /** Executes and waits until the set leaves Pending; returns its final row. */
  async execute(setId: string): Promise<any> {
    const r = await this.action('msdyn_ExecuteOperationSetV1', { OperationSetId: setId });
    if (r.status !== 200) throw new Error(`Execute: ${r.status} ${JSON.stringify(r.body)}`);
    await this.sim.settle();
    return (await this.get(`msdyn_operationsets(${setId})`, { prefer: 'odata.include-annotations="*"' })).body;
  }

  async task(id: string): Promise<any> {
    return (await this.get(`msdyn_projecttasks(${id})`)).body;
  }
}

export const taskEntity = (fields: Record<string, unknown>): Record<string, unknown> => ({ '@odata.type': 'Microsoft.Dynamics.CRM.msdyn_projecttask', ...fields });
export const bind = (set: string, id: string): string => `/${set}(${id})`;
