import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { localClientConfig, startLocalCloud, type LocalCloud } from '@mxflow/local-stack';
import { encodeOutgoing, type EncodedRecord } from '@mxflow/contracts';
import type { MSKEvent } from 'aws-lambda';
import { FaultSpecError, crashAfterWrites, faultsFor, faultyPublisher, injectedFaults, parseFaults } from '../src/faults';

const eventOf = (values: readonly unknown[]): MSKEvent =>
  ({
    eventSource: 'aws:kafka',
    eventSourceArn: 'arn:aws:kafka:local',
    bootstrapServers: 'localhost:9092',
    records: {
      'incoming.pacs.008-0': values.map((value, offset) => ({
        topic: 'incoming.pacs.008',
        partition: 0,
        offset,
        timestamp: 0,
        timestampType: 'CREATE_TIME',
        value: Buffer.from(JSON.stringify(value)).toString('base64'),
        headers: [],
      })),
    },
  }) as unknown as MSKEvent;
const payment = (endToEndId: string) => ({ transactionId: 't', document: { FIToFICstmrCdtTrf: { CdtTrfTxInf: [{ PmtId: { EndToEndId: endToEndId } }] } } });

describe('fault injection', () => {
  it('reads MXFLOW_FAULTS and refuses an entry of another form, naming it', () => {
    expect(parseFaults('pacs008:fail-always:DLQ-, pacs008:slow:SLOW-:4000,outgoing:crash-before-publish:X')).toEqual([
      { consumer: 'pacs008', kind: 'fail-always', prefix: 'DLQ-' },
      { consumer: 'pacs008', kind: 'slow', prefix: 'SLOW-', ms: 4000 },
      { consumer: 'outgoing', kind: 'crash-before-publish', prefix: 'X' },
    ]);
    expect(() => parseFaults('pacs008:explode:X')).toThrow(FaultSpecError);
    expect(() => parseFaults('pacs008:slow:X')).toThrow(/slow:<prefix>:<ms>/);
  });

  it('installs nothing outside the local stage', () => {
    expect(faultsFor('pacs008', { MXFLOW_STAGE: 'prod', MXFLOW_FAULTS: 'pacs008:fail-always:X' })).toEqual([]);
    expect(faultsFor('pacs008', { MXFLOW_STAGE: 'local', MXFLOW_FAULTS: 'pacs008:fail-always:X,outgoing:fail-always:Y' })).toHaveLength(1);
  });

  it('fails every delivery of a record it hits before the handler runs, and lets others through', async () => {
    let handled = 0;
    const handler = middy(async () => {
      handled += 1;
    }).use(injectedFaults(parseFaults('pacs008:fail-always:DLQ-')));
    await expect(handler(eventOf([payment('DLQ-1')]), {} as never)).rejects.toThrow('injected failure');
    await expect(handler(eventOf([payment('DLQ-1')]), {} as never)).rejects.toThrow('injected failure');
    await handler(eventOf([payment('OK-1')]), {} as never);
    expect(handled).toBe(1);
  });

  it('fails the first publish of a hit transaction only, after which its records go out', async () => {
    const sent: EncodedRecord[] = [];
    const publisher = faultyPublisher({ publish: async (records) => void sent.push(...records) }, parseFaults('pacs008:crash-before-publish:CRASH-'));
    const record = (transactionId: string, endToEndId: string) =>
      encodeOutgoing({ messageId: 'pacs.002.001.10', messageType: 'pacs.002', transactionId, requestId: 'r', receiverEntity: 'ent-alpha', status: 'ACSC', document: { FIToFIPmtStsRpt: { TxInfAndSts: [{ OrgnlEndToEndId: endToEndId }] } } });
    await expect(publisher.publish([record('t-1', 'CRASH-1')])).rejects.toThrow('injected crash');
    await publisher.publish([record('t-1', 'CRASH-1')]);
    await publisher.publish([record('t-2', 'OTHER')]);
    expect(sent.map((item) => item.message.headers['transaction-id'])).toEqual(['t-1', 't-2']);
  });

  describe('crash-after-write, on DynamoDB Local', () => {
    let cloud: LocalCloud;
    beforeAll(async () => {
      cloud = await startLocalCloud({ namePrefix: 'mxflow-runtime-faults' });
    }, 120_000);
    afterAll(async () => {
      await cloud?.stop();
    });

    it('fails a write that was written, as a crash right after it would, and leaves reads alone', async () => {
      const client = crashAfterWrites(new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb)), parseFaults('*:crash-after-write:100'));
      const key = { clientId: { S: `crash-${Date.now()}` } };
      await expect(client.send(new PutItemCommand({ TableName: cloud.tables.mapping_table, Item: { ...key, entityId: { S: 'ent-x' } } }))).rejects.toThrow('injected crash after a PutItemCommand');
      expect((await client.send(new GetItemCommand({ TableName: cloud.tables.mapping_table, Key: key, ConsistentRead: true }))).Item?.entityId?.S).toBe('ent-x');
      client.destroy();
    });

    it('stops the process right after a write that was written (kill-after-write), and never after a read', async () => {
      const deaths: string[] = [];
      // The process's death is the one thing replaced here: the real one is SIGKILL of this process.
      const client = crashAfterWrites(new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb)), parseFaults('*:kill-after-write:100'), Math.random, () => deaths.push('killed'));
      const key = { clientId: { S: `kill-${Date.now()}` } };
      await client.send(new GetItemCommand({ TableName: cloud.tables.mapping_table, Key: key }));
      expect(deaths).toEqual([]);
      await client.send(new PutItemCommand({ TableName: cloud.tables.mapping_table, Item: { ...key, entityId: { S: 'ent-y' } } }));
      expect(deaths).toEqual(['killed']);
      expect((await client.send(new GetItemCommand({ TableName: cloud.tables.mapping_table, Key: key, ConsistentRead: true }))).Item?.entityId?.S).toBe('ent-y');
      client.destroy();
    });

    it('reads the percentage of writes to fail, and refuses another', () => {
      expect(parseFaults('*:kill-after-write:1')).toEqual([{ consumer: '*', kind: 'kill-after-write', prefix: '1' }]);
      expect(() => parseFaults('*:kill-after-write:0')).toThrow(FaultSpecError);
      expect(parseFaults('*:crash-after-write:5')).toEqual([{ consumer: '*', kind: 'crash-after-write', prefix: '5' }]);
      expect(() => parseFaults('*:crash-after-write:0')).toThrow(FaultSpecError);
      expect(faultsFor('incoming', { MXFLOW_STAGE: 'local', MXFLOW_FAULTS: '*:crash-after-write:5' })).toHaveLength(1);
    });
  });
});
