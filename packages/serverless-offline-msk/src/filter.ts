import type { ConsumedRecord } from '@mxflow/store';
import { MskConfigError } from './errors';

/**
 * An event source mapping's filter criteria (serverless.yml `filterPatterns`,
 * CloudFormation `FilterCriteria`), as Lambda applies them to Kafka records:
 * a record that matches no pattern is never handed to the function, and its
 * offset is committed with the rest. For Kafka, Lambda filters on the record's
 * `value`: its JSON when it is JSON, its text otherwise.
 *
 * The pattern syntax is EventBridge's; this supports the part of it that
 * services use: exact values (strings, numbers, booleans, null), `exists`,
 * `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (a value or a list),
 * and nested objects. Anything else is refused when the source is read, so
 * that a pattern is never quietly taken for one that matches everything.
 */
export type FilterPattern = Readonly<Record<string, unknown>>;

const OPERATORS = new Set(['exists', 'prefix', 'suffix', 'equals-ignore-case', 'anything-but']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Checks the patterns of one event; throws MskConfigError naming the function and what is wrong. */
export function checkFilterPatterns(functionKey: string, patterns: unknown): FilterPattern[] | undefined {
  if (patterns === undefined) return undefined;
  const fail = (why: string): never => {
    throw new MskConfigError(`Function ${functionKey}: filterPatterns ${why}`);
  };
  if (!Array.isArray(patterns) || patterns.length === 0) fail('must be a non-empty list of patterns');
  const checkRule = (rule: unknown, where: string): void => {
    if (isObject(rule)) {
      for (const [key, inner] of Object.entries(rule)) checkRule(inner, `${where}.${key}`);
      return;
    }
    if (!Array.isArray(rule) || rule.length === 0) fail(`${where}: a field takes a list of values or operators, or a nested pattern`);
    for (const matcher of rule as unknown[]) {
      if (isScalar(matcher)) continue;
      if (!isObject(matcher) || Object.keys(matcher).length !== 1) fail(`${where}: ${JSON.stringify(matcher)} is not a value or one operator`);
      const [[operator, operand]] = Object.entries(matcher as Record<string, unknown>);
      if (!OPERATORS.has(operator)) fail(`${where}: the operator "${operator}" is not supported offline (${[...OPERATORS].join(', ')})`);
      if (operator === 'exists' && typeof operand !== 'boolean') fail(`${where}: exists takes true or false`);
      if (['prefix', 'suffix', 'equals-ignore-case'].includes(operator) && typeof operand !== 'string') fail(`${where}: ${operator} takes a string`);
      if (operator === 'anything-but' && !isScalar(operand) && !(Array.isArray(operand) && operand.every(isScalar))) fail(`${where}: anything-but takes a value or a list of values`);
    }
  };
  for (const [index, pattern] of (patterns as unknown[]).entries()) {
    if (!isObject(pattern) || Object.keys(pattern).length === 0) fail(`[${index}] must be an object`);
    for (const key of Object.keys(pattern as object)) if (key !== 'value') fail(`[${index}]: Lambda filters Kafka records on "value" only, not "${key}"`);
    checkRule((pattern as Record<string, unknown>).value, `[${index}].value`);
  }
  return patterns as FilterPattern[];
}

function matchesOne(matcher: unknown, field: unknown, present: boolean): boolean {
  if (isObject(matcher)) {
    const [[operator, operand]] = Object.entries(matcher);
    if (operator === 'exists') return present === operand;
    if (!present) return false;
    const values = Array.isArray(field) ? field : [field];
    switch (operator) {
      case 'prefix':
        return values.some((value) => typeof value === 'string' && value.startsWith(operand as string));
      case 'suffix':
        return values.some((value) => typeof value === 'string' && value.endsWith(operand as string));
      case 'equals-ignore-case':
        return values.some((value) => typeof value === 'string' && value.toLowerCase() === (operand as string).toLowerCase());
      case 'anything-but': {
        const excluded = Array.isArray(operand) ? operand : [operand];
        return values.every((value) => !excluded.includes(value));
      }
      default:
        return false;
    }
  }
  if (!present) return false;
  return (Array.isArray(field) ? field : [field]).some((value) => value === matcher);
}

function matchesRule(rule: unknown, field: unknown, present: boolean): boolean {
  if (isObject(rule)) {
    return Object.entries(rule).every(([key, inner]) => {
      const has = isObject(field) && Object.hasOwn(field, key);
      return matchesRule(inner, has ? (field as Record<string, unknown>)[key] : undefined, has);
    });
  }
  return (rule as unknown[]).some((matcher) => matchesOne(matcher, field, present));
}

/** The record's value as Lambda filters it: its JSON when it is JSON, its text otherwise. */
function filterableValue(record: Pick<ConsumedRecord, 'value'>): unknown {
  const text = record.value ? record.value.toString('utf8') : '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Whether Lambda would hand the record to the function: it matches at least one of the patterns. */
export function matchesFilters(patterns: readonly FilterPattern[], record: Pick<ConsumedRecord, 'value'>): boolean {
  const value = filterableValue(record);
  return patterns.some((pattern) => matchesRule(pattern.value, value, true));
}
