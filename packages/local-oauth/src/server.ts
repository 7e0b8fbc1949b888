import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors as oidcErrors, type ClientMetadata, type Configuration } from 'oidc-provider';
import { createMemoryAdapterFactory } from './adapter';
import { defaultScopes } from './default-scopes';
import { generateSigningKey, loadOrCreateSigningKey } from './keys';
import { ClientAuthMethod, DEFAULT_AUDIENCE, PAYMENT_SCOPES, parseClientSeed, type ClientSeed } from './seed';

/** Paths as Cognito names them, so the same client code works against both. */
const ROUTES = { token: '/oauth2/token', jwks: '/.well-known/jwks.json' } as const;

/** Options for {@link startLocalOAuth}. */
export interface LocalOAuthOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). The issuer uses it too. */
  host?: string;
  /** The machine clients; typically read with `loadClientSeed`. */
  clients: ClientSeed[];
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

  const clientMetadata: ClientMetadata[] = clients.map((client) => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: client.authMethod ?? ClientAuthMethod.Basic,
    scope: client.scopes.join(' '),
  }));

  const configuration: Configuration = {
    adapter: createMemoryAdapterFactory(),
    clients: clientMetadata,
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
  provider.use(defaultScopes(clients, ROUTES.token));
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
