import { InvocationError } from './errors';

/** Runs a function with an event and resolves with its result, or rejects with {@link InvocationError}. */
export type Invoke = (functionName: string, event: unknown) => Promise<unknown>;

/**
 * Invokes functions through serverless-offline's Lambda endpoint
 * (`POST /2015-03-31/functions/<name>/invocations`), the same one the AWS SDK
 * uses offline. The function then runs exactly as serverless-offline runs it:
 * its handler runner (worker thread, child process or Docker), environment,
 * timeout, and whatever build plugins (serverless-esbuild) did to the handler.
 */
export function createLambdaEndpointInvoker(endpoint: string): Invoke {
  return async (functionName, event) => {
    const url = `${endpoint}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
        body: JSON.stringify(event),
      });
    } catch (error) {
      throw new InvocationError(`serverless-offline's Lambda endpoint ${endpoint} cannot be reached`, { cause: error });
    }
    const text = await response.text();
    const payload: unknown = text.length > 0 ? safeParse(text) : undefined;
    if (response.headers.get('x-amz-function-error') || response.status >= 300) {
      throw new InvocationError(`${functionName} failed: ${errorMessage(payload, text, response.status)}`);
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
