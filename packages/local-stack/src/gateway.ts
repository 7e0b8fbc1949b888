import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
    const target = new URL(route.target);
    // RFC 9110 §8.3: a body without a Content-Type may be taken as application/octet-stream.
    // Saying so explicitly also makes serverless-offline hand the function the exact bytes (base64).
    const hasBody = (incoming.headers['content-length'] ?? '0') !== '0' || incoming.headers['transfer-encoding'] !== undefined;
    const headers = hasBody && !incoming.headers['content-type'] ? { ...incoming.headers, 'content-type': 'application/octet-stream' } : incoming.headers;
    const upstream = httpRequest(
      { hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    upstream.on('error', (error) => {
      if (!response.headersSent) answer(response, 502, 'Bad Gateway', `the service behind ${route.path} did not answer: ${error.message}`);
      else response.destroy(error);
    });
    incoming.pipe(upstream);
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
