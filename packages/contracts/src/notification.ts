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
