import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardedHeaders, MAX_BODY_BYTES, startGateway, type LocalGateway } from '../src/gateway';

/** A port nothing listens on: one the system gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Checks an answer is problem details of `status` and `type` with a title and a detail, and returns them. */
async function expectProblem(response: Response, status: number, type: string): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toEqual({ type: `urn:mxflow:problem:${type}`, title: expect.any(String), status, detail: expect.any(String) });
  expect(problem.title).not.toBe('');
  expect(problem.detail).not.toBe('');
  return problem;
}

/** POSTs `chunks` as a chunked body (no Content-Length) over node:http; the status, content type and body of the answer. */
function postChunked(url: string, chunks: readonly Buffer[]): Promise<{ status?: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers: { 'content-type': 'application/xml' } }, (reply) => {
      const parts: Buffer[] = [];
      reply.on('data', (part: Buffer) => parts.push(part));
      reply.on('end', () => resolve({ status: reply.statusCode, type: reply.headers['content-type'], body: Buffer.concat(parts).toString('utf8') }));
    });
    outgoing.on('error', reject);
    for (const chunk of chunks) outgoing.write(chunk);
    outgoing.end();
  });
}

describe('forwardedHeaders', () => {
  const utf8 = Buffer.from('<Document>Müller</Document>', 'utf8');
  const latin1 = Buffer.from('<Document>Müller</Document>', 'latin1');

  it.each([
    ['keeps a text type whose body is valid UTF-8', { 'content-type': 'application/xml' }, utf8, 'application/xml'],
    ['marks a text body that is not UTF-8 as bytes', { 'content-type': 'application/xml' }, latin1, 'application/octet-stream'],
    ['marks a body without a type as bytes', {}, utf8, 'application/octet-stream'],
    ['keeps an octet-stream body', { 'content-type': 'application/octet-stream' }, latin1, 'application/octet-stream'],
  ])('%s', (_what, headers: IncomingHttpHeaders, body, expected) => {
    expect(forwardedHeaders(headers, body)['content-type']).toBe(expected);
  });

  it('leaves a request without a body alone', () => {
    expect(forwardedHeaders({}, Buffer.alloc(0))).toEqual({});
  });
});

describe('startGateway', () => {
  let upstream: Server;
  let gateway: LocalGateway;
  const seen: { method?: string; url?: string; type?: string; body: Buffer }[] = [];

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, type: request.headers['content-type'], body: Buffer.concat(chunks) });
        response.writeHead(201, { 'x-upstream': 'yes' }).end('done');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startGateway(
      [
        { method: 'GET', path: '/v1/transactions/{id}', target },
        { method: 'GET', path: '/v1/transactions/{id}/messages/{direction}', target },
        { method: 'POST', path: '/v1/messages', target },
      ],
      0,
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('routes by method and path template and relays the answer', async () => {
    const response = await fetch(`${gateway.url}/v1/transactions/abc/messages/outgoing?x=1`);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(await response.text()).toBe('done');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/v1/transactions/abc/messages/outgoing?x=1' });
  });

  it('forwards the exact bytes of a body that is not UTF-8', async () => {
    const body = Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]);
    await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: new Uint8Array(body) });
    expect(seen.at(-1)?.body.equals(body)).toBe(true);
    expect(seen.at(-1)?.type).toBe('application/octet-stream');
  });

  it.each([
    ['DELETE', '/v1/messages', 405, 'method-not-allowed'],
    ['GET', '/v1/unknown', 404, 'no-route'],
    ['POST', '/v1/transactions/abc', 405, 'method-not-allowed'],
  ])('answers %s %s with %i problem+json of type %s', async (method, path, status, type) => {
    const problem = await expectProblem(await fetch(`${gateway.url}${path}`, { method }), status, type);
    expect(problem.detail).toBe(`no route for ${method} ${path}`);
  });

  it('names the methods the path has when it refuses another', async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'PUT', body: 'x' });
    expect(response.headers.get('allow')).toBe('POST');
    await expectProblem(response, 405, 'method-not-allowed');
  });

  it('refuses a 50 MB body itself with 413 problem+json, forwarding nothing', async () => {
    const before = seen.length;
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(50 * 1024 * 1024) });
    const problem = await expectProblem(response, 413, 'content-too-large');
    expect(problem.detail).toBe(`a request body may have at most ${MAX_BODY_BYTES} bytes; this one has ${50 * 1024 * 1024}`);
    expect(seen.length).toBe(before);
  });

  it('forwards a body of exactly the limit', async () => {
    const body = new Uint8Array(MAX_BODY_BYTES).fill(0x20);
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
    expect(response.status).toBe(201);
    await response.body?.cancel();
    expect(seen.at(-1)?.body.byteLength).toBe(MAX_BODY_BYTES);
  });
});

