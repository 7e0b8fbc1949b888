import { countryCodes } from '../reference/countries';
import { ibanLengths } from '../reference/iban';

const bicShape = /^[A-Z0-9]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/**
 * Why a BIC breaks ISO 9362, or `undefined` when it is well formed: 8 or 11
 * characters, a 4-character party prefix, an ISO 3166 country code, a
 * 2-character location (second character not `O`, which ISO reserves) and an
 * optional 3-character branch code.
 */
export function bicProblem(bic: string): string | undefined {
  const match = bicShape.exec(bic);
  if (!match) return `'${bic}' is not an ISO 9362 BIC (8 or 11 upper-case letters and digits)`;
  if (!countryCodes.has(match[1])) return `'${bic}' has country code '${match[1]}', which is not an ISO 3166 country`;
  if (bic[7] === 'O') return `'${bic}' has location code '${bic.slice(6, 8)}'; ISO 9362 does not allow the letter O there`;
  return undefined;
}

/** IBAN check digits with ISO 7064 MOD 97-10, in bigint so no digit is lost. */
export function ibanRemainder(iban: string): bigint {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  return BigInt(digits) % 97n;
}

/**
 * Why an IBAN is invalid, or `undefined` when it is valid: the country must be
 * in the IBAN registry, the length must be that country's, and the check
 * digits must give remainder 1 under MOD 97-10.
 */
export function ibanProblem(iban: string): string | undefined {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(iban)) return `'${iban}' is not an IBAN (country, 2 check digits, up to 30 letters and digits)`;
  const country = iban.slice(0, 2);
  const length = ibanLengths[country];
  if (length === undefined) return `'${iban}': country '${country}' does not issue IBANs`;
  if (iban.length !== length) return `'${iban}' has ${iban.length} characters; an IBAN from ${country} has ${length}`;
  if (ibanRemainder(iban) !== 1n) return `'${iban}' fails the MOD 97-10 check digits`;
  return undefined;
}

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether `value` is a lower-case UUID version 4 (RFC 4122 variant), the form a UETR takes. */
export const isUuidV4 = (value: string): boolean => uuidV4.test(value);
