/**
 * The outgoing step: a message for one participant becomes XML, is checked
 * against its own schema, archived write-once, recorded and notified.
 */
import { ArchiveDirection, NotificationAttribute, archiveKey, notificationOf, type OutgoingRecordValue } from '@mxflow/contracts';
import { toXml, validateXml, type ValidationIssue } from '@mxflow/iso20022';
import type { Archive, Notifier, TransactionLog } from '@mxflow/store';

/** Name of this step in the transaction table's sort keys. */
export const STEP = 'outgoing';

/** What the step works with. */
export interface DeliveryPorts {
  readonly archive: Archive;
  readonly log: TransactionLog;
  readonly notifier: Notifier;
  readonly now: () => Date;
}

/** What became of one outgoing message. */
export type Delivery =
  | { readonly delivered: true; readonly archiveKey: string; readonly sha256: string; readonly alreadyNotified: boolean }
  | { readonly delivered: false; readonly issues: readonly ValidationIssue[] };

/** The step's sort key for one message: a transaction sends at most one message of each type, or of each name. */
export function stepOf(value: Pick<OutgoingRecordValue, 'messageType' | 'name'>): string {
  return `${STEP}#${value.name ?? value.messageType}`;
}

/** The XML of an outgoing message, with what its schema says of it. Pure, so a redelivery writes the same bytes. */
export function render(value: Pick<OutgoingRecordValue, 'messageId' | 'document'>): { xml: string; issues: readonly ValidationIssue[] } {
  const xml = toXml(value.messageId, value.document);
  return { xml, issues: validateXml(xml).issues };
}

/**
 * Delivers one outgoing message. `producedAt` is when the record was
 * produced (its Kafka timestamp), so that the archive key is the same on
 * every redelivery. An invalid output is a defect: it is returned, never
 * archived or sent. A redelivery archives nothing new (same bytes, same key)
 * and notifies only if the step was not recorded yet. The step is recorded
 * only after the archive: a message archived just now cannot have it, so the
 * step is looked up only when the archive already held the message (a
 * redelivery, or an answer produced again the same day with the same bytes).
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries.
 */
export async function deliver(value: OutgoingRecordValue, producedAt: string, ports: DeliveryPorts): Promise<Delivery> {
  const { xml, issues } = render(value);
  if (issues.length > 0) return { delivered: false, issues };
  const key = archiveKey(ArchiveDirection.outgoing, producedAt, value.transactionId, value.name ?? value.messageType);
  const receipt = await ports.archive.put({
    key,
    body: Buffer.from(xml, 'utf8'),
    contentType: 'application/xml',
    metadata: {
      'transaction-id': value.transactionId,
      'request-id': value.requestId,
      'message-type': value.messageType,
      'receiver-entity': value.receiverEntity,
    },
  });
  const step = stepOf(value);
  const alreadyNotified = receipt.alreadyArchived && (await ports.log.hasStep(value.transactionId, step));
  if (!alreadyNotified) {
    const notification = notificationOf({
      requestId: value.requestId,
      transactionId: value.transactionId,
      status: value.status,
      ...(value.reasonCode ? { reasonCode: value.reasonCode } : {}),
      messageType: value.messageType,
      outgoingMessageKey: key,
    });
    await ports.notifier.publish(notification, {
      [NotificationAttribute.entityId]: value.receiverEntity,
      [NotificationAttribute.messageType]: value.messageType,
      [NotificationAttribute.status]: value.status,
    });
    try {
      await ports.log.record({
        transactionId: value.transactionId,
        step,
        status: value.status,
        timestamp: ports.now().toISOString(),
        requestId: value.requestId,
        messageType: value.messageType,
        entityId: value.receiverEntity,
        archiveKey: key,
        archiveSha256: receipt.sha256,
        ...(value.reasonCode ? { reasonCode: value.reasonCode } : {}),
        informational: true,
      });
    } catch (error) {
      // Two deliveries of the same record raced: the other one recorded it.
      if ((error as Error | undefined)?.name !== 'StepAlreadyRecordedError') throw error;
    }
  }
  return { delivered: true, archiveKey: key, sha256: receipt.sha256, alreadyNotified };
}
