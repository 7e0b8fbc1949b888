import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeliveryError } from './errors';

/** How HTTP/S deliveries are retried. Defaults follow SNS: 3 retries, 20 s apart, 15 s request timeout. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  numRetries: number;
  /** Delay before the first retry. */
  minDelayMs: number;
  /** Upper bound for any delay. */
  maxDelayMs: number;
  /** `exponential` doubles the delay each retry; `linear` adds `minDelayMs`. */
  backoff: 'linear' | 'exponential';
  /** A request that takes longer counts as failed and is retried. */
  timeoutMs: number;
}

/** SNS's default HTTP/S delivery policy. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  numRetries: 3,
  minDelayMs: 20_000,
  maxDelayMs: 20_000,
  backoff: 'exponential',
  timeoutMs: 15_000,
};

/** TLS settings for https subscribers. */
export interface DeliveryTlsOptions {
  /** Extra CA or self-signed certificates (PEM) to trust, for local https subscribers. */
  trustedCertificates?: string[];
  /** Default true: the subscriber's certificate is verified. */
  rejectUnauthorized?: boolean;
}

/** One HTTP POST to a subscriber. */
export interface HttpDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What happened on one attempt, for the `onDelivery` hook. */
export interface AttemptReport {
  attempt: number;
  status?: number;
  error?: Error;
  outcome: 'delivered' | 'rejected' | 'retrying' | 'failed';
}

/** Delay before retry number `retry` (1-based). */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  const raw = policy.backoff === 'exponential' ? policy.minDelayMs * 2 ** (retry - 1) : policy.minDelayMs * retry;
  return Math.min(policy.maxDelayMs, raw);
}

function postOnce(
  delivery: HttpDelivery,
  timeoutMs: number,
  tls: DeliveryTlsOptions,
  signal: AbortSignal,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const url = new URL(delivery.url);
    const body = Buffer.from(delivery.body, 'utf8');
    const options = {
      method: 'POST',
      headers: { ...delivery.headers, 'content-length': String(body.length) },
      // A fresh connection per attempt: no pooled socket outlives stop().
      agent: false as const,
      signal,
    };
    const onResponse = (response: import('node:http').IncomingMessage) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
      response.once('error', reject);
    };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(
            url,
            {
              ...options,
              ca: tls.trustedCertificates?.length ? tls.trustedCertificates : undefined,
              rejectUnauthorized: tls.rejectUnauthorized ?? true,
            },
            onResponse,
          )
        : httpRequest(url, options, onResponse);
    req.setTimeout(timeoutMs, () => req.destroy(new DeliveryError(`no response within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * POSTs to a subscriber, retrying on 5xx, timeouts and connection errors.
 * A 2xx is delivered; any other status below 500 is final (SNS does not
 * retry client errors).
 *
 * @throws DeliveryError once the retries are spent or the status was final
 */
export async function deliverHttp(
  delivery: HttpDelivery,
  policy: RetryPolicy,
  tls: DeliveryTlsOptions,
  signal: AbortSignal,
  report: (attempt: AttemptReport) => void,
): Promise<number> {
  const attempts = policy.numRetries + 1;
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let error: Error | undefined;
    try {
      ({ status } = await postOnce(delivery, policy.timeoutMs, tls, signal));
    } catch (caught) {
      error = caught as Error;
    }
    if (signal.aborted) throw new DeliveryError('delivery cancelled: server stopping', { cause: error });
    if (status !== undefined && status >= 200 && status < 300) {
      report({ attempt, status, outcome: 'delivered' });
      return status;
    }
    if (status !== undefined && status < 500) {
      report({ attempt, status, outcome: 'rejected' });
      throw new DeliveryError(`${delivery.url} answered ${status}; not retried`, { status });
    }
    if (attempt >= attempts) {
      report({ attempt, status, error, outcome: 'failed' });
      throw new DeliveryError(`${delivery.url} failed ${attempts} attempts`, { cause: error, status });
    }
    report({ attempt, status, error, outcome: 'retrying' });
    try {
      await sleep(retryDelay(policy, attempt), undefined, { signal });
    } catch (caught) {
      throw new DeliveryError('delivery cancelled: server stopping', { cause: caught });
    }
  }
}
