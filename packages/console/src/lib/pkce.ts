/**
 * OAuth 2.0 authorization code with PKCE (RFC 7636, S256): the verifier,
 * its challenge, the state, and the URLs and bodies of the round trip.
 */

/** Base64url without padding (RFC 4648 §5). */
export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** A random string of `bytes` random bytes, base64url: 32 bytes give the 43 characters RFC 7636 asks of a verifier at least. */
export function randomToken(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** What the authorization request needs. */
export interface AuthorizeRequest {
  readonly authorizeUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly challenge: string;
  readonly state: string;
}

/** The URL of the authorization endpoint to send the browser to. */
export function authorizeLocation(request: AuthorizeRequest): string {
  const url = new URL(request.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(' '),
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** The form body that exchanges the authorization code for tokens. */
export function codeExchangeBody(input: { code: string; clientId: string; verifier: string; redirectUri: string }): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: input.clientId,
    code: input.code,
    code_verifier: input.verifier,
    redirect_uri: input.redirectUri,
  });
}

/**
 * The query of the page the authorization server sent the browser back to:
 * the code and state, an error, or nothing to do; and the same URL without
 * them, for `history.replaceState`.
 */
export function readCallback(href: string): { code?: string; state?: string; error?: string; cleaned: string } {
  const url = new URL(href);
  const code = url.searchParams.get('code') ?? undefined;
  const state = url.searchParams.get('state') ?? undefined;
  const error = url.searchParams.get('error') ?? undefined;
  const description = url.searchParams.get('error_description') ?? undefined;
  for (const name of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(name);
  return {
    ...(code === undefined ? {} : { code }),
    ...(state === undefined ? {} : { state }),
    ...(error === undefined ? {} : { error: description ? `${error}: ${description}` : error }),
    cleaned: url.toString(),
  };
}
