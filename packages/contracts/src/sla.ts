import { ContractError } from './errors';

/** One service-level agreement: how long a message type (of one scheme, or of any) may stay open. */
export interface SlaRule {
  /** `pacs.008`, or `*` for every type without a rule of its own. */
  readonly messageType: string;
  /** Clearing system or service level code (`FDN`, `INST`); absent for every scheme. */
  readonly scheme?: string;
  readonly seconds: number;
}

/** A malformed `SLA_RULES` text. */
export class SlaRuleError extends ContractError {
  constructor(message: string) {
    super(message);
    this.name = 'SlaRuleError';
  }
}

/**
 * Reads SLA rules: `<msgType>[@<scheme>]=<seconds>s`, separated by commas,
 * e.g. `pacs.008=10s, pacs.008@FDN=20s, *=30s` (SEPA Instant's 10 s, FedNow's 20 s).
 *
 * @throws SlaRuleError naming the rule that is not of that form
 */
export function parseSlaRules(text: string): SlaRule[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([a-z]{4}\.\d{3}|\*)(?:@([A-Za-z0-9]{1,35}))?=(\d+(?:\.\d+)?)s$/.exec(part);
      if (!match?.[1] || !match[3]) throw new SlaRuleError(`'${part}' is not an SLA rule: write <msgType>[@<scheme>]=<seconds>s, e.g. pacs.008@FDN=20s`);
      const seconds = Number(match[3]);
      if (!(seconds > 0)) throw new SlaRuleError(`'${part}' must give more than 0 seconds`);
      return { messageType: match[1], ...(match[2] ? { scheme: match[2].toUpperCase() } : {}), seconds };
    });
}

/**
 * The SLA of a message: the rule of its type and scheme, else of its type,
 * else of `*` and its scheme, else of `*`. `undefined` when no rule applies
 * (it never times out).
 */
export function slaSeconds(rules: readonly SlaRule[], messageType: string, schemes: readonly string[]): number | undefined {
  const upper = schemes.map((scheme) => scheme.toUpperCase());
  const of = (type: string) =>
    rules.find((rule) => rule.messageType === type && rule.scheme !== undefined && upper.includes(rule.scheme)) ??
    rules.find((rule) => rule.messageType === type && rule.scheme === undefined);
  return (of(messageType) ?? of('*'))?.seconds;
}

/** When a message created at `creationDateTime` times out under `seconds`, ISO 8601 UTC; `undefined` for an unreadable time. */
export function deadlineOf(creationDateTime: string, seconds: number): string | undefined {
  // An ISODateTime without an offset is read as UTC, whatever the host's time zone.
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(creationDateTime) ? creationDateTime : `${creationDateTime}Z`;
  const created = Date.parse(zoned);
  if (Number.isNaN(created)) return undefined;
  return new Date(created + Math.round(seconds * 1000)).toISOString();
}
