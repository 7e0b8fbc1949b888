import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A readiness probe: resolves when the part answers, rejects with why it doesn't. */
export type Probe = () => Promise<void>;

/** Probes any HTTP answer below 500 at `url` (a part may answer 4xx to an unauthenticated GET). */
export function httpProbe(url: string, timeoutMs = 2000): Probe {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    if (response.status >= 500) throw new Error(`${url} answered ${response.status}`);
  };
}

/**
 * Probes a Kafka broker with an ApiVersions v0 request, the first thing every
 * client sends, and checks that it answers without an error code.
 */
export function kafkaProbe(bootstrap: string, timeoutMs = 2000): Probe {
  const [host, port] = bootstrap.split(':');
  return () =>
    new Promise((resolve, reject) => {
      const clientId = Buffer.from('mxflow-health');
      const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length);
      request.writeInt32BE(request.length - 4, 0);
      request.writeInt16BE(18, 4); // ApiVersions
      request.writeInt16BE(0, 6);
      request.writeInt32BE(1, 8); // correlation id
      request.writeInt16BE(clientId.length, 12);
      clientId.copy(request, 14);
      const socket = connect({ host, port: Number(port) });
      let answer = Buffer.alloc(0);
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.setTimeout(timeoutMs, () => fail(new Error(`kafka ${bootstrap} did not answer in ${timeoutMs} ms`)));
      socket.once('error', fail);
      socket.on('data', (chunk) => {
        answer = Buffer.concat([answer, chunk]);
        if (answer.length < 10) return;
        socket.destroy();
        const errorCode = answer.readInt16BE(8);
        if (answer.readInt32BE(4) !== 1 || errorCode !== 0) reject(new Error(`kafka ${bootstrap} answered error ${errorCode}`));
        else resolve();
      });
      socket.write(request);
    });
}

/** An HTTP server answering `GET /health/<name>` with 200 when that part's probe passes, 503 otherwise. */
export interface HealthServer {
  /** Health URL of every part, by name. */
  readonly urls: Readonly<Record<string, string>>;
  /** Runs every probe once; resolves to the names of the failing parts. */
  check(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startHealthServer(probes: Readonly<Record<string, Probe>>, port = 0): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const name = /^\/health\/([\w-]+)$/.exec(request.url ?? '')?.[1];
    const probe = name ? probes[name] : undefined;
    if (!name || !probe || request.method !== 'GET') {
      response.writeHead(404, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ title: 'Not Found', status: 404, detail: `known parts: ${Object.keys(probes).join(', ')}` }));
      return;
    }
    probe().then(
      () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ part: name, status: 'UP' }));
      },
      (error: unknown) => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ part: name, status: 'DOWN', detail: error instanceof Error ? error.message : String(error) }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urls: Object.fromEntries(Object.keys(probes).map((name) => [name, `${base}/health/${name}`])),
    async check() {
      const results = await Promise.allSettled(Object.values(probes).map((probe) => probe()));
      return Object.keys(probes).filter((_, index) => results[index].status === 'rejected');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
