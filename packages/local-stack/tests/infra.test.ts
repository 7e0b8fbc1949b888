import { mkdtemp, mkdir, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfraDefinitionError, readInfrastructure } from '@mxflow/local-stack';
import { mergeBodies, parseTerraformDir, type HclBody } from '../src/hcl';

const infraDir = path.resolve(fileURLToPath(import.meta.url), '../../../../infra');

async function moduleDirs(): Promise<string[]> {
  const modules = (await readdir(path.join(infraDir, 'modules'))).map((name) => path.join(infraDir, 'modules', name));
  const stages = (await readdir(path.join(infraDir, 'stages'))).map((name) => path.join(infraDir, 'stages', name));
  return [...modules, path.join(infraDir, 'platform'), ...stages];
}

async function bodyOf(dir: string): Promise<HclBody> {
  return mergeBodies(await parseTerraformDir(dir));
}

describe('infra Terraform definitions', () => {
  it('parses every Terraform directory as HCL', async () => {
    for (const dir of await moduleDirs()) {
      const files = await parseTerraformDir(dir);
      expect(files.length).toBeGreaterThan(0);
    }
  });

  it('parses a file once per content: a changed file is parsed again, and HCL that is not valid is refused every time', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-hcl-'));
    try {
      // A value no other test uses, so the first parse cannot come from the cache.
      const unique = `${process.pid}-${Date.now()}`;
      await writeFile(path.join(dir, 'main.tf'), `locals {\n  marker = "${unique}"\n}\n`);
      const [first] = await parseTerraformDir(dir);
      expect(first.body.locals).toEqual([{ marker: unique }]);
      const [again] = await parseTerraformDir(dir);
      expect(again).toEqual(first);
      await writeFile(path.join(dir, 'main.tf'), `locals {\n  marker = "${unique}-changed"\n}\n`);
      const [changed] = await parseTerraformDir(dir);
      expect(changed.body.locals).toEqual([{ marker: `${unique}-changed` }]);
      await writeFile(path.join(dir, 'main.tf'), `locals {\n  marker = "${unique}\n`);
      for (let attempt = 0; attempt < 2; attempt += 1) await expect(parseTerraformDir(dir)).rejects.toThrow(/main\.tf: not valid HCL/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lays out every module as main, variables, outputs and versions, and its terraform tests under tests/', async () => {
    for (const name of await readdir(path.join(infraDir, 'modules'))) {
      const files = (await readdir(path.join(infraDir, 'modules', name))).filter((file) => file !== 'tests').sort();
      expect({ name, files }).toEqual({ name, files: ['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'] });
      const tests = await readdir(path.join(infraDir, 'modules', name, 'tests')).catch(() => [] as string[]);
      expect({ name, tests: tests.filter((file) => !file.endsWith('.tftest.hcl')) }).toEqual({ name, tests: [] });
    }
  });

  it('names the resources of every module this', async () => {
    for (const name of await readdir(path.join(infraDir, 'modules'))) {
      const body = await bodyOf(path.join(infraDir, 'modules', name));
      const labels = [
        ...Object.values(body.resource ?? {}).flatMap((byName) => Object.keys(byName)),
        ...Object.values(body.data ?? {}).flatMap((byName) => Object.keys(byName)),
      ];
      expect(labels.length).toBeGreaterThan(0);
      expect({ module: name, labels: [...new Set(labels)] }).toEqual({ module: name, labels: ['this'] });
    }
  });

  it('gives every variable a description and a type', async () => {
    for (const dir of await moduleDirs()) {
      for (const [name, [block]] of Object.entries((await bodyOf(dir)).variable ?? {})) {
        expect({ dir: path.relative(infraDir, dir), name, description: typeof block.description, type: typeof block.type }).toEqual({
          dir: path.relative(infraDir, dir),
          name,
          description: 'string',
          type: 'string',
        });
      }
    }
  });

  it('names outputs <resource>_<attribute> after what they return', async () => {
    for (const dir of await moduleDirs()) {
      for (const [name, [block]] of Object.entries((await bodyOf(dir)).output ?? {})) {
        const value = String(block.value);
        const resource = /(?:aws_)?([a-z0-9_]+)\.this(?:\.([a-z_]+))?/.exec(value);
        const module = /module\.([a-z0-9_]+)\.([a-z0-9_]+)/.exec(value);
        // A list built with a for expression is named after the resource, in the plural.
        const matches = module
          ? name === `${module[1]}_${module[2]}`
          : resource?.[2]
            ? name === `${resource[1]}_${resource[2]}`
            : resource !== null && name.startsWith(`${resource[1]}_`);
        expect({ output: name, value, matches }).toEqual({ output: name, value, matches: true });
      }
    }
  });

  it('passes module calls only declared variables, and every required one', async () => {
    for (const dir of await moduleDirs()) {
      for (const [call, [block]] of Object.entries((await bodyOf(dir)).module ?? {})) {
        const target = await bodyOf(path.resolve(dir, String(block.source)));
        const declared = target.variable ?? {};
        const given = Object.keys(block).filter((key) => !['source', 'depends_on', 'providers'].includes(key));
        expect({ call, unknown: given.filter((key) => !(key in declared)) }).toEqual({ call, unknown: [] });
        const required = Object.entries(declared)
          .filter(([, [definition]]) => !('default' in definition))
          .map(([variable]) => variable);
        expect({ call, missing: required.filter((variable) => !given.includes(variable)) }).toEqual({ call, missing: [] });
      }
    }
  });

  it('declares every variable a module refers to', async () => {
    for (const dir of await moduleDirs()) {
      const declared = Object.keys((await bodyOf(dir)).variable ?? {});
      for (const file of (await readdir(dir)).filter((name) => name.endsWith('.tf'))) {
        const used = [...(await readFile(path.join(dir, file), 'utf8')).matchAll(/\bvar\.([a-z0-9_]+)/g)].map((match) => match[1]);
        expect({ file: path.relative(infraDir, path.join(dir, file)), undeclared: [...new Set(used)].filter((name) => !declared.includes(name)) }).toEqual({
          file: path.relative(infraDir, path.join(dir, file)),
          undeclared: [],
        });
      }
    }
  });
});

describe('readInfrastructure', () => {
  it('defines only global secondary indexes that the store queries: each one costs a write for every item it holds', async () => {
    const infra = await readInfrastructure({ infraDir, namePrefix: 'mxflow-test' });
    const storeDir = path.resolve(infraDir, '../packages/store/src');
    const sources = await Promise.all(
      (await readdir(storeDir, { recursive: true })).filter((file) => file.endsWith('.ts')).map((file) => readFile(path.join(storeDir, file), 'utf8')),
    );
    const named = (index: string) => sources.some((source) => source.includes(`'${index}'`));
    const indexes = infra.tables.flatMap((table) => table.globalSecondaryIndexes.map((index) => `${table.module}.${index.name}`));
    expect(indexes.length).toBeGreaterThan(0);
    expect(indexes.filter((index) => !named(index.split('.')[1] as string))).toEqual([]);
  });

  it('reads the tables, archive bucket, topics and scopes of the platform', async () => {
    const infra = await readInfrastructure({ infraDir, namePrefix: 'mxflow-test' });
    expect(infra.tables.map((table) => table.name).sort()).toEqual([
      'mxflow-test-audit',
      'mxflow-test-deadletter',
      'mxflow-test-entity',
      'mxflow-test-idempotency',
      'mxflow-test-liquidity',
      'mxflow-test-mapping',
      'mxflow-test-transaction',
      'mxflow-test-usage',
    ]);
    expect(infra.tables.find((table) => table.module === 'transaction_table')).toMatchObject({
      hashKey: 'transactionId',
      rangeKey: 'step',
    });
    expect(infra.tables.find((table) => table.module === 'transaction_table')?.globalSecondaryIndexes).toEqual(
      expect.arrayContaining([
        { name: 'bySender', hashKey: 'senderEntity', rangeKey: 'createdKey', projectionType: 'ALL' },
        { name: 'byReceiver', hashKey: 'receiverEntity', rangeKey: 'createdKey', projectionType: 'ALL' },
        { name: 'byOpenAge', hashKey: 'openKey', rangeKey: 'deadlineKey', projectionType: 'KEYS_ONLY' },
      ]),
    );
    expect(infra.tables.find((table) => table.module === 'idempotency_table')?.ttlAttribute).toBe('expiration');
    expect(infra.notificationTopics.map((topic) => topic.name)).toEqual(['mxflow-test-notifications']);
    expect(infra.oauth).toEqual([
      { module: 'api_auth', resourceServer: 'payments', scopes: ['payments/write', 'payments/read', 'payments/admin'] },
    ]);
    expect(infra.kafkaTopics.map((topic) => topic.name)).toEqual(
      expect.arrayContaining(['incoming.pacs.008', 'outgoing.pacs.002', 'incoming.pacs.008.dlq']),
    );
    expect([...infra.awsOnlyResources].sort()).toEqual(['aws_dynamodb_table_item', 'aws_s3_object', 'aws_ssm_parameter']);
    expect([...infra.awsOnlyModules].sort()).toEqual([
      'access_logs',
      'alarms',
      'archive_key',
      'console',
      'data_key',
      'http_api',
      'kafka_cluster',
      'messaging_key',
      'network',
      'private_api',
    ]);
  });

  it('leaves arguments that matter only in AWS unevaluated', async () => {
    // These refer to other modules' outputs, which only Terraform knows.
    const [mapping] = (await bodyOf(path.join(infraDir, 'platform'))).module?.mapping_table ?? [];
    expect(mapping.kms_key_arn).toBe('${module.data_key.kms_key_arn}');
    const infra = await readInfrastructure({ infraDir, namePrefix: 'mxflow-test' });
    expect(infra.tables.find((table) => table.module === 'mapping_table')?.name).toBe('mxflow-test-mapping');
  });

  it('turns the archive bucket policy into the write-once policy document', async () => {
    const [bucket] = (await readInfrastructure({ infraDir, namePrefix: 'mxflow-test' })).buckets;
    expect(bucket.name).toBe('mxflow-test-archive');
    expect(bucket.objectLock).toEqual({ mode: 'COMPLIANCE', days: 3650 });
    expect(bucket.policy.Statement).toEqual([
      {
        Sid: 'DenyOverwrite',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:PutObject'],
        Resource: ['arn:aws:s3:::mxflow-test-archive/*'],
        Condition: { Null: { 's3:if-none-match': ['true'] } },
      },
      {
        Sid: 'DenyDelete',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:DeleteObject*'],
        Resource: ['arn:aws:s3:::mxflow-test-archive/*'],
      },
    ]);
  });

  it('keeps the TLS-only statement for AWS: the local endpoint is plain HTTP', async () => {
    const body = await bodyOf(path.join(infraDir, 'modules', 'archive-bucket'));
    const statements = body.data?.aws_iam_policy_document?.this?.[0]?.statement as { sid: string; condition?: unknown }[];
    expect(statements.find((statement) => statement.sid === 'DenyInsecureTransport')?.condition).toEqual([
      { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
    ]);
    const [bucket] = (await readInfrastructure({ infraDir, namePrefix: 'mxflow-test' })).buckets;
    expect(bucket.policy.Statement.map((statement) => statement.Sid)).toEqual(['DenyOverwrite', 'DenyDelete']);
  });

  describe('on definitions the local cloud cannot provision', () => {
    let copy: string;
    beforeEach(async () => {
      copy = await mkdtemp(path.join(os.tmpdir(), 'mxflow-infra-'));
      await cp(infraDir, copy, { recursive: true });
    });
    afterEach(() => rm(copy, { recursive: true, force: true }));

    it('refuses a resource the local cloud has no counterpart for', async () => {
      await writeFile(path.join(copy, 'platform', 'extra.tf'), 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n');
      await expect(readInfrastructure({ infraDir: copy })).rejects.toThrow(/aws_sqs_queue\.jobs/);
    });

    it('refuses a module the local cloud does not know', async () => {
      await mkdir(path.join(copy, 'modules', 'queue'));
      await writeFile(path.join(copy, 'modules', 'queue', 'main.tf'), 'variable "name" {\n  type = string\n  description = "n"\n}\n');
      await writeFile(path.join(copy, 'platform', 'extra.tf'), 'module "jobs" {\n  source = "../modules/queue"\n  name = "jobs"\n}\n');
      await expect(readInfrastructure({ infraDir: copy })).rejects.toThrow(InfraDefinitionError);
    });

    it('still refuses an argument the module does not declare, even an AWS-only one', async () => {
      const main = path.join(copy, 'platform', 'main.tf');
      const text = (await readFile(main, 'utf8')).replace('kms_master_key_id = module.messaging_key.kms_key_arn', 'kms_key = module.messaging_key.kms_key_arn');
      await writeFile(main, text);
      await expect(readInfrastructure({ infraDir: copy })).rejects.toThrow(/has no variable kms_key/);
    });

    it('refuses an expression it cannot evaluate', async () => {
      const main = path.join(copy, 'platform', 'main.tf');
      const text = (await readFile(main, 'utf8')).replace('"${var.name_prefix}-notifications"', 'upper("${var.name_prefix}")');
      await writeFile(main, text);
      await expect(readInfrastructure({ infraDir: copy })).rejects.toThrow(/cannot evaluate|notification/);
    });
  });
});
