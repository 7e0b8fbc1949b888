/** What the Status API says of transactions, as the console reads it. */

/** One transaction in a list. */
export interface TransactionSummary {
  readonly transactionId: string;
  readonly status: string;
  readonly reasonCode?: string;
  readonly messageType?: string;
  readonly messageIds: { readonly msgId?: string; readonly endToEndIds: readonly string[]; readonly uetrs: readonly string[] };
  readonly parties: { readonly sender?: string; readonly receiver?: string };
  readonly amount?: { readonly value: string; readonly currency: string };
  readonly returned?: { readonly value: string; readonly currency: string };
  readonly answer?: string;
  readonly detail?: string;
  readonly deadline?: string;
  readonly originalTransactionId?: string;
  readonly parentTransactionId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly final: boolean;
  readonly links?: { readonly self?: string; readonly parent?: string };
}

/** A decimal amount in its currency, as the API gives it. */
export interface DecimalAmount {
  readonly value: string;
  readonly currency: string;
}

/** One transaction made from a transfer of a pain.001 (a pacs.008), as the pain.001's view lists it. */
export interface ChildTransaction {
  readonly transactionId: string;
  readonly status: string;
  readonly answer?: string;
  readonly reasonCode?: string;
  readonly messageType?: string;
  readonly endToEndId?: string;
  readonly parties: { readonly sender?: string; readonly receiver?: string };
  readonly amount?: DecimalAmount;
  readonly final: boolean;
}

/** One step of a transaction's history. */
export interface TransactionStep {
  readonly step: string;
  readonly status: string;
  readonly timestamp: string;
  readonly answer?: string;
  readonly reasonCode?: string;
  readonly detail?: string;
  readonly messageType?: string;
  readonly relatedTransactionId?: string;
}

/** `GET /v1/transactions/{id}`; a pain.001's also has its transfers and the transactions made of them. */
/** A transaction a request to pay and its payment link to (`payments`, `paymentRequest`). */
export interface LinkedTransaction {
  readonly transactionId: string;
  readonly status: string;
  readonly answer?: string;
}

export interface TransactionDetail extends TransactionSummary {
  readonly steps: readonly TransactionStep[];
  readonly transfers?: { readonly count: number; readonly totals?: readonly DecimalAmount[] };
  readonly children?: readonly ChildTransaction[];
  /** A request to pay's payments: the pacs.008s with its UETR from its debtor's participant. */
  readonly payments?: readonly LinkedTransaction[];
  /** A payment's request to pay (pain.013), when it pays one. */
  readonly paymentRequest?: LinkedTransaction;
}

/** A page of `GET /v1/transactions`. */
export interface TransactionPage {
  readonly items: readonly TransactionSummary[];
  readonly cursor?: string;
}

/** One archived message of `GET /v1/transactions/{id}/messages`. */
export interface ArchivedMessage {
  readonly direction: 'incoming' | 'outgoing';
  readonly messageType: string;
  readonly entityId?: string;
  readonly archiveKey: string;
  readonly links?: { readonly content?: string };
}

const newestFirst = (a: TransactionSummary, b: TransactionSummary): number =>
  b.createdAt.localeCompare(a.createdAt) || b.transactionId.localeCompare(a.transactionId);

/**
 * The list after a poll of the first page: what the poll shows replaces what
 * was shown of the same transaction (its status moved on), what is new joins,
 * and the rest stays. Newest first. Also says which ids are new, for the live
 * region.
 */
export function mergeLatest(shown: readonly TransactionSummary[], latest: readonly TransactionSummary[]): { items: TransactionSummary[]; added: string[] } {
  const known = new Set(shown.map((item) => item.transactionId));
  const byId = new Map(shown.map((item) => [item.transactionId, item]));
  const added: string[] = [];
  for (const item of latest) {
    if (!known.has(item.transactionId)) added.push(item.transactionId);
    byId.set(item.transactionId, item);
  }
  return { items: [...byId.values()].sort(newestFirst), added };
}

/** Every other transaction this one names: its original, its parent, and those its steps name; each once, in that order. */
export function relatedTransactions(detail: TransactionDetail): { transactionId: string; relation: string }[] {
  const related: { transactionId: string; relation: string }[] = [];
  const add = (transactionId: string | undefined, relation: string) => {
    if (!transactionId || transactionId === detail.transactionId || related.some((item) => item.transactionId === transactionId)) return;
    related.push({ transactionId, relation });
  };
  // A request to pay names the answer that decided it; any other request its original.
  add(detail.originalTransactionId, detail.messageType === 'pain.013' ? 'its answer (pain.014)' : 'original transaction');
  add(detail.parentTransactionId, 'parent transaction');
  add(detail.paymentRequest?.transactionId, 'the request to pay it pays (pain.013)');
  for (const payment of detail.payments ?? []) add(payment.transactionId, 'a payment of this request (pacs.008)');
  for (const step of detail.steps) add(step.relatedTransactionId, `named by step ${step.step}`);
  return related;
}

/**
 * What a pain.001's page shows in place of one receiver: how many transfers,
 * to how many participants (those known so far), and how many of them have
 * a transaction the viewer sees yet.
 */
export function transfersText(detail: Pick<TransactionDetail, 'transfers' | 'children' | 'final'>): string | undefined {
  const count = detail.transfers?.count;
  if (count === undefined) return undefined;
  const children = detail.children ?? [];
  const receivers = new Set(children.flatMap((child) => (child.parties.receiver ? [child.parties.receiver] : [])));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const to = receivers.size ? ` to ${plural(receivers.size, 'participant')}` : '';
  // A pain.001 refused whole ends without making any.
  const made = children.length >= count ? '' : detail.final && children.length === 0 ? ', none made' : ` (${children.length} made so far)`;
  return `${plural(count, 'transfer')}${to}${made}`;
}

/** The statuses of a pain.001's transfers, counted, in the order they first come: `[['ACSC', 2], ['RJCT', 1]]`. */
export function childStatusCounts(children: readonly ChildTransaction[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const child of children) counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
  return [...counts.entries()];
}
