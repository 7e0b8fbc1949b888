import { execFile, execFileSync } from 'node:child_process';
import kafkajs from 'kafkajs';
import { startBroker, type RunningBroker } from '../src/index';
import { quietLogger, readPartition } from './helpers';

function kcatInstalled(): boolean {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs kcat with `args`, feeding `input` on stdin; resolves with stdout. */
function kcat(args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin!.end(input);
  });
}

describe('broker with kcat (librdkafka)', () => {
  let broker: RunningBroker;

  beforeAll(async () => {
    // Never skip: without kcat the librdkafka side of the protocol would go untested.
    if (!kcatInstalled()) throw new Error('kcat is not installed: run `apt-get install -y kcat` (Debian package kcat) and re-run');
    broker = await startBroker({ port: 0, logger: quietLogger, initialRebalanceDelayMs: 0 });
    const admin = new kafkajs.Kafka({ brokers: [broker.brokers], logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kcat.meta', numPartitions: 3 }] });
    await admin.disconnect();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('lists the broker and topics with -L', async () => {
    const out = await kcat(['-b', broker.brokers, '-L']);
    expect(out).toContain(`broker 0 at ${broker.brokers} (controller)`);
    expect(out).toContain('topic "kcat.meta" with 3 partitions');
  });

  it('produces keys and headers that a consumer from the beginning reads back unchanged', async () => {
    const lines = ['debtor-1:{"amount":"1.00"}', 'debtor-2:{"amount":"2.50"}', 'debtor-1:third'];
    await kcat(['-b', broker.brokers, '-P', '-t', 'kcat.produce', '-p', '0', '-K:', '-H', 'transaction-id=tx-42', '-H', 'message-type=pacs.008'], `${lines.join('\n')}\n`);

    const stored = await readPartition(broker.port, 'kcat.produce', 0);
    expect(stored.map((r) => `${r.key?.toString()}:${r.value?.toString()}`)).toEqual(lines);
    expect(stored[0].headers.map((h) => `${h.key}=${h.value?.toString()}`)).toEqual(['transaction-id=tx-42', 'message-type=pacs.008']);

    const out = await kcat(['-b', broker.brokers, '-C', '-t', 'kcat.produce', '-o', 'beginning', '-e', '-q', '-f', '%k:%s|%h|%o\n']);
    expect(out.trim().split('\n')).toEqual(lines.map((l, i) => `${l}|transaction-id=tx-42,message-type=pacs.008|${i}`));
  });

  it('consumes as a group and resumes from the offsets the group committed', async () => {
    const producer = new kafkajs.Kafka({ brokers: [broker.brokers], logLevel: kafkajs.logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'kcat.group', messages: ['a', 'b', 'c'].map((value) => ({ key: 'k', value, partition: 0 })) });
    // In -G mode kcat's -o would override the committed offsets, so the start comes from auto.offset.reset.
    const groupConsume = () => kcat(['-b', broker.brokers, '-G', 'kcat-group', '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\n', 'kcat.group']);
    try {
      expect((await groupConsume()).trim().split('\n')).toEqual(['a', 'b', 'c']);
      await producer.send({ topic: 'kcat.group', messages: [{ key: 'k', value: 'd', partition: 0 }] });
      expect((await groupConsume()).trim().split('\n')).toEqual(['d']);
    } finally {
      await producer.disconnect();
    }
  });
});
