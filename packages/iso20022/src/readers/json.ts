/**
 * Walking the JSON form for the readers: each helper names the JSON path of
 * what it cannot read, so that a reader's error points at the element.
 */
import { ReaderInputError } from '../errors';

export type JsonObject = Record<string, unknown>;

export const isObject = (node: unknown): node is JsonObject => typeof node === 'object' && node !== null && !Array.isArray(node);

/** Drops the keys whose value is undefined, so absent elements are absent properties. */
export function compact<T extends object>(entries: T): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}

/** The child object at `key`, `undefined` when absent. */
export function child(node: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = node[key];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ReaderInputError(`${path}.${key}`, `${key} must be an object`);
  return value;
}

/** The child object at `key`; its absence is an error. */
export function requiredChild(node: JsonObject, key: string, path: string): JsonObject {
  const value = child(node, key, path);
  if (value === undefined) throw new ReaderInputError(`${path}.${key}`, `${key} is missing`);
  return value;
}

/** The items of a repeating element (always an array in the JSON form; a lone object is taken as one item). */
export function items(node: JsonObject, key: string): unknown[] {
  const value = node[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function optionalText(node: JsonObject | undefined, key: string, path: string): string | undefined {
  const value = node?.[key];
  if (value === undefined || typeof value === 'string') return value;
  throw new ReaderInputError(`${path}.${key}`, `${key} must be a string`);
}

export function requiredText(node: JsonObject, key: string, path: string): string {
  const value = optionalText(node, key, path);
  if (value === undefined) throw new ReaderInputError(`${path}.${key}`, `${key} is missing`);
  return value;
}

/** `FinInstnId/BICFI` of an agent (`BranchAndFinancialInstitutionIdentification6`). */
export function bicOf(agent: JsonObject | undefined, path: string): string | undefined {
  if (agent === undefined) return undefined;
  return optionalText(child(agent, 'FinInstnId', path), 'BICFI', `${path}.FinInstnId`);
}

/** `Id/IBAN`, else `Id/Othr/Id` of an account (`CashAccount38`). */
export function accountOf(account: JsonObject | undefined, path: string): string | undefined {
  const id = account && child(account, 'Id', path);
  if (id === undefined) return undefined;
  const idPath = `${path}.Id`;
  return optionalText(id, 'IBAN', idPath) ?? optionalText(child(id, 'Othr', idPath), 'Id', `${idPath}.Othr`);
}

/**
 * The message root element (`FIToFICstmrCdtTrf`) of a document, with its JSON
 * path, unwrapping `{ Document: … }`.
 *
 * @param what how the error names the message expected: `a pacs.008 (FI to FI customer credit transfer)`
 * @param refusal the error for a document that is not the message, {@link ReaderInputError} by default
 */
export function messageRoot(
  document: unknown,
  root: string,
  what: string,
  refusal: new (path: string, message: string) => ReaderInputError = ReaderInputError,
): { node: JsonObject; path: string } {
  const wrapped = isObject(document) && isObject(document.Document);
  const body = wrapped ? (document.Document as JsonObject) : document;
  const path = wrapped ? `$.Document.${root}` : `$.${root}`;
  const node = isObject(body) ? body[root] : undefined;
  if (isObject(node)) return { node, path };
  if (node !== undefined) throw new refusal(path, `${root} must be an object`);
  const found = isObject(body) ? Object.keys(body) : [];
  const has = found.length > 0 ? `it has ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}` : `it has no ${root}`;
  throw new refusal(path, `not ${what}: ${has}`);
}
