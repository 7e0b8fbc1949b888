import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { clientFor } from './helpers';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Starts the CLI and resolves with its endpoint once it prints the listening line. */
function startCli(dataDir: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI did not start: ${out}`));
    }, 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^local-s3 listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, endpoint: match[1] });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited with ${code}: ${out}`));
    });
  });
}

function stopCli(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('local-s3 CLI', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'local-s3-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('prints its endpoint, serves S3, exits cleanly on SIGTERM and keeps data for the next start', async () => {
    const first = await startCli(dataDir);
    const s3 = clientFor(first.endpoint);
    try {
      expect((await fetch(`${first.endpoint}/_health`)).status).toBe(200);
      await s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
      await s3.send(new PutObjectCommand({ Bucket: 'cli-bucket', Key: 'k', Body: 'kept' }));
    } finally {
      s3.destroy();
    }
    expect(await stopCli(first.child)).toBe(0);

    const second = await startCli(dataDir);
    const again = clientFor(second.endpoint);
    try {
      const got = await again.send(new GetObjectCommand({ Bucket: 'cli-bucket', Key: 'k' }));
      expect(await got.Body!.transformToString()).toBe('kept');
    } finally {
      again.destroy();
      expect(await stopCli(second.child)).toBe(0);
    }
  });
});
