import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

/** The Powertools logger, metrics and tracer of one function. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * Whether Powertools' Tracer would trace here: in Lambda (`AWS_EXECUTION_ENV`),
 * outside SAM and Amplify's emulators, unless `POWERTOOLS_TRACE_ENABLED` is
 * `false` (the local stage sets it so).
 */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const execution = env.AWS_EXECUTION_ENV ?? '';
  return (
    env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
    execution !== '' &&
    execution !== 'AWS_Lambda_amplify-mock' &&
    env.AWS_SAM_LOCAL === undefined
  );
}

/**
 * What stands for the Tracer where it would not trace: everything the
 * services and Powertools' `captureLambdaHandler` call on it does nothing.
 * The Tracer itself is not loaded then. The X-Ray SDK it imports installs an
 * async hook (cls-hooked) on load, which then runs for every promise of the
 * process, traced or not: a few percent of a function's CPU, and one more
 * hook for each bundle that a local host process loads.
 */
function idleTracer(serviceName: string): Tracer {
  const idle = {
    isTracingEnabled: () => false,
    captureAWSv3Client: <T>(client: T): T => client,
    getSegment: () => undefined,
    setSegment: () => undefined,
    annotateColdStart: () => undefined,
    addServiceNameAnnotation: () => undefined,
    addResponseAsMetadata: () => undefined,
    addErrorAsMetadata: () => undefined,
    putAnnotation: () => undefined,
    putMetadata: () => undefined,
    serviceName,
  };
  return idle as unknown as Tracer;
}

/**
 * Powertools named from `POWERTOOLS_SERVICE_NAME` (the service's own name,
 * set by the shared serverless fragment), in the `mxflow` metrics namespace
 * unless `POWERTOOLS_METRICS_NAMESPACE` says otherwise. The Tracer is loaded
 * only where it traces ({@link tracingEnabled}).
 */
export async function observability(fallbackName: string, env: NodeJS.ProcessEnv = process.env): Promise<Observability> {
  const serviceName = env.POWERTOOLS_SERVICE_NAME || fallbackName;
  const tracer = tracingEnabled(env) ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName }) : idleTracer(serviceName);
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'mxflow', serviceName }),
    tracer,
  };
}
