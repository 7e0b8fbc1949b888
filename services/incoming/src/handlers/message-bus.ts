import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { createKafkaProducer } from '@mxflow/store';
import { KafkaAuth, type IncomingConfig } from '../config';
import type { MessageBus } from '../domain/submission';

/**
 * The Kafka producer the submit function produces through: plain TCP to the
 * local broker, or TLS with SASL/OAUTHBEARER signed by the function's IAM
 * role for Amazon MSK.
 */
export function createMessageBus(config: Pick<IncomingConfig, 'kafkaBrokers' | 'kafkaAuth' | 'region'>): MessageBus {
  return createKafkaProducer({
    brokers: config.kafkaBrokers,
    clientId: 'mxflow-incoming',
    ...(config.kafkaAuth === KafkaAuth.iam
      ? {
          ssl: true,
          sasl: {
            mechanism: 'oauthbearer' as const,
            oauthBearerProvider: async () => ({ value: (await generateAuthToken({ region: config.region })).token }),
          },
        }
      : {}),
  });
}
