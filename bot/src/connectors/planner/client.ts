import { ODataTransport, type ODataConnectionOptions } from '../../net/odata-transport.js';
import { RequestGate } from '../../net/request-gate.js';
import { DataverseHttpError, explainDataverseFailure } from './errors.js';
import { DATAVERSE_RETRY, DEFAULT_MAX_IN_FLIGHT, MAX_PAGE_SIZE } from './limits.js';

/**
 * The Dataverse Web API on the shared transport (net/odata-transport.ts): the environment's origin
 * only, a delegated bearer token per request, the OData headers the notes prescribe, requests in
 * flight capped by a gate that every Retry-After pauses (the limits are per user, so one 429
 * speaks for all requests), Dataverse's retry limits, failures as PlanConnectorErrors, and paging
 * by `Prefer: odata.maxpagesize` and `@odata.nextLink` followed unchanged ("Reading" in the notes).
 */
export type Row = Record<string, unknown>;

export interface DataverseClientOptions extends ODataConnectionOptions {
  /** Environment URL, e.g. https://contoso.crm4.dynamics.com */
  environmentUrl: string;
  /** A delegated access token for the environment (scope `{environment}/user_impersonation`). */
  getAccessToken: () => Promise<string>;
  /** Names the signed-in account in messages (never a secret), e.g. "pm@contoso.com". */
  account?: string;
  maxInFlight?: number;
  /** Rows per page asked with `Prefer: odata.maxpagesize` (default and most: 5,000). */
  pageSize?: number;
}

const API_PATH = '/api/data/v9.2/';
const ODATA_HEADERS = { 'OData-MaxVersion': '4.0', 'OData-Version': '4.0' };
export const FORMATTED = 'OData.Community.Display.V1.FormattedValue';

/** The environment URL without a trailing slash or a pasted Web API path. */
export function environmentOrigin(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/api\/data(\/v[\d.]+)?$/i, '');
}

const preferHeader = (value: string | undefined): Record<string, string> => (value ? { Prefer: value } : {});

export class DataverseClient {
  readonly environmentUrl: string;
  readonly apiUrl: string;
  readonly account: string;
  readonly gate: RequestGate;
  private readonly transport: ODataTransport<DataverseHttpError>;
  private readonly pageSize: number;

  constructor(options: DataverseClientOptions) {
    this.environmentUrl = environmentOrigin(options.environmentUrl);
    this.apiUrl = `${this.environmentUrl}${API_PATH}`;
    this.account = options.account ?? 'the signed-in account';
    this.pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? MAX_PAGE_SIZE));
    this.gate = new RequestGate({ maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, sleep: options.sleep });
    this.transport = new ODataTransport({
      what: 'Dataverse', tag: 'dataverse', baseUrl: this.apiUrl, headers: ODATA_HEADERS, limits: DATAVERSE_RETRY, gate: this.gate,
      readError: DataverseHttpError.from, explain: (failure) => explainDataverseFailure(failure, this.account, this.environmentUrl),
    }, options);
  }

  /** HTTP requests sent, retries included (benchmarks and tests). */
  get requestCount(): number {
    return this.transport.requestCount;
  }

  close(): void {
    this.transport.close();
  }

  /** GET one row or function result. */
  async get(path: string, params: Record<string, string> = {}, prefer?: string): Promise<Row> {
    return (await this.transport.send({ method: 'GET', path, query: params, headers: preferHeader(prefer) })).body as Row;
  }

  /** GET a collection, following every `@odata.nextLink` with the same page size. */
  async getAll(path: string, params: Record<string, string> = {}, prefer?: string): Promise<Row[]> {
    const paging = [`odata.maxpagesize=${this.pageSize}`, ...(prefer ? [prefer] : [])].join(',');
    return (await this.transport.all({ method: 'GET', path, query: params, headers: preferHeader(paging) })) as Row[];
  }

  /** POST to an unbound action (`{base}/{name}`), e.g. msdyn_PssCreateV1. Never resent after a network error. */
  async action(name: string, parameters: Row): Promise<Row> {
    return (await this.transport.send({ method: 'POST', path: name, body: parameters })).body as Row;
  }
}
