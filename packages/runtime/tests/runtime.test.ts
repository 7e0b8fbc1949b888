import { ConfigurationError, readAuthConfig, readKafkaConfig, recordsOf } from '../src/index';

describe('recordsOf', () => {
  it('decodes every record of every partition, keys, values and headers', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const records = recordsOf({
      records: {
        'incoming.pacs.008-0': [
          { topic: 'incoming.pacs.008', partition: 0, offset: 7, timestamp: 1796194498000, timestampType: 'CREATE_TIME', key: b64('ent-alpha'), value: b64('{"a":1}'), headers: [{ 'transaction-id': [...Buffer.from('tx-1')] }] },
        ],
        'incoming.pacs.008-1': [{ topic: 'incoming.pacs.008', partition: 1, offset: 3, timestamp: 1796194498001, timestampType: 'CREATE_TIME', key: '', value: b64('{}'), headers: [] }],
      },
    });
    expect(records).toEqual([
      { topic: 'incoming.pacs.008', partition: 0, offset: 7, timestamp: 1796194498000, key: 'ent-alpha', value: Buffer.from('{"a":1}'), headers: { 'transaction-id': 'tx-1' } },
      { topic: 'incoming.pacs.008', partition: 1, offset: 3, timestamp: 1796194498001, value: Buffer.from('{}'), headers: {} },
    ]);
  });
});

describe('configuration', () => {
  it('reads Kafka and derives the JWKS from the issuer', () => {
    expect(readKafkaConfig({ KAFKA_BROKERS: 'b-1:9098, b-2:9098', KAFKA_AUTH: 'iam', AWS_REGION: 'eu-west-1' })).toEqual({
      kafkaBrokers: ['b-1:9098', 'b-2:9098'],
      kafkaAuth: 'iam',
      region: 'eu-west-1',
    });
    expect(readAuthConfig({ AUTH_ISSUER: 'https://issuer.example/' })).toMatchObject({ authJwksUri: 'https://issuer.example/.well-known/jwks.json', tokenFlavour: 'rfc9068' });
  });

  it('names a missing or unusable variable', () => {
    expect(() => readKafkaConfig({})).toThrow(new ConfigurationError('environment variable KAFKA_BROKERS is not set'));
    expect(() => readKafkaConfig({ KAFKA_BROKERS: 'b:1', KAFKA_AUTH: 'scram' })).toThrow(/KAFKA_AUTH must be one of none, iam/);
  });
});
