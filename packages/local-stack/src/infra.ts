import path from 'node:path';
import { InfraDefinitionError } from './errors';
import { evaluate, mergeBodies, parseTerraformDir, single, type HclBody, type Scope } from './hcl';

/** A DynamoDB table as the platform module defines it. */
export interface TableDefinition {
  readonly module: string;
  readonly name: string;
  readonly hashKey: string;
  readonly rangeKey?: string;
  readonly attributes: readonly { readonly name: string; readonly type: 'S' | 'N' | 'B' }[];
  readonly globalSecondaryIndexes: readonly {
    readonly name: string;
    readonly hashKey: string;
    readonly rangeKey?: string;
    readonly projectionType: string;
  }[];
  readonly ttlAttribute?: string;
}

/** An IAM policy document in its JSON form. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/** The write-once archive bucket: Object Lock default retention and its bucket policy. */
export interface BucketDefinition {
  readonly module: string;
  readonly name: string;
  readonly objectLock: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly days: number };
  readonly policy: PolicyDocument;
}

export interface KafkaTopicDefinition {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface NotificationTopicDefinition {
  readonly module: string;
  readonly name: string;
}

/** The OAuth resource server: its identifier and full scope names (`payments/write`). */
export interface OAuthDefinition {
  readonly module: string;
  readonly resourceServer: string;
  readonly scopes: readonly string[];
}

/** Everything the local cloud provisions, read from `infra/platform`. */
export interface Infrastructure {
  readonly tables: readonly TableDefinition[];
  readonly buckets: readonly BucketDefinition[];
  readonly kafkaTopics: readonly KafkaTopicDefinition[];
  readonly notificationTopics: readonly NotificationTopicDefinition[];
  readonly oauth: readonly OAuthDefinition[];
  /** Resource types of the platform module that exist only in AWS (SSM parameters). */
  readonly awsOnlyResources: readonly string[];
  /** Module calls of the platform that exist only in AWS (keys, network, MSK, API Gateway, alarms). */
  readonly awsOnlyModules: readonly string[];
}

export interface ReadInfrastructureOptions {
  /** The repository's `infra/` directory. */
  readonly infraDir: string;
  /** Replaces `var.name_prefix`, so local names differ from every AWS stage. */
  readonly namePrefix?: string;
  readonly stage?: string;
}

/** Resource types the platform may declare that have no local counterpart, and why that's fine. */
const awsOnlyResourceTypes = new Set([
  // Services get the same values from their offline stage params.
  'aws_ssm_parameter',
  // Client mappings of the AWS participants; the local cloud seeds its demo
  // participants (clients and mappings) from seed/participants.json.
  'aws_dynamodb_table_item',
  // The console's config.json in its AWS bucket: on one machine the platform
  // serves the console itself, pointed at the local API and OAuth server.
  'aws_s3_object',
]);

/** Modules the platform may call that have no local counterpart, and why that's fine. */
const awsOnlyModuleKinds = new Set([
  // Encryption at rest: the local stores keep their data on the developer's disk.
  'kms-key',
  // S3 server access logs: the local S3 serves one developer.
  'log-bucket',
  // One machine has no VPC: every local endpoint listens on the loopback.
  'network',
  // The project's own broker plays the cluster; the topics come from kafka-topics.
  'msk-serverless',
  // serverless-offline (behind the local gateway) plays the HTTP API; the
  // private REST API is the same routes, reachable only from a VPC.
  'http-api',
  'private-api',
  // No CloudWatch here: the health endpoints and the logs say what is wrong.
  'alarms',
  // The console's S3 bucket and CloudFront distribution: locally the
  // platform serves the built console itself.
  'static-site',
]);

/**
 * The arguments each local counterpart reads. The others only matter in AWS
 * (KMS keys, log buckets, subscriptions, app clients), so they may refer to
 * other modules and are checked for a declared variable, not evaluated.
 */
const localArguments: Readonly<Record<string, ReadonlySet<string>>> = {
  'dynamodb-table': new Set(['name', 'hash_key', 'range_key', 'attributes', 'global_secondary_indexes', 'ttl_attribute']),
  'archive-bucket': new Set(['bucket', 'retention_mode', 'retention_days']),
  'kafka-topics': new Set(['topics', 'replication_factor']),
  'notification-topic': new Set(['name']),
  'api-auth': new Set(['resource_server_identifier', 'scopes']),
};

interface ModuleInputs {
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly body: HclBody;
  readonly dir: string;
}

/**
 * Reads the platform's Terraform definitions and returns what the local cloud
 * must provision. Anything it cannot provision faithfully is an error, so the
 * two worlds cannot drift apart silently.
 */
export async function readInfrastructure(options: ReadInfrastructureOptions): Promise<Infrastructure> {
  const platformDir = path.join(options.infraDir, 'platform');
  const platform = mergeBodies(await parseTerraformDir(platformDir));
  const scope: Record<string, unknown> = variableDefaults(platform, platformDir);
  scope['var.name_prefix'] = options.namePrefix ?? 'mxflow-local';
  scope['var.stage'] = options.stage ?? 'local';

  const result = {
    tables: [] as TableDefinition[],
    buckets: [] as BucketDefinition[],
    kafkaTopics: [] as KafkaTopicDefinition[],
    notificationTopics: [] as NotificationTopicDefinition[],
    oauth: [] as OAuthDefinition[],
    awsOnlyResources: [] as string[],
    awsOnlyModules: [] as string[],
  };

  for (const [type, byName] of Object.entries(platform.resource ?? {})) {
    if (!awsOnlyResourceTypes.has(type)) {
      throw new InfraDefinitionError(
        `infra/platform declares ${type}.${Object.keys(byName).join(', ')}, which the local cloud does not provision`,
      );
    }
    result.awsOnlyResources.push(type);
  }
  if (platform.data) throw new InfraDefinitionError('infra/platform declares data sources, which the local cloud cannot read');

  for (const [name, blocks] of Object.entries(platform.module ?? {})) {
    const block = single(blocks, `module.${name}`);
    if (typeof block.source === 'string' && awsOnlyModuleKinds.has(path.basename(block.source))) {
      result.awsOnlyModules.push(name);
      continue;
    }
    const module = await readModuleCall(name, block, scope, platformDir);
    const kind = path.basename(module.dir);
    switch (kind) {
      case 'dynamodb-table':
        result.tables.push(tableFrom(module));
        break;
      case 'archive-bucket':
        result.buckets.push(bucketFrom(module));
        break;
      case 'kafka-topics':
        result.kafkaTopics.push(...kafkaTopicsFrom(module));
        break;
      case 'notification-topic':
        result.notificationTopics.push({ module: name, name: String(module.inputs.name) });
        break;
      case 'api-auth':
        result.oauth.push(oauthFrom(module));
        break;
      default:
        throw new InfraDefinitionError(`module.${name} uses ../modules/${kind}, which the local cloud does not provision`);
    }
  }
  return result;
}

function variableDefaults(body: HclBody, where: string): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  for (const [name, blocks] of Object.entries(body.variable ?? {})) {
    const block = single(blocks, `${where}: variable ${name}`);
    if ('default' in block) scope[`var.${name}`] = block.default;
  }
  return scope;
}

