import { S3ApiError } from './errors';

/** What a request asks for, in the terms a bucket policy speaks. */
export interface PolicyRequest {
  /** IAM action, e.g. `s3:PutObject`. */
  action: string;
  /** Resource ARN, e.g. `arn:aws:s3:::archive/incoming/2026/01/01/tx/pacs.008.xml`. */
  resource: string;
  /** Condition keys present in the request (lower-case names); an absent key is simply missing. */
  context: Record<string, string | undefined>;
}

type StringOrList = string | string[];

interface Statement {
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: StringOrList;
  NotAction?: StringOrList;
  Resource?: StringOrList;
  NotResource?: StringOrList;
  Condition?: Record<string, Record<string, StringOrList | boolean | number>>;
}

/** A parsed bucket policy: its statements, checked for shape when stored. */
export interface BucketPolicy {
  statements: Statement[];
}

function malformed(message: string): S3ApiError {
  return new S3ApiError('MalformedPolicy', 400, message);
}

function asList(value: StringOrList | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Parses and checks a bucket policy document the way PutBucketPolicy does: JSON, a `Statement`
 * (object or list), each with an `Effect`, an action, a resource and a principal.
 */
export function parseBucketPolicy(text: string): BucketPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new S3ApiError('MalformedPolicy', 400, 'Policies must be valid JSON and the first byte must be \'{\'', {
      cause,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('Policy has invalid format');
  const raw = (doc as { Statement?: unknown }).Statement;
  if (raw === undefined) throw malformed('Missing required field Statement');
  const list = Array.isArray(raw) ? raw : [raw];
  const statements = list.map((s): Statement => {
    if (typeof s !== 'object' || s === null) throw malformed('Statement has invalid format');
    const st = s as Statement;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('Invalid effect');
    if (st.Action === undefined && st.NotAction === undefined) throw malformed('Missing required field Action');
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed('Missing required field Resource');
    if (st.Principal === undefined && st.NotPrincipal === undefined) {
      throw malformed('Missing required field Principal');
    }
    for (const r of [...asList(st.Resource), ...asList(st.NotResource)]) {
      if (typeof r !== 'string' || !r.startsWith('arn:aws:s3:::')) throw malformed('Policy has invalid resource');
    }
    return st;
  });
  return { statements };
}

/** IAM wildcard match: `*` any run of characters, `?` one character. */
function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}

/**
 * Without identities, every caller is "anyone": only a `*` principal (plain or under `AWS`)
 * can be shown to match, so statements naming specific principals are not applied.
 */
function principalMatches(st: Statement): boolean {
  const isStar = (p: unknown): boolean =>
    p === '*' || (typeof p === 'object' && p !== null && asList((p as { AWS?: StringOrList }).AWS).includes('*'));
  if (st.Principal !== undefined) return isStar(st.Principal);
  return false;
}

function actionMatches(st: Statement, action: string): boolean {
  if (st.Action !== undefined) return asList(st.Action).some((a) => wildcardMatch(a, action, true));
  return !asList(st.NotAction).some((a) => wildcardMatch(a, action, true));
}

function resourceMatches(st: Statement, resource: string): boolean {
  if (st.Resource !== undefined) return asList(st.Resource).some((r) => wildcardMatch(r, resource, false));
  return !asList(st.NotResource).some((r) => wildcardMatch(r, resource, false));
}

function conditionOperatorHolds(operator: string, actual: string | undefined, expected: string[]): boolean {
  const ifExists = operator.endsWith('IfExists');
  const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (op === 'Null') {
    // "true" means the key must be absent for the condition to hold.
    return expected.some((e) => (e.toLowerCase() === 'true') === (actual === undefined));
  }
  const negated = op.includes('Not');
  if (actual === undefined) return ifExists || negated;
  const test = (e: string): boolean => {
    switch (op) {
      case 'StringEquals':
      case 'StringNotEquals':
        return actual === e;
      case 'StringEqualsIgnoreCase':
      case 'StringNotEqualsIgnoreCase':
        return actual.toLowerCase() === e.toLowerCase();
      case 'StringLike':
      case 'StringNotLike':
      case 'ArnLike':
      case 'ArnNotLike':
      case 'ArnEquals':
      case 'ArnNotEquals':
        return wildcardMatch(e, actual, false);
      case 'Bool':
        return actual.toLowerCase() === e.toLowerCase();
      case 'NumericEquals':
      case 'NumericNotEquals':
        return Number(actual) === Number(e);
      case 'NumericLessThan':
        return Number(actual) < Number(e);
      case 'NumericLessThanEquals':
        return Number(actual) <= Number(e);
      case 'NumericGreaterThan':
        return Number(actual) > Number(e);
      case 'NumericGreaterThanEquals':
        return Number(actual) >= Number(e);
      case 'DateLessThan':
        return Date.parse(actual) < Date.parse(e);
      case 'DateLessThanEquals':
        return Date.parse(actual) <= Date.parse(e);
      case 'DateGreaterThan':
        return Date.parse(actual) > Date.parse(e);
      case 'DateGreaterThanEquals':
        return Date.parse(actual) >= Date.parse(e);
      default:
        // An operator we do not know never matches, so an unknown condition cannot widen a Deny.
        return negated;
    }
  };
  return negated ? !expected.some(test) : expected.some(test);
}

function conditionsHold(st: Statement, context: Record<string, string | undefined>): boolean {
  for (const [operator, keys] of Object.entries(st.Condition ?? {})) {
    for (const [key, value] of Object.entries(keys)) {
      const expected = (Array.isArray(value) ? value : [value]).map(String);
      if (!conditionOperatorHolds(operator, context[key.toLowerCase()], expected)) return false;
    }
  }
  return true;
}

/**
 * True when an explicit Deny in `policy` applies to the request. Allow statements change nothing here:
 * with no identities, every request is already allowed unless a policy denies it.
 */
export function policyDenies(policy: BucketPolicy, request: PolicyRequest): boolean {
  return policy.statements.some(
    (st) =>
      st.Effect === 'Deny' &&
      principalMatches(st) &&
      actionMatches(st, request.action) &&
      resourceMatches(st, request.resource) &&
      conditionsHold(st, request.context),
  );
}
