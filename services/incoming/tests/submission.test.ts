import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import middy from '@middy/core';
import { InputTooLargeError, UnsupportedMessageError, parseMessage } from '@mxflow/iso20022';
import { errors, type ProblemLogger } from '@mxflow/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { readConfig } from '../src/config';
import { ConfigurationError } from '@mxflow/runtime';
import { jsonForm } from '../src/handlers/json-form';
import { submitProblems } from '../src/handlers/problems';
import { InvalidIdempotencyKeyError, MessageRejectedError, RejectionKind, UnsupportedContentTypeError } from '../src/domain/errors';
import {
  assessMessage,
  checkContentType,
  checkNotDuplicate,
  duplicateKeyOf,
  checkInstructingAgent,
  idempotencyKeyOf,
  incomingRecord,
  instructingAgentOf,
  isJsonForm,
  quotaWindow,
  messageIdsOf,
  Status,
} from '../src/domain/submission';

const MESSAGES = path.resolve(fileURLToPath(import.meta.url), '../../../../packages/iso20022/tests/fixtures/messages');
const fixture = (message: string, file: string) => readFile(path.join(MESSAGES, message, file));

async function rejection(body: Uint8Array | string): Promise<MessageRejectedError> {
  try {
    assessMessage(body);
  } catch (error) {
    if (error instanceof MessageRejectedError) return error;
    throw error;
  }
  throw new Error('the message was accepted');
}

