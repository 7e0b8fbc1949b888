// Writes one payment message to a write-once archive bucket, the way mxflow's archive does,
// then shows that neither an overwrite nor a delete gets through.
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { startLocalS3 } from '@mxflow/local-s3';

const server = await startLocalS3({ port: 0, host: '127.0.0.1' });
const s3 = new S3Client({
  endpoint: server.endpoint,
  forcePathStyle: true,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

const Bucket = 'mxflow-archive';
const Key = 'incoming/2026/11/27/6f1c64b3-6d0e-4b43-9d43-5c0d5b1c2a11/pacs.008.xml';

async function attempt(label: string, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
    console.log(`${label}: ok`);
  } catch (error) {
    if (!(error instanceof S3ServiceException)) throw error;
    console.log(`${label}: ${error.$metadata.httpStatusCode} ${error.name}`);
  }
}

try {
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 10 } },
      },
    }),
  );
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:PutObject',
            Resource: `arn:aws:s3:::${Bucket}/*`,
            Condition: { Null: { 's3:if-none-match': 'true' } },
          },
          { Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject*', Resource: `arn:aws:s3:::${Bucket}/*` },
        ],
      }),
    }),
  );

  const body = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>';
  await attempt('first write', () => s3.send(new PutObjectCommand({ Bucket, Key, Body: body, IfNoneMatch: '*' })));
  await attempt('second write', () => s3.send(new PutObjectCommand({ Bucket, Key, Body: body, IfNoneMatch: '*' })));
  await attempt('plain overwrite', () => s3.send(new PutObjectCommand({ Bucket, Key, Body: body })));
  await attempt('delete', () => s3.send(new DeleteObjectCommand({ Bucket, Key })));
} finally {
  s3.destroy();
  await server.stop();
}
