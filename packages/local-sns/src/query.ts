import { InvalidParameterError } from './errors';

/** The flat `key=value` parameters of one Query API request. */
export type QueryParams = Map<string, string>;

/** Reads a required parameter or throws SNS's message for a missing one. */
export function required(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (value === undefined || value === '') {
    throw new InvalidParameterError(`Invalid parameter: ${name}`);
  }
  return value;
}

/** Collects `<prefix>.entry.N.key` / `.value` pairs (the Query encoding of a string map). */
export function readEntryMap(params: QueryParams, prefix: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (let index = 1; params.has(`${prefix}.entry.${index}.key`); index++) {
    map[params.get(`${prefix}.entry.${index}.key`) as string] = params.get(`${prefix}.entry.${index}.value`) ?? '';
  }
  return map;
}

/** Collects `Tags.member.N.Key` / `.Value`. */
export function readTags(params: QueryParams): Record<string, string> {
  const tags: Record<string, string> = {};
  for (let index = 1; params.has(`Tags.member.${index}.Key`); index++) {
    tags[params.get(`Tags.member.${index}.Key`) as string] = params.get(`Tags.member.${index}.Value`) ?? '';
  }
  return tags;
}

/** A Publish message attribute, with the value as SNS delivers it (binary in base64). */
export interface PublishedAttribute {
  Type: string;
  Value: string;
}

const DATA_TYPE = /^(String|Number|Binary|String\.Array)(\..+)?$/;

/**
 * Reads `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue`
 * / `.Value.BinaryValue`, validating the data type and, for numbers and arrays, the value.
 */
export function readMessageAttributes(params: QueryParams): Record<string, PublishedAttribute> {
  const attributes: Record<string, PublishedAttribute> = {};
  for (let index = 1; params.has(`MessageAttributes.entry.${index}.Name`); index++) {
    const base = `MessageAttributes.entry.${index}`;
    const name = params.get(`${base}.Name`) as string;
    const dataType = params.get(`${base}.Value.DataType`);
    if (!dataType || !DATA_TYPE.test(dataType)) {
      throw new InvalidParameterError(`Invalid parameter: MessageAttributes Reason: The message attribute '${name}' has an invalid message attribute type`);
    }
    const binary = dataType.startsWith('Binary');
    const value = params.get(binary ? `${base}.Value.BinaryValue` : `${base}.Value.StringValue`);
    if (value === undefined) {
      throw new InvalidParameterError(`Invalid parameter: MessageAttributes Reason: The message attribute '${name}' must contain non-empty message attribute value`);
    }
    if (dataType.startsWith('Number') && !Number.isFinite(Number(value))) {
      throw new InvalidParameterError(`Invalid parameter: MessageAttributes Reason: The message attribute '${name}' has an invalid numeric value`);
    }
    if (dataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) {
        throw new InvalidParameterError(`Invalid parameter: MessageAttributes Reason: The message attribute '${name}' is not a JSON array`);
      }
    }
    attributes[name] = { Type: dataType, Value: value };
  }
  return attributes;
}
