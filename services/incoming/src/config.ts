import { ConfigurationError } from './domain/errors';

/** The value of a required environment variable. @throws ConfigurationError naming it when unset or empty. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

/** The value of an optional environment variable, `undefined` when unset or empty. */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** How tokens are issued: RFC 9068 access tokens with an audience (local OAuth), or Cognito access tokens. */
export const TokenFlavour = {
  rfc9068: 'rfc9068',
  cognito: 'cognito',
} as const;
/** One of {@link TokenFlavour}. */
export type TokenFlavour = (typeof TokenFlavour)[keyof typeof TokenFlavour];

/** How the producer authenticates to Kafka. */
export const KafkaAuth = {
  /** Plain TCP, no SASL: the local broker. */
  none: 'none',
  /** TLS and SASL/OAUTHBEARER with the function's IAM role: Amazon MSK. */
  iam: 'iam',
} as const;
/** One of {@link KafkaAuth}. */
export type KafkaAuth = (typeof KafkaAuth)[keyof typeof KafkaAuth];

/** Everything the submit function reads from its environment. */
export interface IncomingConfig {
  readonly region: string;
  readonly mappingTable: string;
  readonly transactionTable: string;
  readonly archiveBucket: string;
  readonly authIssuer: string;
  readonly authJwksUri: string;
  /** Absent for Cognito, whose access tokens carry no `aud`. */
  readonly authAudience?: string;
  readonly tokenFlavour: TokenFlavour;
  readonly kafkaBrokers: readonly string[];
  readonly kafkaAuth: KafkaAuth;
  /** Local endpoints; absent in AWS. */
  readonly dynamoDbEndpoint?: string;
  readonly s3Endpoint?: string;
  /** Largest accepted message in bytes. */
  readonly maxMessageBytes: number;
}

function oneOf<T extends string>(name: string, value: string, allowed: Readonly<Record<string, T>>): T {
  const values = Object.values(allowed);
  if (!values.includes(value as T)) throw new ConfigurationError(`environment variable ${name} must be one of ${values.join(', ')}`);
  return value as T;
}

/** Reads the configuration. Call once, at module scope. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): IncomingConfig {
  const issuer = requireEnv('AUTH_ISSUER', env);
  const maxBytes = Number(optionalEnv('MAX_MESSAGE_BYTES', env) ?? 1024 * 1024);
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) throw new ConfigurationError('environment variable MAX_MESSAGE_BYTES must be a positive integer');
  const audience = optionalEnv('AUTH_AUDIENCE', env);
  const dynamoDbEndpoint = optionalEnv('DYNAMODB_ENDPOINT', env);
  const s3Endpoint = optionalEnv('S3_ENDPOINT', env);
  return {
    region: optionalEnv('AWS_REGION', env) ?? 'us-east-1',
    mappingTable: requireEnv('MAPPING_TABLE', env),
    transactionTable: requireEnv('TRANSACTION_TABLE', env),
    archiveBucket: requireEnv('ARCHIVE_BUCKET', env),
    authIssuer: issuer,
    // Cognito and the local server both publish their keys here, relative to the issuer.
    authJwksUri: optionalEnv('AUTH_JWKS_URI', env) ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    ...(audience ? { authAudience: audience } : {}),
    tokenFlavour: oneOf('AUTH_TOKEN_FLAVOUR', optionalEnv('AUTH_TOKEN_FLAVOUR', env) ?? TokenFlavour.rfc9068, TokenFlavour),
    kafkaBrokers: requireEnv('KAFKA_BROKERS', env).split(',').map((broker) => broker.trim()).filter(Boolean),
    kafkaAuth: oneOf('KAFKA_AUTH', optionalEnv('KAFKA_AUTH', env) ?? KafkaAuth.none, KafkaAuth),
    ...(dynamoDbEndpoint ? { dynamoDbEndpoint } : {}),
    ...(s3Endpoint ? { s3Endpoint } : {}),
    maxMessageBytes: maxBytes,
  };
}
