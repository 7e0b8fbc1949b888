import middy from '@middy/core';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import {
  ClientNotMappedError,
  InsufficientScopeError,
  InvalidTokenError,
  JwksUnavailableError,
  errors,
  type ErrorsOptions,
  type ProblemLogger,
} from '../src/index';
import { httpEvent, lambdaContext } from './lambda';

type Result = Exclude<APIGatewayProxyResultV2, string>;

class TeapotError extends Error {}

function recordingLogger(): ProblemLogger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (message: string) => void lines.push({ level: 'info', message }),
    error: (message: string) => void lines.push({ level: 'error', message }),
  } as ProblemLogger & { lines: { level: string; message: string }[] };
}

async function answer(error: unknown, options: ErrorsOptions = {}): Promise<{ result: Result; body: Record<string, unknown> }> {
  const handler = middy(async () => {
    throw error;
  }).use(errors({ logger: recordingLogger(), ...options }));
  const result = (await handler(httpEvent(), lambdaContext())) as Result;
  return { result, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

describe('errors', () => {
  it.each([
    [new InvalidTokenError('token rejected: signature verification failed'), 401, 'urn:mxflow:problem:invalid-token'],
    [new InsufficientScopeError('payments/write'), 403, 'urn:mxflow:problem:insufficient-scope'],
    [new ClientNotMappedError('stranger'), 403, 'urn:mxflow:problem:client-not-allowed'],
    [new JwksUnavailableError('cannot fetch'), 503, 'urn:mxflow:problem:service-unavailable'],
  ])('answers %s with status %i and its problem type', async (error, status, type) => {
    const { result, body } = await answer(error);
    expect(result.statusCode).toBe(status);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({ type, status, title: expect.any(String) });
  });

  it('answers an unknown error with 500 and no internals', async () => {
    const logger = recordingLogger();
    const { result, body } = await answer(new Error('connect ECONNREFUSED 10.0.0.12:5432 password=hunter2'), { logger });
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.12|stack/);
    expect(body).toEqual({
      type: 'urn:mxflow:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: expect.any(String),
    });
    expect(logger.lines).toEqual([{ level: 'error', message: 'request failed' }]);
  });

  it('logs a refusal at info level', async () => {
    const logger = recordingLogger();
    await answer(new InsufficientScopeError('payments/write'), { logger });
    expect(logger.lines).toEqual([{ level: 'info', message: 'request refused' }]);
  });

  it('uses a mapper before the error’s own problem, and keeps absolute types', async () => {
    const { result, body } = await answer(new TeapotError('short and stout'), {
      mappers: [
        (error) =>
          error instanceof TeapotError
            ? { type: 'https://example.org/teapot', title: "I'm a teapot", status: 418, errors: [{ path: '/Document/Tea', message: 'not coffee', reasonCode: 'NARR' }] }
            : undefined,
      ],
    });
    expect(result.statusCode).toBe(418);
    expect(body).toEqual({
      type: 'https://example.org/teapot',
      title: "I'm a teapot",
      status: 418,
      errors: [{ path: '/Document/Tea', message: 'not coffee', reasonCode: 'NARR' }],
    });
  });

  it('leaves a successful response alone', async () => {
    const handler = middy(async () => ({ statusCode: 202, body: '{}' })).use(errors({ logger: recordingLogger() }));
    expect(await handler(httpEvent(), lambdaContext())).toEqual({ statusCode: 202, body: '{}' });
  });
});
