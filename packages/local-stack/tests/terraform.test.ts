import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { readInfrastructure } from '@mxflow/local-stack';
import { mergeBodies, parseTerraformDir, type HclBody } from '../src/hcl';

// Terraform cannot run here (no binary, no AWS), so these tests hold the
// deployment together by reading it: the Terraform parses, and what the
// services read from SSM, name and are allowed to touch exists in it.

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const infraDir = path.join(root, 'infra');
const sharedYml = path.join(root, 'packages/runtime/serverless/shared.yml');

/**
 * Policy statements whose resource is `*`, each because AWS accepts nothing
 * narrower there. A new one fails the test until it is listed with its reason
 * (and commented where it is written).
 */
const wildcardResourceExceptions: Readonly<Record<string, string>> = {
  'infra/modules/kms-key/main.tf AccountAdministersKey': 'a key policy names its own key as "*"',
  'infra/modules/kms-key/main.tf UseThroughServices': 'a key policy names its own key as "*"',
  'infra/modules/kms-key/main.tf ServicesPublishEncrypted': 'a key policy names its own key as "*"',
  'infra/modules/kafka-topics/main.tf VpcNetworkInterfaces':
    'Lambda manages the topic function\'s network interfaces, which do not exist yet; EC2 Describe actions take no narrower resource',
  'packages/runtime/serverless/shared.yml XRayTraces': 'X-Ray actions have no resource-level permissions',
  'packages/runtime/serverless/shared.yml VpcNetworkInterfaces':
    'Lambda manages network interfaces that do not exist yet; EC2 Describe actions take no narrower resource',
  'packages/runtime/serverless/shared.yml MskEventSourceNetwork':
    'the MSK event source mapping places its own interfaces; EC2 Describe actions take no narrower resource',
};

async function terraformDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const here = entries.some((entry) => entry.isFile() && entry.name.endsWith('.tf')) ? [dir] : [];
  const below = await Promise.all(
    entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => terraformDirs(path.join(dir, entry.name))),
  );
  return [...here, ...below.flat()];
}

async function bodyOf(dir: string): Promise<HclBody> {
  return mergeBodies(await parseTerraformDir(dir));
}

interface ServiceDefinition {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly yaml: {
    functions?: Record<string, { events?: Record<string, Record<string, unknown>>[] }>;
    custom?: {
      'serverless-offline-msk'?: { functions?: Record<string, { onFailureTopic?: string }> };
    };
  };
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every IAM statement (an object with Effect and Action) anywhere in a parsed YAML document. */
function statementsIn(value: unknown): Statement[] {
  if (Array.isArray(value)) return value.flatMap(statementsIn);
  if (!value || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  if ('Effect' in object && 'Action' in object) return [object as unknown as Statement];
  return Object.values(object).flatMap(statementsIn);
}

async function services(): Promise<ServiceDefinition[]> {
  const compose = parseYaml(await readFile(path.join(root, 'serverless-compose.yml'), 'utf8')) as { services: Record<string, { path: string }> };
  return Promise.all(
    Object.entries(compose.services).map(async ([name, { path: dir }]) => {
      const file = path.join(root, dir, 'serverless.yml');
      const text = await readFile(file, 'utf8');
      return { name, file, text, yaml: parseYaml(text) as ServiceDefinition['yaml'] };
    }),
  );
}

/** `/mxflow/${sls:stage}/<name>` parameters a YAML text reads, with or without a fallback (`, ''`). */
function ssmReads(text: string): string[] {
  return [...text.matchAll(/\$\{ssm:\/mxflow\/\$\{sls:stage\}\/([^},\s]+)(?:,[^}]*)?\}/g)].map((match) => match[1]);
}

/** The keys of an object-literal expression as hcl2json leaves it: `"a/b" = …` pairs at any depth. */
function literalKeys(expression: string): string[] {
  return [...expression.matchAll(/"([a-z0-9${}.-]+(?:\/[a-z0-9${}.-]+)+)"\s*=/g)].map((match) => match[1]);
}

/** SSM parameter names (below /mxflow/<stage>/) that the platform writes; `${…}` parts match one path segment. */
async function writtenParameters(): Promise<RegExp[]> {
  const platform = await bodyOf(path.join(infraDir, 'platform'));
  const locals = Object.assign({}, ...(platform.locals ?? [])) as Record<string, unknown>;
  const names: string[] = [];
  for (const [label, [block]] of Object.entries(platform.resource?.aws_ssm_parameter ?? {})) {
    expect({ label, name: block.name }).toEqual({ label, name: '/mxflow/${var.stage}/${each.key}' });
    const forEach = block.for_each;
    if (typeof forEach === 'string') {
      const local = /^\$\{local\.([a-z0-9_]+)\}$/.exec(forEach)?.[1];
      expect({ label, local: local && typeof locals[local] }).toEqual({ label, local: expect.stringMatching(/^string$/) });
      names.push(...literalKeys(String(locals[local as string])));
    } else {
      names.push(...Object.keys(forEach as Record<string, unknown>));
    }
  }
  return names.map((name) => new RegExp(`^${name.replace(/[.]/g, '\\.').replace(/\$\{[^}]+\}/g, '[^/]+')}$`));
}