describe('assessMessage', () => {
  it('accepts a valid pacs.008 with its ids', async () => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    expect(accepted.status).toBe(Status.ACTC);
    expect(accepted.message.messageType).toBe('pacs.008');
    expect(accepted.messageIds).toEqual({
      msgId: 'COBA20261127093000001',
      endToEndIds: ['INV-2026-11-0457', 'PO-88213', 'SUB-2026-Q4-19'],
      uetrs: ['8a562c67-ca16-48ba-b074-65581be6f001', '3f1d9b42-7c0e-4a6d-9e25-b1c8d4f70a12', 'c0e4a8d2-5b9f-4e17-a3c6-2d8f1b7e9a54'],
      txIds: ['COBA-TX-20261127-0001', 'COBA-TX-20261127-0002', 'COBA-TX-20261127-0003'],
      instructionIds: ['COBA-INSTR-0001', 'COBA-INSTR-0002', 'COBA-INSTR-0003'],
    });
  });

  it.each([
    ['invalid-bic.xml', RejectionKind.rules, 'RC01', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[2].CdtrAgt.FinInstnId.BICFI'],
    ['invalid-ctrlsum.xml', RejectionKind.rules, 'AM16', '$.FIToFICstmrCdtTrf.GrpHdr.CtrlSum'],
    ['invalid-currency.xml', RejectionKind.rules, 'AM03', '$.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt.Ccy'],
    ['invalid-decimals.xml', RejectionKind.rules, 'AM12', '$.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt'],
    ['invalid-iban.xml', RejectionKind.rules, 'AC01', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].CdtrAcct.Id.IBAN'],
    ['invalid-nboftxs.xml', RejectionKind.rules, 'AM19', '$.FIToFICstmrCdtTrf.GrpHdr.NbOfTxs'],
    ['invalid-total-currency.xml', RejectionKind.rules, 'AM11', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt.Ccy'],
    ['invalid-total.xml', RejectionKind.rules, 'AM10', '$.FIToFICstmrCdtTrf.GrpHdr.TtlIntrBkSttlmAmt'],
    ['invalid-zero-amount.xml', RejectionKind.rules, 'AM01', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[2].IntrBkSttlmAmt'],
    ['invalid-signed-amount.xml', RejectionKind.rules, 'AM12', '$.FIToFICstmrCdtTrf.CdtTrfTxInf[1].IntrBkSttlmAmt'],
    ['invalid-date.xml', RejectionKind.schema, 'FF01', '/Document/FIToFICstmrCdtTrf/GrpHdr/IntrBkSttlmDt'],
    ['invalid-uetr.xml', RejectionKind.schema, 'FF01', '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/PmtId/UETR'],
  ])('rejects %s as %s with %s at %s', async (file, kind, reasonCode, path) => {
    const error = await rejection(await fixture('pacs.008.001.08', file));
    expect(error).toMatchObject({ kind, reasonCode });
    expect(error.issues[0]).toMatchObject({ path, reasonCode });
    for (const issue of error.issues) expect(issue.message).not.toBe('');
  });

  it('keeps the message ids of a rule-breaking message for its RJCT step', async () => {
    const error = await rejection(await fixture('pacs.008.001.08', 'invalid-iban.xml'));
    expect(error.messageIds?.msgId).toBe('COBA20261127093000001');
    expect(error.messageType).toBe('pacs.008');
  });

  it('rejects XML that libxml2 finds not well-formed as malformed with FF01', async () => {
    const xml = (await fixture('pacs.008.001.08', 'valid.xml')).toString('utf8').replace('<NbOfTxs>3</NbOfTxs>', '<NbOfTxs>3</NbOfTx>');
    const error = await rejection(xml);
    expect(error).toMatchObject({ kind: RejectionKind.malformed, reasonCode: 'FF01' });
  });

  it.each([
    ['an unsupported namespace', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.057.001.06"><NtfctnToRcv/></Document>', UnsupportedMessageError],
    ['a message above the size limit', `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">${' '.repeat(2048)}</Document>`, InputTooLargeError],
  ])('lets %s through as the engine’s own error', (_name, xml, type) => {
    expect(() => assessMessage(xml, { limits: { maxBytes: 1024 } })).toThrow(type);
  });
});

describe('jsonForm, the door of the submit and validate paths', () => {
  const MiB = 1024 * 1024;
  const silent: ProblemLogger = { info: () => undefined, error: () => undefined } as unknown as ProblemLogger;
  const reached: APIGatewayProxyEventV2[] = [];
  // The chain's first reader of the body, behind the errors middleware and mappers of POST /v1/messages, at the service's 1 MiB.
  const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    reached.push(event);
    return { statusCode: 200 };
  })
    .use(errors({ logger: silent, mappers: [submitProblems] }))
    .use(jsonForm({ limits: { maxBytes: MiB } }));
  const send = async (body: string, type: string, isBase64Encoded = false) =>
    (await handler(
      {
        version: '2.0',
        routeKey: 'POST /v1/messages',
        rawPath: '/v1/messages',
        rawQueryString: '',
        headers: { 'content-type': type },
        body,
        isBase64Encoded,
        // The door reads no request context; auth, before it in the real chain, does.
        requestContext: {} as APIGatewayProxyEventV2['requestContext'],
      },
      {} as Context,
    )) as APIGatewayProxyStructuredResultV2;
  const jsonPayment = async () => {
    const { messageId, document } = parseMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    return JSON.stringify({ messageId, document });
  };

  beforeEach(() => {
    reached.length = 0;
  });

  it.each<[string, () => Promise<[string, string, boolean?]>]>([
    ['a 5 MB JSON payment', async () => [(await jsonPayment()) + ' '.repeat(5 * MiB), 'application/json']],
    ['a 10 MB JSON payment', async () => [(await jsonPayment()) + ' '.repeat(10 * MiB), 'application/json']],
    // Were it parsed first, it would be refused as no JSON (422), not as too large.
    ['a JSON body one byte over the limit that is no JSON', async () => ['{'.repeat(MiB + 1), 'application/json']],
    ['a JSON body whose UTF-8 is over the limit though it has fewer characters', async () => [`"${'é'.repeat(MiB / 2 + 1)}"`, 'application/json']],
    ['a base64 JSON body whose decoded bytes are over the limit', async () => [Buffer.from((await jsonPayment()) + ' '.repeat(MiB)).toString('base64'), 'application/json', true]],
    ['an XML body over the limit', async () => [(await fixture('pacs.008.001.08', 'valid.xml')).toString('utf8') + ' '.repeat(MiB), 'application/xml']],
  ])('refuses %s with 413 message-too-large before anything reads it', async (_case, make) => {
    const [body, type, base64] = await make();
    const result = await send(body, type, base64);
    expect(result.statusCode).toBe(413);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({
      type: 'urn:mxflow:problem:message-too-large',
      status: 413,
      detail: `A message may have at most ${MiB} bytes.`,
      errors: [{ path: 'body', message: expect.stringContaining(`exceeds ${MiB} bytes`) }],
    });
    expect(reached).toEqual([]);
  });

  it('counts a base64 body by its decoded bytes, so an encoding over the limit of a message under it passes', async () => {
    const xml = (await fixture('pacs.008.001.08', 'valid.xml')).toString('utf8') + ' '.repeat(0.9 * MiB);
    const encoded = Buffer.from(xml).toString('base64');
    expect(encoded.length).toBeGreaterThan(MiB);
    expect((await send(encoded, 'application/xml', true)).statusCode).toBe(200);
    expect(reached[0]?.body).toBe(encoded);
  });

  it('hands on a JSON payment under the limit as XML', async () => {
    expect((await send(await jsonPayment(), 'application/json')).statusCode).toBe(200);
    expect(reached[0]?.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(reached[0]?.body).toContain('<MsgId>COBA20261127093000001</MsgId>');
  });
});

describe('messageIdsOf', () => {
  it.each([
    ['pacs.004.001.09', { msgId: 'INGB20261128101500001', endToEndIds: ['PO-88213'], uetrs: ['3f1d9b42-7c0e-4a6d-9e25-b1c8d4f70a12'] }],
    ['pacs.028.001.03', { msgId: 'COBA20261127140000001', endToEndIds: ['INV-2026-11-0457'], uetrs: ['8a562c67-ca16-48ba-b074-65581be6f001'] }],
  ])('collects the original ids of a %s', async (message, expected) => {
    expect(messageIdsOf(parseMessage(await fixture(message, 'valid.xml')).document)).toEqual(expected);
  });

  it('takes the assignment id of a camt.056 as its message id', async () => {
    const { document } = parseMessage(await fixture('camt.056.001.08', 'valid.xml'));
    const assignment = (document.FIToFIPmtCxlReq as { Assgnmt: { Id: string } }).Assgnmt.Id;
    expect(messageIdsOf(document)).toEqual({ msgId: assignment, endToEndIds: ['SUB-2026-Q4-19'], uetrs: ['c0e4a8d2-5b9f-4e17-a3c6-2d8f1b7e9a54'] });
  });
});

describe('duplicates', () => {
  it('keys a message by entity, type and MsgId', async () => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    expect(duplicateKeyOf('ent-alpha', accepted)).toBe('ent-alpha#pacs.008#COBA20261127093000001');
  });

  it('passes a message no earlier transaction holds', async () => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    expect(() => checkNotDuplicate(accepted, [])).not.toThrow();
  });

  it.each([
    ['pacs.008.001.08', '$.FIToFICstmrCdtTrf.GrpHdr.MsgId'],
    ['camt.056.001.08', '$.FIToFIPmtCxlReq.Assgnmt.Id'],
  ])('rejects a %s already accepted with AM05 at %s, naming the earlier transaction', async (message, path) => {
    const accepted = assessMessage(await fixture(message, 'valid.xml'));
    let error: unknown;
    try {
      checkNotDuplicate(accepted, ['2c5e8f0a-7b1d-4c3e-9f2a-6d8b0e1f3a5c']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MessageRejectedError);
    expect(error).toMatchObject({ reasonCode: 'AM05', issues: [{ path, reasonCode: 'AM05', message: expect.stringContaining('2c5e8f0a-7b1d-4c3e-9f2a-6d8b0e1f3a5c') }] });
  });
});

describe('incomingRecord', () => {
  it('keys the record by the sending entity and carries the ids as headers', async () => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid-with-apphdr.xml'));
    const ids = { transactionId: '4f9a1c2e-8d3b-4e6f-a1b2-c3d4e5f60718', requestId: '9e8d7c6b-5a4f-4e3d-b2c1-a0f9e8d7c6b5' };
    const record = incomingRecord(accepted, ids, 'ent-alpha', 'incoming/2026/11/27/x/pacs.008.xml');
    expect(record.topic).toBe('incoming.pacs.008');
    expect(record.message.key).toBe('ent-alpha');
    expect(record.message.headers).toEqual({ 'transaction-id': ids.transactionId, 'request-id': ids.requestId, 'message-type': 'pacs.008' });
    const value = JSON.parse(record.message.value) as Record<string, unknown>;
    expect(value).toEqual({
      messageId: 'pacs.008.001.08',
      messageType: 'pacs.008',
      ...ids,
      senderEntity: 'ent-alpha',
      archiveKey: 'incoming/2026/11/27/x/pacs.008.xml',
      document: accepted.message.document,
      appHdr: accepted.message.appHdr,
    });
    expect(value.appHdr).toHaveProperty('BizMsgIdr');
  });

});

