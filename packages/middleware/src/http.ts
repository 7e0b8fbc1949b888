import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** A header's value, matched without regard to case (HTTP API lower-cases them; other sources may not). */
export function headerOf(event: Pick<APIGatewayProxyEventV2, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The request body as bytes, decoding the base64 that API Gateway uses for binary media types. */
export function bodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): Uint8Array {
  if (event.body === undefined || event.body === null) return new Uint8Array();
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/**
 * One handler for several routes, chosen by the event's route key
 * (`GET /v1/admin/entities/{id}`): one function serves a resource, so that one
 * cold start serves all its routes. A route key the table lacks (a wiring
 * mistake) throws what `unknown` makes of it.
 */
export function routeTable<E extends { readonly routeKey: string }, C, R>(
  table: Readonly<Record<string, (event: E, context: C) => R>>,
  unknown: (routeKey: string) => Error,
): (event: E, context: C) => R {
  return (event, context) => {
    const route = Object.hasOwn(table, event.routeKey) ? table[event.routeKey] : undefined;
    if (!route) throw unknown(event.routeKey);
    return route(event, context);
  };
}
