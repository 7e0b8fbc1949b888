import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { StoreError } from '../errors';

/** An SNS request failed (throttling, network, service error). Retrying may succeed. */
export class SnsStoreError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnsStoreError';
  }
}

/** Tells subscribers about something, with attributes their filter policies match on. */
export interface Notifier {
  /** Publishes one notification; resolves to the message id the topic gave it. */
  publish(body: object, attributes: Readonly<Record<string, string>>): Promise<string>;
}

/** Options of {@link SnsNotifier}. */
export interface SnsNotifierOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/** The notification topic in SNS: the body as JSON, every attribute a String MessageAttribute. */
export class SnsNotifier implements Notifier {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: SnsNotifierOptions) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  async publish(body: object, attributes: Readonly<Record<string, string>>): Promise<string> {
    try {
      const result = await this.#client.send(
        new PublishCommand({
          TopicArn: this.#topicArn,
          Message: JSON.stringify(body),
          MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }])),
        }),
      );
      return result.MessageId ?? '';
    } catch (error) {
      throw new SnsStoreError(`Could not publish to ${this.#topicArn}`, { cause: error });
    }
  }
}
