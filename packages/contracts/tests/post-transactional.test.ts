import {
  AlertKind,
  SlaRuleError,
  deadLetterId,
  deadlineOf,
  decodeIncoming,
  encodeDeadLetter,
  encodeReplay,
  lowBalanceAlert,
  parseSlaRules,
  slaSeconds,
  type DeadLetterValue,
} from '../src/index';

describe('parseSlaRules', () => {
  it('reads rules per type, per type and scheme, and for every type', () => {
    expect(parseSlaRules('pacs.008=10s, pacs.008@FDN=20s, camt.056@inst=2.5s, *=30s')).toEqual([
      { messageType: 'pacs.008', seconds: 10 },
      { messageType: 'pacs.008', scheme: 'FDN', seconds: 20 },
      { messageType: 'camt.056', scheme: 'INST', seconds: 2.5 },
      { messageType: '*', seconds: 30 },
    ]);
  });

  it('reads no rules from empty text or empty parts', () => {
    expect(parseSlaRules('')).toEqual([]);
    expect(parseSlaRules(' , ,')).toEqual([]);
    expect(parseSlaRules('pacs.008=10s,,')).toEqual([{ messageType: 'pacs.008', seconds: 10 }]);
  });

  it.each([
    ['a rule without its unit', 'pacs.008=10'],
    ['a rule in minutes', 'pacs.008=1m'],
    ['a type without its dot', 'pacs008=10s'],
    ['a type in capitals', 'PACS.008=10s'],
    ['an empty scheme', 'pacs.008@=10s'],
    ['a scheme with a space', 'pacs.008@FED NOW=10s'],
    ['a negative time', 'pacs.008=-1s'],
    ['no time', 'pacs.008=s'],
    ['no equals sign', 'pacs.008 10s'],
    ['spaces around the equals sign', 'pacs.008 = 10s'],
  ])('refuses %s, naming the rule', (_case, rule) => {
    const parse = () => parseSlaRules(`*=30s, ${rule}`);
    expect(parse).toThrow(SlaRuleError);
    expect(parse).toThrow(`'${rule}' is not an SLA rule`);
  });

  it('refuses a rule of zero seconds, naming it', () => {
    expect(() => parseSlaRules('pacs.008=0s')).toThrow(SlaRuleError);
    expect(() => parseSlaRules('pacs.008=0.0s')).toThrow("'pacs.008=0.0s' must give more than 0 seconds");
  });

  it('raises an error named SlaRuleError', () => {
    expect(() => parseSlaRules('nonsense')).toThrow(expect.objectContaining({ name: 'SlaRuleError' }));
  });
});

describe('slaSeconds', () => {
  const rules = parseSlaRules('pacs.008=10s, pacs.008@FDN=20s, camt.056=5s, *=30s');

  it.each([
    ['the rule of the type and scheme', 'pacs.008', ['FDN'], 20],
    ['the rule of the type and scheme, whatever its case', 'pacs.008', ['fdn'], 20],
    ['the rule of the scheme among several codes', 'pacs.008', ['SEPA', 'FDN'], 20],
    ['the rule of the type when the scheme has none', 'pacs.008', ['INST'], 10],
    ['the rule of the type without a scheme', 'pacs.008', [], 10],
    ['the rule of another type', 'camt.056', ['FDN'], 5],
    ['the rule for every type', 'pacs.028', [], 30],
    ['the rule for every type, whatever the scheme', 'pacs.004', ['FDN'], 30],
  ])('takes %s', (_case, messageType, schemes, seconds) => {
    expect(slaSeconds(rules, messageType, schemes)).toBe(seconds);
  });

  it('prefers the type and scheme over the type, and the type over every type, whatever their order', () => {
    const reversed = parseSlaRules('*=30s, pacs.008=10s, pacs.008@FDN=20s');
    expect(slaSeconds(reversed, 'pacs.008', ['FDN'])).toBe(20);
    expect(slaSeconds(reversed, 'pacs.008', [])).toBe(10);
  });

  it('takes a scheme rule for every type after the rules of the type', () => {
    const schemeWide = parseSlaRules('pacs.008=10s, *@FDN=20s, *=30s');
    expect(slaSeconds(schemeWide, 'pacs.004', ['FDN'])).toBe(20);
    expect(slaSeconds(schemeWide, 'pacs.008', ['FDN'])).toBe(10);
    expect(slaSeconds(schemeWide, 'pacs.004', [])).toBe(30);
  });

  it('gives none when no rule applies', () => {
    expect(slaSeconds(parseSlaRules('pacs.008=10s'), 'camt.056', [])).toBeUndefined();
    expect(slaSeconds([], 'pacs.008', ['FDN'])).toBeUndefined();
  });
});

