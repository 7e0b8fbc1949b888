import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors as oidcErrors, type Adapter, type ClientMetadata, type Configuration } from 'oidc-provider';
import { createMemoryAdapterFactory } from './adapter';
import { defaultScopes } from './default-scopes';
import { generateSigningKey, loadOrCreateSigningKey } from './keys';
import { hashClientSecret, verifyClientSecret } from './secrets';
import { ClientAuthMethod, DEFAULT_AUDIENCE, PAYMENT_SCOPES, parseClientSeed, type ClientSeed } from './seed';

/** Paths as Cognito names them, so the same client code works against both. */
const ROUTES = { token: '/oauth2/token', jwks: '/.well-known/jwks.json' } as const;

/** A client whose secret the platform issued at run time (the admin API), as the registry keeps it. */
export interface RegisteredClient {
  readonly clientId: string;
  /** The scopes it may request: its mapping's. */
  readonly scopes: readonly string[];
  /** The secret's stored form (`hashClientSecret` of `@mxflow/local-oauth/secrets`); never the secret. */
  readonly secretHash: string;
}

/**
 * Where clients registered at run time are found: locally, the mapping table
 * the admin API writes. Asked at every token request, so that a client
 * created or rotated a moment ago gets its token at once.
 */
export interface ClientRegistry {
  /** The client with a platform-issued secret, or undefined (no such client, or one without such a secret). */
  find(clientId: string): Promise<RegisteredClient | undefined>;
}

/** Options for {@link startLocalOAuth}. */
export interface LocalOAuthOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). The issuer uses it too. */
  host?: string;
  /** The machine clients; typically read with `loadClientSeed`. */
  clients: ClientSeed[];
  /**
   * Clients registered at run time. A client found here is authenticated by
   * the registry's secret hash and scopes, even when the seed names it too
   * (a rotated seed client's seed secret stops working); one not found here
   * falls back to the seed.
   */
  registry?: ClientRegistry;
  /** Resource indicator and `aud` of access tokens (default `https://api.mxflow.local`). */
  audience?: string;
  /** Scopes the resource server grants (default payments/write, payments/read, payments/admin). */
  scopes?: readonly string[];
  /** JSON file holding the private signing JWK; created when missing. Omitted: a new key each start. */
  keyFile?: string;
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtlSec?: number;
}

/** A running local authorization server. */
export interface LocalOAuth {
  /** `http://<host>:<port>`; the `iss` of every token. */
  issuer: string;
  /** Token endpoint (client_credentials). */
  tokenUrl: string;
  /** JWKS with the public signing key. */
  jwksUri: string;
  /** `aud` of every token. */
  audience: string;
  port: number;
  /** Closes the server and every open connection. Idempotent. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts an OAuth 2.0 authorization server (oidc-provider) that issues RS256
 * `at+jwt` access tokens by the client_credentials grant.
 *
 * A token request must carry `resource=<audience>`; one that names no scope
 * gets every scope of the client, as Cognito does; requested scopes the
 * resource server does not know are dropped silently, and a token with none
 * left has no `scope` claim. The API therefore checks scopes itself (see
 * `createTokenVerifier`).
 *
 * @throws ClientSeedError when `clients` is malformed
 * @throws SigningKeyError when `keyFile` exists but is unusable
 */
export async function startLocalOAuth(options: LocalOAuthOptions): Promise<LocalOAuth> {
  const scopes = options.scopes ?? PAYMENT_SCOPES;
  const clients = parseClientSeed(options.clients, scopes);
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  const host = options.host ?? '127.0.0.1';
  const accessTokenTTL = options.accessTokenTtlSec ?? 3600;
  const key = options.keyFile ? await loadOrCreateSigningKey(options.keyFile) : await generateSigningKey();

  // The issuer contains the port, so the socket is bound before the provider exists.
  const server = createServer();
  const port = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const issuer = `http://${urlHost}:${port}`;

  // Every secret is held as its hash, the seed's too, so every client is checked one way.
  const seeded = new Map(clients.map((client) => [client.clientId, { ...client, secretHash: hashClientSecret(client.clientSecret) }] as const));
  const metadataOf = (clientId: string, scopesOf: readonly string[], secretHash: string, authMethod: ClientAuthMethod): ClientMetadata => ({
    client_id: clientId,
    client_secret: secretHash,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: authMethod,
    // A mapping may name a scope this resource server does not know; it is not the client's to ask for.
    scope: scopesOf.filter((scope) => scopes.includes(scope)).join(' '),
  });
  const findClient = async (clientId: string): Promise<ClientMetadata | undefined> => {
    const registered = await options.registry?.find(clientId);
    if (registered) return metadataOf(clientId, registered.scopes, registered.secretHash, ClientAuthMethod.Basic);
    const seed = seeded.get(clientId);
    return seed && metadataOf(clientId, seed.scopes, seed.secretHash, seed.authMethod ?? ClientAuthMethod.Basic);
  };
  // No static clients: oidc-provider asks the adapter for every client at every request, so nothing is cached across a rotation.
  const memory = createMemoryAdapterFactory();
  const clientAdapter: Adapter = {
    find: findClient,
    upsert: async () => {},
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: async () => {},
    destroy: async () => {},
    revokeByGrantId: async () => {},
  };

  const configuration: Configuration = {
    adapter: (model: string) => (model === 'Client' ? clientAdapter : memory(model)),
    scopes: [...scopes],
    claims: {},
    jwks: { keys: [key] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: ROUTES,
    ttl: { ClientCredentials: accessTokenTTL },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => {
          if (resourceIndicator !== audience) throw new oidcErrors.InvalidTarget();
          return {
            scope: scopes.join(' '),
            audience,
            accessTokenTTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };
  let provider: Provider;
  try {
    provider = new Provider(issuer, configuration);
  } catch (error) {
    // The socket is already bound; a configuration error must not leave it open.
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw error;
  }
  // oidc-provider compares the client_secret metadata with the presented secret; here that metadata is a hash.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual: string) {
    return typeof this.clientSecret === 'string' && verifyClientSecret(actual, this.clientSecret);
  };
  provider.use(defaultScopes(async (clientId) => (await findClient(clientId))?.scope, ROUTES.token));
  server.on('request', provider.callback());

  let stopping: Promise<void> | undefined;
  return {
    issuer,
    tokenUrl: `${issuer}${ROUTES.token}`,
    jwksUri: `${issuer}${ROUTES.jwks}`,
    audience,
    port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
