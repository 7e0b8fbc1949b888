import { Agent, request as httpRequest } from 'node:http';
import { InvocationError } from './errors';

/** Runs a function with an event and resolves with its result, or rejects with {@link InvocationError}. */
export type Invoke = (functionName: string, event: unknown) => Promise<unknown>;

/**
 * Invokes functions through serverless-offline's Lambda endpoint
 * (`POST /2015-03-31/functions/<name>/invocations`), the same one the AWS SDK
 * uses offline. The function then runs exactly as serverless-offline runs it:
 * its handler runner (worker thread, child process or Docker), environment,
 * timeout, and whatever build plugins (serverless-esbuild) did to the handler.
 *
 * Over node:http with connections kept open: every record of every event
 * source goes this way, and `fetch` costs several times the CPU of a plain
 * request for the same call.
 */
export function createLambdaEndpointInvoker(endpoint: string): Invoke {
  const base = new URL(endpoint);
  const agent = new Agent({ keepAlive: true });
  return async (functionName, event) => {
    const body = JSON.stringify(event);
    let response: { status: number; functionError: boolean; text: string };
    try {
      response = await new Promise((resolve, reject) => {
        const request = httpRequest(
          {
            agent,
            host: base.hostname,
            port: base.port,
            method: 'POST',
            path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amz-invocation-type': 'RequestResponse' },
          },
          (answer) => {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('error', reject);
            answer.on('end', () =>
              resolve({ status: answer.statusCode ?? 0, functionError: Boolean(answer.headers['x-amz-function-error']), text: Buffer.concat(chunks).toString('utf8') }),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    } catch (error) {
      throw new InvocationError(`serverless-offline's Lambda endpoint ${endpoint} cannot be reached`, { cause: error });
    }
    const { text, status } = response;
    const payload: unknown = text.length > 0 ? safeParse(text) : undefined;
    if (response.functionError || status >= 300) {
      throw new InvocationError(`${functionName} failed: ${errorMessage(payload, text, status)}`);
    }
    return payload;
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorMessage(payload: unknown, text: string, status: number): string {
  if (payload && typeof payload === 'object') {
    const p = payload as { errorMessage?: unknown; Message?: unknown };
    if (typeof p.errorMessage === 'string') return p.errorMessage;
    if (typeof p.Message === 'string') return p.Message;
  }
  return text.length > 0 ? text.slice(0, 500) : `HTTP ${status}`;
}
