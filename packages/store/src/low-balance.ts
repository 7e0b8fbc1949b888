import { AlertKind, NotificationAttribute, lowBalanceAlert } from '@mxflow/contracts';
import { formatMoney } from '@mxflow/iso20022/money';
import type { Ledger, LowBalanceMonitor } from './ports';
import type { Notifier } from './sns/notifier';

/** What {@link alertOnLowBalance} works with. */
export interface LowBalancePorts {
  readonly monitor: Pick<LowBalanceMonitor, 'checkMany' | 'threshold'>;
  readonly ledger: Pick<Ledger, 'balance'>;
  readonly notifier: Notifier;
}

/**
 * After a balance moved: compares it with its threshold and, when it has just
 * gone below, publishes the low-balance alert (SNS attributes `entityId` and
 * `kind`). The monitor's conditional update lets only one caller see a
 * crossing, so an alert goes out once per crossing; a recovery re-arms it.
 * Several entities (the two parties of a transfer) are read in one request.
 * Resolves whether an alert went out.
 */
export async function alertOnLowBalance(ports: LowBalancePorts, entityIds: string | readonly string[], currency: string, now: Date = new Date()): Promise<boolean> {
  const entities = typeof entityIds === 'string' ? [entityIds] : entityIds;
  const changes = await ports.monitor.checkMany(entities, currency);
  let alerted = false;
  for (const [index, entityId] of entities.entries()) {
    if (changes[index] !== 'crossed-below') continue;
    const [balance, threshold] = await Promise.all([ports.ledger.balance(entityId, currency), ports.monitor.threshold(entityId, currency)]);
    if (!balance || threshold === undefined) continue;
    const alert = lowBalanceAlert({
      entityId,
      currency,
      balance: formatMoney(balance),
      threshold: formatMoney({ ...balance, minor: threshold }),
      timestamp: now.toISOString(),
    });
    await ports.notifier.publish(alert, { [NotificationAttribute.entityId]: entityId, kind: AlertKind.lowBalance });
    alerted = true;
  }
  return alerted;
}
