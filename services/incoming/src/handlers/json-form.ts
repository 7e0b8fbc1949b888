import type { MiddlewareObj, Request } from '@middy/core';
import { jsonFormToXml, type EngineOptions } from '@mxflow/iso20022';
import { bodyBytes, headerOf } from '@mxflow/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isJsonForm } from '../domain/submission';

/**
 * Accepts a message in the JSON form (`application/json`,
 * `{ messageId, document, appHdr? }`): checks it against its JSON Schema,
 * writes it as XML in schema order, and hands the rest of the chain that XML
 * as the body, so that it is archived, validated and answered like any XML
 * submission. Runs after `auth` and before everything that reads the body.
 *
 * @throws JsonFormError naming every JSON Pointer at fault; UnsupportedMessageError for an unknown messageId
 */
export function jsonForm(engine?: EngineOptions): MiddlewareObj<APIGatewayProxyEventV2> {
  const before = (request: Request<APIGatewayProxyEventV2>): void => {
    const { event } = request;
    if (!isJsonForm(headerOf(event, 'content-type'))) return;
    const { xml } = jsonFormToXml(bodyBytes(event), engine);
    const name = Object.keys(event.headers ?? {}).find((key) => key.toLowerCase() === 'content-type') ?? 'content-type';
    event.headers = { ...event.headers, [name]: 'application/xml; charset=utf-8' };
    event.body = xml;
    event.isBase64Encoded = false;
  };
  return { before };
}
