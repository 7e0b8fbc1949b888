import { flat, isObject, nested, totalsViolations, walk, type JsonObject, type TotalsSpec } from './check';
import type { RuleViolation } from './reason-codes';

export { BusinessRule, RuleReasonCode, type RuleViolation } from './reason-codes';
export { bicProblem, ibanProblem, ibanRemainder, isUuidV4 } from './identifiers';
export { dateProblem } from './dates';
export { compareDecimals, formatDecimal, parseDecimal, sumDecimals, type Decimal } from './decimal';

/** Where each message type keeps its counts and totals, by message type (`pacs.008`). */
const totals: Readonly<Record<string, TotalsSpec>> = {
  'pacs.008': {
    root: 'FIToFICstmrCdtTrf',
    header: 'GrpHdr',
    total: 'TtlIntrBkSttlmAmt',
    transactions: flat('CdtTrfTxInf'),
    amount: 'IntrBkSttlmAmt',
  },
  'pacs.004': {
    root: 'PmtRtr',
    header: 'GrpHdr',
    total: 'TtlRtrdIntrBkSttlmAmt',
    transactions: flat('TxInf'),
    amount: 'RtrdIntrBkSttlmAmt',
  },
  'camt.056': {
    root: 'FIToFIPmtCxlReq',
    header: 'CtrlData',
    transactions: nested('Undrlyg', 'TxInf'),
    amount: 'OrgnlIntrBkSttlmAmt',
  },
};

/**
 * Checks the business rules an XSD cannot express on a message in its JSON
 * form (`{ FIToFICstmrCdtTrf: {...} }`; a `{ Document: {...} }` wrapper is
 * accepted too), and returns every violation; an empty list means the message
 * passes.
 *
 * Every message type gets the field rules: BICs in ISO 9362 format (RC01),
 * IBANs with a registry length and MOD 97-10 check digits (AC01), active ISO
 * 4217 currencies (AM03), no more decimals than the currency has (AM12),
 * principal amounts above zero (AM01), UETRs as UUID v4 (FF02) and dates that
 * exist (DT01, DT02 for the creation date-time). pacs.008, pacs.004 and
 * camt.056 also get their counts and sums checked: NbOfTxs (AM19), CtrlSum
 * (AM16), the total settlement amount (AM10) and its currency (AM11).
 *
 * @param messageId message identifier such as `pacs.008.001.08` (the type, `pacs.008`, picks the rules)
 * @param document the message document in the JSON form
 */
export function checkBusinessRules(messageId: string, document: unknown): RuleViolation[] {
  if (!isObject(document)) return [];
  const body: JsonObject = isObject(document.Document) ? document.Document : document;
  const violations: RuleViolation[] = [];
  for (const key of Object.keys(body)) walk(key, body[key], `$.${key}`, violations);
  const spec = totals[messageId.slice(0, 8)];
  if (spec) totalsViolations(spec, body, violations);
  return violations;
}