async function readModuleCall(name: string, block: Record<string, unknown>, scope: Scope, fromDir: string): Promise<ModuleInputs> {
  const source = block.source;
  if (typeof source !== 'string' || !source.startsWith('.')) {
    throw new InfraDefinitionError(`module.${name}: only local module sources can be provisioned locally`);
  }
  const dir = path.resolve(fromDir, source);
  const body = mergeBodies(await parseTerraformDir(dir));
  const declared = body.variable ?? {};
  const used = localArguments[path.basename(dir)];
  const inputs: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const [variable, blocks] of Object.entries(declared)) {
    const definition = single(blocks, `${dir}: variable ${variable}`);
    if ('default' in definition) {
      inputs[variable] = definition.default;
      given.add(variable);
    }
  }
  for (const [argument, value] of Object.entries(block)) {
    if (argument === 'source' || argument === 'depends_on' || argument === 'providers') continue;
    if (!(argument in declared)) throw new InfraDefinitionError(`module.${name}: ${source} has no variable ${argument}`);
    given.add(argument);
    if (!used || used.has(argument)) inputs[argument] = evaluate(value, scope, `module.${name}.${argument}`);
  }
  for (const variable of Object.keys(declared)) {
    if (!given.has(variable)) throw new InfraDefinitionError(`module.${name}: required variable ${variable} is not set`);
  }
  return { name, inputs, body, dir };
}

function mainResource(module: ModuleInputs, type: string): void {
  if (!module.body.resource?.[type]?.this) {
    throw new InfraDefinitionError(`${module.dir}: expected resource ${type}.this`);
  }
}

