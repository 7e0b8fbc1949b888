import type { ConsumedRecord } from '@mxflow/store';
import { EventSource, toMskEvent } from '../src/index';

function record(partial: Partial<ConsumedRecord>): ConsumedRecord {
  return {
    topic: 'incoming.pacs.008',
    partition: 0,
    offset: '0',
    timestamp: '1545084650987',
    key: null,
    value: Buffer.from('{}'),
    headers: [],
    ...partial,
  };
}

describe('toMskEvent', () => {
  it('groups records under "<topic>-<partition>" in the order given', () => {
    const event = toMskEvent({ eventSource: EventSource.MSK, eventSourceArn: 'arn:aws:kafka:x', bootstrapServers: ['a:1', 'b:2'] }, [
      record({ partition: 1, offset: '7' }),
      record({ partition: 0, offset: '3' }),
      record({ partition: 1, offset: '8' }),
    ]);

    expect(event.bootstrapServers).toBe('a:1,b:2');
    expect(Object.keys(event.records)).toEqual(['incoming.pacs.008-1', 'incoming.pacs.008-0']);
    expect(event.records['incoming.pacs.008-1'].map((r) => r.offset)).toEqual([7, 8]);
  });

  it('encodes key and value in base64 and headers as byte arrays, keeping repeated names', () => {
    const event = toMskEvent({ eventSource: EventSource.MSK, eventSourceArn: 'arn', bootstrapServers: ['a:1'] }, [
      record({
        key: Buffer.from('debtor'),
        value: Buffer.from([0xff, 0x00]),
        headers: [
          { key: 'h', value: Buffer.from('ab') },
          { key: 'h', value: Buffer.from([1]) },
        ],
      }),
    ]);

    expect(event.records['incoming.pacs.008-0'][0]).toEqual({
      topic: 'incoming.pacs.008',
      partition: 0,
      offset: 0,
      timestamp: 1545084650987,
      timestampType: 'CREATE_TIME',
      key: 'ZGVidG9y',
      value: '/wA=',
      headers: [{ h: [97, 98] }, { h: [1] }],
    });
  });

  it('leaves out a null key and shows a null value as an empty string', () => {
    const [shaped] = toMskEvent({ eventSource: EventSource.MSK, eventSourceArn: 'arn', bootstrapServers: ['a:1'] }, [
      record({ value: null }),
    ]).records['incoming.pacs.008-0'];

    expect('key' in shaped).toBe(false);
    expect(shaped.value).toBe('');
  });

  it('marks self-managed Kafka events without an eventSourceArn', () => {
    const event = toMskEvent({ eventSource: EventSource.SELF_MANAGED, eventSourceArn: 'ignored', bootstrapServers: ['a:1'] }, [record({})]);

    expect(event.eventSource).toBe('SelfManagedKafka');
    expect('eventSourceArn' in event).toBe(false);
  });
});
