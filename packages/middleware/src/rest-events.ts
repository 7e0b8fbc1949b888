import type middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/** Whether an event came from a REST API (payload 1.0) rather than an HTTP API (2.0). */
export function isRestApiEvent(event: unknown): event is APIGatewayProxyEvent {
  const candidate = event as Partial<APIGatewayProxyEvent & { version?: string }> | null;
  return typeof candidate === 'object' && candidate !== null && candidate.version !== '2.0' && typeof candidate.httpMethod === 'string' && typeof candidate.resource === 'string';
}

/** The values of a multi-value map joined as an HTTP API joins them (`,` for query strings, `, ` for headers). */
function joined(single: Record<string, string | undefined> | null, multi: Record<string, string[] | undefined> | null, separator: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(single ?? {})) if (value !== undefined) out[name] = value;
  for (const [name, values] of Object.entries(multi ?? {})) if (values?.length) out[name] = values.join(separator);
  return out;
}

/**
 * A REST API (payload 1.0) proxy event in the form of an HTTP API (payload
 * 2.0) event: the route key from the resource template, lower-cased headers
 * and joined repeated values. The handlers read one shape, whichever API a
 * route group is exposed on (the public HTTP API, or the private REST API).
 * An HTTP API event is returned as it is.
 */
export function httpApiEventOf(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  if (!isRestApiEvent(event)) return event;
  const headers = Object.fromEntries(Object.entries(joined(event.headers, event.multiValueHeaders, ', ')).map(([name, value]) => [name.toLowerCase(), value]));
  const query = joined(event.queryStringParameters, event.multiValueQueryStringParameters, ',');
  const routeKey = `${event.httpMethod} ${event.resource}`;
  const context = event.requestContext;
  return {
    version: '2.0',
    routeKey,
    rawPath: event.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(event.pathParameters ? { pathParameters: Object.fromEntries(Object.entries(event.pathParameters).filter((entry): entry is [string, string] => entry[1] !== undefined)) } : {}),
    ...(event.body === null ? {} : { body: event.body }),
    isBase64Encoded: event.isBase64Encoded,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName ?? '',
      domainPrefix: context.domainPrefix ?? '',
      http: { method: event.httpMethod, path: event.path, protocol: context.protocol, sourceIp: context.identity.sourceIp, userAgent: context.identity.userAgent ?? '' },
      requestId: context.requestId,
      routeKey,
      stage: context.stage,
      time: context.requestTime ?? '',
      timeEpoch: context.requestTimeEpoch,
    },
  };
}

/** Middleware: hands the handler every API Gateway event in the HTTP API (2.0) form ({@link httpApiEventOf}). */
export function restApiEvents(): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      request.event = httpApiEventOf(request.event);
    },
  };
}
