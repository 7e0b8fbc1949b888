import middy from '@middy/core';
import { encodeOutgoing, type EncodedRecord } from '@mxflow/contracts';
import type { MSKEvent } from 'aws-lambda';
import { FaultSpecError, faultsFor, faultyPublisher, injectedFaults, parseFaults } from '../src/faults';

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
});