describe('instructingAgentOf and checkInstructingAgent', () => {
  it.each([
    ['pacs.008.001.08', 'valid.xml', 'COBADEFFXXX', '$.FIToFICstmrCdtTrf.GrpHdr.InstgAgt.FinInstnId.BICFI'],
    // A request to pay comes from its creditor agent, not its debtor agent; its answer from the debtor agent.
    ['pain.013.001.07', 'valid.xml', 'BNPAFRPPXXX', '$.CdtrPmtActvtnReq.PmtInf.CdtTrfTx.CdtrAgt.FinInstnId.BICFI'],
    ['pain.014.001.07', 'valid.xml', 'COBADEFFXXX', '$.CdtrPmtActvtnReqStsRpt.GrpHdr.DbtrAgt.FinInstnId.BICFI'],
  ])('finds the instructing agent of %s %s', async (message, file, bic, path) => {
    const accepted = assessMessage(await fixture(message, file));
    expect(instructingAgentOf(accepted.message.document)).toEqual({ bic, path });
  });

  it('lets a participant send as its own instructing agent', async () => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    const agent = instructingAgentOf(accepted.message.document)!;
    expect(() => checkInstructingAgent(accepted, agent, 'ent-coba', 'ent-coba')).not.toThrow();
  });

  it('refuses a message from a suspended participant with AG10', async () => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    const agent = instructingAgentOf(accepted.message.document)!;
    expect(() => checkInstructingAgent(accepted, agent, 'ent-coba', 'ent-coba', 'SUSPENDED')).toThrow(expect.objectContaining({ kind: RejectionKind.forbidden, reasonCode: 'AG10' }));
    expect(() => checkInstructingAgent(accepted, agent, 'ent-coba', 'ent-coba', 'ACTIVE')).not.toThrow();
  });

  it.each([
    ['another participant', 'ent-beta'],
    ['nobody on the platform', undefined],
  ])('refuses a message whose instructing agent is %s with AG01', async (_who, agentEntity) => {
    const accepted = assessMessage(await fixture('pacs.008.001.08', 'valid.xml'));
    const agent = instructingAgentOf(accepted.message.document)!;
    let error: unknown;
    try {
      checkInstructingAgent(accepted, agent, 'ent-coba', agentEntity);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(MessageRejectedError);
    expect(error).toMatchObject({ kind: RejectionKind.forbidden, reasonCode: 'AG01', issues: [{ path: '$.FIToFICstmrCdtTrf.GrpHdr.InstgAgt.FinInstnId.BICFI' }] });
  });
});

