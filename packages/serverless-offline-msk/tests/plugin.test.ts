import { freePort } from './support/offline';
import { EventSourceStartError, ServerlessOfflineMsk, type FunctionDefinition, type ServerlessLike } from '../src/index';

function service(custom: Record<string, unknown>, functions: Record<string, FunctionDefinition> = {}): ServerlessLike {
  return {
    service: {
      service: 'svc',
      custom,
      getAllFunctions: () => Object.keys(functions),
      getFunction: (key) => functions[key],
    },
  };
}

describe('ServerlessOfflineMsk', () => {
  it.each([
    [{}, {}, 'http://localhost:3002'],
    [{ 'serverless-offline': { lambdaPort: 4002, host: '127.0.0.1' } }, {}, 'http://127.0.0.1:4002'],
    [{ 'serverless-offline': { lambdaPort: 4002 } }, { lambdaPort: '5002', host: '0.0.0.0' }, 'http://127.0.0.1:5002'],
  ])('finds serverless-offline’s Lambda endpoint from custom %j and CLI options %j', (custom, cli, endpoint) => {
    expect(new ServerlessOfflineMsk(service(custom), cli).lambdaEndpoint()).toBe(endpoint);
  });

  it('hooks into serverless offline start before its ready and end hooks', () => {
    expect(Object.keys(new ServerlessOfflineMsk(service({})).hooks).sort()).toEqual([
      'before:offline:start',
      'before:offline:start:end',
      'before:offline:start:ready',
    ]);
  });

  it('reports a broker it cannot reach as an EventSourceStartError', async () => {
    const port = await freePort();
    const plugin = new ServerlessOfflineMsk(
      service(
        { 'serverless-offline-msk': { brokers: `127.0.0.1:${port}` } },
        { f: { events: [{ msk: { arn: 'arn', topic: 't' } }] } },
      ),
      {},
      { log: { notice: () => undefined, warning: () => undefined, error: () => undefined, debug: () => undefined } },
    );

    await expect(plugin.start(async () => undefined)).rejects.toThrow(EventSourceStartError);
    await plugin.stop();
  });

  it('starts nothing, and needs no broker, when the service has no Kafka events', async () => {
    const plugin = new ServerlessOfflineMsk(service({}, { f: { events: [{ http: {} }] } }));
    await expect(plugin.start(async () => undefined)).resolves.toBeUndefined();
    await plugin.stop();
  });
});
