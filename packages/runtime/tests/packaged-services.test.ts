import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleBudgetBytes, packageServices, zipEntry, type PackagedBundle } from '../../../tools/package';

// Packages every service of serverless-compose.yml for the AWS stage
// `package` (values from params, no SSM, no network) and reads the
// CloudFormation each would deploy.

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

interface PackagedService {
  readonly name: string;
  readonly dir: string;
  readonly resources: Readonly<Record<string, Resource>>;
  /** Function names, as serverless.yml names them (each has its own zip). */
  readonly functions: readonly string[];
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const packageParams = {
  httpApiId: 'package0api',
  // The stage `package` exposes the admin group on the private REST API.
  restApiId: 'package0rest',
  restApiV1ResourceId: 'package0v1',
  restApiAuthorizerId: 'package0auth',
  kafkaClusterArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/mxflow-package/00000000-0000-0000-0000-000000000000-s1',
  kafkaGroupArnPrefix: 'arn:aws:kafka:us-east-1:000000000000:group/mxflow-package/00000000-0000-0000-0000-000000000000-s1',
};

/** Statements that may name "*", because AWS accepts no narrower resource for their actions. */
const wildcardSids = ['XRayTraces', 'VpcNetworkInterfaces', 'MskEventSourceNetwork'];


const capitalized = (name: string): string => name[0].toUpperCase() + name.slice(1);

let bundles: PackagedBundle[];
let services: PackagedService[];

beforeAll(async () => {
  bundles = await packageServices();
  services = [];
  for (const dir of new Set(bundles.map((bundle) => bundle.dir))) {
    const template = JSON.parse(await readFile(path.join(dir, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    const mine = bundles.filter((bundle) => bundle.dir === dir);
    services.push({ name: mine[0].service, dir, resources: template.Resources, functions: mine.map((bundle) => bundle.function) });
  }
}, 600_000);

function ofType(service: PackagedService, type: string): [string, Resource][] {
  return Object.entries(service.resources).filter(([, resource]) => resource.Type === type);
}

function statementsOf(role: Resource): Statement[] {
  const policies = role.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

describe('the packaged services', () => {
  it('packages every function of every service into its own bundle under the size budget', () => {
    for (const service of services) {
      expect({ service: service.name, functions: ofType(service, 'AWS::Lambda::Function').length }).toEqual({
        service: service.name,
        functions: service.functions.length,
      });
    }
    for (const bundle of bundles) {
      expect({ bundle: bundle.function, underBudget: bundle.zipBytes > 0 && bundle.zipBytes < bundleBudgetBytes }).toEqual({ bundle: bundle.function, underBudget: true });
    }
  });

  it('ships libxml2-wasm\'s WebAssembly as a file beside each handler that validates, not inside its JavaScript', () => {
    const validating = bundles.filter((bundle) => bundle.files.some((file) => /\.wasm$/.test(file)));
    // At least the incoming API, which validates every submission.
    expect(validating.map((bundle) => bundle.function)).toEqual(expect.arrayContaining(['submitMessage', 'validateMessage']));
    for (const bundle of bundles) {
      // The handler's own chunks (what it imports only dynamically) sit in `<handler>.chunks/`; see esbuild-plugins.cjs.
      const handlers = bundle.files.filter((file) => file.endsWith('.mjs') && !/\.chunks\//.test(file));
      const wasm = bundle.files.filter((file) => file.endsWith('.wasm'));
      expect({ bundle: bundle.function, handlers: handlers.length, wasm: wasm.length <= 1 }).toEqual({ bundle: bundle.function, handlers: 1, wasm: true });
      for (const file of wasm) expect({ bundle: bundle.function, file }).toEqual({ bundle: bundle.function, file: `${path.posix.dirname(handlers[0])}/${path.posix.basename(file)}` });
    }
  });

  it('holds in each function\'s zip the chunks its handler imports, and no other handler\'s', () => {
    let split = 0;
    for (const bundle of bundles) {
      const [handler] = bundle.files.filter((file) => file.endsWith('.mjs') && !/\.chunks\//.test(file));
      const chunks = bundle.files.filter((file) => /\.chunks\//.test(file));
      const base = handler.slice(0, -'.mjs'.length);
      expect({ bundle: bundle.function, foreign: chunks.filter((file) => !file.startsWith(`${base}.chunks/`)) }).toEqual({ bundle: bundle.function, foreign: [] });
      // Every relative import of the handler and of its chunks, static or dynamic, names a file of the zip.
      const files = new Set(bundle.files);
      for (const file of [handler, ...chunks]) {
        const text = zipEntry(bundle.zip, file).toString('utf8');
        for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+\.mjs)"/g)) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
          expect({ bundle: bundle.function, file, imports: target, present: files.has(target) }).toEqual({ bundle: bundle.function, file, imports: target, present: true });
        }
      }
      if (chunks.length > 0) split++;
    }
    // The AWS SDK's credential providers, at least, are imported only dynamically.
    expect(split).toBe(bundles.length);
  });

  it('runs every function on nodejs22.x and arm64, with a role of its own', () => {
    const roles = new Set<string>();
    for (const service of services) {
      expect(service.resources).not.toHaveProperty('IamRoleLambdaExecution');
      for (const name of service.functions) {
        const fn = service.resources[`${capitalized(name)}LambdaFunction`];
        expect({ name, runtime: fn.Properties.Runtime, architectures: fn.Properties.Architectures }).toEqual({ name, runtime: 'nodejs22.x', architectures: ['arm64'] });
        const role = fn.Properties.Role as { 'Fn::GetAtt': [string, string] };
        expect(role).toEqual({ 'Fn::GetAtt': [`${capitalized(name)}Role`, 'Arn'] });
        expect(service.resources[role['Fn::GetAtt'][0]].Type).toBe('AWS::IAM::Role');
        roles.add(role['Fn::GetAtt'][0]);
      }
    }
    expect(roles.size).toBe(bundles.length);
  });

  it('turns on Node\'s source maps only in a function whose zip holds them', () => {
    for (const service of services) {
      for (const name of service.functions) {
        const fn = service.resources[`${capitalized(name)}LambdaFunction`];
        const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
        const bundle = bundles.find((candidate) => candidate.dir === service.dir && candidate.function === name);
        const maps = bundle?.files.some((file) => file.endsWith('.map')) ?? false;
        const enabled = String(variables.NODE_OPTIONS ?? '').split(/\s+/).includes('--enable-source-maps');
        expect({ name, maps, enabled }).toEqual({ name, maps, enabled: maps });
      }
    }
  });

  it('lets each role write only its own function log group and name "*" only where AWS requires it', () => {
    for (const service of services) {
      for (const name of service.functions) {
        const statements = statementsOf(service.resources[`${capitalized(name)}Role`]);
        for (const statement of statements) {
          if (resourcesOf(statement).includes('*')) expect({ name, sid: statement.Sid }).toEqual({ name, sid: expect.stringMatching(new RegExp(`^(${wildcardSids.join('|')})$`)) });
          expect({ name, effect: statement.Effect }).toEqual({ name, effect: 'Allow' });
        }
        const logs = statements.find((statement) => [statement.Action].flat().includes('logs:PutLogEvents'));
        expect(JSON.stringify(logs?.Resource)).toContain(`:log-group:/aws/lambda/mxflow-${service.name}-package-${name}:*`);
      }
    }
  });

  it('attaches HTTP routes to the HTTP API Terraform made, and creates no API of its own', () => {
    let routes = 0;
    for (const service of services) {
      expect(ofType(service, 'AWS::ApiGatewayV2::Api')).toEqual([]);
      expect(ofType(service, 'AWS::ApiGatewayV2::Stage')).toEqual([]);
      for (const [id, route] of ofType(service, 'AWS::ApiGatewayV2::Route')) {
        routes += 1;
        expect({ id, api: route.Properties.ApiId }).toEqual({ id, api: packageParams.httpApiId });
      }
    }
    expect(routes).toBeGreaterThan(0);
  });

  it('puts the routes of a private group on the private REST API, under its /v1, behind the Cognito authorizer and the group\'s scope', () => {
    const admin = services.find((service) => service.name === 'admin');
    expect(admin).toBeDefined();
    if (!admin) return;
    expect(ofType(admin, 'AWS::ApiGatewayV2::Route')).toEqual([]);
    expect(ofType(admin, 'AWS::ApiGateway::RestApi')).toEqual([]);
    const methods = ofType(admin, 'AWS::ApiGateway::Method');
    // Every admin route: entities (7), mappings (6), liquidity (5), audit (1), dead letters (3).
    expect(methods.length).toBeGreaterThanOrEqual(21);
    for (const [id, method] of methods) {
      expect({ id, ...method.Properties, Integration: undefined, ResourceId: undefined, RequestParameters: undefined, MethodResponses: undefined }).toMatchObject({
        id,
        RestApiId: packageParams.restApiId,
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: packageParams.restApiAuthorizerId,
        AuthorizationScopes: ['payments/admin'],
      });
      expect((method.Properties.Integration as { Type: string }).Type).toBe('AWS_PROXY');
    }
    const parents = ofType(admin, 'AWS::ApiGateway::Resource').map(([, resource]) => resource.Properties.ParentId);
    expect(parents).toContain(packageParams.restApiV1ResourceId);
    expect(ofType(admin, 'AWS::ApiGateway::Deployment')).toHaveLength(1);
    // The public groups stay on the HTTP API.
    for (const name of ['incoming', 'status']) {
      const service = services.find((candidate) => candidate.name === name);
      expect({ name, methods: service ? ofType(service, 'AWS::ApiGateway::Method').length : -1 }).toEqual({ name, methods: 0 });
      expect(service ? ofType(service, 'AWS::ApiGatewayV2::Route').length : 0).toBeGreaterThan(0);
    }
  });

  it('consumes MSK one record at a time, from the start, in one consumer group per subscription', () => {
    const groups: string[] = [];
    for (const service of services) {
      for (const [id, mapping] of ofType(service, 'AWS::Lambda::EventSourceMapping')) {
        const properties = mapping.Properties as {
          EventSourceArn: string;
          BatchSize: number;
          StartingPosition: string;
          Topics: string[];
          AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: string };
          FunctionName: { 'Fn::GetAtt': [string, string] };
        };
        expect({ id, arn: properties.EventSourceArn, batchSize: properties.BatchSize, start: properties.StartingPosition }).toEqual({
          id,
          arn: packageParams.kafkaClusterArn,
          batchSize: 1,
          start: 'TRIM_HORIZON',
        });
        expect(properties.Topics).toHaveLength(1);
        const group = properties.AmazonManagedKafkaEventSourceConfig.ConsumerGroupId;
        groups.push(group);
        // The consuming function's role may join that group, and reads the cluster for its mapping.
        const role = service.resources[properties.FunctionName['Fn::GetAtt'][0].replace(/LambdaFunction$/, 'Role')];
        const statements = statementsOf(role);
        const groupStatement = statements.find((statement) => [statement.Action].flat().includes('kafka-cluster:AlterGroup'));
        expect(resourcesOf(groupStatement as Statement).some((resource) => {
          const pattern = String(resource).replace(/[.]/g, '\\.').replace(/\*/g, '.*');
          return new RegExp(`^${pattern}$`).test(`${packageParams.kafkaGroupArnPrefix}/${group}`);
        })).toBe(true);
        const read = statements.find((statement) => [statement.Action].flat().includes('kafka-cluster:ReadData'));
        expect(resourcesOf(read as Statement)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`/${properties.Topics[0].replace(/[.]/g, '\\.')}$`))]));
        expect(statements.map((statement) => statement.Sid)).toContain('MskEventSourceNetwork');
      }
    }
    expect(groups.length).toBeGreaterThan(0);
    expect(new Set(groups).size).toBe(groups.length);
  });

  it.each([
    ['pain001', 'Report', { parentTransactionId: [{ exists: true }] }],
    ['camt060', 'NotifyPostings', { postingNotices: [{ exists: true }] }],
  ])('gives the %s consumer %s of outgoing.pacs.002 filter criteria, so that Lambda invokes it only for the answers it acts on', (name, fn, value) => {
    const service = services.find((candidate) => candidate.name === name) as PackagedService;
    const filters = ofType(service, 'AWS::Lambda::EventSourceMapping')
      .filter(([, mapping]) => JSON.stringify(mapping.Properties.FunctionName).includes(`"${fn}LambdaFunction"`))
      .map(([, mapping]) => mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] });
    expect(filters).toHaveLength(1);
    expect(filters[0].Filters.map((filter) => JSON.parse(filter.Pattern) as unknown)).toEqual([{ value }]);
  });

  it('puts only the functions that produce to Kafka in the VPC', () => {
    for (const service of services) {
      for (const name of service.functions) {
        const fn = service.resources[`${capitalized(name)}LambdaFunction`];
        const vpc = fn.Properties.VpcConfig as { SubnetIds: string[]; SecurityGroupIds: string[] } | undefined;
        // A function that produces to Kafka (its role may write data to a topic) must reach the brokers in the private subnets.
        const produces = statementsOf(service.resources[`${capitalized(name)}Role`]).some((statement) =>
          (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).includes('kafka-cluster:WriteData'),
        );
        expect({ name, inVpc: vpc !== undefined }).toEqual({ name, inVpc: produces });
        if (vpc) {
          expect(vpc.SubnetIds.length).toBeGreaterThanOrEqual(2);
          expect(statementsOf(service.resources[`${capitalized(name)}Role`]).map((statement) => statement.Sid)).toContain('VpcNetworkInterfaces');
        }
      }
    }
  });
});