describe('startGateway refusing on its own', () => {
  let upstream: Server;
  let gateway: LocalGateway;
  const seen: Buffer[] = [];

  beforeAll(async () => {
    upstream = createServer((incoming, response) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        seen.push(Buffer.concat(chunks));
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startGateway(
      [
        { method: 'POST', path: '/v1/messages', target },
        { method: 'GET', path: '/v1/transactions/{id}', target: `http://127.0.0.1:${await closedPort()}` },
      ],
      0,
      true,
      { maxBodyBytes: 1024 },
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('refuses a chunked body once it passes the limit, though no Content-Length announced it', async () => {
    const before = seen.length;
    const answer = await postChunked(`${gateway.url}/v1/messages`, [Buffer.alloc(600, 0x20), Buffer.alloc(600, 0x20)]);
    expect(answer.status).toBe(413);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toEqual({
      type: 'urn:mxflow:problem:content-too-large',
      title: 'Content Too Large',
      status: 413,
      detail: 'a request body may have at most 1024 bytes; this one went past that before it ended',
    });
    expect(seen.length).toBe(before);
  });

  it('forwards a chunked body within the limit', async () => {
    const answer = await postChunked(`${gateway.url}/v1/messages`, [Buffer.alloc(512, 0x20), Buffer.alloc(512, 0x20)]);
    expect(answer.status).toBe(202);
    expect(seen.at(-1)?.byteLength).toBe(1024);
  });

  it('answers for a service that is down with 502 problem+json', async () => {
    const problem = await expectProblem(await fetch(`${gateway.url}/v1/transactions/abc`), 502, 'bad-gateway');
    expect(problem.detail).toMatch(/^the service behind \/v1\/transactions\/\{id\} did not answer: connect ECONNREFUSED/);
  });

  it('serves the next request after refusing one', async () => {
    await expectProblem(await fetch(`${gateway.url}/v1/messages`, { method: 'POST', body: 'x'.repeat(2048) }), 413, 'content-too-large');
    expect((await fetch(`${gateway.url}/v1/messages`, { method: 'POST', body: 'x' })).status).toBe(202);
  });
});

describe('startGateway with the console', () => {
  let upstream: Server;
  let gateway: LocalGateway;
  let site: string;
  const seen: { method?: string; url?: string; body: string; origin?: string }[] = [];

  beforeAll(async () => {
    const { mkdtemp, mkdir, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    site = await mkdtemp(path.join(tmpdir(), 'console-'));
    await mkdir(path.join(site, 'assets'));
    await writeFile(path.join(site, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(path.join(site, 'assets', 'app-1a2b.js'), 'export {};');
    upstream = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, body: Buffer.concat(chunks).toString('utf8'), origin: request.headers.origin });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t"}');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const oauth = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    gateway = await startGateway([], 0, true, { console: { dir: site, config: { apiUrl: '', auth: { mode: 'client-credentials' } } }, oauth });
  });

  afterAll(async () => {
    await gateway.stop();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    const { rm } = await import('node:fs/promises');
    await rm(site, { recursive: true, force: true });
  });

  it('serves the page, never cached, and its hashed assets, cached for good', async () => {
    const page = await fetch(`${gateway.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<title>console</title>');
    const asset = await fetch(`${gateway.url}/console/assets/app-1a2b.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('redirects the bare path to the folder', async () => {
    const response = await fetch(`${gateway.url}/console`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/console/');
  });

  it('answers config.json with the configuration it was given', async () => {
    const response = await fetch(`${gateway.url}/console/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ apiUrl: '', auth: { mode: 'client-credentials' } });
  });

  it.each(['/console/missing.js', '/console/..%2F..%2Fetc%2Fpasswd', '/console/assets/../../secret', '/console/%E0%A4%A'])('answers %s with a 404 problem', async (pathname) => {
    await expectProblem(await fetch(`${gateway.url}${pathname}`), 404, 'no-route');
  });

  it('refuses to write to the console with a 405 problem', async () => {
    const response = await fetch(`${gateway.url}/console/index.html`, { method: 'PUT', body: 'x' });
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    await expectProblem(response, 405, 'method-not-allowed');
  });

  it('forwards a token request to the OAuth server, as from its own origin', async () => {
    const response = await fetch(`${gateway.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: gateway.url },
      body: 'grant_type=client_credentials',
    });
    expect(await response.json()).toEqual({ access_token: 't' });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/oauth2/token', body: 'grant_type=client_credentials', origin: undefined });
  });
});
