import { spawn } from 'node:child_process';
import { JavaNotFoundError, JavaVersionError } from './errors';

/** The lowest Java major version DynamoDB Local 1.25 runs on. */
export const MIN_JAVA_MAJOR = 17;

/**
 * Extracts the major version from `java -version` output (which Java writes
 * to stderr). Handles both the legacy `1.8.0_x` scheme and the modern `17.0.x`.
 *
 * @returns the major version, or `undefined` when no version string is present
 */
export function parseJavaMajorVersion(output: string): number | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (!match) return undefined;
  const parts = match[1].split(/[.+_-]/);
  // Java 8 and older report themselves as 1.x.
  const major = parts[0] === '1' ? Number(parts[1]) : Number(parts[0]);
  return Number.isInteger(major) ? major : undefined;
}

/**
 * Runs `<javaPath> -version` and throws unless it is Java {@link MIN_JAVA_MAJOR}+.
 *
 * @returns the detected major version
 * @throws JavaNotFoundError when the executable cannot be started
 * @throws JavaVersionError when it is too old or unrecognisable
 */
export async function checkJava(javaPath: string): Promise<number> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(javaPath, ['-version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', (error) => reject(new JavaNotFoundError(javaPath, { cause: error })));
    child.once('close', () => resolve(text));
  });
  const major = parseJavaMajorVersion(output);
  if (major === undefined) throw new JavaVersionError(`unrecognised output ${JSON.stringify(output.trim().split('\n')[0] ?? '')}`);
  if (major < MIN_JAVA_MAJOR) throw new JavaVersionError(`Java ${major}`);
  return major;
}
