import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { mergeBodies, parseTerraformDir, type HclBody } from '../src/hcl';

// docs/deployer-policy.json is what a deployer needs to apply infra/ and
// deploy the services. These tests derive, from the Terraform and the
// serverless.yml files themselves, which AWS services get resources, and
// check that the policy names each of them, and nothing else.

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const infraDir = path.join(root, 'infra');
const servicesDir = path.join(root, 'services');
const sharedYml = path.join(root, 'packages/runtime/serverless/shared.yml');
const policyFile = path.join(root, 'docs/deployer-policy.json');

/**
 * The IAM service of each Terraform resource or data source type, by the
 * longest matching prefix; null for types computed without calling AWS. A
 * type that no prefix matches fails the test until it is added here (and its
 * service to the policy).
 */
const terraformTypes: readonly (readonly [string, string | null])[] = [
  ['aws_api_gateway_', 'apigateway'],
  ['aws_apigatewayv2_', 'apigateway'],
  ['aws_availability_zones', 'ec2'],
  ['aws_caller_identity', 'sts'],
  ['aws_cloudfront_', 'cloudfront'],
  ['aws_cloudwatch_log_', 'logs'],
  ['aws_cloudwatch_metric_alarm', 'cloudwatch'],
  ['aws_cognito_', 'cognito-idp'],
  ['aws_dynamodb_', 'dynamodb'],
  ['aws_iam_policy_document', null],
  ['aws_iam_', 'iam'],
  ['aws_kms_', 'kms'],
  ['aws_lambda_', 'lambda'],
  ['aws_msk_', 'kafka'],
  ['aws_partition', null],
  ['aws_region', null],
  ['aws_route_table', 'ec2'],
  ['aws_s3_', 's3'],
  ['aws_security_group', 'ec2'],
  ['aws_sns_', 'sns'],
  ['aws_ssm_', 'ssm'],
  ['aws_subnet', 'ec2'],
  ['aws_vpc', 'ec2'],
];

/** The IAM service of each CloudFormation namespace a serverless.yml declares resources in. */
const cloudFormationNamespaces: Readonly<Record<string, string>> = {
  ApiGateway: 'apigateway',
  ApiGatewayV2: 'apigateway',
  CloudWatch: 'cloudwatch',
  DynamoDB: 'dynamodb',
  Events: 'events',
  IAM: 'iam',
  KMS: 'kms',
  Lambda: 'lambda',
  Logs: 'logs',
  S3: 's3',
  SNS: 'sns',
  SQS: 'sqs',
};

/** The IAM services whose resources a function event makes (routes, event source mappings, rules, subscriptions). */
const eventServices: Readonly<Record<string, readonly string[]>> = {
  httpApi: ['apigateway'],
  http: ['apigateway'],
  msk: ['lambda'],
  stream: ['lambda'],
  sqs: ['lambda'],
  schedule: ['events'],
  eventBridge: ['events'],
  sns: ['sns'],
  s3: ['s3'],
};

/** Statements that may name Resource "*", each because the actions take no narrower resource or are limited by a condition. */
const wildcardStatements: Readonly<Record<string, string>> = {
  NoResourceLevelPermissions: 'these actions accept no resource ARN (IAM rejects any other value)',
  StageNetwork: 'VPC, subnet, route table, security group and endpoint ids are random, and MSK Serverless creates endpoints of its own',
  CreateTaggedKeys: 'a key has no ARN before it exists; limited to requests that tag it application = mxflow',
  KafkaEventSources: 'an event source mapping has no ARN before it exists; limited to the mxflow-* functions',
};

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, unknown>;
}

interface PolicyDocument {
  readonly Version: string;
  readonly Statement: Statement[];
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

async function terraformDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const here = entries.some((entry) => entry.isFile() && entry.name.endsWith('.tf')) ? [dir] : [];
  const below = await Promise.all(entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => terraformDirs(path.join(dir, entry.name))));
  return [...here, ...below.flat()];
}

function serviceOfType(type: string): string | null {
  const match = terraformTypes.filter(([prefix]) => type.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
  if (!match) throw new Error(`Terraform type ${type} has no IAM service in terraformTypes: add it, and its actions to docs/deployer-policy.json`);
  return match[1];
}

/** Every AWS service infra/ makes resources in (or reads, for data sources), with what made it count. */
async function terraformServices(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const dir of await terraformDirs(infraDir)) {
    const body: HclBody = mergeBodies(await parseTerraformDir(dir));
    const types = [...Object.keys(body.resource ?? {}), ...Object.keys(body.data ?? {})];
    for (const type of types) {
      const service = serviceOfType(type);
      if (service && !found.has(service)) found.set(service, `${path.relative(root, dir)}: ${type}`);
    }
    // A certificate given by ARN (a custom domain) is read from ACM.
    const certificate = Object.keys(body.variable ?? {}).find((name) => name.endsWith('certificate_arn'));
    if (certificate && !found.has('acm')) found.set('acm', `${path.relative(root, dir)}: variable ${certificate}`);
  }
  return found;
}

interface ServiceYaml {
  service: string;
  functions?: Record<string, { vpc?: unknown; events?: Record<string, unknown>[] }>;
  resources?: { Resources?: Record<string, { Type: string }> };
}

async function serviceFiles(): Promise<string[]> {
  const dirs = await readdir(servicesDir, { withFileTypes: true });
  const files = dirs.filter((entry) => entry.isDirectory()).map((entry) => path.join(servicesDir, entry.name, 'serverless.yml'));
  const present = await Promise.all(files.map((file) => readFile(file, 'utf8').then(() => file, () => undefined)));
  return present.filter((file): file is string => file !== undefined);
}