function topicMatches(pattern: string, topic: string): boolean {
  return new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(topic);
}

describe('the Terraform of infra/', () => {
  it('parses, file by file, in every directory', async () => {
    const dirs = await terraformDirs(infraDir);
    expect(dirs.map((dir) => path.relative(infraDir, dir))).toEqual(expect.arrayContaining(['platform', 'stages/dev', 'stages/prod']));
    for (const dir of dirs) {
      for (const file of await parseTerraformDir(dir)) {
        expect({ file: path.relative(root, file.file), parsed: typeof file.body }).toEqual({ file: path.relative(root, file.file), parsed: 'object' });
      }
    }
  });

  it('gives every stage one region, which the services deploy to as well', async () => {
    for (const stage of await readdir(path.join(infraDir, 'stages'))) {
      const vars = JSON.parse(await readFile(path.join(infraDir, 'stages', stage, 'stage.auto.tfvars.json'), 'utf8')) as { region?: string };
      expect({ stage, region: vars.region }).toEqual({ stage, region: expect.stringMatching(/^[a-z]{2}(-[a-z]+)+-\d$/) });
      const body = await bodyOf(path.join(infraDir, 'stages', stage));
      expect(body.variable?.region?.[0]).not.toHaveProperty('default');
      expect(body.module?.platform?.[0].region).toBe('${var.region}');
    }
    const shared = parseYaml(await readFile(sharedYml, 'utf8')) as { provider: { region: string } };
    expect(shared.provider.region).toBe("${file(../../infra/stages/${sls:stage}/stage.auto.tfvars.json):region, 'us-east-1'}");
  });

  it('encrypts every table with the customer-managed data key', async () => {
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    const tables = Object.entries(platform.module ?? {}).filter(([, [block]]) => block.source === '../modules/dynamodb-table');
    expect(tables.length).toBeGreaterThan(0);
    for (const [name, [block]] of tables) {
      expect({ name, kms: block.kms_key_arn }).toEqual({ name, kms: '${module.data_key.kms_key_arn}' });
    }
  });
});

