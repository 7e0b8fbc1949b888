import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { startLocalS3, type LocalS3Options, type LocalS3Server } from '../src/index';

/** A running server and an SDK client configured the way mxflow configures it against S3. */
export interface Harness {
  server: LocalS3Server;
  s3: S3Client;
  close(): Promise<void>;
}

/** Any credentials work: the server accepts every signature. */
export function clientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function startHarness(options: LocalS3Options = {}): Promise<Harness> {
  const server = await startLocalS3({ port: 0, host: '127.0.0.1', ...options });
  const s3 = clientFor(server.endpoint);
  return {
    server,
    s3,
    async close() {
      s3.destroy();
      await server.stop();
    },
  };
}

/** The S3 error a rejected promise carries: code and HTTP status. */
export async function s3ErrorOf(promise: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return { code: error.name, status: error.$metadata.httpStatusCode };
    throw error;
  }
  throw new Error('expected the S3 call to fail, but it succeeded');
}

let counter = 0;
/** A bucket name unique within the test run. */
export function bucketName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

/** An ISO date `days` from now. */
export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * 86_400_000);
}
