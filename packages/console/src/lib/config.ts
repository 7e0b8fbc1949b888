/** `config.json`: where the API is and how to sign in, fetched beside the page so that one build serves every stage. */
import { ConfigError } from './errors';

/** Sign-in with a client id and secret (the local platform's OAuth server). */
export interface ClientCredentialsAuth {
  readonly mode: 'client-credentials';
  readonly tokenUrl: string;
  readonly audience: string;
}

/** A client a person may sign in as through the hosted UI. */
export interface PkceClient {
  readonly label: string;
  readonly clientId: string;
}

/** Sign-in through a hosted UI (Cognito) with the authorization code and PKCE. */
export interface PkceAuth {
  readonly mode: 'pkce';
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly logoutUrl?: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly clients: readonly PkceClient[];
}

/** The console's runtime configuration. */
export interface ConsoleConfig {
  /** Base URL of the HTTP API; empty for the page's own origin. */
  readonly apiUrl: string;
  readonly auth: ClientCredentialsAuth | PkceAuth;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(from: Record<string, unknown>, field: string, at: string, optional = false): string {
  const value = from[field];
  if (value === undefined && optional) return '';
  if (typeof value !== 'string') throw new ConfigError(`${at}.${field} must be a string`);
  return value;
}

/**
 * Reads a parsed `config.json`.
 *
 * @throws ConfigError naming the first field that is missing or of the wrong kind
 */
export function parseConfig(value: unknown): ConsoleConfig {
  if (!isObject(value)) throw new ConfigError('config.json must hold a JSON object');
  const apiUrl = text(value, 'apiUrl', 'config', true).replace(/\/+$/, '');
  const auth = value.auth;
  if (!isObject(auth)) throw new ConfigError('config.auth must be an object');
  if (auth.mode === 'client-credentials') {
    return { apiUrl, auth: { mode: 'client-credentials', tokenUrl: text(auth, 'tokenUrl', 'config.auth'), audience: text(auth, 'audience', 'config.auth') } };
  }
  if (auth.mode === 'pkce') {
    const scopes = auth.scopes;
    if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) throw new ConfigError('config.auth.scopes must be a list of strings');
    const clients = auth.clients;
    if (!Array.isArray(clients) || clients.length === 0) throw new ConfigError('config.auth.clients must list at least one client');
    const logoutUrl = text(auth, 'logoutUrl', 'config.auth', true);
    return {
      apiUrl,
      auth: {
        mode: 'pkce',
        authorizeUrl: text(auth, 'authorizeUrl', 'config.auth'),
        tokenUrl: text(auth, 'tokenUrl', 'config.auth'),
        ...(logoutUrl ? { logoutUrl } : {}),
        redirectUri: text(auth, 'redirectUri', 'config.auth'),
        scopes: [...scopes],
        clients: clients.map((client, index) => {
          if (!isObject(client)) throw new ConfigError(`config.auth.clients[${index}] must be an object`);
          return { label: text(client, 'label', `config.auth.clients[${index}]`), clientId: text(client, 'clientId', `config.auth.clients[${index}]`) };
        }),
      },
    };
  }
  throw new ConfigError(`config.auth.mode must be 'client-credentials' or 'pkce', not ${JSON.stringify(auth.mode)}`);
}
