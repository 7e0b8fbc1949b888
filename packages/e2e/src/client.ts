import { setTimeout as sleep } from 'node:timers/promises';

/** An HTTP answer, parsed as JSON when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
  readonly bytes: Buffer;
}

/** Sends a request to the platform's API. */
export async function call(url: string, init: RequestInit & { token?: string } = {}): Promise<Answer> {
  const { token, headers, ...rest } = init;
  const response = await fetch(url, { ...rest, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string>) } });
  const bytes = Buffer.from(await response.arrayBuffer());
  let body: Record<string, unknown> = {};
  if (/json/.test(response.headers.get('content-type') ?? '')) body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, body, bytes };
}

/** `POST /v1/messages` with an XML body. */
export function submit(api: string, token: string | undefined, xml: string | Buffer, contentType = 'application/xml'): Promise<Answer> {
  return call(`${api}/v1/messages`, {
    method: 'POST',
    ...(token ? { token } : {}),
    headers: { 'content-type': contentType },
    body: typeof xml === 'string' ? xml : new Uint8Array(xml),
  });
}

const FINAL = new Set(['ACSC', 'RJCT', 'CANC', 'RTND', 'PART', 'ANSW']);

/** Polls `GET /v1/transactions/{id}` until the transaction is final and its responses are out, or fails after `timeoutMs`. */
export async function waitForFinal(
  api: string,
  token: string,
  transactionId: string,
  options: { timeoutMs?: number; outgoing?: number } = {},
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: Answer | undefined;
  for (;;) {
    last = await call(`${api}/v1/transactions/${transactionId}`, { token });
    if (last.status === 200 && FINAL.has(String(last.body.status))) {
      const steps = (last.body.steps as { step: string }[] | undefined) ?? [];
      const sent = steps.filter((step) => step.step.startsWith('outgoing#')).length;
      if (sent >= (options.outgoing ?? 0)) return last.body;
    }
    if (Date.now() > deadline) throw new Error(`transaction ${transactionId} is not final: ${last.status} ${JSON.stringify(last.body)}`);
    await sleep(50);
  }
}
