/**
 * Signing in: the client_credentials grant of the local OAuth server, and the
 * authorization code with PKCE of a hosted UI. Tokens stay in memory; only
 * the PKCE verifier, state and client id cross the redirect, in sessionStorage.
 */
import type { ClientCredentialsAuth, PkceAuth } from './config';
import { SignInError } from './errors';
import { authorizeLocation, codeChallenge, codeExchangeBody, randomToken, readCallback } from './pkce';

/** Scopes of the payment API. */
export const Scope = { read: 'payments/read', write: 'payments/write', admin: 'payments/admin' } as const;

/** Who is signed in, as far as the console's pages go. */
export const Role = { participant: 'participant', operator: 'operator' } as const;
/** One of {@link Role}. */
export type RoleName = (typeof Role)[keyof typeof Role];

/** A signed-in session: the access token and what it may do. */
export interface Session {
  readonly accessToken: string;
  readonly scopes: readonly string[];
  readonly role: RoleName;
  /** Who signed in: the client id. */
  readonly clientId: string;
  /** Milliseconds since the epoch after which the token is no longer good, when the server said. */
  readonly expiresAt?: number;
}

/** The payment API's role of a set of granted scopes: `payments/admin` makes a platform operator. */
export function roleOf(scopes: readonly string[]): RoleName {
  return scopes.includes(Scope.admin) ? Role.operator : Role.participant;
}

/** The `scope` claim of a JWT access token, read without checking the signature: the API checks, this only picks pages. */
export function scopeClaim(token: string): string[] {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as { scope?: unknown; scp?: unknown };
    const scope = claims.scope ?? claims.scp;
    if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
    if (Array.isArray(scope)) return scope.filter((item): item is string => typeof item === 'string');
  } catch {
    // Not a JWT: no scopes known.
  }
  return [];
}

interface TokenAnswer {
  access_token?: string;
  scope?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

function sessionOf(answer: TokenAnswer, clientId: string, now: number): Session {
  if (!answer.access_token) throw new SignInError('the token endpoint sent no access token');
  const scopes = answer.scope ? answer.scope.split(' ').filter(Boolean) : scopeClaim(answer.access_token);
  return {
    accessToken: answer.access_token,
    scopes,
    role: roleOf(scopes),
    clientId,
    ...(typeof answer.expires_in === 'number' ? { expiresAt: now + answer.expires_in * 1000 } : {}),
  };
}

async function readAnswer(response: Response): Promise<TokenAnswer> {
  try {
    return (await response.json()) as TokenAnswer;
  } catch {
    return {};
  }
}

/**
 * The scope sets asked for, in turn, when the token endpoint grants nothing
 * to a request that names no scope (Cognito and the local OAuth server grant
 * every scope of the client; RFC 6749 leaves it to the server). The widest
 * set first: a scope the client may not have is refused (invalid_scope).
 */
export const SCOPE_REQUESTS: readonly (readonly string[])[] = [
  [Scope.admin, Scope.read, Scope.write],
  [Scope.admin, Scope.read],
  [Scope.read, Scope.write],
  [Scope.read],
];

/** Basic credentials of RFC 6749 §2.3.1: id and secret form-encoded, then base64. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const bytes = new TextEncoder().encode(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** Why the token endpoint refused, in words. */
function refusal(answer: TokenAnswer, status: number): SignInError {
  if (answer.error === 'invalid_client') return new SignInError('The client id or secret is wrong.');
  const reason = answer.error ? `${answer.error}${answer.error_description ? ` (${answer.error_description})` : ''}` : `the token endpoint answered ${status}`;
  return new SignInError(`Sign-in was refused: ${reason}.`);
}

/**
 * Gets a token by the client_credentials grant with the client's own scopes:
 * one request that names none, which the token endpoint answers with all of
 * the client's. A server that grants none that way is asked for the sets of
 * {@link SCOPE_REQUESTS} in turn.
 *
 * @throws SignInError when the id or secret is wrong, or the server refuses every scope set
 */
export async function signInWithSecret(auth: ClientCredentialsAuth, clientId: string, clientSecret: string, base: string, fetcher: typeof fetch = fetch): Promise<Session> {
  const url = new URL(auth.tokenUrl, base).toString();
  const ask = async (scopes?: readonly string[]) => {
    const response = await fetcher(url, {
      method: 'POST',
      // No credentials of the browser's own: a 401 with `WWW-Authenticate: Basic` would open its sign-in dialog, and the request would wait for it.
      credentials: 'omit',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicCredentials(clientId, clientSecret) },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: auth.audience, ...(scopes ? { scope: scopes.join(' ') } : {}) }).toString(),
    });
    return { response, answer: await readAnswer(response) };
  };
  const first = await ask();
  if (!first.response.ok) throw refusal(first.answer, first.response.status);
  const granted = sessionOf(first.answer, clientId, Date.now());
  if (granted.scopes.length > 0) return granted;
  let last = first;
  for (const scopes of SCOPE_REQUESTS) {
    const { response, answer } = await ask(scopes);
    if (response.ok) return sessionOf(answer.scope ? answer : { ...answer, scope: scopes.join(' ') }, clientId, Date.now());
    last = { response, answer };
    if (answer.error !== 'invalid_scope') break;
  }
  throw refusal(last.answer, last.response.status);
}