describe('deadlineOf', () => {
  it.each([
    ['a UTC time', '2026-12-02T09:00:00.000Z', 10, '2026-12-02T09:00:10.000Z'],
    ['a time with an offset', '2026-12-02T10:00:00+01:00', 20, '2026-12-02T09:00:20.000Z'],
    ['a fraction of a second', '2026-12-02T09:00:00.250Z', 2.5, '2026-12-02T09:00:02.750Z'],
    ['a deadline past midnight', '2026-12-31T23:59:55.000Z', 10, '2027-01-01T00:00:05.000Z'],
    ['a time without an offset, read as UTC', '2026-12-02T09:00:00', 10, '2026-12-02T09:00:10.000Z'],
  ])('adds the SLA to %s, in UTC with milliseconds', (_case, created, seconds, deadline) => {
    expect(deadlineOf(created, seconds)).toBe(deadline);
  });

  it('gives none for a time it cannot read', () => {
    expect(deadlineOf('yesterday', 10)).toBeUndefined();
  });
});

describe('dead letters', () => {
  const letter: DeadLetterValue = {
    id: deadLetterId('incoming.pacs.008', 2, '41'),
    consumer: 'pacs008',
    topic: 'incoming.pacs.008',
    partition: 2,
    offset: '41',
    key: 'ent-alpha',
    value: '{"transactionId":"6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11"}',
    headers: { 'transaction-id': '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11', 'message-type': 'pacs.008' },
    error: { name: 'DynamoDbStoreError', message: 'Could not record a step' },
    attempts: 3,
    failedAt: '2026-12-02T09:00:05.000Z',
    transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
  };

  it('names a dead letter by where its record was', () => {
    expect(deadLetterId('incoming.pacs.008', 2, '41')).toBe('incoming.pacs.008:2:41');
  });

  it('puts a dead letter on its topic’s .dlq, keyed like the original, with the error in a header', () => {
    const record = encodeDeadLetter(letter);
    expect(record).toEqual({
      topic: 'incoming.pacs.008.dlq',
      message: {
        key: 'ent-alpha',
        value: JSON.stringify(letter),
        headers: { ...letter.headers, error: 'DynamoDbStoreError: Could not record a step' },
      },
    });
    expect(JSON.parse(record.message.value)).toEqual(letter);
  });

  it('keys a dead letter without a key by its id, and cuts a long error to 1000 characters', () => {
    const { key: _key, ...keyless } = letter;
    const record = encodeDeadLetter({ ...keyless, error: { name: 'Error', message: 'x'.repeat(2000) } });
    expect(record.message.key).toBe('incoming.pacs.008:2:41');
    expect(record.message.headers.error).toHaveLength(1000);
    expect(record.message.headers.error.startsWith('Error: xxx')).toBe(true);
  });

  it('re-drives a dead letter onto its original topic as it was, saying which letter it came from', () => {
    const record = encodeReplay(letter);
    expect(record).toEqual({
      topic: 'incoming.pacs.008',
      message: { key: 'ent-alpha', value: letter.value, headers: { ...letter.headers, 'replay-of': 'incoming.pacs.008:2:41' } },
    });
    expect(record.message.headers.error).toBeUndefined();
  });

  it('re-drives a record its consumer can read again', () => {
    const original = {
      messageId: 'pacs.008.001.08',
      messageType: 'pacs.008',
      transactionId: '6f1c1a52-8f0e-4e52-9d4c-2b1f3c0a9e11',
      requestId: 'c1d2e3f4-0000-4000-8000-000000000001',
      senderEntity: 'ent-alpha',
      document: { FIToFICstmrCdtTrf: {} },
    };
    const record = encodeReplay({ ...letter, value: JSON.stringify(original) });
    expect(decodeIncoming(record.topic, record.message.value)).toEqual(original);
  });
});

describe('lowBalanceAlert', () => {
  it('makes the alert of a low balance, with a link to the participant’s liquidity', () => {
    expect(lowBalanceAlert({ entityId: 'ent-alpha', currency: 'EUR', balance: '70.00', threshold: '100.00', timestamp: '2026-12-02T09:00:06.000Z' })).toEqual({
      kind: 'low-balance',
      entityId: 'ent-alpha',
      currency: 'EUR',
      balance: '70.00',
      threshold: '100.00',
      timestamp: '2026-12-02T09:00:06.000Z',
      links: { liquidity: '/v1/admin/entities/ent-alpha/liquidity' },
    });
    expect(AlertKind.lowBalance).toBe('low-balance');
  });
});
