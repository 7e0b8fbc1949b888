/**
 * Cognito grants a client_credentials request that names no scope every
 * scope the app client may have; oidc-provider grants none. This middleware
 * gives the local server Cognito's behaviour, so that a client that does not
 * know its scopes (the console signing in with an id and a secret) asks once
 * and gets them, instead of trying scope sets until one is not refused.
 */
import type { IncomingMessage } from 'node:http';

/** The request body oidc-provider reads at most; a larger one is left for it to refuse. */
const BODY_LIMIT = 56 * 1024;

/** What the middleware uses of Koa's context. */
interface TokenContext {
  readonly method: string;
  readonly path: string;
  is(type: string): string | false | null;
  req: IncomingMessage;
}

/** The client id of an RFC 6749 §2.3.1 Basic header: form-encoded, then base64. */
export function basicClientId(header: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The form with `scope` set to the client's scopes when it is a
 * client_credentials request that names none; undefined when nothing changes.
 */
export async function withDefaultScopes(body: string, clientId: string | undefined, scopesOf: ScopesOf): Promise<string | undefined> {
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'client_credentials' || form.has('scope')) return undefined;
  const id = clientId ?? form.get('client_id') ?? undefined;
  // A failed lookup leaves the request as it is: oidc-provider looks the client up again and answers server_error as JSON.
  const scopes = id === undefined ? undefined : await scopesOf(id).catch(() => undefined);
  if (!scopes) return undefined;
  form.set('scope', scopes);
  return form.toString();
}

/** The scopes of a client, space-separated, or undefined for an unknown client. */
export type ScopesOf = (clientId: string) => Promise<string | undefined>;

/** The body, and whether it is whole: reading stops past {@link BODY_LIMIT}. */
async function readBody(req: IncomingMessage): Promise<{ bytes: Buffer; whole: boolean }> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    length += (chunk as Buffer).length;
    chunks.push(chunk as Buffer);
    if (length > BODY_LIMIT) return { bytes: Buffer.concat(chunks, length), whole: false };
  }
  return { bytes: Buffer.concat(chunks, length), whole: true };
}

/** The request, its body read again from `bytes`: oidc-provider reads the body from the stream itself. */
function replaying(req: IncomingMessage, bytes: Buffer): IncomingMessage {
  return new Proxy(req, {
    get(target, property) {
      if (property === 'readable') return true;
      if (property === 'readableEncoding') return null;
      if (property === 'iterator') {
        return () =>
          (async function* () {
            yield bytes;
          })();
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Koa middleware for the token endpoint at `tokenPath`: a client_credentials request without `scope` gets the client's scopes. */
export function defaultScopes(scopesOf: ScopesOf, tokenPath: string) {
  return async (ctx: TokenContext, next: () => Promise<unknown>): Promise<void> => {
    if (ctx.method === 'POST' && ctx.path === tokenPath && ctx.is('application/x-www-form-urlencoded') && ctx.req.readable) {
      const body = await readBody(ctx.req);
      // A body over the limit is handed on as read, for oidc-provider to refuse.
      const changed = body.whole ? await withDefaultScopes(body.bytes.toString('utf8'), basicClientId(ctx.req.headers.authorization), scopesOf) : undefined;
      const bytes = changed === undefined ? body.bytes : Buffer.from(changed);
      if (changed !== undefined) ctx.req.headers['content-length'] = String(bytes.length);
      ctx.req = replaying(ctx.req, bytes);
    }
    await next();
  };
}
