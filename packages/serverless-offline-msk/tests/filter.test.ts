import { checkFilterPatterns, matchesFilters, MskConfigError } from '../src/index';

const record = (value: unknown) => ({ value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)) });
const matches = (pattern: Record<string, unknown>, value: unknown) => matchesFilters([pattern], record(value));

describe('filter patterns (Lambda filter criteria on Kafka record values)', () => {
  it('matches exact values, also inside arrays and nested objects', () => {
    expect(matches({ value: { status: ['ACSC', 'ACCC'] } }, { status: 'ACSC' })).toBe(true);
    expect(matches({ value: { status: ['ACSC'] } }, { status: 'RJCT' })).toBe(false);
    expect(matches({ value: { tags: ['b'] } }, { tags: ['a', 'b'] })).toBe(true);
    expect(matches({ value: { amount: [5] } }, { amount: 5 })).toBe(true);
    expect(matches({ value: { amount: [5] } }, { amount: '5' })).toBe(false);
    expect(matches({ value: { party: { bic: ['ALPHDEFFXXX'] } } }, { party: { bic: 'ALPHDEFFXXX' } })).toBe(true);
    expect(matches({ value: { party: { bic: ['ALPHDEFFXXX'] } } }, { party: 'ALPHDEFFXXX' })).toBe(false);
  });

  it('knows exists, prefix, suffix, equals-ignore-case and anything-but', () => {
    expect(matches({ value: { parent: [{ exists: true }] } }, { parent: 'x' })).toBe(true);
    expect(matches({ value: { parent: [{ exists: true }] } }, {})).toBe(false);
    expect(matches({ value: { parent: [{ exists: false }] } }, {})).toBe(true);
    expect(matches({ value: { parent: [{ exists: false }] } }, { parent: null })).toBe(false);
    expect(matches({ value: { type: [{ prefix: 'pacs.' }] } }, { type: 'pacs.002' })).toBe(true);
    expect(matches({ value: { type: [{ suffix: '.002' }] } }, { type: 'pain.001' })).toBe(false);
    expect(matches({ value: { type: [{ 'equals-ignore-case': 'ACSC' }] } }, { type: 'acsc' })).toBe(true);
    expect(matches({ value: { status: [{ 'anything-but': ['RJCT', 'PDNG'] }] } }, { status: 'ACSC' })).toBe(true);
    expect(matches({ value: { status: [{ 'anything-but': 'RJCT' }] } }, { status: 'RJCT' })).toBe(false);
    // A field that is absent matches no value operator.
    expect(matches({ value: { status: [{ 'anything-but': 'RJCT' }] } }, {})).toBe(false);
  });

  it('filters a value that is not JSON as its text, and passes a record that matches any one pattern', () => {
    expect(matches({ value: [{ prefix: 'hello' }] }, 'hello world')).toBe(true);
    expect(matches({ value: { a: [1] } }, 'hello world')).toBe(false);
    expect(matchesFilters([{ value: { a: [1] } }, { value: { b: [2] } }], record({ b: 2 }))).toBe(true);
  });

  it('refuses at reading what it would not apply as Lambda does', () => {
    expect(checkFilterPatterns('f', undefined)).toBeUndefined();
    expect(() => checkFilterPatterns('f', [])).toThrow(MskConfigError);
    expect(() => checkFilterPatterns('f', [{ key: { a: [1] } }])).toThrow(/on "value" only/);
    expect(() => checkFilterPatterns('f', [{ value: { a: [{ numeric: ['>', 0] }] } }])).toThrow(/"numeric" is not supported/);
    expect(() => checkFilterPatterns('f', [{ value: { a: 'x' } }])).toThrow(/list of values/);
    expect(() => checkFilterPatterns('f', [{ value: { a: [{ exists: 'yes' }] } }])).toThrow(/exists takes true or false/);
    expect(checkFilterPatterns('f', [{ value: { a: [{ exists: true }], b: { c: ['x', null] } } }])).toHaveLength(1);
  });
});
