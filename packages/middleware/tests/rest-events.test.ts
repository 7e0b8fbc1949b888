import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpApiEventOf, isRestApiEvent, restApiEvents } from '../src';
import { httpEvent, lambdaContext } from './lambda';

/** A REST API (payload 1.0) proxy event as the private API sends it for `GET /v1/transactions/{id}/messages/{direction}`. */
function restEvent(overrides: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    resource: '/v1/transactions/{id}/messages/{direction}',
    path: '/v1/transactions/tx-1/messages/outgoing',
    httpMethod: 'GET',
    headers: { Authorization: 'Bearer t', Accept: 'application/json' },
    multiValueHeaders: { Authorization: ['Bearer t'], Accept: ['application/json'] },
    queryStringParameters: { archiveKey: 'outgoing/a.xml', tag: 'b' },
    multiValueQueryStringParameters: { archiveKey: ['outgoing/a.xml'], tag: ['a', 'b'] },
    pathParameters: { id: 'tx-1', direction: 'outgoing' },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'private0api',
      authorizer: { claims: { client_id: 'alpha-bank' } },
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '10.0.1.17',
        user: null,
        userAgent: 'curl/8',
        userArn: null,
        vpceId: 'vpce-0123',
        vpcId: 'vpc-0123',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: '/prod/v1/transactions/tx-1/messages/outgoing',
      stage: 'prod',
      requestId: 'rest-request',
      requestTimeEpoch: 1_796_000_000_000,
      resourceId: 'abc123',
      resourcePath: '/v1/transactions/{id}/messages/{direction}',
    },
    ...overrides,
  };
}

describe('httpApiEventOf', () => {
  it('tells a REST API event from an HTTP API event', () => {
    expect(isRestApiEvent(restEvent())).toBe(true);
    expect(isRestApiEvent(httpEvent())).toBe(false);
    expect(isRestApiEvent(null)).toBe(false);
  });

  it('gives a REST API event the route key, lower-cased headers and joined values of an HTTP API event', () => {
    const event = httpApiEventOf(restEvent());
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/transactions/{id}/messages/{direction}',
      rawPath: '/v1/transactions/tx-1/messages/outgoing',
      headers: { authorization: 'Bearer t', accept: 'application/json' },
      queryStringParameters: { archiveKey: 'outgoing/a.xml', tag: 'a,b' },
      pathParameters: { id: 'tx-1', direction: 'outgoing' },
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET', sourceIp: '10.0.1.17' }, requestId: 'rest-request', stage: 'prod' },
    });
    expect(event.rawQueryString).toBe('archiveKey=outgoing%2Fa.xml&tag=a%2Cb');
    expect(event.body).toBeUndefined();
  });

  it('keeps a binary body as base64, for bodyBytes to decode', () => {
    const event = httpApiEventOf(restEvent({ httpMethod: 'POST', resource: '/v1/messages', path: '/v1/messages', body: 'PERvY3VtZW50Lz4=', isBase64Encoded: true, queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null }));
    expect(event).toMatchObject({ routeKey: 'POST /v1/messages', body: 'PERvY3VtZW50Lz4=', isBase64Encoded: true });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
  });

  it('returns an HTTP API event as it is', () => {
    const event = httpEvent({ 'content-type': 'application/xml' }, '<Document/>');
    expect(httpApiEventOf(event)).toBe(event);
  });
});

describe('restApiEvents', () => {
  it('hands the handler the HTTP API form of either event', async () => {
    const seen: APIGatewayProxyEventV2[] = [];
    const handler = middy(async (event: APIGatewayProxyEventV2) => {
      seen.push(event);
      return { statusCode: 204 };
    }).use(restApiEvents());
    await handler(restEvent() as unknown as APIGatewayProxyEventV2, lambdaContext());
    await handler(httpEvent(), lambdaContext());
    expect(seen.map((event) => event.routeKey)).toEqual(['GET /v1/transactions/{id}/messages/{direction}', 'POST /v1/messages']);
  });
});
