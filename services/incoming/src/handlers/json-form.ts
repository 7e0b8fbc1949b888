import type { MiddlewareObj, Request } from '@middy/core';
import { defaultLimits, InputTooLargeError, jsonFormToXml, type EngineOptions } from '@mxflow/iso20022';
import { bodyBytes, headerOf } from '@mxflow/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isJsonForm } from '../domain/submission';

/**
 * Refuses a body of more than the engine's `maxBytes` (1 MiB by default),
 * counted as the bytes the message is made of: the UTF-8 of a text body, the
 * decoded bytes of a base64 one. It measures without decoding or parsing, so
 * that an oversized body costs neither a copy nor a `JSON.parse`.
 *
 * @throws InputTooLargeError, which the submit path answers with 413 `message-too-large`
 */
export function checkBodySize(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>, engine?: EngineOptions): void {
  const limit = engine?.limits?.maxBytes ?? defaultLimits.maxBytes;
  if (event.body === undefined || event.body === null) return;
  // Buffer.byteLength counts base64 from its length and padding, and UTF-8 by a scan: neither allocates the bytes.
  const size = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (size > limit) throw new InputTooLargeError(`the body of ${size} bytes exceeds ${limit} bytes`, limit);
}

/**
 * The door of the submit and validate paths: first refuses a body over the
 * byte limit, whatever its form ({@link checkBodySize}), so that nothing after
 * it (the idempotency hash, the archive quota, the parsers) sees one. Then
 * accepts a message in the JSON form (`application/json`,
 * `{ messageId, document, appHdr? }`): checks it against its JSON Schema,
 * writes it as XML in schema order, and hands the rest of the chain that XML
 * as the body, so that it is archived, validated and answered like any XML
 * submission. Runs after `auth` and before everything that reads the body.
 *
 * @throws InputTooLargeError for a body over the limit; JsonFormError naming every JSON Pointer at fault;
 * UnsupportedMessageError for an unknown messageId
 */
export function jsonForm(engine?: EngineOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  const before = (request: Request<APIGatewayProxyEventV2>): void => {
    const { event } = request;
    checkBodySize(event, engine);
    if (!isJsonForm(headerOf(event, 'content-type'))) return;
    const { xml } = jsonFormToXml(bodyBytes(event), engine);
    const name = Object.keys(event.headers ?? {}).find((key) => key.toLowerCase() === 'content-type') ?? 'content-type';
    event.headers = { ...event.headers, [name]: 'application/xml; charset=utf-8' };
    event.body = xml;
    event.isBase64Encoded = false;
  };
  return { before };
}
