import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceEnvironment, startLocalCloud, startService, type LocalCloud } from '@mxflow/local-stack';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO_ROOT = path.resolve(here, '../../../..');
/** The incoming service directory. */
export const SERVICE_DIR = path.resolve(here, '../..');

/** Starts an in-memory local cloud whose names start with `prefix`. */
export function startCloud(prefix: string): Promise<LocalCloud> {
  return startLocalCloud({
    infraDir: path.join(REPO_ROOT, 'infra'),
    seedFile: path.join(REPO_ROOT, 'packages/local-stack/seed/participants.json'),
    namePrefix: prefix,
  });
}

/** Asks the local OAuth server for a client_credentials access token. */
export async function fetchToken(cloud: LocalCloud, clientId: string, scope: string): Promise<string> {
  const client = [...cloud.seed.participants, ...cloud.seed.operators].find((candidate) => candidate.clientId === clientId);
  if (!client) throw new Error(`no seeded client ${clientId}`);
  const response = await fetch(cloud.endpoints.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: cloud.endpoints.audience }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

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
  const service = await startService({ name: 'incoming', dir: SERVICE_DIR, hasHttpApi: true }, serviceEnvironment(cloud), (line) => {
    output += `${line}\n`;
  });
  if (!service.api) throw new Error('serverless offline started without an HTTP API');
  return { url: service.api, output: () => output, stop: service.stop };
}
