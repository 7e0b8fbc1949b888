import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/** How a remote key set fetches and keeps its keys. */
export interface RemoteKeySetOptions {
  /** A fetch that takes longer fails with `JWKSTimeout` (default 5,000 ms). */
  readonly timeoutMs?: number;
  /** Keys older than this are fetched again before use (default 10 minutes). */
  readonly cacheMaxAgeMs?: number;
  /** A token whose `kid` is not in the set fetches the keys again, at most once per this period (default 30 s). */
  readonly cooldownMs?: number;
}

/** The keys of an issuer's JWKS endpoint, for `jwtVerify`. */
export interface RemoteKeySet {
  /** The key for a token's protected header, fetching the set when it is missing, stale or lacks the `kid`. */
  readonly getKey: JWTVerifyGetKey;
  /**
   * Starts fetching the keys now, so that the first token finds them: at a
   * Lambda's initialisation, while the rest of the module loads. A failure
   * is not reported here; the first `getKey` fetches again and reports it.
   */
  warm(): void;
}

/** The body of a GET of `url`, read over node:http(s). Errors as jose's own remote key set raises them. */
function fetchKeySet(url: URL, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', headers: { accept: 'application/json, application/jwk-set+json' }, timeout: timeoutMs },
      (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new joseErrors.JOSEError('Expected 200 OK from the JSON Web Key Set HTTP response'));
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (cause) {
            reject(new joseErrors.JOSEError('Failed to parse the JSON Web Key Set HTTP response as JSON', { cause }));
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new joseErrors.JWKSTimeout()));
    request.on('error', reject);
    request.end();
  });
}

/**
 * The key set of a JWKS endpoint, fetched with node:http(s) rather than
 * `fetch`: jose's `createRemoteJWKSet` uses the global `fetch` and `Headers`,
 * which load Node's bundled HTTP client on first use, tens of milliseconds
 * of every cold start. The keys and their checks are jose's
 * (`createLocalJWKSet`); only the fetching and caching live here, with
 * jose's defaults and errors.
 */
export function remoteKeySet(url: URL, options: RemoteKeySetOptions = {}): RemoteKeySet {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  let local: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;

  const reload = (): Promise<void> => {
    pending ??= fetchKeySet(url, timeoutMs)
      .then((body) => {
        // createLocalJWKSet refuses anything that is not a JWK Set (JWKSInvalid).
        local = createLocalJWKSet(body as JSONWebKeySet);
        fetchedAt = Date.now();
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
  const fresh = (period: number) => Date.now() < fetchedAt + period;

  return {
    async getKey(protectedHeader, token) {
      if (!local || !fresh(cacheMaxAgeMs)) await reload();
      try {
        return await (local as JWTVerifyGetKey)(protectedHeader, token);
      } catch (error) {
        // A key the set does not have: the issuer may have rotated its keys since the last fetch.
        if (!(error instanceof joseErrors.JWKSNoMatchingKey) || fresh(cooldownMs)) throw error;
        await reload();
        return (local as JWTVerifyGetKey)(protectedHeader, token);
      }
    },
    warm() {
      reload().catch(() => undefined);
    },
  };
}
