import { FilterPolicyError } from './errors';

/** Where a filter policy looks: message attributes (the default) or the JSON message body. */
export const FilterPolicyScope = {
  MessageAttributes: 'MessageAttributes',
  MessageBody: 'MessageBody',
} as const;
/** One of {@link FilterPolicyScope}. */
export type FilterPolicyScope = (typeof FilterPolicyScope)[keyof typeof FilterPolicyScope];

/** A message attribute as delivered: SNS data type and its string form. */
export interface MessageAttribute {
  Type: string;
  Value: string;
}

type Scalar = string | number | boolean | null;
type Condition =
  | { kind: 'equals'; value: Scalar }
  | { kind: 'exists'; value: boolean }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'equalsIgnoreCase'; value: string }
  | { kind: 'anythingBut'; values: Scalar[]; prefix?: string; suffix?: string }
  | { kind: 'numeric'; checks: Array<{ op: NumericOperator; operand: number }> };

type NumericOperator = '=' | '<' | '<=' | '>' | '>=';
const NUMERIC_OPERATORS: readonly string[] = ['=', '<', '<=', '>', '>='];

/** A parsed policy: each key holds either alternatives (leaf) or a nested policy (body scope only). */
export interface FilterPolicy {
  fields: Map<string, Condition[] | FilterPolicy>;
  /** `$or` branches: the message matches if it matches this policy's fields and any branch. */
  anyOf: FilterPolicy[];
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function parseCondition(raw: unknown, path: string): Condition {
  if (isScalar(raw)) return { kind: 'equals', value: raw };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FilterPolicyError(`${path}: match values must be scalars or objects`);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length !== 1) throw new FilterPolicyError(`${path}: a match object has exactly one operator`);
  const [operator, operand] = entries[0] as [string, unknown];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new FilterPolicyError(`${path}: exists takes true or false`);
      return { kind: 'exists', value: operand };
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') throw new FilterPolicyError(`${path}: ${operator} takes a string`);
      return { kind: operator === 'equals-ignore-case' ? 'equalsIgnoreCase' : operator, value: operand };
    case 'anything-but': {
      if (Array.isArray(operand)) {
        if (!operand.every((item) => typeof item === 'string' || typeof item === 'number')) {
          throw new FilterPolicyError(`${path}: anything-but lists strings or numbers`);
        }
        return { kind: 'anythingBut', values: operand as Scalar[] };
      }
      if (typeof operand === 'string' || typeof operand === 'number') return { kind: 'anythingBut', values: [operand] };
      if (operand && typeof operand === 'object') {
        const { prefix, suffix } = operand as Record<string, unknown>;
        if (typeof prefix === 'string') return { kind: 'anythingBut', values: [], prefix };
        if (typeof suffix === 'string') return { kind: 'anythingBut', values: [], suffix };
      }
      throw new FilterPolicyError(`${path}: anything-but takes a value, a list, or { prefix } / { suffix }`);
    }
    case 'numeric': {
      if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
        throw new FilterPolicyError(`${path}: numeric takes [op, n] or [op, n, op, n]`);
      }
      const checks: Array<{ op: NumericOperator; operand: number }> = [];
      for (let i = 0; i < operand.length; i += 2) {
        const op = operand[i];
        const value = operand[i + 1];
        if (typeof op !== 'string' || !NUMERIC_OPERATORS.includes(op) || typeof value !== 'number') {
          throw new FilterPolicyError(`${path}: numeric operators are =, <, <=, >, >= followed by a number`);
        }
        checks.push({ op: op as NumericOperator, operand: value });
      }
      return { kind: 'numeric', checks };
    }
    default:
      throw new FilterPolicyError(`${path}: unsupported match type ${operator}`);
  }
}

function parseObject(raw: unknown, path: string, allowNesting: boolean): FilterPolicy {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FilterPolicyError(`${path || 'policy'} must be a JSON object`);
  const policy: FilterPolicy = { fields: new Map(), anyOf: [] };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new FilterPolicyError(`${at} takes at least two policies`);
      policy.anyOf = value.map((branch, index) => parseObject(branch, `${at}[${index}]`, allowNesting));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new FilterPolicyError(`${at}: empty list of match values`);
      policy.fields.set(key, value.map((condition, index) => parseCondition(condition, `${at}[${index}]`)));
    } else if (allowNesting && typeof value === 'object' && value !== null) {
      policy.fields.set(key, parseObject(value, at, allowNesting));
    } else {
      throw new FilterPolicyError(`${at}: match values must be in a JSON array`);
    }
  }
  if (policy.fields.size === 0 && policy.anyOf.length === 0) throw new FilterPolicyError('policy is empty');
  return policy;
}

