import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** One route of an HTTP API: `GET /v1/transactions/{id}` and the service base URL that serves it. */
export interface GatewayRoute {
  readonly method: string;
  /** Path template with `{name}` parameters, as in serverless.yml. */
  readonly path: string;
  readonly target: string;
  /**
   * Forward without the browser's `Origin`: the gateway's own token route,
   * whose caller is a page of the gateway's origin (the OAuth server would
   * refuse a browser origin that no client of its registered).
   */
  readonly sameOrigin?: boolean;
}

/**
 * The operations console the gateway serves under {@link CONSOLE_PATH}: a
 * built static site, and the runtime configuration it reads as `config.json`.
 */
export interface GatewayConsole {
  /** The folder of the built site (its `index.html` and `assets/`). */
  readonly dir: string;
  /** What `config.json` answers: where the API is, and how to sign in. */
  readonly config: unknown;
}

/** Options of {@link startGateway} beyond its routes. */
export interface GatewayOptions {
  /** The console to serve under `/console/`. */
  readonly console?: GatewayConsole;
  /**
   * The OAuth server's base URL: `POST /oauth2/token` is forwarded to it, so
   * that the console signs in on its own origin (Cognito's hosted UI in AWS).
   */
  readonly oauth?: string;
  /** The largest request body forwarded, in bytes; a larger one is refused with 413. Default {@link MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
}

/**
 * The largest request body the gateway forwards: API Gateway's HTTP API
 * payload quota (10 MB), which is also what serverless-offline behind it
 * takes. The gateway refuses a larger one itself, as problem details, before
 * any function sees it.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Where the gateway serves the console. */
export const CONSOLE_PATH = '/console/';

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Answers a request under `/console/` from the built site: `index.html` for
 * the folder itself, the configuration for `config.json`, a file otherwise.
 * Hashed assets may be cached for good; the page and its configuration not.
 */
async function serveConsole(site: GatewayConsole, pathname: string, method: string, response: ServerResponse): Promise<void> {
  if (method !== 'GET' && method !== 'HEAD') {
    answer(response, 405, `the console is read with GET, not ${method}`, { allow: 'GET, HEAD' });
    return;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(CONSOLE_PATH.length)) || 'index.html';
  } catch {
    answer(response, 404, `no console file ${pathname}`);
    return;
  }
  if (relative === 'config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(method === 'HEAD' ? undefined : JSON.stringify(site.config));
    return;
  }
  const root = path.resolve(site.dir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`)) {
    answer(response, 404, `no console file ${relative}`);
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    answer(response, 404, `no console file ${relative}`);
    return;
  }
  response.writeHead(200, {
    'content-type': MEDIA_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-length': String(body.byteLength),
  });
  response.end(method === 'HEAD' ? undefined : body);
}

/** The single HTTP API of the local platform, in front of every service. */
export interface LocalGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function matcher(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

/** The refusals the gateway makes itself, each with the problem type and title it answers with (the services' `urn:mxflow:problem:` types). */
const REFUSALS = {
  404: { type: 'no-route', title: 'Not Found' },
  405: { type: 'method-not-allowed', title: 'Method Not Allowed' },
  413: { type: 'content-too-large', title: 'Content Too Large' },
  500: { type: 'gateway-error', title: 'Internal Server Error' },
  502: { type: 'bad-gateway', title: 'Bad Gateway' },
} as const;

/** Answers a refusal of the gateway's own as RFC 9457 problem details, like every answer of the platform's services. */
function answer(response: ServerResponse, status: keyof typeof REFUSALS, detail: string, headers: Record<string, string> = {}): void {
  const { type, title } = REFUSALS[status];
  response.writeHead(status, { ...headers, 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: `urn:mxflow:problem:${type}`, title, status, detail }));
}

/** Media types serverless-offline hands a function as base64, byte for byte; it decodes every other body as UTF-8 text. */
const BYTES_MEDIA_TYPE = 'application/octet-stream';

/**
 * The headers to forward a body with, so that the function gets its exact
 * bytes. A body without a Content-Type is marked `application/octet-stream`
 * (RFC 9110 §8.3 lets a recipient assume it). A body declared as text that is
 * not valid UTF-8 would lose bytes in serverless-offline's text decoding, so it
 * goes as `application/octet-stream` too, and the function sees what was sent.
 */
export function forwardedHeaders(headers: IncomingMessage['headers'], body: Buffer): IncomingMessage['headers'] {
  if (body.byteLength === 0) return headers;
  const type = headers['content-type'];
  if (!type || (!type.toLowerCase().startsWith(BYTES_MEDIA_TYPE) && !isUtf8(body))) return { ...headers, 'content-type': BYTES_MEDIA_TYPE };
  return headers;
}

function forward(route: GatewayRoute, incoming: IncomingMessage, body: Buffer, response: ServerResponse): void {
  const { target, path } = route;
  const url = new URL(target);
  const headers = { ...forwardedHeaders(incoming.headers, body), 'content-length': String(body.byteLength) };
  delete headers['transfer-encoding'];
  if (route.sameOrigin) delete headers.origin;
  const upstream = httpRequest({ hostname: url.hostname, port: url.port, method: incoming.method, path: incoming.url, headers }, (reply) => {
    response.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(response);
  });
  upstream.on('error', (error) => {
    if (!response.headersSent) answer(response, 502, `the service behind ${path} did not answer: ${error.message}`);
    else response.destroy(error);
  });
  upstream.end(body);
}

/**
 * Reads a request body of at most `limit` bytes and hands it to `then`. A
 * larger one (by its Content-Length, or once a chunked body passes the limit)
 * is answered with 413 at once and never forwarded; the rest of it is read and
 * dropped, so that the client, still sending, gets the answer rather than a
 * reset connection.
 */
function receive(incoming: IncomingMessage, response: ServerResponse, limit: number, then: (body: Buffer) => void): void {
  const tooLarge = (size: string): void => answer(response, 413, `a request body may have at most ${limit} bytes; this one ${size}`);
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    tooLarge(`has ${declared}`);
    incoming.resume();
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let refused = false;
  incoming.on('data', (chunk: Buffer) => {
    if (refused) return;
    received += chunk.byteLength;
    if (received > limit) {
      refused = true;
      chunks.length = 0;
      tooLarge('went past that before it ended');
      return;
    }
    chunks.push(chunk);
  });
  incoming.on('end', () => {
    if (!refused) then(Buffer.concat(chunks));
  });
}

/**
 * Starts the local counterpart of the platform's one API Gateway HTTP API:
 * each request goes to the service whose serverless.yml declares its route.
 * What it refuses itself (no route, a method the route lacks, a body over
 * {@link GatewayOptions.maxBodyBytes}, a service that does not answer) it
 * answers as `application/problem+json` with type, title, status and detail.
 * Listens on `port`; when that port is taken and `fallback` is set, on a free
 * one instead (the caller says so).
 */
export async function startGateway(
  routes: readonly GatewayRoute[],
  port: number,
  fallback = true,
  options: GatewayOptions = {},
): Promise<LocalGateway & { fellBack: boolean }> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const all = [...routes, ...(options.oauth ? [{ method: 'POST', path: '/oauth2/token', target: options.oauth, sameOrigin: true }] : [])];
  // Literal segments win over parameters, as in API Gateway.
  const table = all
    .map((route) => ({ ...route, method: route.method.toUpperCase(), regex: matcher(route.path), literal: route.path.replace(/\{[^}]+\}/g, '').length }))
    .sort((a, b) => b.literal - a.literal);
  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://gateway');
    if (options.console && (url.pathname === CONSOLE_PATH.slice(0, -1) || url.pathname.startsWith(CONSOLE_PATH))) {
      if (url.pathname === CONSOLE_PATH.slice(0, -1)) {
        response.writeHead(308, { location: CONSOLE_PATH });
        response.end();
        return;
      }
      void serveConsole(options.console, url.pathname, incoming.method ?? 'GET', response).catch((error: Error) => {
        if (!response.headersSent) answer(response, 500, error.message);
      });
      return;
    }
    const candidates = table.filter((route) => route.regex.test(url.pathname));
    const route = candidates.find((candidate) => candidate.method === incoming.method || candidate.method === '*');
    if (!route) {
      const detail = `no route for ${incoming.method} ${url.pathname}`;
      if (candidates.length) answer(response, 405, detail, { allow: [...new Set(candidates.map((candidate) => candidate.method))].join(', ') });
      else answer(response, 404, detail);
      return;
    }
    receive(incoming, response, maxBodyBytes, (body) => forward(route, incoming, body, response));
  });
  server.keepAliveTimeout = 5_000;
  const listen = (wanted: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(wanted, '127.0.0.1', () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      });
    });
  let fellBack = false;
  let bound: number;
  try {
    bound = await listen(port);
  } catch (error) {
    if (!fallback || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    fellBack = true;
    bound = await listen(0);
  }
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    fellBack,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
