import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** The Powertools logger, metrics and tracer of one function. */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

/**
 * Powertools named from `POWERTOOLS_SERVICE_NAME` (the service's own name,
 * set by the shared serverless fragment), in the `mxflow` metrics namespace
 * unless `POWERTOOLS_METRICS_NAMESPACE` says otherwise.
 */
export function observability(fallbackName: string, env: NodeJS.ProcessEnv = process.env): Observability {
  const serviceName = env.POWERTOOLS_SERVICE_NAME || fallbackName;
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: env.POWERTOOLS_METRICS_NAMESPACE || 'mxflow', serviceName }),
    tracer: new Tracer({ serviceName }),
  };
}
