import net from 'node:net';
import { API_HANDLERS, ApiKey, isSupported, NO_RESPONSE, writeUnsupportedVersion, type BrokerContext } from './apis';
import { Reader, Writer } from './codec';
import { BrokerConfigError, MalformedRequestError } from './errors';
import { GroupCoordinator } from './groups';
import { lockDataDir } from './lock';
import { createLogger, type Logger, type LogLevelName } from './logger';
import { OffsetStore, ProducerIdAllocator, TopicStore } from './store';

/** When appends and offset commits are forced to disk. */
export const FsyncPolicy = {
  /** Before every acks=-1 produce answer and every offset-commit answer (group commit). */
  ALWAYS: 'always',
  /** Every `fsyncIntervalMs`; answers wait only for the write to reach the OS. */
  INTERVAL: 'interval',
} as const;
export type FsyncPolicyName = (typeof FsyncPolicy)[keyof typeof FsyncPolicy];

/** Options of {@link startBroker}. Every one has a default. */
export interface BrokerOptions {
  /** TCP port; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on and to advertise. Default 127.0.0.1. */
  host?: string;
  /** Directory of the log segments and state; omitted means in memory. */
  dataDir?: string;
  /** Create unknown topics on Metadata (when the client allows) and Produce. Default true. */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics with numPartitions -1. Default 1. */
  defaultPartitions?: number;
  /** Default `always`. */
  fsync?: FsyncPolicyName;
  /** Period of the `interval` policy. Default 1000. */
  fsyncIntervalMs?: number;
  /** Largest record set accepted (MESSAGE_TOO_LARGE beyond); frames over this plus 64 KiB close the connection. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Default segment size. Default 64 MiB. */
  segmentBytes?: number;
  /** Default time retention; -1 keeps forever. Default 7 days. */
  retentionMs?: number;
  /** Default size retention per partition; -1 means no limit. Default -1. */
  retentionBytes?: number;
  /** How often retention runs. Default 5000. */
  retentionCheckIntervalMs?: number;
  /** Wait of the first rebalance of an empty group for more members. Default 3000; tests use 0. */
  initialRebalanceDelayMs?: number;
  /** Log level; otherwise `MXFLOW_LOG_LEVEL`, otherwise info. */
  logLevel?: LogLevelName;
  /** Replaces the stderr logger. */
  logger?: Logger;
  /** Told the topic each time a produce appended records to it (in this process: the local stage wakes its schedules with it). */
  onAppend?: (topic: string) => void;
}

/** A running broker. */
export interface RunningBroker {
  host: string;
  port: number;
  /** `host:port`, ready for a client's `brokers` list. */
  brokers: string;
  /** Stops accepting, closes every connection, flushes and closes the files. */
  stop(): Promise<void>;
}

// A client may pipeline requests; past this many unanswered ones we stop reading its socket.
const MAX_IN_FLIGHT = 64;
// Room for a request's own fields around a record set of max.message.bytes: a frame a little over
// the limit still gets a MESSAGE_TOO_LARGE answer, anything bigger closes the connection.
const REQUEST_OVERHEAD_BYTES = 64 * 1024;

/**
 * Starts a single-node broker speaking the Kafka protocol.
 *
 * @example
 * const broker = await startBroker({ port: 0, dataDir: './.data/kafka' });
 * const kafka = new Kafka({ brokers: [broker.brokers] });
 */
