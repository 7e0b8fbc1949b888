import { ConfigurationError } from './errors';

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

/** One of the allowed values. @throws ConfigurationError naming the variable and the choices. */
export function oneOf<T extends string>(name: string, value: string, allowed: Readonly<Record<string, T>>): T {
  const values = Object.values(allowed);
  if (!values.includes(value as T)) throw new ConfigurationError(`environment variable ${name} must be one of ${values.join(', ')}`);
  return value as T;
}

/** A positive integer variable, or `fallback` when unset. @throws ConfigurationError naming it when not a positive integer. */
export function positiveIntEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigurationError(`environment variable ${name} must be a positive integer`);
  return value;
}

/** How tokens are issued: RFC 9068 access tokens with an audience (local OAuth), or Cognito access tokens. */
export const TokenFlavour = {
  rfc9068: 'rfc9068',
  cognito: 'cognito',
} as const;
/** One of {@link TokenFlavour}. */
export type TokenFlavour = (typeof TokenFlavour)[keyof typeof TokenFlavour];

/** How a producer authenticates to Kafka. */
export const KafkaAuth = {
  /** Plain TCP, no SASL: the local broker. */
  none: 'none',
  /** TLS and SASL/OAUTHBEARER with the function's IAM role: Amazon MSK. */
  iam: 'iam',
} as const;
/** One of {@link KafkaAuth}. */
export type KafkaAuth = (typeof KafkaAuth)[keyof typeof KafkaAuth];

/** Where the AWS APIs are: the region, and local endpoints (absent in AWS). */
export interface AwsConfig {
  readonly region: string;
  readonly dynamoDbEndpoint?: string;
  readonly s3Endpoint?: string;
  readonly snsEndpoint?: string;
}

/** The region functions run in: `AWS_REGION`, which Lambda sets. */
const regionOf = (env: NodeJS.ProcessEnv): string => optionalEnv('AWS_REGION', env) ?? 'us-east-1';

/** Reads `AWS_REGION` and the local endpoint overrides. */
export function readAwsConfig(env: NodeJS.ProcessEnv = process.env): AwsConfig {
  const dynamoDbEndpoint = optionalEnv('DYNAMODB_ENDPOINT', env);
  const s3Endpoint = optionalEnv('S3_ENDPOINT', env);
  const snsEndpoint = optionalEnv('SNS_ENDPOINT', env);
  return {
    region: regionOf(env),
    ...(dynamoDbEndpoint ? { dynamoDbEndpoint } : {}),
    ...(s3Endpoint ? { s3Endpoint } : {}),
    ...(snsEndpoint ? { snsEndpoint } : {}),
  };
}

/** How to reach Kafka. */
export interface KafkaConfig {
  readonly kafkaBrokers: readonly string[];
  readonly kafkaAuth: KafkaAuth;
  readonly region: string;
}

/** Reads `KAFKA_BROKERS` (comma-separated) and `KAFKA_AUTH`. */
export function readKafkaConfig(env: NodeJS.ProcessEnv = process.env): KafkaConfig {
  return {
    kafkaBrokers: requireEnv('KAFKA_BROKERS', env).split(',').map((broker) => broker.trim()).filter(Boolean),
    kafkaAuth: oneOf('KAFKA_AUTH', optionalEnv('KAFKA_AUTH', env) ?? KafkaAuth.none, KafkaAuth),
    region: regionOf(env),
  };
}

/** How access tokens are checked. */
export interface AuthConfig {
  readonly authIssuer: string;
  readonly authJwksUri: string;
  /** Absent for Cognito, whose access tokens carry no `aud`. */
  readonly authAudience?: string;
  readonly tokenFlavour: TokenFlavour;
}

/** Reads `AUTH_ISSUER`, `AUTH_JWKS_URI`, `AUTH_AUDIENCE` and `AUTH_TOKEN_FLAVOUR`. */
export function readAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const issuer = requireEnv('AUTH_ISSUER', env);
  const audience = optionalEnv('AUTH_AUDIENCE', env);
  return {
    authIssuer: issuer,
    // Cognito and the local server both publish their keys here, relative to the issuer.
    authJwksUri: optionalEnv('AUTH_JWKS_URI', env) ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
    ...(audience ? { authAudience: audience } : {}),
    tokenFlavour: oneOf('AUTH_TOKEN_FLAVOUR', optionalEnv('AUTH_TOKEN_FLAVOUR', env) ?? TokenFlavour.rfc9068, TokenFlavour),
  };
}

/**
 * Reads required variables into a typed record:
 * `requireEnvs({ transactionTable: 'TRANSACTION_TABLE' })` → `{ transactionTable: '…' }`.
 *
 * @throws ConfigurationError naming the first variable that is missing
 */
export function requireEnvs<K extends string>(names: Readonly<Record<K, string>>, env: NodeJS.ProcessEnv = process.env): Record<K, string> {
  return Object.fromEntries(Object.entries<string>(names).map(([key, variable]) => [key, requireEnv(variable, env)])) as Record<K, string>;
}

/** What a Kafka consumer step reads: AWS, Kafka, and the tables every consumer uses. */
export interface ConsumerConfig extends AwsConfig, KafkaConfig {
  readonly transactionTable: string;
  readonly deadLetterTable: string;
}

/** Reads a {@link ConsumerConfig}. */
export function readConsumerConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  return {
    ...readAwsConfig(env),
    ...readKafkaConfig(env),
    ...requireEnvs({ transactionTable: 'TRANSACTION_TABLE', deadLetterTable: 'DEADLETTER_TABLE' }, env),
  };
}
