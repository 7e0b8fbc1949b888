import { AlertKind, NotificationAttribute, lowBalanceAlert } from '@mxflow/contracts';
import { formatMoney } from '@mxflow/iso20022/money';
import type { Ledger, LowBalanceMonitor } from './ports';
import type { Notifier } from './sns/notifier';

/** What {@link alertOnLowBalance} works with. */
export interface LowBalancePorts {
  readonly monitor: Pick<LowBalanceMonitor, 'check' | 'threshold'>;
  readonly ledger: Pick<Ledger, 'balance'>;
  readonly notifier: Notifier;
}

/**
 * After a balance moved: compares it with its threshold and, when it has just
 * gone below, publishes the low-balance alert (SNS attributes `entityId` and
 * `kind`). The monitor's conditional update lets only one caller see a
 * crossing, so an alert goes out once per crossing; a recovery re-arms it.
 * Resolves whether an alert went out.
 */
export async function alertOnLowBalance(ports: LowBalancePorts, entityId: string, currency: string, now: Date = new Date()): Promise<boolean> {
  if ((await ports.monitor.check(entityId, currency)) !== 'crossed-below') return false;
  const [balance, threshold] = await Promise.all([ports.ledger.balance(entityId, currency), ports.monitor.threshold(entityId, currency)]);
  if (!balance || threshold === undefined) return false;
  const alert = lowBalanceAlert({
    entityId,
    currency,
    balance: formatMoney(balance),
    threshold: formatMoney({ ...balance, minor: threshold }),
    timestamp: now.toISOString(),
  });
  await ports.notifier.publish(alert, { [NotificationAttribute.entityId]: entityId, kind: AlertKind.lowBalance });
  return true;
}
