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
