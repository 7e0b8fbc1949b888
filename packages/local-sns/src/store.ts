import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateFileError } from './errors';

/** A topic as stored. */
export interface TopicRecord {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** Protocols this endpoint delivers to. */
export const SubscriptionProtocol = {
  Http: 'http',
  Https: 'https',
  Email: 'email',
  EmailJson: 'email-json',
} as const;
/** One of {@link SubscriptionProtocol}. */
export type SubscriptionProtocol = (typeof SubscriptionProtocol)[keyof typeof SubscriptionProtocol];

/** A subscription as stored; `confirmed` flips when its token is presented. */
export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: SubscriptionProtocol;
  endpoint: string;
  owner: string;
  token: string;
  confirmed: boolean;
  /** FilterPolicy, FilterPolicyScope, RawMessageDelivery and the other settable attributes. */
  attributes: Record<string, string>;
}

interface StateFile {
  version: 1;
  topics: TopicRecord[];
  subscriptions: SubscriptionRecord[];
}

/**
 * Topics and subscriptions in memory, written to `<dataDir>/state.json` after
 * every change when a data directory is given.
 */
export class SnsStore {
  readonly topics = new Map<string, TopicRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  private readonly file: string | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(dataDir: string | undefined) {
    this.file = dataDir ? join(dataDir, 'state.json') : undefined;
  }

  /** Opens the store, loading `state.json` from `dataDir` when it exists. */
  static async open(dataDir: string | undefined): Promise<SnsStore> {
    const store = new SnsStore(dataDir);
    if (!dataDir || !store.file) return store;
    await mkdir(dataDir, { recursive: true });
    let text: string;
    try {
      text = await readFile(store.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return store;
      throw new StateFileError(`cannot read ${store.file}`, { cause: error });
    }
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch (error) {
      throw new StateFileError(`${store.file} is not valid JSON`, { cause: error });
    }
    if (state.version !== 1 || !Array.isArray(state.topics) || !Array.isArray(state.subscriptions)) {
      throw new StateFileError(`${store.file} is not a version 1 state file`);
    }
    for (const topic of state.topics) store.topics.set(topic.arn, topic);
    for (const subscription of state.subscriptions) store.subscriptions.set(subscription.arn, subscription);
    return store;
  }

  /** Subscriptions of one topic, in creation order. */
  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter((subscription) => subscription.topicArn === topicArn);
  }

  /** Persists the current state; writes are serialised and atomic (temp file, then rename). */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const state: StateFile = {
      version: 1,
      topics: [...this.topics.values()],
      subscriptions: [...this.subscriptions.values()],
    };
    const text = `${JSON.stringify(state, null, 2)}\n`;
    this.writing = this.writing.then(async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, file);
    });
    return this.writing;
  }
}
