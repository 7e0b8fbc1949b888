import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardedHeaders, startGateway, type LocalGateway } from '../src/gateway';

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
    ['DELETE', '/v1/messages', 405],
    ['GET', '/v1/unknown', 404],
  ])('answers %s %s with %i problem+json', async (method, path, status) => {
    const response = await fetch(`${gateway.url}${path}`, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    await response.body?.cancel();
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

  it.each(['/console/missing.js', '/console/..%2F..%2Fetc%2Fpasswd', '/console/assets/../../secret'])('answers %s with a 404 problem', async (pathname) => {
    const response = await fetch(`${gateway.url}${pathname}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses to write to the console', async () => {
    expect((await fetch(`${gateway.url}/console/index.html`, { method: 'PUT', body: 'x' })).status).toBe(405);
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