/**
 * Parses and validates a `FilterPolicy` attribute. Nested keys are only
 * allowed with the MessageBody scope, as in SNS.
 *
 * @throws FilterPolicyError naming the offending key
 */
export function parseFilterPolicy(json: string, scope: FilterPolicyScope = FilterPolicyScope.MessageAttributes): FilterPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new FilterPolicyError('FilterPolicy is not valid JSON', { cause: error });
  }
  return parseObject(raw, '', scope === FilterPolicyScope.MessageBody);
}

function compare(op: NumericOperator, left: number, right: number): boolean {
  switch (op) {
    case '=':
      return left === right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

/** Does one present value satisfy one condition? (`exists` is decided by the caller.) */
function valueMatches(condition: Condition, value: Scalar): boolean {
  switch (condition.kind) {
    case 'equals':
      return value === condition.value;
    case 'exists':
      return condition.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(condition.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(condition.value);
    case 'equalsIgnoreCase':
      return typeof value === 'string' && value.toLowerCase() === condition.value.toLowerCase();
    case 'anythingBut':
      if (condition.prefix !== undefined) return typeof value === 'string' && !value.startsWith(condition.prefix);
      if (condition.suffix !== undefined) return typeof value === 'string' && !value.endsWith(condition.suffix);
      return !condition.values.includes(value);
    case 'numeric':
      return typeof value === 'number' && condition.checks.every(({ op, operand }) => compare(op, value, operand));
  }
}

/** `undefined` values means the key is absent. */
function conditionsMatch(conditions: Condition[], values: Scalar[] | undefined): boolean {
  return conditions.some((condition) => {
    if (condition.kind === 'exists') return condition.value === (values !== undefined);
    if (values === undefined) return false;
    // anything-but must hold for every element of an array, the other operators for any element.
    if (condition.kind === 'anythingBut') return values.length > 0 && values.every((value) => valueMatches(condition, value));
    return values.some((value) => valueMatches(condition, value));
  });
}

function attributeValues(attribute: MessageAttribute | undefined): Scalar[] | undefined {
  if (!attribute) return undefined;
  switch (attribute.Type) {
    case 'String':
      return [attribute.Value];
    case 'Number': {
      const number = Number(attribute.Value);
      return Number.isFinite(number) ? [number] : [];
    }
    case 'String.Array':
      try {
        const parsed: unknown = JSON.parse(attribute.Value);
        return Array.isArray(parsed) ? parsed.filter(isScalar) : [];
      } catch {
        return [];
      }
    default:
      // SNS never matches Binary attributes by value; they still count for exists.
      return [];
  }
}

function matchAttributes(policy: FilterPolicy, attributes: Record<string, MessageAttribute>): boolean {
  for (const [key, conditions] of policy.fields) {
    if (!Array.isArray(conditions)) return false;
    if (!conditionsMatch(conditions, attributeValues(attributes[key]))) return false;
  }
  return policy.anyOf.length === 0 || policy.anyOf.some((branch) => matchAttributes(branch, attributes));
}

function matchBody(policy: FilterPolicy, body: Record<string, unknown>): boolean {
  for (const [key, rule] of policy.fields) {
    const present = Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined;
    const field = present ? body[key] : undefined;
    if (Array.isArray(rule)) {
      const values = present ? (Array.isArray(field) ? field : [field]).filter(isScalar) : undefined;
      if (!conditionsMatch(rule, values)) return false;
    } else if (!(field && typeof field === 'object' && !Array.isArray(field) && matchBody(rule, field as Record<string, unknown>))) {
      return false;
    }
  }
  return policy.anyOf.length === 0 || policy.anyOf.some((branch) => matchBody(branch, body));
}

/**
 * Decides whether a message passes a subscription's filter policy.
 *
 * With the MessageBody scope a body that is not a JSON object never matches.
 */
export function matchesFilterPolicy(
  policy: FilterPolicy,
  scope: FilterPolicyScope,
  message: { attributes: Record<string, MessageAttribute>; body: string },
): boolean {
  if (scope === FilterPolicyScope.MessageAttributes) return matchAttributes(policy, message.attributes);
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false;
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) && matchBody(policy, body as Record<string, unknown>);
}