export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const o = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir ?? null,
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: options.defaultPartitions ?? 1,
    fsync: options.fsync ?? FsyncPolicy.ALWAYS,
    fsyncIntervalMs: options.fsyncIntervalMs ?? 1000,
    maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024,
    segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    retentionMs: options.retentionMs ?? 7 * 24 * 3600 * 1000,
    retentionBytes: options.retentionBytes ?? -1,
    retentionCheckIntervalMs: options.retentionCheckIntervalMs ?? 5000,
    initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? 3000,
  };
  if (!Object.values(FsyncPolicy).includes(o.fsync)) throw new BrokerConfigError(`unknown fsync policy ${String(o.fsync)}`);
  if (!(o.defaultPartitions >= 1)) throw new BrokerConfigError('defaultPartitions must be at least 1');
  const log = options.logger ?? createLogger(options.logLevel);
  const release = o.dataDir === null ? () => {} : lockDataDir(o.dataDir, log);
  let topics: TopicStore;
  let offsets: OffsetStore;
  let producerIds: ProducerIdAllocator;
  try {
    topics = new TopicStore(o.dataDir, o);
    offsets = new OffsetStore(o.dataDir);
    producerIds = new ProducerIdAllocator(o.dataDir);
  } catch (err) {
    release();
    throw err;
  }
  const broker: BrokerContext = {
    host: o.host,
    port: o.port,
    autoCreateTopics: o.autoCreateTopics,
    defaultPartitions: o.defaultPartitions,
    maxMessageBytes: o.maxMessageBytes,
    fsyncBeforeAnswer: o.fsync === FsyncPolicy.ALWAYS,
    topics,
    offsets,
    producerIds,
    groups: new GroupCoordinator({ initialRebalanceDelayMs: o.initialRebalanceDelayMs, minSessionTimeoutMs: 1000, maxSessionTimeoutMs: 300_000 }, log),
    log,
    parkedFetches: new Set(),
    stopping: false,
    ...(options.onAppend ? { onAppend: options.onAppend } : {}),
  };
  const timers = startTimers(broker, o);
  const sockets = new Set<net.Socket>();
  const maxFrameBytes = o.maxMessageBytes + REQUEST_OVERHEAD_BYTES;

  const server = net.createServer((socket) => serveConnection(broker, socket, sockets, maxFrameBytes));
  server.on('error', (err) => log.error(`server error: ${err.message}`));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    for (const t of timers) clearInterval(t);
    broker.groups.close();
    await topics.close();
    await offsets.close();
    release();
    throw err;
  }
  const port = (server.address() as net.AddressInfo).port;
  broker.port = port;
  log.info(`listening on ${o.host}:${port} (${o.dataDir === null ? 'in memory' : `data in ${o.dataDir}`}, fsync ${o.fsync})`);

  let stopped: Promise<void> | null = null;
  return {
    host: o.host,
    port,
    brokers: `${o.host}:${port}`,
    stop: () => {
      stopped ??= (async () => {
        broker.stopping = true;
        for (const t of timers) clearInterval(t);
        const closedServer = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const wake of [...broker.parkedFetches]) wake();
        broker.groups.close();
        for (const s of sockets) s.destroy();
        await closedServer;
        await topics.close();
        await offsets.close();
        release();
        log.info('stopped');
      })();
      return stopped;
    },
  };
}

/** Starts the periodic fsync (under the `interval` policy) and the retention sweep; neither keeps the process alive. */
function startTimers(broker: BrokerContext, o: { fsync: FsyncPolicyName; fsyncIntervalMs: number; retentionCheckIntervalMs: number }): NodeJS.Timeout[] {
  const { topics, offsets, log } = broker;
  const timers: NodeJS.Timeout[] = [];
  const flushAll = async () => {
    for (const t of topics.topics.values()) for (const p of t.partitions) if (p.dirty) await p.flush();
    if (offsets.dirty) await offsets.flush();
  };
  if (o.fsync === FsyncPolicy.INTERVAL) {
    let running = false;
    timers.push(
      setInterval(() => {
        if (running) return;
        running = true;
        flushAll()
          .catch((err: unknown) => log.error(`periodic fsync failed: ${String(err)}`))
          .finally(() => (running = false));
      }, o.fsyncIntervalMs),
    );
  }
  timers.push(
    setInterval(() => {
      const now = Date.now();
      for (const t of topics.topics.values()) {
        t.partitions.forEach((p, i) => {
          try {
            const n = p.enforceRetention(now);
            if (n > 0) log.debug(`retention removed ${n} segment(s) of ${t.name}-${i}`);
          } catch (err) {
            log.error(`retention of ${t.name}-${i} failed: ${String(err)}`);
          }
        });
      }
    }, o.retentionCheckIntervalMs),
  );
  for (const t of timers) t.unref();
  return timers;
}

/**
 * Reads length-prefixed request frames from one connection, dispatches each to its API handler
 * and writes the answers back in request order.
 */