describe('idempotencyKeyOf', () => {
  it('scopes the Idempotency-Key header by the caller', () => {
    expect(idempotencyKeyOf('ent-alpha', 'order-42')).toBe('ent-alpha#key#order-42');
    expect(idempotencyKeyOf('ent-beta', 'order-42')).toBe('ent-beta#key#order-42');
  });

  it.each(['', 'with space', 'x'.repeat(256), 'tab\tkey', 'ümlaut'])('refuses the header %p', (header) => {
    expect(() => idempotencyKeyOf('ent-alpha', header)).toThrow(InvalidIdempotencyKeyError);
  });
});

describe('isJsonForm', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['application/xml', false],
    [undefined, false],
  ])('says %p is the JSON form: %p', (type, expected) => {
    expect(isJsonForm(type)).toBe(expected);
  });
});

describe('quotaWindow', () => {
  it('counts within the UTC hour and says when the next one opens', () => {
    expect(quotaWindow(new Date('2026-12-02T07:59:30.500Z'))).toEqual({
      window: '2026-12-02T07',
      expiresAt: Date.parse('2026-12-02T09:00:00Z') / 1000,
      retryAfterSeconds: 30,
    });
    expect(quotaWindow(new Date('2026-12-02T08:00:00.000Z'))).toMatchObject({ window: '2026-12-02T08', retryAfterSeconds: 3600 });
  });
});

describe('checkContentType', () => {
  it.each([undefined, '', 'application/xml', 'text/xml; charset=utf-8', 'application/iso20022+xml', 'Application/XML', 'application/octet-stream'])('accepts %p', (type) => {
    expect(() => checkContentType(type)).not.toThrow();
  });

  it.each(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xmlx'])('refuses %p', (type) => {
    expect(() => checkContentType(type)).toThrow(UnsupportedContentTypeError);
  });
});

describe('readConfig', () => {
  const env = {
    MAPPING_TABLE: 'm',
    ENTITY_TABLE: 'e',
    IDEMPOTENCY_TABLE: 'i',
    USAGE_TABLE: 'u',
    TRANSACTION_TABLE: 't',
    ARCHIVE_BUCKET: 'b',
    AUTH_ISSUER: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X',
    KAFKA_BROKERS: 'b-1:9098, b-2:9098',
    AUTH_TOKEN_FLAVOUR: 'cognito',
    KAFKA_AUTH: 'iam',
  };

  it('reads the AWS configuration and derives the JWKS from the issuer', () => {
    expect(readConfig(env)).toMatchObject({
      authJwksUri: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_X/.well-known/jwks.json',
      kafkaBrokers: ['b-1:9098', 'b-2:9098'],
      tokenFlavour: 'cognito',
      kafkaAuth: 'iam',
      maxMessageBytes: 1048576,
    });
    expect(readConfig(env)).not.toHaveProperty('authAudience');
  });

  it.each(['MAPPING_TABLE', 'ENTITY_TABLE', 'TRANSACTION_TABLE', 'ARCHIVE_BUCKET', 'AUTH_ISSUER', 'KAFKA_BROKERS'])('names %s when it is missing', (name) => {
    expect(() => readConfig({ ...env, [name]: '' })).toThrow(new ConfigurationError(`environment variable ${name} is not set`));
  });

  it.each([
    ['KAFKA_AUTH', 'scram'],
    ['AUTH_TOKEN_FLAVOUR', 'saml'],
    ['MAX_MESSAGE_BYTES', '-1'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => readConfig({ ...env, [name]: value })).toThrow(ConfigurationError);
  });
});
