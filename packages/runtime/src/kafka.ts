import { faultsFor, faultyPublisher } from './faults';
import type { EncodedRecord, RecordPublisher } from '@mxflow/contracts';
import { createKafkaProducer, type KafkaProducer } from '@mxflow/store';
import { KafkaAuth, type KafkaConfig } from './env';

/** Produces encoded records; @mxflow/store's Kafka producer underneath. */
export interface MessageBus extends RecordPublisher {
  /**
   * Starts connecting now, at a Lambda's initialisation, so that the first
   * publish finds the connection made. A failure is not reported here: the
   * first publish connects again and reports it.
   */
  warm(): void;
  disconnect(): Promise<void>;
}

/**
 * The Kafka producer of a function: plain TCP to the local broker, or TLS with
 * SASL/OAUTHBEARER signed by the function's IAM role for Amazon MSK. The
 * signer (and the AWS credential chain it brings) loads only for MSK.
 */
export function createMessageBus(config: KafkaConfig, clientId: string): MessageBus {
  const producer: KafkaProducer = createKafkaProducer({
    brokers: config.kafkaBrokers,
    clientId,
    ...(config.kafkaAuth === KafkaAuth.iam
      ? {
          ssl: true,
          sasl: {
            mechanism: 'oauthbearer' as const,
            oauthBearerProvider: async () => {
              const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
              return { value: (await generateAuthToken({ region: config.region })).token };
            },
          },
        }
      : {}),
  });
  // The local stage's injected faults, if any, sit between the step and its producer (see faults.ts).
  const publisher = faultyPublisher(
    {
      async publish(records) {
        const byTopic = new Map<string, EncodedRecord['message'][]>();
        for (const record of records) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record.message]);
        await Promise.all([...byTopic].map(([topic, messages]) => producer.send(topic, messages)));
      },
    },
    faultsFor(clientId.replace(/^mxflow-/, '')),
  );
  return {
    publish: (records) => publisher.publish(records),
    warm: () => void producer.connect().catch(() => undefined),
    disconnect: () => producer.disconnect(),
  };
}