function serveConnection(broker: BrokerContext, socket: net.Socket, sockets: Set<net.Socket>, maxFrameBytes: number): void {
  const { log } = broker;
  if (broker.stopping) {
    socket.destroy();
    return;
  }
  sockets.add(socket);
  // Answers are small and often pipelined: Nagle's algorithm would hold them back for an ACK.
  socket.setNoDelay(true);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  log.debug(`connection from ${peer}`);
  let chunks: Buffer[] = [];
  let buffered = 0;
  let closed = false;
  const queue: { ready: boolean; frame: Buffer | null }[] = [];

  const close = (reason: string) => {
    if (closed) return;
    closed = true;
    log.debug(`closing connection from ${peer}: ${reason}`);
    socket.destroy();
  };

  // eslint-disable-next-line prefer-const -- assigned below, after handle() that it calls is defined
  let pump: () => void;
  const drain = () => {
    while (queue.length > 0 && queue[0].ready) {
      const { frame } = queue.shift()!;
      if (frame !== null && !closed) socket.write(frame);
    }
    if (queue.length < MAX_IN_FLIGHT && socket.isPaused() && !closed) {
      pump();
      if (queue.length < MAX_IN_FLIGHT) socket.resume();
    }
  };

  const handle = (frame: Buffer) => {
    const r = new Reader(frame);
    const apiKey = r.int16();
    const apiVersion = r.int16();
    const correlationId = r.int32();
    const clientId = r.nullableString() ?? '';
    const slot = { ready: false, frame: null as Buffer | null };
    queue.push(slot);
    const w = new Writer(256);
    w.int32(0).int32(correlationId);
    const finish = (result: unknown) => {
      if (result !== NO_RESPONSE) {
        const out = w.toBuffer();
        out.writeInt32BE(out.length - 4, 0);
        slot.frame = out;
      }
      slot.ready = true;
      drain();
    };
    const handler = API_HANDLERS[apiKey];
    if (handler === undefined || !isSupported(apiKey, apiVersion)) {
      log.debug(`${peer}: unsupported api ${apiKey} v${apiVersion}`);
      writeUnsupportedVersion(w);
      finish(undefined);
      return;
    }
    if (apiKey === ApiKey.API_VERSIONS && apiVersion >= 3) r.skipTaggedFields();
    const fail = (err: unknown) => {
      if (err instanceof MalformedRequestError) close(`malformed api ${apiKey} v${apiVersion}: ${err.message}`);
      else {
        log.error(`${peer}: api ${apiKey} v${apiVersion} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        close('internal error');
      }
    };
    try {
      const result = handler(broker, { apiVersion, clientId, clientHost: socket.remoteAddress ?? '' }, r, w);
      // A thenable check rather than instanceof: test runners may give each module its own Promise.
      if (result !== undefined && typeof result === 'object' && 'then' in result) result.then(finish, fail);
      else finish(result);
    } catch (err) {
      fail(err);
    }
  };

  // Splits the buffered bytes into frames, stopping while too many answers are outstanding.
  pump = () => {
    while (!closed && buffered >= 4 && queue.length < MAX_IN_FLIGHT) {
      if (chunks[0].length < 4) chunks = [Buffer.concat(chunks, buffered)];
      const size = chunks[0].readInt32BE(0);
      if (size < 8 || size > maxFrameBytes) {
        close(`frame of ${size} bytes`);
        return;
      }
      // Join the chunks only once the whole frame is here, so a big frame is copied once.
      if (buffered < size + 4) return;
      const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
      const frame = all.subarray(4, size + 4);
      const rest = all.subarray(size + 4);
      chunks = rest.length > 0 ? [rest] : [];
      buffered = rest.length;
      try {
        handle(frame);
      } catch (err) {
        // Only the fixed header can fail here; the handler's own errors are caught inside.
        close(`malformed request header: ${String(err)}`);
        return;
      }
    }
    if (queue.length >= MAX_IN_FLIGHT && !socket.isPaused()) socket.pause();
  };

  socket.on('data', (data: Buffer) => {
    if (closed) return;
    chunks.push(data);
    buffered += data.length;
    pump();
  });
  socket.on('error', (err) => log.debug(`connection from ${peer}: ${err.message}`));
  socket.on('close', () => {
    closed = true;
    sockets.delete(socket);
    log.debug(`connection from ${peer} closed`);
  });
}
