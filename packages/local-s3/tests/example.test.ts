import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const example = fileURLToPath(new URL('../examples/archive.ts', import.meta.url));

describe('the README example', () => {
  it('writes once, then refuses the overwrite and the delete', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-warnings', '--import', 'tsx', example], {
      timeout: 30_000,
    });
    expect(stdout.trim().split('\n')).toEqual([
      'first write: ok',
      'second write: 412 PreconditionFailed',
      'plain overwrite: 403 AccessDenied',
      'delete: 403 AccessDenied',
    ]);
  });
});
