/**
 * The HTTP API as the console calls it: every request with the bearer token,
 * every error answer read as problem details, a 401 handed to `onUnauthorized`.
 */
import { ProblemError, type Problem } from './errors';

/** Options of {@link Api}. */
export interface ApiOptions {
  /** Base URL of the API, without a trailing slash. */
  readonly baseUrl: string;
  readonly token: string;
  /** Called on a 401: the token is gone or expired. */
  readonly onUnauthorized: () => void;
  readonly fetcher?: typeof fetch;
}

/** A raw answer, for the bytes of an archived message. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: ArrayBuffer;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body === 'object' && body !== null) return { ...body, status: typeof body.status === 'number' ? body.status : response.status };
  } catch {
    // Not JSON: the status speaks for itself.
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}`, ...(text ? { detail: text.slice(0, 300) } : {}) };
}

/** A client of the payment API for one signed-in session. */
export class Api {
  private readonly options: ApiOptions;

  constructor(options: ApiOptions) {
    this.options = options;
  }

  /** The absolute URL of an API path (`/v1/…`). */
  url(path: string): string {
    return `${this.options.baseUrl}${path}`;
  }

  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    const fetcher = this.options.fetcher ?? fetch;
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.options.token}`);
    const response = await fetcher(this.url(path), { ...init, headers, cache: 'no-store' });
    if (response.status === 401) this.options.onUnauthorized();
    if (!response.ok) throw new ProblemError(await problemOf(response));
    return response;
  }

  /** GET a JSON resource. @throws ProblemError for any error status */
  async get<T>(path: string, accept = 'application/json'): Promise<T> {
    const response = await this.send(path, { headers: { accept } });
    return (await response.json()) as T;
  }

  /** A JSON request with a JSON answer (or `undefined` for 204). @throws ProblemError for any error status */
  async json<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await this.send(path, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** POST an XML message. @throws ProblemError for any error status */
  async postXml<T>(path: string, xml: string | Blob): Promise<T> {
    const response = await this.send(path, { method: 'POST', headers: { 'content-type': 'application/xml', accept: 'application/json' }, body: xml });
    return (await response.json()) as T;
  }

  /** The exact bytes of a resource with its headers; never decoded. @throws ProblemError for any error status */
  async bytes(path: string, accept = 'application/xml'): Promise<RawAnswer> {
    const response = await this.send(path, { headers: { accept } });
    return { status: response.status, headers: response.headers, bytes: await response.arrayBuffer() };
  }
}
