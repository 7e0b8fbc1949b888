import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceEnvironment, startService, type LocalCloud } from '@mxflow/local-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO_ROOT = path.resolve(here, '../../../..');
/** The incoming service directory. */
export const SERVICE_DIR = path.resolve(here, '../..');

/** `serverless offline start --stage local` of the incoming service, as `pnpm dev` runs it. */
export interface Offline {
  readonly url: string;
  output(): string;
  /** Stops serverless-offline and waits until it has exited. */
  stop(): Promise<void>;
}

/** Starts the service under serverless-offline with the local cloud's environment; resolves once its HTTP API answers. */
export async function startOffline(cloud: LocalCloud): Promise<Offline> {
  let output = '';
  const service = await startService({ name: 'incoming', dir: SERVICE_DIR, hasHttpApi: true, routes: [], scheduled: [] }, serviceEnvironment(cloud), (line) => {
    output += `${line}\n`;
  });
  if (!service.api) throw new Error('serverless offline started without an HTTP API');
  return { url: service.api, output: () => output, stop: service.stop };
}
