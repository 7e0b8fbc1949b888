import { currencyExponent, refusedCurrencies } from '../reference/currencies';
import { dateProblem } from './dates';
import { AmountFault, readAmount } from '../money';
import { compareDecimals, formatDecimal, parseDecimal, sumDecimals, type Decimal } from './decimal';
import { bicProblem, ibanProblem, isUuidV4 } from './identifiers';
import { BusinessRule, RuleReasonCode, type RuleViolation } from './reason-codes';

type Json = string | JsonObject | Json[];
interface JsonObject {
  [key: string]: Json | undefined;
}

const isObject = (node: unknown): node is JsonObject => typeof node === 'object' && node !== null && !Array.isArray(node);

/** An amount in the JSON form: `{ value: "1000.00", Ccy: "EUR" }`. */
const isAmount = (node: unknown): node is { value: string; Ccy: string } =>
  isObject(node) && typeof node.value === 'string' && typeof node.Ccy === 'string';

const bicElements = new Set(['BICFI', 'AnyBIC', 'BIC']);
const currencyElements = new Set(['Ccy', 'SrcCcy', 'TrgtCcy', 'UnitCcy']);
const uetrElements = new Set(['UETR', 'OrgnlUETR']);
const creationElements = new Set(['CreDtTm', 'CreDt']);
/** Amounts that move money and so must be greater than zero. */
const principalAmounts = new Set([
  'IntrBkSttlmAmt', 'InstdAmt', 'TtlIntrBkSttlmAmt', 'RtrdIntrBkSttlmAmt', 'TtlRtrdIntrBkSttlmAmt',
  'OrgnlIntrBkSttlmAmt', 'RtrdInstdAmt',
]);
const dateElement = /(?:^|[a-z])(?:Dt|DtTm)$|^(?:Dt|DtTm)$/;

function currencyViolation(code: string, path: string): RuleViolation | undefined {
  if (currencyExponent(code) !== undefined) return undefined;
  const refused = refusedCurrencies[code];
  return {
    rule: BusinessRule.currency,
    code: RuleReasonCode.AM03,
    path,
    message: refused ? `currency ${code} is not accepted for payments: ${refused}` : `${code} is not an active ISO 4217 currency`,
  };
}

function amountViolations(name: string, amount: { value: string; Ccy: string }, path: string, out: RuleViolation[]): void {
  const currency = currencyViolation(amount.Ccy, `${path}.Ccy`);
  // Without a currency there is no exponent to judge the value by; the currency's violation refuses the amount.
  if (currency) {
    out.push(currency);
    return;
  }
  // The parser settlement reads amounts with: whatever it would refuse later is refused here, at the door.
  const { money, problem } = readAmount(amount);
  if (problem) {
    const rule = problem.fault === AmountFault.decimals ? BusinessRule.amountDecimals : BusinessRule.amountFormat;
    out.push({ rule, code: RuleReasonCode.AM12, path, message: problem.message });
  } else if (principalAmounts.has(name) && money.minor === 0n) {
    out.push({ rule: BusinessRule.amountPositive, code: RuleReasonCode.AM01, path, message: `${name} is zero` });
  }
}

function leafViolations(name: string, value: string, path: string, out: RuleViolation[]): void {
  if (bicElements.has(name)) {
    const problem = bicProblem(value);
    if (problem) out.push({ rule: BusinessRule.bic, code: RuleReasonCode.RC01, path, message: problem });
  } else if (name === 'IBAN') {
    const problem = ibanProblem(value);
    if (problem) out.push({ rule: BusinessRule.iban, code: RuleReasonCode.AC01, path, message: problem });
  } else if (currencyElements.has(name)) {
    const violation = currencyViolation(value, path);
    if (violation) out.push(violation);
  } else if (uetrElements.has(name)) {
    if (!isUuidV4(value)) out.push({ rule: BusinessRule.uetr, code: RuleReasonCode.FF02, path, message: `${name} '${value}' is not a lower-case UUID v4` });
  } else if (dateElement.test(name)) {
    const problem = dateProblem(value);
    if (problem) {
      const code = creationElements.has(name) ? RuleReasonCode.DT02 : RuleReasonCode.DT01;
      out.push({ rule: BusinessRule.date, code, path, message: `${name}: ${problem}` });
    }
  }
}

/** Applies the field-level rules (BIC, IBAN, currency, amounts, UETR, dates) to every element of a document. */
export function walk(name: string, node: Json | undefined, path: string, out: RuleViolation[]): void {
  if (typeof node === 'string') {
    leafViolations(name, node, path, out);
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => walk(name, item, `${path}[${index}]`, out));
  } else if (isAmount(node)) {
    amountViolations(name, node, path, out);
  } else if (isObject(node)) {
    for (const key of Object.keys(node)) walk(key, node[key], `${path}.${key}`, out);
  }
}