describe('what the services read, name and may touch', () => {
  it('reads only SSM parameters that Terraform writes', async () => {
    const written = await writtenParameters();
    const reads = new Set([ssmReads(await readFile(sharedYml, 'utf8')), ...(await services()).map((service) => ssmReads(service.text))].flat());
    expect(reads).toEqual(expect.any(Set));
    expect(reads.size).toBeGreaterThan(0);
    for (const name of [...reads, 'kafka/bootstrap-brokers-iam', 'kafka/cluster-arn', 'kafka/topic-arn-prefix', 'kafka/group-arn-prefix', 'http-api/id']) {
      expect({ name, written: written.some((pattern) => pattern.test(name)) }).toEqual({ name, written: true });
    }
  });

  it('gives every stage, each Terraform root and the local and package stages, every param the services read', async () => {
    const shared = parseYaml(await readFile(sharedYml, 'utf8')) as { params: Record<string, Record<string, unknown>> };
    const texts = [await readFile(sharedYml, 'utf8'), ...(await services()).map((service) => service.text)];
    // A `${param:name}` without a fallback fails the deploy of a stage that lacks it.
    const needed = [...new Set(texts.flatMap((text) => [...text.matchAll(/\$\{param:([A-Za-z0-9]+)\}/g)].map((match) => match[1])))].sort();
    expect(needed).toEqual(expect.arrayContaining(['mappingTable', 'routeGroups', 'restApiId']));
    const stages = [...(await readdir(path.join(infraDir, 'stages'))), 'local', 'package'];
    for (const stage of stages) {
      const missing = needed.filter((name) => !(name in (shared.params[stage] ?? {})));
      expect({ stage, missing }).toEqual({ stage, missing: [] });
    }
  });

  it('names tables, the bucket and the notification topic through parameters of the matching Terraform module', async () => {
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    const [parameters] = platform.resource?.aws_ssm_parameter?.this ?? [];
    const values = parameters.for_each as Record<string, string>;
    const kinds: Record<string, string> = { table: 'dynamodb-table', bucket: 'archive-bucket', topic: 'notification-topic' };
    // The ops topic, which alarms notify, is the alarms module's own, written with the other platform parameters.
    const ops = 'topic/ops';
    const reads = ssmReads(await readFile(sharedYml, 'utf8')).filter((name) => name.split('/')[0] in kinds && name !== ops);
    expect(reads).toEqual(expect.arrayContaining(['table/mapping', 'bucket/archive', 'topic/notifications']));
    for (const name of reads) {
      const module = /^\$\{module\.([a-z0-9_]+)\./.exec(values[name] ?? '')?.[1];
      const source = module ? platform.module?.[module]?.[0]?.source : undefined;
      expect({ name, source }).toEqual({ name, source: `../modules/${kinds[name.split('/')[0]]}` });
    }
    const opsModule = /"topic\/ops"\s*=\s*module\.([a-z0-9_]+)\./.exec(await readFile(path.join(infraDir, 'platform/parameters.tf'), 'utf8'))?.[1];
    expect({ name: ops, source: opsModule ? platform.module?.[opsModule]?.[0]?.source : undefined }).toEqual({ name: ops, source: '../modules/alarms' });
  });

  it('names only Kafka topics that Terraform creates, and watches every consumer group for lag', async () => {
    const topics = (await readInfrastructure({ infraDir })).kafkaTopics.map((topic) => topic.name);
    const platform = await bodyOf(path.join(infraDir, 'platform'));
    const watched = platform.variable?.consumer_groups?.[0]?.default as Record<string, string>;
    let named = 0;
    for (const service of await services()) {
      const arnTopics = [...service.text.matchAll(/\$\{param:kafkaTopicArnPrefix\}\/([^\s'"]+)/g)].map((match) => match[1]);
      const events = Object.values(service.yaml.functions ?? {}).flatMap((f) => (f.events ?? []).flatMap((event) => (event.msk ? [event.msk] : [])));
      // `{topic}` in an onFailureTopic stands for each topic the function reads.
      const failureTopics = Object.entries(service.yaml.custom?.['serverless-offline-msk']?.functions ?? {}).flatMap(([name, f]) =>
        f.onFailureTopic
          ? ((service.yaml.functions?.[name]?.events ?? []).flatMap((event) => (event.msk ? [String(event.msk.topic)] : [])) as string[]).map((topic) =>
              String(f.onFailureTopic).replaceAll('{topic}', topic),
            )
          : [],
      );
      for (const pattern of [...arnTopics, ...failureTopics, ...events.map((event) => String(event.topic))]) {
        named += 1;
        expect({ service: service.name, pattern, exists: topics.some((topic) => topicMatches(pattern, topic)) }).toEqual({
          service: service.name,
          pattern,
          exists: true,
        });
      }
      for (const event of events) {
        const group = String(event.consumerGroupId);
        expect({ service: service.name, group, topic: watched[group] }).toEqual({ service: service.name, group, topic: event.topic });
      }
    }
    expect(named).toBeGreaterThan(0);
  });
});

describe('IAM statements', () => {
  it('grant or deny "*" only where AWS requires it, each exception listed and commented', async () => {
    const found: string[] = [];
    for (const dir of await terraformDirs(infraDir)) {
      for (const file of await parseTerraformDir(dir)) {
        const documents = file.body.data?.aws_iam_policy_document ?? {};
        const lines = (await readFile(file.file, 'utf8')).split('\n');
        for (const [, blocks] of Object.entries(documents)) {
          for (const block of blocks) {
            const statements = [
              ...((block.statement ?? []) as Record<string, unknown>[]),
              ...((block.dynamic as { statement?: { content: Record<string, unknown>[] }[] } | undefined)?.statement ?? []).flatMap(
                (dynamic) => dynamic.content,
              ),
            ];
            for (const statement of statements) {
              if (!((statement.resources ?? []) as string[]).includes('*')) continue;
              found.push(`${path.relative(root, file.file)} ${String(statement.sid)}`);
            }
          }
        }
        lines.forEach((line, index) => {
          if (/\bresources\s*=\s*\[\s*"\*"\s*\]/.test(line)) {
            expect({ file: path.relative(root, file.file), line: index + 1, commented: /#\s*\S/.test(line) }).toEqual({
              file: path.relative(root, file.file),
              line: index + 1,
              commented: true,
            });
          }
        });
      }
    }
    const yamlFiles = [sharedYml, ...(await services()).map((service) => service.file)];
    for (const file of yamlFiles) {
      const text = await readFile(file, 'utf8');
      for (const statement of statementsIn(parseYaml(text))) {
        const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
        if (resources.includes('*')) found.push(`${path.relative(root, file)} ${statement.Sid ?? [statement.Action].flat().join(',')}`);
      }
      // The comment stands above the statement ("- Sid: …") that grants "*".
      const lines = text.split('\n');
      lines.forEach((line, index) => {
        if (!/^\s*Resource:\s*['"]?\*['"]?\s*$/.test(line)) return;
        const indent = line.length - line.trimStart().length;
        let start = index;
        while (start > 0 && !lines[start].startsWith(`${' '.repeat(indent - 2)}- `)) start -= 1;
        expect({ file: path.relative(root, file), line: index + 1, commented: /^\s*#/.test(lines[start - 1] ?? '') }).toEqual({
          file: path.relative(root, file),
          line: index + 1,
          commented: true,
        });
      });
    }
    expect(found.sort()).toEqual(Object.keys(wildcardResourceExceptions).sort());
  });
});
