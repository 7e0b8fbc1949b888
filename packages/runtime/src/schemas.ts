import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { loadCatalogue, useCatalogue, type Catalogue } from '@mxflow/iso20022';
import { optionalEnv } from './env';
import { ConfigurationError } from './errors';

/** Where a service's operator schemas come from, if anywhere. */
export interface SchemasConfig {
  /** A folder of XSDs: absolute, or relative to the function's working directory (its bundle). `MXFLOW_SCHEMAS_DIR`. */
  readonly schemasDir?: string;
  /** `s3://bucket/prefix/`: the XSDs under a prefix, copied to the function's temporary folder at start-up. `MXFLOW_SCHEMAS_S3_URI`. */
  readonly schemasS3Uri?: string;
}

/** Reads `MXFLOW_SCHEMAS_DIR` and `MXFLOW_SCHEMAS_S3_URI`. */
export function readSchemasConfig(env: NodeJS.ProcessEnv = process.env): SchemasConfig {
  const schemasDir = optionalEnv('MXFLOW_SCHEMAS_DIR', env);
  const schemasS3Uri = optionalEnv('MXFLOW_SCHEMAS_S3_URI', env);
  return { ...(schemasDir ? { schemasDir } : {}), ...(schemasS3Uri ? { schemasS3Uri } : {}) };
}

/** Copies the `.xsd` objects under an `s3://bucket/prefix` into a new temporary folder; resolves the folder. */
async function downloadSchemas(s3: S3Client, uri: string): Promise<string> {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match?.[1]) throw new ConfigurationError(`MXFLOW_SCHEMAS_S3_URI must be s3://bucket/prefix, not '${uri}'`);
  const [, bucket, prefix = ''] = match;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mxflow-schemas-'));
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (!object.Key?.endsWith('.xsd')) continue;
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      const target = path.join(dir, path.basename(object.Key));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await (body.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return dir;
}

/**
 * Loads the operator's schemas once, at start-up (call it at module scope,
 * with top-level await), and makes them the process's catalogue: every
 * parse, validation and rendering then knows the versions they add or
 * replace. Without configuration the built-in messages stay. A file that
 * cannot be read stops start-up with an error naming it and the reason.
 *
 * @throws XsdUnsupportedError (from the engine) naming the file; ConfigurationError for a bad S3 URI
 */
export async function useOperatorSchemas(config: SchemasConfig, s3?: () => S3Client): Promise<Catalogue | undefined> {
  let dir = config.schemasDir ? path.resolve(config.schemasDir) : undefined;
  if (!dir && config.schemasS3Uri) {
    if (!s3) throw new ConfigurationError('MXFLOW_SCHEMAS_S3_URI is set, but this function has no S3 client to read it');
    dir = await downloadSchemas(s3(), config.schemasS3Uri);
  }
  if (!dir) return undefined;
  const catalogue = await loadCatalogue({ overridesDir: dir });
  useCatalogue(catalogue);
  return catalogue;
}
