import { createVerify, X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One POST a subscriber received. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, string | Record<string, unknown>>;
}

/** A subscriber endpoint on port 0 that records every POST. */
export interface Subscriber {
  url: string;
  received: Received[];
  /** Status codes to answer, in order; 200 once exhausted. */
  statuses: number[];
  /** Milliseconds to wait before answering the next requests, in order. */
  delays: number[];
  /** Called with each POST as it arrives (after it is recorded in `received`). */
  onReceived?: (received: Received) => void;
  close(): Promise<void>;
}

/** Starts an http (or, given a key and certificate, https) subscriber. */
export async function startSubscriber(tls?: { key: string; cert: string }): Promise<Subscriber> {
  const subscriber = { received: [] as Received[], statuses: [] as number[], delays: [] as number[] } as Subscriber;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      let json: Received['json'] = {};
      try {
        json = JSON.parse(body) as Received['json'];
      } catch {
        // raw deliveries are not JSON
      }
      const received = { headers: req.headers, body, json };
      subscriber.received.push(received);
      subscriber.onReceived?.(received);
      const status = subscriber.statuses.shift() ?? 200;
      const delay = subscriber.delays.shift() ?? 0;
      const timer = setTimeout(() => {
        if (!res.destroyed) res.writeHead(status).end();
      }, delay);
      res.once('close', () => clearTimeout(timer));
    });
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  subscriber.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/sns`;
  subscriber.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return subscriber;
}

/** Polls until `find` returns something, or fails after `timeoutMs`. */
export async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Verifies an SNS message the way a subscriber verifies one from AWS:
 * rebuild the string to sign from the documented key list, fetch the
 * certificate from SigningCertURL, and check SHA256withRSA. Written
 * independently of the package's signer so a shared mistake cannot pass.
 */
export async function verifySnsSignature(message: Record<string, unknown>): Promise<boolean> {
  const keys =
    message.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let canonical = '';
  for (const key of keys) {
    if (key === 'Subject' && message.Subject === undefined) continue;
    canonical += `${key}\n${String(message[key])}\n`;
  }
  if (message.SignatureVersion !== '2') return false;
  const pem = await (await fetch(String(message.SigningCertURL))).text();
  const certificate = new X509Certificate(pem);
  // Self-signed: the certificate must verify under its own key and be in date.
  if (!certificate.verify(certificate.publicKey) || new Date(certificate.validTo) < new Date()) return false;
  return createVerify('RSA-SHA256').update(canonical, 'utf8').verify(certificate.publicKey, String(message.Signature), 'base64');
}
