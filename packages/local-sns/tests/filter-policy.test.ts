import { FilterPolicyError, FilterPolicyScope, matchesFilterPolicy, parseFilterPolicy, type MessageAttribute } from '../src/index';

const str = (Value: string): MessageAttribute => ({ Type: 'String', Value });
const num = (Value: string): MessageAttribute => ({ Type: 'Number', Value });
const arr = (Value: unknown[]): MessageAttribute => ({ Type: 'String.Array', Value: JSON.stringify(Value) });

function matches(policy: object, attributes: Record<string, MessageAttribute>): boolean {
  return matchesFilterPolicy(parseFilterPolicy(JSON.stringify(policy)), FilterPolicyScope.MessageAttributes, {
    attributes,
    body: '',
  });
}

describe('matchesFilterPolicy on message attributes', () => {
  it.each([
    ['an exact string', { status: ['ACSC', 'ACSP'] }, { status: str('ACSP') }, true],
    ['a different string', { status: ['ACSC'] }, { status: str('RJCT') }, false],
    ['a missing attribute', { status: ['ACSC'] }, {}, false],
    ['a string against a Number attribute', { code: ['5'] }, { code: num('5') }, false],
    ['an exact number', { amount: [100] }, { amount: num('100.0') }, true],
    ['anything-but a value', { status: [{ 'anything-but': 'RJCT' }] }, { status: str('ACSC') }, true],
    ['anything-but the excluded value', { status: [{ 'anything-but': ['RJCT', 'PDNG'] }] }, { status: str('PDNG') }, false],
    ['anything-but on a missing attribute', { status: [{ 'anything-but': 'RJCT' }] }, {}, false],
    ['anything-but a prefix', { msgType: [{ 'anything-but': { prefix: 'camt' } }] }, { msgType: str('pacs.002') }, true],
    ['a prefix', { msgType: [{ prefix: 'pacs.' }] }, { msgType: str('pacs.002') }, true],
    ['a prefix that differs', { msgType: [{ prefix: 'pacs.' }] }, { msgType: str('camt.029') }, false],
    ['a suffix', { bic: [{ suffix: 'XXX' }] }, { bic: str('BANKDEFFXXX') }, true],
    ['equals-ignore-case', { currency: [{ 'equals-ignore-case': 'eur' }] }, { currency: str('EUR') }, true],
    ['a numeric range inside', { amount: [{ numeric: ['>=', 100, '<', 1000] }] }, { amount: num('999.99') }, true],
    ['a numeric range outside', { amount: [{ numeric: ['>=', 100, '<', 1000] }] }, { amount: num('1000') }, false],
    ['numeric on a String attribute', { amount: [{ numeric: ['>', 1] }] }, { amount: str('5') }, false],
    ['exists true when present', { urgent: [{ exists: true }] }, { urgent: str('yes') }, true],
    ['exists true when absent', { urgent: [{ exists: true }] }, {}, false],
    ['exists false when absent', { urgent: [{ exists: false }] }, {}, true],
    ['exists false when present', { urgent: [{ exists: false }] }, { urgent: str('yes') }, false],
    ['any element of a String.Array', { parties: ['BANKA'] }, { parties: arr(['BANKB', 'BANKA']) }, true],
    ['no element of a String.Array', { parties: ['BANKC'] }, { parties: arr(['BANKB', 'BANKA']) }, false],
    ['all keys (AND)', { status: ['ACSC'], currency: ['EUR'] }, { status: str('ACSC'), currency: str('USD') }, false],
    ['$or branches', { $or: [{ status: ['ACSC'] }, { urgent: [{ exists: true }] }] }, { urgent: str('1') }, true],
  ])('decides %s', (_case, policy, attributes, expected) => {
    expect(matches(policy, attributes)).toBe(expected);
  });
});

describe('matchesFilterPolicy on the message body', () => {
  const policy = parseFilterPolicy(
    JSON.stringify({ status: ['ACSC'], links: { self: [{ prefix: '/v1/' }] } }),
    FilterPolicyScope.MessageBody,
  );

  it.each([
    ['a matching nested body', { status: 'ACSC', links: { self: '/v1/transactions/1' } }, true],
    ['a wrong nested value', { status: 'ACSC', links: { self: '/v2/x' } }, false],
    ['a missing nested object', { status: 'ACSC' }, false],
  ])('decides %s', (_case, body, expected) => {
    expect(
      matchesFilterPolicy(policy, FilterPolicyScope.MessageBody, { attributes: {}, body: JSON.stringify(body) }),
    ).toBe(expected);
  });

  it('never matches a body that is not JSON', () => {
    expect(matchesFilterPolicy(policy, FilterPolicyScope.MessageBody, { attributes: {}, body: 'ACSC' })).toBe(false);
  });
});

describe('parseFilterPolicy', () => {
  it.each([
    ['invalid JSON', '{status:', 'not valid JSON'],
    ['a non-object', '["ACSC"]', 'must be a JSON object'],
    ['an empty policy', '{}', 'policy is empty'],
    ['a bare value', '{"status":"ACSC"}', 'must be in a JSON array'],
    ['nesting in attribute scope', '{"links":{"self":["x"]}}', 'must be in a JSON array'],
    ['an unknown operator', '{"ip":[{"cidr":"10.0.0.0/8"}]}', 'unsupported match type cidr'],
    ['a bad numeric operator', '{"amount":[{"numeric":["!=",1]}]}', 'numeric operators'],
  ])('refuses %s', (_case, json, message) => {
    expect(() => parseFilterPolicy(json)).toThrow(FilterPolicyError);
    expect(() => parseFilterPolicy(json)).toThrow(message);
  });
});
