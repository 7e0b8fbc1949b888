import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PartitionLog, type LogConfig } from './log';
import { writeSynced } from './fsync';

const fdatasync = promisify(fs.fdatasync);

/** A topic: its partitions' logs and the configs it was created with. */
export interface Topic {
  name: string;
  configs: Record<string, string>;
  partitions: PartitionLog[];
}

/** Broker-wide log defaults that per-topic configs override. */
export interface LogDefaults {
  segmentBytes: number;
  retentionMs: number;
  retentionBytes: number;
}

function logConfigOf(configs: Record<string, string>, defaults: LogDefaults): LogConfig {
  const num = (key: string, fallback: number) => {
    const v = configs[key];
    return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : fallback;
  };
  return {
    segmentBytes: num('segment.bytes', defaults.segmentBytes),
    retentionMs: num('retention.ms', defaults.retentionMs),
    retentionBytes: num('retention.bytes', defaults.retentionBytes),
  };
}

/** Topic configs the broker understands; others are refused with INVALID_CONFIG. */
export const KNOWN_TOPIC_CONFIGS = ['segment.bytes', 'retention.ms', 'retention.bytes', 'cleanup.policy'] as const;

// Writes a small file so that a crash leaves either the old or the new content, never half.
function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  writeSynced(tmp, content);
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}

/** All topics of the broker, kept in `dataDir` (or in memory when it is null). */
export class TopicStore {
  readonly topics = new Map<string, Topic>();

  constructor(
    private readonly dataDir: string | null,
    private readonly defaults: LogDefaults,
  ) {
    if (dataDir === null) return;
    fs.mkdirSync(path.join(dataDir, 'topics'), { recursive: true });
    const file = path.join(dataDir, 'topics.json');
    if (!fs.existsSync(file)) return;
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { partitions: number; configs: Record<string, string> }>;
    for (const [name, t] of Object.entries(saved)) this.openTopic(name, t.partitions, t.configs);
  }

  private openTopic(name: string, partitions: number, configs: Record<string, string>): Topic {
    const config = logConfigOf(configs, this.defaults);
    const topic: Topic = {
      name,
      configs,
      partitions: Array.from({ length: partitions }, (_, p) =>
        PartitionLog.open(this.dataDir === null ? null : path.join(this.dataDir, 'topics', `${name}-${p}`), { ...config }),
      ),
    };
    this.topics.set(name, topic);
    return topic;
  }

  /** Creates a topic; the caller has checked the name and that it does not exist yet. */
  create(name: string, partitions: number, configs: Record<string, string>): Topic {
    const topic = this.openTopic(name, partitions, configs);
    this.save();
    return topic;
  }

  /** Adds partitions to an existing topic up to `count`; the caller has checked that `count` is larger. */
  addPartitions(name: string, count: number): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`topic ${name} does not exist`);
    const config = logConfigOf(topic.configs, this.defaults);
    for (let p = topic.partitions.length; p < count; p++) {
      topic.partitions.push(PartitionLog.open(this.dataDir === null ? null : path.join(this.dataDir, 'topics', `${name}-${p}`), { ...config }));
    }
    this.save();
    return topic;
  }

  private save(): void {
    if (this.dataDir === null) return;
    const saved = Object.fromEntries([...this.topics.values()].map((t) => [t.name, { partitions: t.partitions.length, configs: t.configs }]));
    writeFileAtomic(path.join(this.dataDir, 'topics.json'), JSON.stringify(saved, null, 1));
  }

  async close(): Promise<void> {
    for (const t of this.topics.values()) for (const p of t.partitions) await p.close();
  }
}

/** A committed consumer offset. */
export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/**
 * Committed offsets per group, appended as JSON lines to one file and compacted on start.
 * A torn last line (crash mid-write) is ignored on load.
 */
export class OffsetStore {
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private fd: number | null = null;
  private writes = 0;
  private synced = 0;
  private syncing: Promise<void> | null = null;

  constructor(private readonly dataDir: string | null) {
    if (dataDir === null) return;
    const file = path.join(dataDir, 'consumer-offsets.jsonl');
    if (fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (line === '') continue;
        try {
          const r = JSON.parse(line) as { g: string; t: string; p: number; o: number; m: string | null };
          this.remember(r.g, r.t, r.p, { offset: r.o, metadata: r.m });
        } catch {
          // torn write at the tail: that commit was never acknowledged
        }
      }
    }
    writeFileAtomic(file, this.snapshotLines());
    this.fd = fs.openSync(file, 'a');
  }

  private snapshotLines(): string {
    let out = '';
    for (const [g, offsets] of this.groups) {
      for (const [tp, c] of offsets) {
        const cut = tp.lastIndexOf(':');
        out += `${JSON.stringify({ g, t: tp.slice(0, cut), p: Number(tp.slice(cut + 1)), o: c.offset, m: c.metadata })}\n`;
      }
    }
    return out;
  }

  private remember(group: string, topic: string, partition: number, c: CommittedOffset): void {
    let offsets = this.groups.get(group);
    if (offsets === undefined) this.groups.set(group, (offsets = new Map()));
    offsets.set(`${topic}:${partition}`, c);
  }

  /** Records a commit; it reaches the OS at once and the disk on {@link flush}. */
  commit(group: string, topic: string, partition: number, c: CommittedOffset): void {
    this.remember(group, topic, partition, c);
    if (this.fd !== null) {
      fs.writeSync(this.fd, `${JSON.stringify({ g: group, t: topic, p: partition, o: c.offset, m: c.metadata })}\n`);
      this.writes++;
    }
  }

  fetch(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(`${topic}:${partition}`);
  }

  /** Every topic-partition the group has committed for. */
  partitionsOf(group: string): { topic: string; partition: number }[] {
    return [...(this.groups.get(group)?.keys() ?? [])].map((tp) => {
      const cut = tp.lastIndexOf(':');
      return { topic: tp.slice(0, cut), partition: Number(tp.slice(cut + 1)) };
    });
  }

  get dirty(): boolean {
    return this.synced < this.writes;
  }

  async flush(): Promise<void> {
    const target = this.writes;
    while (this.synced < target && this.fd !== null) {
      if (this.syncing === null) {
        const upto = this.writes;
        const fd = this.fd;
        this.syncing = fdatasync(fd)
          .then(() => {
            this.synced = Math.max(this.synced, upto);
          })
          .finally(() => {
            this.syncing = null;
          });
      }
      await this.syncing;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Hands out producer ids that stay unique across restarts, persisting them in blocks. */
export class ProducerIdAllocator {
  private next = 1000;
  private reservedUpTo = 0;
  private static readonly BLOCK = 1000;

  constructor(private readonly dataDir: string | null) {
    if (dataDir === null) return;
    const file = path.join(dataDir, 'producer-ids');
    if (fs.existsSync(file)) {
      const saved = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isSafeInteger(saved)) this.next = saved;
    }
    this.reservedUpTo = this.next;
  }

  allocate(): number {
    if (this.dataDir !== null && this.next >= this.reservedUpTo) {
      this.reservedUpTo = this.next + ProducerIdAllocator.BLOCK;
      writeFileAtomic(path.join(this.dataDir, 'producer-ids'), String(this.reservedUpTo));
    }
    return this.next++;
  }
}
