import { BROKERS_ENV, MskConfigError, readSources, resolveBrokers, type FunctionDefinition } from '../src/index';

const arn = 'arn:aws:kafka:eu-west-1:1:cluster/c/u';

describe('readSources', () => {
  it('applies Lambda defaults and names the group after service and function', () => {
    const { sources } = readSources('svc', { pay: { name: 'svc-dev-pay', events: [{ msk: { arn, topic: 'in' } }] } }, {});

    expect(sources).toEqual([
      {
        functionKey: 'pay',
        functionName: 'svc-dev-pay',
        eventSource: 'aws:kafka',
        eventSourceArn: arn,
        topic: 'in',
        groupId: 'svc-pay',
        batchSize: 100,
        windowMs: 500,
        startFrom: 'earliest',
        retryBackoffMs: 1000,
        maxRetryBackoffMs: 30_000,
      },
    ]);
  });

  it('reads event keys and per-function retry settings over service-wide ones', () => {
    const functions: Record<string, FunctionDefinition> = {
      pay: {
        events: [
          {
            msk: {
              arn,
              topic: 'in',
              batchSize: 1,
              maximumBatchingWindow: 0,
              startingPosition: 'AT_TIMESTAMP',
              startingPositionTimestamp: 1700000000,
              consumerGroupId: 'pay-group',
            },
          },
        ],
      },
    };
    const [source] = readSources('svc', functions, {
      maximumRetryAttempts: 5,
      retryBackoffMs: 10,
      functions: { pay: { maximumRetryAttempts: 0, onFailureTopic: 'pay.dlq' } },
    }).sources;

    expect(source).toMatchObject({
      groupId: 'pay-group',
      batchSize: 1,
      windowMs: 0,
      startFrom: 'timestamp',
      startTimestamp: 1_700_000_000_000,
      maximumRetryAttempts: 0,
      onFailureTopic: 'pay.dlq',
      retryBackoffMs: 10,
    });
  });

  it('gives each of several events of one function its own default group', () => {
    const { sources } = readSources('svc', { f: { events: [{ msk: { arn, topic: 'a' } }, { kafka: { topic: 'b' } }] } }, {});

    expect(sources.map((s) => [s.groupId, s.eventSource])).toEqual([
      ['svc-f-a', 'aws:kafka'],
      ['svc-f-b', 'SelfManagedKafka'],
    ]);
  });

  it('reports disabled events instead of running them', () => {
    const result = readSources('svc', { f: { events: [{ msk: { arn, topic: 'a', enabled: false } }, { http: {} }] } }, {});

    expect(result).toEqual({ sources: [], disabled: [{ functionKey: 'f', topic: 'a' }] });
  });

  it.each([
    ['AT_TIMESTAMP without a timestamp', { arn, topic: 'a', startingPosition: 'AT_TIMESTAMP' as const }],
    ['an unknown starting position', { arn, topic: 'a', startingPosition: 'SOMEWHERE' as 'LATEST' }],
    ['a missing topic', { arn, topic: '' }],
    ['a negative batch size', { arn, topic: 'a', batchSize: -1 }],
  ])('refuses %s', (_, msk) => {
    expect(() => readSources('svc', { f: { events: [{ msk }] } }, {})).toThrow(MskConfigError);
  });

  it('refuses two events in one consumer group', () => {
    const functions = {
      a: { events: [{ msk: { arn, topic: 'x', consumerGroupId: 'g' } }] },
      b: { events: [{ msk: { arn, topic: 'y', consumerGroupId: 'g' } }] },
    };
    expect(() => readSources('svc', functions, {})).toThrow(/share consumer group g/);
  });
});

describe('resolveBrokers', () => {
  it('prefers the plugin settings to the environment', () => {
    expect(resolveBrokers({ brokers: ['a:1'] }, { [BROKERS_ENV]: 'b:2' })).toEqual(['a:1']);
  });

  it('splits the environment variable on commas', () => {
    expect(resolveBrokers({}, { [BROKERS_ENV]: 'a:1, b:2' })).toEqual(['a:1', 'b:2']);
  });

  it('names the environment variable when no broker is configured', () => {
    expect(() => resolveBrokers({}, {})).toThrow(BROKERS_ENV);
  });
});
