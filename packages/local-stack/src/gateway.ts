import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUtf8 } from 'node:buffer';

/** One route of an HTTP API: `GET /v1/transactions/{id}` and the service base URL that serves it. */
export interface GatewayRoute {
  readonly method: string;
  /** Path template with `{name}` parameters, as in serverless.yml. */
  readonly path: string;
  readonly target: string;
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

function answer(response: ServerResponse, status: number, title: string, detail: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ type: `urn:mxflow:problem:${status === 404 ? 'no-route' : 'bad-gateway'}`, title, status, detail }));
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

function forward(target: string, incoming: IncomingMessage, body: Buffer, response: ServerResponse, path: string): void {
  const url = new URL(target);
  const headers = { ...forwardedHeaders(incoming.headers, body), 'content-length': String(body.byteLength) };
  delete headers['transfer-encoding'];
  const upstream = httpRequest({ hostname: url.hostname, port: url.port, method: incoming.method, path: incoming.url, headers }, (reply) => {
    response.writeHead(reply.statusCode ?? 502, reply.headers);
    reply.pipe(response);
  });
  upstream.on('error', (error) => {
    if (!response.headersSent) answer(response, 502, 'Bad Gateway', `the service behind ${path} did not answer: ${error.message}`);
    else response.destroy(error);
  });
  upstream.end(body);
}

/**
 * Starts the local counterpart of the platform's one API Gateway HTTP API:
 * each request goes to the service whose serverless.yml declares its route.
 * Listens on `port`; when that port is taken and `fallback` is set, on a free
 * one instead (the caller says so).
 */
export async function startGateway(routes: readonly GatewayRoute[], port: number, fallback = true): Promise<LocalGateway & { fellBack: boolean }> {
  // Literal segments win over parameters, as in API Gateway.
  const table = routes
    .map((route) => ({ ...route, method: route.method.toUpperCase(), regex: matcher(route.path), literal: route.path.replace(/\{[^}]+\}/g, '').length }))
    .sort((a, b) => b.literal - a.literal);
  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://gateway');
    const candidates = table.filter((route) => route.regex.test(url.pathname));
    const route = candidates.find((candidate) => candidate.method === incoming.method || candidate.method === '*');
    if (!route) {
      answer(response, candidates.length ? 405 : 404, candidates.length ? 'Method Not Allowed' : 'Not Found', `no route for ${incoming.method} ${url.pathname}`);
      return;
    }
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(route.target, incoming, Buffer.concat(chunks), response, route.path));
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