const PKCE_KEY = 'mxflow.console.pkce';

/** Starts the hosted UI round trip: keeps the verifier, state and client id in sessionStorage, then leaves for the authorization endpoint. */
export async function startPkceSignIn(auth: PkceAuth, clientId: string): Promise<void> {
  const verifier = randomToken(32);
  const state = randomToken(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, clientId }));
  const challenge = await codeChallenge(verifier);
  window.location.assign(authorizeLocation({ authorizeUrl: auth.authorizeUrl, clientId, redirectUri: auth.redirectUri, scopes: auth.scopes, challenge, state }));
}

/**
 * Finishes the round trip when the page was opened with `?code=&state=`:
 * checks the state, exchanges the code, and takes both out of the address bar.
 * Returns `undefined` when the page was not opened by a redirect.
 *
 * @throws SignInError for an error from the server, a state that does not match, or a refused exchange
 */
export async function finishPkceSignIn(auth: PkceAuth, fetcher: typeof fetch = fetch): Promise<Session | undefined> {
  const callback = readCallback(window.location.href);
  if (callback.code === undefined && callback.error === undefined) return undefined;
  window.history.replaceState(null, '', callback.cleaned);
  const stored = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  if (callback.error !== undefined) throw new SignInError(`The sign-in page answered ${callback.error}.`);
  const pending = stored ? (JSON.parse(stored) as { verifier?: string; state?: string; clientId?: string }) : {};
  if (!pending.verifier || !pending.clientId || pending.state !== callback.state) throw new SignInError('This sign-in was not started here, or its state does not match; sign in again.');
  const response = await fetcher(auth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: codeExchangeBody({ code: callback.code ?? '', clientId: pending.clientId, verifier: pending.verifier, redirectUri: auth.redirectUri }).toString(),
  });
  const answer = await readAnswer(response);
  if (!response.ok) throw new SignInError(`The code exchange was refused${answer.error ? `: ${answer.error}` : ''}.`);
  return sessionOf(answer, pending.clientId, Date.now());
}

/** Where to send the browser to end a hosted UI session, or `undefined` when there is no such page. */
export function logoutLocation(auth: PkceAuth, clientId: string): string | undefined {
  if (!auth.logoutUrl) return undefined;
  const url = new URL(auth.logoutUrl);
  if (!url.searchParams.has('client_id')) url.searchParams.set('client_id', clientId);
  if (!url.searchParams.has('logout_uri')) url.searchParams.set('logout_uri', auth.redirectUri);
  return url.toString();
}
