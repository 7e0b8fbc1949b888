/** Region and credentials every local client uses; the local services accept any. */
export const localAws = {
  region: 'us-east-1',
  accountId: '000000000000',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/** Configuration of an AWS SDK v3 client talking to a local endpoint. */
export function localClientConfig(endpoint: string): { endpoint: string; region: string; credentials: typeof localAws.credentials } {
  return { endpoint, region: localAws.region, credentials: localAws.credentials };
}
