import { readFile } from 'node:fs/promises';
import { ClientSeedError } from './errors';

/** The scopes the payment API understands. */
export const PAYMENT_SCOPES = ['payments/write', 'payments/read', 'payments/admin'] as const;

/** The audience (resource indicator) of the payment API. */
export const DEFAULT_AUDIENCE = 'https://api.mxflow.local';

/** How a client authenticates at the token endpoint (Cognito accepts both). */
export const ClientAuthMethod = {
  Basic: 'client_secret_basic',
  Post: 'client_secret_post',
} as const;
/** One of {@link ClientAuthMethod}. */
export type ClientAuthMethod = (typeof ClientAuthMethod)[keyof typeof ClientAuthMethod];

/** One machine client allowed to use the client_credentials grant. */
export interface ClientSeed {
  clientId: string;
  clientSecret: string;
  /** The scopes this client may request; a request for another known scope fails with invalid_scope. */
  scopes: string[];
  /** Default `client_secret_basic`. */
  authMethod?: ClientAuthMethod;
}

/**
 * Checks that `value` is an array of {@link ClientSeed} whose scopes are all in `knownScopes`.
 *
 * @throws ClientSeedError naming the first offending entry
 */
export function parseClientSeed(value: unknown, knownScopes: readonly string[] = PAYMENT_SCOPES): ClientSeed[] {
  if (!Array.isArray(value)) throw new ClientSeedError('client seed must be a JSON array');
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const at = `client seed entry ${index}`;
    if (typeof entry !== 'object' || entry === null) throw new ClientSeedError(`${at} is not an object`);
    const { clientId, clientSecret, scopes, authMethod } = entry as Record<string, unknown>;
    if (typeof clientId !== 'string' || clientId === '') throw new ClientSeedError(`${at} needs a clientId`);
    if (seen.has(clientId)) throw new ClientSeedError(`${at} repeats clientId ${clientId}`);
    seen.add(clientId);
    // A very short secret is almost always a seed typo; refuse it before a client is registered with it.
    if (typeof clientSecret !== 'string' || clientSecret.length < 8) {
      throw new ClientSeedError(`${at} (${clientId}) needs a clientSecret of at least 8 characters`);
    }
    if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) {
      throw new ClientSeedError(`${at} (${clientId}) needs scopes as an array of strings`);
    }
    const unknown = scopes.filter((scope) => !knownScopes.includes(scope));
    if (unknown.length > 0) throw new ClientSeedError(`${at} (${clientId}) has unknown scopes: ${unknown.join(', ')}`);
    const methods: unknown[] = Object.values(ClientAuthMethod);
    if (authMethod !== undefined && !methods.includes(authMethod)) {
      throw new ClientSeedError(`${at} (${clientId}) has authMethod ${String(authMethod)}; use ${methods.join(' or ')}`);
    }
    return { clientId, clientSecret, scopes: [...scopes], authMethod: authMethod as ClientAuthMethod | undefined };
  });
}

/** Reads a JSON client seed file (an array of {@link ClientSeed}). */
export async function loadClientSeed(path: string, knownScopes: readonly string[] = PAYMENT_SCOPES): Promise<ClientSeed[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ClientSeedError(`cannot read client seed ${path}`, { cause: error });
  }
  try {
    return parseClientSeed(JSON.parse(text), knownScopes);
  } catch (error) {
    if (error instanceof ClientSeedError) throw error;
    throw new ClientSeedError(`client seed ${path} is not valid JSON`, { cause: error });
  }
}
