import process from 'node:process';
import { createKafkaProducer, type KafkaLogEntry, type KafkaProducer } from '@mxflow/store';
import { CUSTOM_KEY, readSources, resolveBrokers, type FunctionDefinition, type PluginSettings } from './config';
import { EventSourceStartError } from './errors';
import { createLambdaEndpointInvoker, type Invoke } from './invoker';
import { startSource, type PluginLog, type RunningSource } from './source';

/** The part of the Serverless instance the plugin reads. */
export interface ServerlessLike {
  service: {
    service: string;
    custom?: Record<string, unknown>;
    getAllFunctions(): string[];
    getFunction(key: string): FunctionDefinition;
  };
  configSchemaHandler?: { defineCustomProperties(schema: object): void };
}

const consoleLog: PluginLog = {
  notice: (m) => console.log(m),
  warning: (m) => console.warn(m),
  error: (m) => console.error(m),
  debug: () => undefined,
};

const settingsSchema = {
  type: 'object',
  properties: {
    [CUSTOM_KEY]: {
      type: 'object',
      properties: {
        brokers: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        maximumRetryAttempts: { type: 'integer', minimum: 0 },
        onFailureTopic: { type: 'string' },
        retryBackoffMs: { type: 'integer', minimum: 0 },
        maxRetryBackoffMs: { type: 'integer', minimum: 0 },
        functions: { type: 'object' },
      },
      additionalProperties: false,
    },
  },
};

function numberOption(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/**
 * Serverless plugin: runs the `msk` and `kafka` events of the service against a
 * local broker while `serverless offline start` runs, invoking functions
 * through serverless-offline.
 */
export class ServerlessOfflineMsk {
  readonly hooks: Record<string, () => Promise<void>>;
  readonly #serverless: ServerlessLike;
  readonly #cliOptions: Record<string, unknown>;
  readonly #log: PluginLog;
  #sources: RunningSource[] = [];
  #producer: KafkaProducer | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(serverless: ServerlessLike, cliOptions: Record<string, unknown> = {}, utils?: { log?: PluginLog }) {
    this.#serverless = serverless;
    this.#cliOptions = cliOptions;
    this.#log = utils?.log ?? consoleLog;
    serverless.configSchemaHandler?.defineCustomProperties(settingsSchema);
    this.hooks = {
      // serverless-offline's own `offline:start:init` hook has started its Lambda endpoint by now,
      // whichever order the plugins are listed in.
      'before:offline:start:ready': () => this.start(),
      // serverless-offline's `offline:start:end` hook exits the process, so stop before it runs.
      'before:offline:start:end': () => this.stop(),
      // Plain `serverless offline` gives other plugins no lifecycle of its own: start once its
      // endpoint answers, stop on the signals it also stops on.
      'before:offline:start': () => this.#startWhenEndpointAnswers(),
    };
  }

  /** serverless-offline's Lambda endpoint, from the same options serverless-offline reads. */
  lambdaEndpoint(): string {
    const offline = (this.#serverless.service.custom?.['serverless-offline'] ?? {}) as Record<string, unknown>;
    const port = numberOption(this.#cliOptions.lambdaPort) ?? numberOption(offline.lambdaPort) ?? 3002;
    const host = String(this.#cliOptions.host ?? offline.host ?? 'localhost');
    return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  }

  /** Starts a consumer group for each enabled Kafka event. */
  start(invoke: Invoke = createLambdaEndpointInvoker(this.lambdaEndpoint())): Promise<void> {
    this.#starting ??= this.#start(invoke);
    return this.#starting;
  }

  async #start(invoke: Invoke): Promise<void> {
    const { service } = this.#serverless;
    const settings = (service.custom?.[CUSTOM_KEY] ?? {}) as PluginSettings;
    const functions: Record<string, FunctionDefinition> = {};
    for (const key of service.getAllFunctions()) functions[key] = service.getFunction(key);
    const { sources, disabled } = readSources(service.service, functions, settings);
    for (const d of disabled) this.#log.notice(`Kafka: ${d.functionKey} ← ${d.topic} is disabled`);
    if (sources.length === 0) return;

    const brokers = resolveBrokers(settings, process.env);
    const connection = {
      brokers,
      clientId: `${service.service}-offline-msk`,
      // The client's warnings are mostly reconnects and rebalances it recovers from by itself.
      onLog: (entry: KafkaLogEntry) =>
        entry.level === 'error' ? this.#log.warning(`Kafka client: ${entry.message}`) : this.#log.debug(`Kafka client: ${entry.message}`),
    };
    const producer = createKafkaProducer(connection);
    this.#producer = producer;
    // Each source joins its own consumer group, and a join waits out the broker's rebalance delay:
    // joined one after the other, a service with five sources would take five delays to start.
    const results = await Promise.allSettled(sources.map((definition) => startSource(definition, { connection, invoke, producer, log: this.#log })));
    this.#sources = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      // Consumers already running would keep the CLI alive after it reports the failure.
      await Promise.allSettled(this.#sources.map((s) => s.stop()));
      this.#sources = [];
      throw new EventSourceStartError(`Kafka event sources could not start against ${brokers.join(',')}`, { cause: failed.reason });
    }
  }

  /** Stops every consumer (leaving its group) and the dead-letter producer. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#starting?.catch(() => undefined);
      const sources = this.#sources;
      this.#sources = [];
      const results = await Promise.allSettled(sources.map((s) => s.stop()));
      for (const r of results) if (r.status === 'rejected') this.#log.warning(`Kafka: a consumer did not stop cleanly: ${String(r.reason)}`);
      await this.#producer?.disconnect().catch(() => undefined);
      if (sources.length > 0) this.#log.notice(`Kafka: stopped ${sources.length} consumer(s)`);
    })();
    return this.#stopping;
  }

  async #startWhenEndpointAnswers(): Promise<void> {
    const endpoint = this.lambdaEndpoint();
    const onSignal = () => void this.stop();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    // The hook must return for serverless-offline to start, so wait in the background.
    void (async () => {
      for (let i = 0; i < 600 && !this.#stopping; i += 1) {
        // Any HTTP answer (a 404 here) means the server listens; a GET invokes nothing.
        const answered = await fetch(endpoint).then(
          () => true,
          () => false,
        );
        if (answered) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!this.#stopping) await this.start();
    })().catch((error: unknown) => this.#log.error(`Kafka: ${error instanceof Error ? error.message : String(error)}`));
  }
}
