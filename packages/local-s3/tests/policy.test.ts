import { parseBucketPolicy, policyDenies } from '../src/index';

const resource = 'arn:aws:s3:::archive/incoming/2026/11/27/tx/pacs.008.xml';

function deny(statement: Record<string, unknown>) {
  return parseBucketPolicy(JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: '*', Resource: 'arn:aws:s3:::archive/*', ...statement }] }));
}

describe('bucket policy evaluation', () => {
  it.each([
    ['an exact action', { Action: 's3:PutObject' }, 's3:PutObject', true],
    ['an action in another case', { Action: 'S3:putobject' }, 's3:PutObject', true],
    ['a wildcard action', { Action: 's3:DeleteObject*' }, 's3:DeleteObjectVersion', true],
    ['a wildcard that does not reach', { Action: 's3:DeleteObject*' }, 's3:PutObject', false],
    ['a ? wildcard', { Action: 's3:?etObject' }, 's3:GetObject', true],
    ['a list of actions', { Action: ['s3:GetObject', 's3:PutObject'] }, 's3:PutObject', true],
    ['NotAction excluding the action', { NotAction: 's3:GetObject' }, 's3:GetObject', false],
    ['NotAction not excluding it', { NotAction: 's3:GetObject' }, 's3:PutObject', true],
  ])('matches %s', (_what, statement, action, denied) => {
    expect(policyDenies(deny(statement), { action, resource, context: {} })).toBe(denied);
  });

  it.each([
    ['a bucket-wide wildcard', 'arn:aws:s3:::archive/*', true],
    ['a prefix wildcard', 'arn:aws:s3:::archive/incoming/*', true],
    ['another prefix', 'arn:aws:s3:::archive/outgoing/*', false],
    ['another bucket', 'arn:aws:s3:::other/*', false],
    ['the bucket itself', 'arn:aws:s3:::archive', false],
    ['a mid-key wildcard', 'arn:aws:s3:::archive/*/2026/*/pacs.008.xml', true],
  ])('scopes by resource: %s', (_what, Resource, denied) => {
    expect(policyDenies(deny({ Action: 's3:*', Resource }), { action: 's3:PutObject', resource, context: {} })).toBe(denied);
  });

  it.each([
    ['Null true, key absent', { Null: { 's3:if-none-match': 'true' } }, {}, true],
    ['Null true, key present', { Null: { 's3:if-none-match': 'true' } }, { 's3:if-none-match': '*' }, false],
    ['Null false, key present', { Null: { 's3:if-none-match': 'false' } }, { 's3:if-none-match': '*' }, true],
    ['StringEquals matching', { StringEquals: { 's3:object-lock-mode': 'GOVERNANCE' } }, { 's3:object-lock-mode': 'GOVERNANCE' }, true],
    ['StringEquals on an absent key', { StringEquals: { 's3:object-lock-mode': 'GOVERNANCE' } }, {}, false],
    ['StringNotEquals on an absent key', { StringNotEquals: { 's3:object-lock-mode': 'COMPLIANCE' } }, {}, true],
    ['StringEqualsIfExists on an absent key', { StringEqualsIfExists: { 's3:object-lock-mode': 'COMPLIANCE' } }, {}, true],
    ['StringLike with a wildcard', { StringLike: { 's3:prefix': 'incoming/*' } }, { 's3:prefix': 'incoming/2026' }, true],
    ['Bool on transport', { Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:securetransport': 'false' }, true],
    ['NumericLessThan', { NumericLessThan: { 's3:object-lock-remaining-retention-days': '30' } }, { 's3:object-lock-remaining-retention-days': '7' }, true],
    ['two operators, one failing', { Null: { 's3:if-none-match': 'true' }, StringEquals: { 's3:x': 'y' } }, {}, false],
    ['any of several values', { StringEquals: { 's3:x': ['a', 'b'] } }, { 's3:x': 'b' }, true],
    ['an unknown operator', { Frobnicate: { 's3:x': 'a' } }, { 's3:x': 'a' }, false],
  ])('evaluates the condition %s', (_what, Condition, context, denied) => {
    expect(policyDenies(deny({ Action: 's3:PutObject', Condition }), { action: 's3:PutObject', resource, context })).toBe(denied);
  });

  it.each([
    ['"*"', '*', true],
    ['{ AWS: "*" }', { AWS: '*' }, true],
    ['{ AWS: ["*"] }', { AWS: ['*'] }, true],
    ['a specific account, which cannot be told apart without identities', { AWS: 'arn:aws:iam::123456789012:root' }, false],
  ])('applies a Deny to the principal %s', (_what, Principal, denied) => {
    expect(policyDenies(deny({ Action: 's3:PutObject', Principal }), { action: 's3:PutObject', resource, context: {} })).toBe(denied);
  });

  it('never denies through an Allow statement', () => {
    const policy = parseBucketPolicy(
      JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::archive/*' } }),
    );
    expect(policyDenies(policy, { action: 's3:PutObject', resource, context: {} })).toBe(false);
  });

  it.each([
    ['invalid JSON', 'nope'],
    ['an array document', '[]'],
    ['a statement without Resource', '{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*"}}'],
    ['a statement without Principal', '{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::a/*"}}'],
    ['a non-S3 resource', '{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:sqs:::a"}}'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseBucketPolicy(text)).toThrow(expect.objectContaining({ code: 'MalformedPolicy', status: 400 }));
  });
});