/** Every AWS service a `serverless deploy` of services/* makes resources in, with what made it count. */
async function serverlessServices(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const add = (service: string, why: string) => {
    if (!found.has(service)) found.set(service, why);
  };
  const shared = await readFile(sharedYml, 'utf8');
  for (const file of await serviceFiles()) {
    const text = await readFile(file, 'utf8');
    const yaml = parseYaml(text) as ServiceYaml;
    const where = path.relative(root, file);
    // Each service is one CloudFormation stack, whose template and code go to the deployment bucket the stack makes.
    add('cloudformation', `${where}: its stack`);
    add('s3', `${where}: its deployment bucket`);
    for (const [name, fn] of Object.entries(yaml.functions ?? {})) {
      add('lambda', `${where}: function ${name}`);
      add('logs', `${where}: the log group of ${name}`);
      if (fn.vpc !== undefined) add('ec2', `${where}: ${name} runs in the VPC`);
      for (const event of fn.events ?? []) {
        for (const kind of Object.keys(event)) {
          const services = eventServices[kind];
          if (!services) throw new Error(`${where}: event ${kind} of ${name} has no IAM service in eventServices`);
          for (const service of services) add(service, `${where}: ${kind} event of ${name}`);
        }
      }
    }
    for (const [logicalId, resource] of Object.entries(yaml.resources?.Resources ?? {})) {
      const namespace = /^AWS::([A-Za-z0-9]+)::/.exec(resource.Type)?.[1];
      const service = namespace ? cloudFormationNamespaces[namespace] : undefined;
      if (!service) throw new Error(`${where}: ${logicalId} is a ${resource.Type}, which has no IAM service in cloudFormationNamespaces`);
      add(service, `${where}: ${logicalId} (${resource.Type})`);
    }
    if (`${text}\n${shared}`.includes('${ssm:')) add('ssm', `${where}: reads SSM parameters at deploy time`);
  }
  return found;
}

async function policy(): Promise<{ text: string; document: PolicyDocument }> {
  const text = await readFile(policyFile, 'utf8');
  return { text, document: JSON.parse(text) as PolicyDocument };
}

const servicesOf = (document: PolicyDocument): Set<string> =>
  new Set(document.Statement.flatMap((statement) => list(statement.Action)).map((action) => action.split(':')[0]));

describe('docs/deployer-policy.json', () => {
  it('is an identity policy of Allow statements, each with its own Sid and named actions', async () => {
    const { document } = await policy();
    expect(document.Version).toBe('2012-10-17');
    expect(document.Statement.length).toBeGreaterThan(0);
    const sids = document.Statement.map((statement) => statement.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const statement of document.Statement) {
      expect({ sid: statement.Sid, effect: statement.Effect }).toEqual({ sid: expect.stringMatching(/^[A-Za-z0-9]+$/), effect: 'Allow' });
      for (const action of list(statement.Action)) {
        // No "*" and no "service:*": every action is named, or a named family ("dynamodb:Describe*").
        expect({ sid: statement.Sid, action }).toEqual({ sid: statement.Sid, action: expect.stringMatching(/^[a-z0-9-]+:[A-Za-z0-9*]*[A-Za-z][A-Za-z0-9*]*$/) });
      }
    }
  });

  it('fits in a role\'s inline policies (10,240 characters without whitespace)', async () => {
    const { text } = await policy();
    expect(text.replace(/\s/g, '').length).toBeLessThanOrEqual(10_240);
  });

  it('names Resource "*" only in the listed statements', async () => {
    const { document } = await policy();
    const wildcards = document.Statement.filter((statement) => list(statement.Resource).includes('*')).map((statement) => statement.Sid);
    expect(wildcards.sort()).toEqual(Object.keys(wildcardStatements).sort());
  });

  it('names every AWS service that infra/ and the services\' serverless.yml make resources in, and no other', async () => {
    const needed = new Map([...(await terraformServices()), ...(await serverlessServices())]);
    // What the files show today; the derivation itself decides, this only guards against it finding nothing.
    expect([...needed.keys()]).toEqual(expect.arrayContaining(['dynamodb', 'kafka', 'lambda', 'cloudformation', 'events']));
    const { document } = await policy();
    const named = servicesOf(document);
    for (const [service, why] of needed) {
      expect({ service, why, inPolicy: named.has(service) }).toEqual({ service, why, inPolicy: true });
    }
    for (const service of named) {
      expect({ service, needed: needed.has(service) }).toEqual({ service, needed: true });
    }
  });

  it('matches the names the stages and services give their resources', async () => {
    const { text } = await policy();
    // The ARNs of the policy are those of mxflow-* resources, tagged application = mxflow.
    expect(text).toContain('function:mxflow-*');
    expect(text).toContain('"aws:ResourceTag/application": "mxflow"');
    for (const stage of await readdir(path.join(infraDir, 'stages'))) {
      const dir = path.join(infraDir, 'stages', stage);
      const body = mergeBodies(await parseTerraformDir(dir));
      expect({ stage, prefix: body.module?.platform?.[0]?.name_prefix }).toEqual({ stage, prefix: `mxflow-${stage}` });
      const providers = Object.values(body.provider ?? {}).flat();
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        const tags = (provider.default_tags as { tags?: Record<string, string> }[] | undefined)?.[0]?.tags;
        expect({ stage, application: tags?.application }).toEqual({ stage, application: 'mxflow' });
      }
    }
    for (const file of await serviceFiles()) {
      const yaml = parseYaml(await readFile(file, 'utf8')) as ServiceYaml;
      expect({ file: path.relative(root, file), service: yaml.service }).toEqual({ file: path.relative(root, file), service: expect.stringMatching(/^mxflow-/) });
    }
  });
});