function tableFrom(module: ModuleInputs): TableDefinition {
  mainResource(module, 'aws_dynamodb_table');
  const inputs = module.inputs as {
    name: string;
    hash_key: string;
    range_key: string | null;
    attributes: { name: string; type: 'S' | 'N' | 'B' }[];
    global_secondary_indexes: { name: string; hash_key: string; range_key?: string; projection_type?: string }[];
    ttl_attribute: string | null;
  };
  return {
    module: module.name,
    name: inputs.name,
    hashKey: inputs.hash_key,
    ...(inputs.range_key ? { rangeKey: inputs.range_key } : {}),
    attributes: inputs.attributes,
    globalSecondaryIndexes: inputs.global_secondary_indexes.map((index) => ({
      name: index.name,
      hashKey: index.hash_key,
      ...(index.range_key ? { rangeKey: index.range_key } : {}),
      projectionType: index.projection_type ?? 'ALL',
    })),
    ...(inputs.ttl_attribute ? { ttlAttribute: inputs.ttl_attribute } : {}),
  };
}

function bucketFrom(module: ModuleInputs): BucketDefinition {
  mainResource(module, 'aws_s3_bucket');
  const name = String(module.inputs.bucket);
  const document = module.body.data?.aws_iam_policy_document?.this;
  if (!document) throw new InfraDefinitionError(`${module.dir}: expected data.aws_iam_policy_document.this for the bucket policy`);
  const scope = { 'aws_s3_bucket.this.arn': `arn:aws:s3:::${name}`, 'aws_s3_bucket.this.id': name };
  // The local S3 endpoint speaks plain HTTP on the loopback, so the statement
  // that denies requests without TLS (aws:SecureTransport false) is AWS's alone.
  const statements = ((single(document, `${module.dir}: policy document`).statement ?? []) as Record<string, unknown>[]).filter(
    (statement) => !deniesInsecureTransport(statement),
  );
  return {
    module: module.name,
    name,
    objectLock: {
      mode: module.inputs.retention_mode as 'COMPLIANCE' | 'GOVERNANCE',
      days: Number(module.inputs.retention_days),
    },
    policy: {
      Version: '2012-10-17',
      Statement: statements.map((statement, index) => policyStatement(evaluate(statement, scope, `policy statement ${index}`))),
    },
  };
}

function deniesInsecureTransport(statement: Record<string, unknown>): boolean {
  const conditions = (statement.condition ?? []) as { test?: string; variable?: string; values?: string[] }[];
  return (
    statement.effect === 'Deny' &&
    conditions.length === 1 &&
    conditions[0].test === 'Bool' &&
    conditions[0].variable === 'aws:SecureTransport' &&
    conditions[0].values?.length === 1 &&
    conditions[0].values[0] === 'false'
  );
}

/** Turns an `aws_iam_policy_document` statement block into its JSON form. */
function policyStatement(block: unknown): Record<string, unknown> {
  const statement = block as {
    sid?: string;
    effect?: string;
    actions?: string[];
    resources?: string[];
    principals?: { type: string; identifiers: string[] }[];
    condition?: { test: string; variable: string; values: string[] }[];
  };
  const principal = statement.principals?.[0];
  const condition: Record<string, Record<string, string[]>> = {};
  for (const { test, variable, values } of statement.condition ?? []) {
    condition[test] = { ...condition[test], [variable]: values };
  }
  return {
    ...(statement.sid ? { Sid: statement.sid } : {}),
    Effect: statement.effect ?? 'Allow',
    Principal: !principal || principal.type === '*' ? '*' : { [principal.type]: principal.identifiers },
    Action: statement.actions ?? [],
    Resource: statement.resources ?? [],
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

function kafkaTopicsFrom(module: ModuleInputs): KafkaTopicDefinition[] {
  // In AWS the module hands the same map to a function it invokes in the VPC.
  mainResource(module, 'aws_lambda_invocation');
  const topics = module.inputs.topics as Record<string, { partitions: number; config?: Record<string, string> }>;
  return Object.entries(topics).map(([name, topic]) => ({ name, partitions: topic.partitions, config: topic.config ?? {} }));
}

function oauthFrom(module: ModuleInputs): OAuthDefinition {
  mainResource(module, 'aws_cognito_resource_server');
  const identifier = String(module.inputs.resource_server_identifier);
  const scopes = module.inputs.scopes as { name: string }[];
  return { module: module.name, resourceServer: identifier, scopes: scopes.map((scope) => `${identifier}/${scope.name}`) };
}
