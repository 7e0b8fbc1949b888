import { parseArgs } from 'node:util';
import { FsyncPolicy, startBroker, type FsyncPolicyName } from './broker';
import { BrokerConfigError } from './errors';
import { LogLevel, type LogLevelName } from './logger';

const USAGE = `usage: kafka-broker [--port 9092] [--host 127.0.0.1] [--data-dir DIR] [--partitions 1]
       [--fsync always|interval] [--fsync-interval-ms 1000] [--no-auto-create]
       [--retention-ms MS] [--retention-bytes N] [--segment-bytes N]
       [--rebalance-delay-ms 3000] [--log-level debug|info|warn|error]
Without --data-dir the broker keeps everything in memory.`;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new BrokerConfigError(`--${name} needs an integer, got ${value}`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      partitions: { type: 'string' },
      fsync: { type: 'string' },
      'fsync-interval-ms': { type: 'string' },
      'no-auto-create': { type: 'boolean' },
      'retention-ms': { type: 'string' },
      'retention-bytes': { type: 'string' },
      'segment-bytes': { type: 'string' },
      'rebalance-delay-ms': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.fsync !== undefined && !Object.values(FsyncPolicy).includes(values.fsync as FsyncPolicyName)) {
    throw new BrokerConfigError(`--fsync must be always or interval, got ${values.fsync}`);
  }
  if (values['log-level'] !== undefined && !(values['log-level'] in LogLevel)) {
    throw new BrokerConfigError(`--log-level must be one of ${Object.keys(LogLevel).join(', ')}, got ${values['log-level']}`);
  }
  const broker = await startBroker({
    port: int('port', values.port),
    host: values.host,
    dataDir: values['data-dir'],
    defaultPartitions: int('partitions', values.partitions),
    fsync: values.fsync as FsyncPolicyName | undefined,
    fsyncIntervalMs: int('fsync-interval-ms', values['fsync-interval-ms']),
    autoCreateTopics: values['no-auto-create'] ? false : undefined,
    retentionMs: int('retention-ms', values['retention-ms']),
    retentionBytes: int('retention-bytes', values['retention-bytes']),
    segmentBytes: int('segment-bytes', values['segment-bytes']),
    initialRebalanceDelayMs: int('rebalance-delay-ms', values['rebalance-delay-ms']),
    logLevel: values['log-level'] as LogLevelName | undefined,
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`kafka-broker: ${signal}, stopping\n`);
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`kafka-broker: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // The "listening on" line goes to stdout: scripts wait for it to know the port is open, and may
  // signal the broker at once, so it comes after the handlers.
  process.stdout.write(`kafka-broker listening on ${broker.brokers}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`kafka-broker: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
  process.exit(1);
});
