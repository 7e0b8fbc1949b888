/** The SNS notification of an outgoing message, as every subscriber receives it. */
export interface Notification {
  readonly requestId: string;
  readonly transactionId: string;
  /** Status of the transaction the message reports or carries. */
  readonly status: string;
  readonly reasonCode?: string;
  /** `pacs.002` */
  readonly messageType: string;
  /** Archive key of the outgoing message. */
  readonly outgoingMessageKey: string;
  readonly links: {
    /** The transaction's status resource. */
    readonly status: string;
    /** The outgoing message addressed to the subscriber. */
    readonly message: string;
  };
}

/** Names of the SNS MessageAttributes that subscriptions filter on. */
export const NotificationAttribute = {
  /** Entity the message is addressed to: each participant's subscription filters on its own. */
  entityId: 'entityId',
  messageType: 'messageType',
  status: 'status',
} as const;

/** The notification of one outgoing message; links are relative to the API's base URL. */
export function notificationOf(value: {
  requestId: string;
  transactionId: string;
  status: string;
  reasonCode?: string;
  messageType: string;
  outgoingMessageKey: string;
}): Notification {
  const status = `/v1/transactions/${value.transactionId}`;
  return {
    requestId: value.requestId,
    transactionId: value.transactionId,
    status: value.status,
    ...(value.reasonCode ? { reasonCode: value.reasonCode } : {}),
    messageType: value.messageType,
    outgoingMessageKey: value.outgoingMessageKey,
    links: { status, message: `${status}/messages/outgoing` },
  };
}

/** `kind` attribute and body field of an alert that is not about a message (a low balance). */
export const AlertKind = {
  lowBalance: 'low-balance',
} as const;

/** The SNS alert of a balance that went below its participant's threshold. */
export interface LowBalanceAlert {
  readonly kind: typeof AlertKind.lowBalance;
  readonly entityId: string;
  readonly currency: string;
  /** Decimal text in the currency's exponent (`70.00`). */
  readonly balance: string;
  readonly threshold: string;
  readonly timestamp: string;
  readonly links: { readonly liquidity: string };
}

/** The alert of a low balance; amounts are decimal text, formatted by the caller with the currency's exponent. */
export function lowBalanceAlert(value: { entityId: string; currency: string; balance: string; threshold: string; timestamp: string }): LowBalanceAlert {
  return { kind: AlertKind.lowBalance, ...value, links: { liquidity: `/v1/admin/entities/${value.entityId}/liquidity` } };
}
