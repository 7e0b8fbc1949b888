import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { defaultCatalogue, parseMessage, useCatalogue } from '@mxflow/iso20022';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { readSchemasConfig, useOperatorSchemas } from '../src';
import { officialXsdDir } from '../../iso20022/tests/support/paths';
import { paymentXml } from '../../e2e/src/payment';

const shared = existsSync(officialXsdDir);
const when = shared ? describe : describe.skip;
if (!shared) console.warn(`operator schema tests skipped: ${officialXsdDir} is not there`);

/** A pacs.008.001.09: the test payment moved into that version's namespace. */
const pacs008v09 = (): string => paymentXml({ fromBic: 'ALPHDEFFXXX', toBic: 'BETAFRPPXXX', amount: '1.00' }).xml.replace('pacs.008.001.08', 'pacs.008.001.09');

when('operator schemas loaded at start-up', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-schemas-test-'));
  });

  afterEach(async () => {
    useCatalogue(undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('reads MXFLOW_SCHEMAS_DIR and MXFLOW_SCHEMAS_S3_URI, and nothing when neither is set', () => {
    expect(readSchemasConfig({ MXFLOW_SCHEMAS_DIR: 'schemas', MXFLOW_SCHEMAS_S3_URI: '' })).toEqual({ schemasDir: 'schemas' });
    expect(readSchemasConfig({ MXFLOW_SCHEMAS_S3_URI: 's3://b/p/' })).toEqual({ schemasS3Uri: 's3://b/p/' });
    expect(readSchemasConfig({})).toEqual({});
  });

  it('adds the versions of a folder to every call of the process, and keeps the built-in ones without one', async () => {
    expect(() => parseMessage(pacs008v09())).toThrow(/pacs\.008\.001\.09/);
    expect(await useOperatorSchemas({})).toBeUndefined();
    await copyFile(path.join(officialXsdDir, 'pacs.008.001.09.xsd'), path.join(dir, 'pacs.008.001.09.xsd'));
    await useOperatorSchemas({ schemasDir: dir });
    expect(parseMessage(pacs008v09())).toMatchObject({ messageId: 'pacs.008.001.09', messageType: 'pacs.008' });
    expect(defaultCatalogue().entries().find((entry) => entry.namespace.endsWith('pacs.008.001.09'))).toMatchObject({ source: 'override', origin: 'pacs.008.001.09.xsd' });
  });

  it('stops start-up on a file it cannot read, naming the file', async () => {
    await writeFile(path.join(dir, 'broken.xsd'), '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Document" type="Nope"/></xs:schema>');
    await expect(useOperatorSchemas({ schemasDir: dir })).rejects.toThrow(/broken\.xsd/);
  });

  describe('from an S3 prefix', () => {
    let cloud: LocalCloud;
    let s3: S3Client;

    beforeAll(async () => {
      cloud = await startLocalCloud({ namePrefix: 'mxflow-runtime-schemas' });
      s3 = new S3Client({ ...localClientConfig(cloud.endpoints.s3), forcePathStyle: true });
    }, 120_000);

    afterAll(async () => {
      s3?.destroy();
      await cloud?.stop();
    });

    it('copies the XSDs under the prefix and loads them', async () => {
      const prefix = `schemas-${Date.now()}/`;
      const body = await readFile(path.join(officialXsdDir, 'pacs.008.001.09.xsd'));
      await s3.send(new PutObjectCommand({ Bucket: cloud.archiveBucket, Key: `${prefix}pacs.008.001.09.xsd`, Body: body, IfNoneMatch: '*' }));
      await s3.send(new PutObjectCommand({ Bucket: cloud.archiveBucket, Key: `${prefix}README.txt`, Body: 'not a schema', IfNoneMatch: '*' }));
      await useOperatorSchemas({ schemasS3Uri: `s3://${cloud.archiveBucket}/${prefix}` }, () => s3);
      expect(parseMessage(pacs008v09()).messageId).toBe('pacs.008.001.09');
    });

    it('refuses a URI that is no s3://bucket/prefix', async () => {
      await expect(useOperatorSchemas({ schemasS3Uri: 'https://example.com/schemas' }, () => s3)).rejects.toThrow(/s3:\/\/bucket\/prefix/);
    });
  });
});