/** Where, in one message type, the counts and totals live. */
export interface TotalsSpec {
  /** Message root element under the document, such as `FIToFICstmrCdtTrf`. */
  readonly root: string;
  /** The object holding NbOfTxs / CtrlSum / the total, relative to the root. */
  readonly header: string;
  /** Element name of the total amount in the header, if the message has one. */
  readonly total?: string;
  /** Lists the transactions with their paths (relative to the root). */
  readonly transactions: (root: JsonObject) => { tx: JsonObject; path: string }[];
  /** Element name of each transaction's amount summed by the control sum and total. */
  readonly amount: string;
}

const asList = (node: Json | undefined): Json[] => (node === undefined ? [] : Array.isArray(node) ? node : [node]);

/** Transactions at `element` directly under the root. */
export const flat = (element: string) => (root: JsonObject) =>
  asList(root[element]).flatMap((tx, index) => (isObject(tx) ? [{ tx, path: `.${element}[${index}]` }] : []));

/** Transactions at `inner` within each `outer` (camt.056's Undrlyg[].TxInf[]). */
export const nested = (outer: string, inner: string) => (root: JsonObject) =>
  asList(root[outer]).flatMap((group, g) =>
    isObject(group)
      ? asList(group[inner]).flatMap((tx, t) => (isObject(tx) ? [{ tx, path: `.${outer}[${g}].${inner}[${t}]` }] : []))
      : [],
  );

/** Checks NbOfTxs, CtrlSum and the total settlement amount of a message against its transactions. */
export function totalsViolations(spec: TotalsSpec, document: JsonObject, out: RuleViolation[]): void {
  const root = document[spec.root];
  if (!isObject(root)) return;
  const header = root[spec.header];
  if (!isObject(header)) return;
  const base = `$.${spec.root}`;
  const headerPath = `${base}.${spec.header}`;
  const transactions = spec.transactions(root);

  const count = header.NbOfTxs;
  if (typeof count === 'string' && (!/^\d+$/.test(count) || BigInt(count) !== BigInt(transactions.length))) {
    out.push({
      rule: BusinessRule.transactionCount,
      code: RuleReasonCode.AM19,
      path: `${headerPath}.NbOfTxs`,
      message: `NbOfTxs is ${count} but the message has ${transactions.length} transaction(s)`,
    });
  }

  const amounts = transactions.map(({ tx, path }) => ({ amount: tx[spec.amount], path: `${base}${path}.${spec.amount}` }));
  const parsed = amounts.map(({ amount }) => (isAmount(amount) ? parseDecimal(amount.value) : undefined));
  const allParsed = transactions.length > 0 && parsed.every((value): value is Decimal => value !== undefined);

  const controlSum = header.CtrlSum;
  if (typeof controlSum === 'string' && allParsed) {
    const declared = parseDecimal(controlSum);
    const actual = sumDecimals(parsed as Decimal[]);
    if (declared === undefined || compareDecimals(declared, actual) !== 0) {
      out.push({
        rule: BusinessRule.controlSum,
        code: RuleReasonCode.AM16,
        path: `${headerPath}.CtrlSum`,
        message: `CtrlSum is ${controlSum} but the transactions' ${spec.amount} add up to ${formatDecimal(actual)}`,
      });
    }
  }

  const total = spec.total ? header[spec.total] : undefined;
  if (!spec.total || !isAmount(total) || !allParsed) return;
  const foreign = amounts.filter(({ amount }) => isAmount(amount) && amount.Ccy !== total.Ccy);
  for (const { amount, path } of foreign) {
    out.push({
      rule: BusinessRule.totalCurrency,
      code: RuleReasonCode.AM11,
      path: `${path}.Ccy`,
      message: `${spec.amount} is in ${(amount as { Ccy: string }).Ccy} but ${spec.total} is in ${total.Ccy}`,
    });
  }
  if (foreign.length > 0) return;
  const declared = parseDecimal(total.value);
  const actual = sumDecimals(parsed as Decimal[]);
  if (declared !== undefined && compareDecimals(declared, actual) !== 0) {
    out.push({
      rule: BusinessRule.totalAmount,
      code: RuleReasonCode.AM10,
      path: `${headerPath}.${spec.total}`,
      message: `${spec.total} is ${total.value} ${total.Ccy} but the transactions add up to ${formatDecimal(actual)} ${total.Ccy}`,
    });
  }
}

export type { Json, JsonObject };
export { isObject };
