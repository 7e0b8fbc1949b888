/**
 * Request to pay. A creditor's participant sends a pain.013: the platform
 * finds the debtor's participant by the debtor agent's BIC and forwards the
 * request to it. The debtor's participant answers with a pain.014, accepting
 * or refusing: the platform records the answer on the request (once: the
 * first answer decides) and forwards it to the creditor's participant. An
 * accepted request is paid by an ordinary pacs.008 carrying its UETR.
 */
import { Reason, Status, encodeOutgoing, fitText, responseMsgId, type EncodedRecord, type IncomingRecordValue, type RecordPublisher } from '@mxflow/contracts';
import { ReaderInputError, paymentRequestAnswers, paymentRequestRefusal, paymentRequests, type PaymentRequests } from '@mxflow/iso20022';
import type { Entity, EntityDirectory, EntityStatusName, OriginalLookup, TransactionLog, TransactionSummary } from '@mxflow/store';

const ACTIVE: EntityStatusName = 'ACTIVE';

/** Names of this service's steps in the transaction table's sort keys. */
export const STEP = { request: 'pain013', answer: 'pain014' } as const;

/** A pain.013 forwarded to the debtor's participant waits for its answer with this status. */
export const PENDING = 'PDNG';

/** Statuses of a pain.014 that accept a request (ExternalPaymentTransactionStatus1Code). */
const ACCEPTING = new Set(['ACCP', 'ACTC', 'ACWC', 'ACSP', 'ACSC', 'ACCC']);

/** What the request step works with. */
export interface RequestPorts {
  readonly log: Pick<TransactionLog, 'record' | 'summary'>;
  readonly entities: Pick<EntityDirectory, 'get' | 'findByBic'>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** What the answer step works with. */
export interface AnswerPorts {
  readonly log: Pick<TransactionLog, 'record' | 'summary'>;
  /** Finds the request an answer names among the answerer's (`originalFor` of the store). */
  readonly originalFor: (lookup: OriginalLookup, requester: string) => Promise<TransactionSummary | undefined>;
  readonly bus: RecordPublisher;
  readonly now: () => Date;
}

/** What became of a pain.013: forwarded to the debtor's participant, or refused with a reason. */
export type RequestDecision =
  | { readonly kind: 'forward'; readonly receiverEntity: string }
  | { readonly kind: 'refuse'; readonly reasonCode: string; readonly detail: string };

/**
 * Decides a pain.013 from what was read: its debtor agents must be one
 * participant, active, other than the sender; its creditor agents the
 * sender's own BICs.
 */
export function decideRequest(read: PaymentRequests, sender: Entity | undefined, debtorAgent: Entity | undefined, debtorBic: string | undefined): RequestDecision {
  const debtorBics = new Set(read.requests.map((request) => request.debtorAgentBic?.toUpperCase()));
  if (debtorBics.size !== 1 || !debtorBic) return { kind: 'refuse', reasonCode: Reason.RC01, detail: 'a request to pay names one debtor agent (PmtInf/DbtrAgt/FinInstnId/BICFI) for all its transfers' };
  const own = new Set((sender?.bics ?? []).map((bic) => bic.toUpperCase()));
  const foreign = read.requests.find((request) => !request.creditorAgentBic || !own.has(request.creditorAgentBic.toUpperCase()));
  if (foreign) {
    return { kind: 'refuse', reasonCode: Reason.AG01, detail: `CdtrAgt ${foreign.creditorAgentBic ?? '(none)'} is not a BIC of the sender: a participant requests payment for its own customers` };
  }
  if (!debtorAgent) return { kind: 'refuse', reasonCode: Reason.RC01, detail: `DbtrAgt ${debtorBic} is not a participant` };
  if (debtorAgent.entityId === sender?.entityId) return { kind: 'refuse', reasonCode: Reason.AG01, detail: 'the debtor agent is the sender: the request stays within one participant' };
  if (debtorAgent.status !== ACTIVE) return { kind: 'refuse', reasonCode: Reason.AG11, detail: `the debtor agent ${debtorBic} is not an active participant` };
  return { kind: 'forward', receiverEntity: debtorAgent.entityId };
}

/** The pain.013 as the debtor's participant receives it: the request as sent. */
export function forwardedRequest(value: IncomingRecordValue, receiverEntity: string): EncodedRecord {
  return encodeOutgoing({
    messageId: value.messageId,
    messageType: 'pain.013',
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity,
    status: PENDING,
    document: value.document,
  });
}

/**
 * The pain.014 the platform sends the creditor's participant for a request it
 * refused; none for a request too broken to echo (no PmtInfId, no agents):
 * its refusal is then only recorded.
 */
export function refusalOf(value: Pick<IncomingRecordValue, 'transactionId' | 'requestId' | 'senderEntity' | 'document'>, refusal: { reasonCode: string; detail?: string; at: string }): EncodedRecord[] {
  const built = paymentRequestRefusal(
    value.document,
    { reason: refusal.reasonCode, ...(refusal.detail ? { additionalInfo: fitText(refusal.detail) } : {}) },
    { msgId: responseMsgId(value.transactionId), creationDateTime: refusal.at },
  );
  if (!built) return [];
  return [encodeOutgoing({
    messageId: built.messageId,
    messageType: 'pain.014',
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity: value.senderEntity,
    status: Status.RJCT,
    reasonCode: refusal.reasonCode,
    document: built.document,
  })];
}

const errorName = (error: unknown): string | undefined => (error as Error | undefined)?.name;

/** Records a step that may have been recorded already (a redelivery): true when it stands, false when another step ended the transaction. */
async function recordOnce(log: Pick<TransactionLog, 'record'>, step: Parameters<TransactionLog['record']>[0]): Promise<boolean> {
  try {
    await log.record(step);
    return true;
  } catch (error) {
    if (errorName(error) === 'StepAlreadyRecordedError') return true;
    if (errorName(error) === 'TransactionFinalError') return false;
    throw error;
  }
}

/**
 * Handles one pain.013: forwards it to the debtor's participant (the request
 * then waits, PDNG, for its answer or its deadline), or refuses it with a
 * pain.014 RJCT to the sender. Safe to run again: the recorded step decides.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function handleRequest(value: IncomingRecordValue, ports: RequestPorts): Promise<{ readonly status: string; readonly reasonCode?: string }> {
  const summary = await ports.log.summary(value.transactionId);
  if (summary?.status === PENDING && summary.receiverEntity) {
    await ports.bus.publish([forwardedRequest(value, summary.receiverEntity)]);
    return { status: PENDING };
  }
  if (summary?.final) {
    // Refused by an earlier delivery (answered again, as recorded) or ended by another step (answered there).
    if (summary.status === Status.RJCT && summary.finalStep === `${STEP.request}#${Status.RJCT}`) {
      await ports.bus.publish(refusalOf(value, { reasonCode: summary.reasonCode ?? Reason.NARR, ...(summary.detail ? { detail: summary.detail } : {}), at: summary.updatedAt }));
    }
    return { status: summary.status, ...(summary.reasonCode ? { reasonCode: summary.reasonCode } : {}) };
  }
  const at = ports.now().toISOString();
  let decision: RequestDecision;
  let debtorBic: string | undefined;
  try {
    const read = paymentRequests(value.document);
    debtorBic = read.requests[0]?.debtorAgentBic;
    const [sender, debtorAgent] = await Promise.all([ports.entities.get(value.senderEntity), debtorBic ? ports.entities.findByBic(debtorBic) : Promise.resolve(undefined)]);
    decision = decideRequest(read, sender, debtorAgent, debtorBic);
  } catch (error) {
    if (!(error instanceof ReaderInputError)) throw error;
    decision = { kind: 'refuse', reasonCode: Reason.NARR, detail: (error as Error).message };
  }
  const base = { transactionId: value.transactionId, timestamp: at, requestId: value.requestId, messageType: value.messageType };
  if (decision.kind === 'refuse') {
    const stands = await recordOnce(ports.log, { ...base, step: `${STEP.request}#${Status.RJCT}`, status: Status.RJCT, final: true, reasonCode: decision.reasonCode, detail: fitText(decision.detail), parties: { senderEntity: value.senderEntity } });
    if (!stands) return { status: Status.RJCT };
    await ports.bus.publish(refusalOf(value, { reasonCode: decision.reasonCode, detail: decision.detail, at }));
    return { status: Status.RJCT, reasonCode: decision.reasonCode };
  }
  const stands = await recordOnce(ports.log, { ...base, step: `${STEP.request}#${PENDING}`, status: PENDING, parties: { senderEntity: value.senderEntity, receiverEntity: decision.receiverEntity } });
  if (!stands) return { status: Status.RJCT };
  await ports.bus.publish([forwardedRequest(value, decision.receiverEntity)]);
  return { status: PENDING };
}

/** What an answer decided about its request. */
export type AnswerDecision =
  | { readonly kind: 'answer'; readonly request: TransactionSummary; readonly answer: 'ACCP' | 'RJCT'; readonly reasonCode?: string; readonly detail?: string }
  | { readonly kind: 'refuse'; readonly reasonCode: string; readonly detail: string; readonly request?: TransactionSummary };

/**
 * Decides a pain.014 from the request it names: only the request's debtor
 * participant answers it, once, while it is pending. Every transfer accepted
 * accepts it; any refused refuses it, with the first reason given.
 */
export function decideAnswer(answerer: string, request: TransactionSummary | undefined, statuses: readonly { status?: string; reasonCode?: string; additionalInfo?: string }[]): AnswerDecision {
  if (!request || request.receiverEntity !== answerer) return { kind: 'refuse', reasonCode: Reason.AG09, detail: 'no pending request to pay of this participant has that OrgnlMsgId' };
  if (request.final) {
    const why = request.status === Status.RJCT && request.reasonCode === Reason.AB05 ? 'it expired' : `it is ${request.status} already`;
    return { kind: 'refuse', reasonCode: request.reasonCode === Reason.AB05 ? Reason.AB05 : Reason.AM05, detail: `the request to pay cannot be answered: ${why}`, request };
  }
  if (statuses.length === 0 || statuses.some((entry) => !entry.status)) return { kind: 'refuse', reasonCode: Reason.NARR, detail: 'a pain.014 gives a status (GrpSts, PmtInfSts or TxSts) for the request', request };
  const refused = statuses.find((entry) => !ACCEPTING.has(entry.status as string));
  if (refused) {
    if (refused.status !== 'RJCT') return { kind: 'refuse', reasonCode: Reason.NARR, detail: `status ${refused.status} neither accepts nor refuses a request to pay`, request };
    return { kind: 'answer', request, answer: 'RJCT', ...(refused.reasonCode ? { reasonCode: refused.reasonCode } : {}), ...(refused.additionalInfo ? { detail: refused.additionalInfo } : {}) };
  }
  return { kind: 'answer', request, answer: 'ACCP' };
}

/** The pain.014 as the creditor's participant receives it: the answer as sent. */
export function forwardedAnswer(value: IncomingRecordValue, request: TransactionSummary, answer: string, reasonCode?: string): EncodedRecord {
  return encodeOutgoing({
    messageId: value.messageId,
    messageType: 'pain.014',
    transactionId: value.transactionId,
    requestId: value.requestId,
    receiverEntity: request.senderEntity as string,
    status: answer,
    ...(reasonCode ? { reasonCode } : {}),
    document: value.document,
  });
}

/**
 * Handles one pain.014: records its answer on the request it names (the
 * request's final step, so that a second answer finds it decided), then its
 * own step, and forwards it to the creditor's participant. An answer that
 * names no pending request of its sender is refused (RJCT, no message). Safe
 * to run again: a request this answer decided is recognised as such.
 *
 * @throws whatever infrastructure failure the ports throw, so that the event source retries
 */
export async function handleAnswer(value: IncomingRecordValue, ports: AnswerPorts): Promise<{ readonly status: string; readonly answer?: string; readonly reasonCode?: string; readonly requestTransactionId?: string }> {
  const own = await ports.log.summary(value.transactionId);
  if (own?.final) {
    if (own.status === Status.ANSW && own.originalTransactionId) {
      const request = await ports.log.summary(own.originalTransactionId);
      if (request) await ports.bus.publish([forwardedAnswer(value, request, own.answer ?? 'ACCP', own.reasonCode)]);
    }
    return { status: own.status, ...(own.answer ? { answer: own.answer } : {}), ...(own.reasonCode ? { reasonCode: own.reasonCode } : {}), ...(own.originalTransactionId ? { requestTransactionId: own.originalTransactionId } : {}) };
  }
  const at = ports.now().toISOString();
  const base = { transactionId: value.transactionId, timestamp: at, requestId: value.requestId, messageType: value.messageType };
  let decision: AnswerDecision;
  try {
    const read = paymentRequestAnswers(value.document);
    const first = read.answers[0];
    const lookup: OriginalLookup = {
      messageType: 'pain.013',
      msgId: read.originalMsgId,
      ...(first?.originalEndToEndId ? { endToEndId: first.originalEndToEndId } : {}),
      ...(first?.originalInstructionId ? { instructionId: first.originalInstructionId } : {}),
    };
    let request = await ports.originalFor(lookup, value.senderEntity);
    // A request the answerer decided itself, found again after a crash: this answer decided it.
    if (request?.final && request.originalTransactionId === value.transactionId) {
      const stands = await recordOnce(ports.log, { ...base, step: `${STEP.answer}#${Status.ANSW}`, status: Status.ANSW, final: true, answer: request.answer ?? 'ACCP', ...(request.reasonCode ? { reasonCode: request.reasonCode } : {}), originalTransactionId: request.transactionId, parties: { senderEntity: value.senderEntity, ...(request.senderEntity ? { receiverEntity: request.senderEntity } : {}) } });
      if (stands) await ports.bus.publish([forwardedAnswer(value, request, request.answer ?? 'ACCP', request.reasonCode)]);
      return { status: Status.ANSW, answer: request.answer ?? 'ACCP', requestTransactionId: request.transactionId };
    }
    const statuses = read.answers.length ? read.answers.map((entry) => ({ ...entry, status: entry.status ?? read.groupStatus })) : [{ status: read.groupStatus }];
    decision = decideAnswer(value.senderEntity, request, statuses);
    request = decision.request;
  } catch (error) {
    // An answer that cannot be read, or whose references fit several requests: refused, saying why.
    if (!(error instanceof ReaderInputError) && errorName(error) !== 'AmbiguousOriginalError') throw error;
    decision = { kind: 'refuse', reasonCode: Reason.NARR, detail: (error as Error).message };
  }
  if (decision.kind === 'refuse') {
    await recordOnce(ports.log, { ...base, step: `${STEP.answer}#${Status.RJCT}`, status: Status.RJCT, final: true, reasonCode: decision.reasonCode, detail: fitText(decision.detail), ...(decision.request ? { originalTransactionId: decision.request.transactionId } : {}), parties: { senderEntity: value.senderEntity } });
    return { status: Status.RJCT, reasonCode: decision.reasonCode };
  }
  const { request, answer } = decision;
  // The request's final step first: of two answers, the one that writes it decides.
  const decided = await recordOnce(ports.log, {
    ...base,
    transactionId: request.transactionId,
    step: `${STEP.request}#${Status.ANSW}`,
    status: Status.ANSW,
    final: true,
    answer,
    ...(decision.reasonCode ? { reasonCode: decision.reasonCode } : {}),
    detail: fitText(`answered ${answer} by pain.014 ${value.transactionId}${decision.detail ? `: ${decision.detail}` : ''}`),
    messageType: 'pain.013',
    // The step names the answer's transaction, so that the request's history links to it.
    originalTransactionId: value.transactionId,
  });
  if (!decided) {
    const now = await ports.log.summary(request.transactionId);
    if (now?.originalTransactionId !== value.transactionId) {
      const refused = decideAnswer(value.senderEntity, now, []);
      const reasonCode = refused.kind === 'refuse' ? refused.reasonCode : Reason.AM05;
      await recordOnce(ports.log, { ...base, step: `${STEP.answer}#${Status.RJCT}`, status: Status.RJCT, final: true, reasonCode, detail: fitText(refused.kind === 'refuse' ? refused.detail : 'the request was answered already'), originalTransactionId: request.transactionId, parties: { senderEntity: value.senderEntity } });
      return { status: Status.RJCT, reasonCode };
    }
  }
  await recordOnce(ports.log, {
    ...base,
    step: `${STEP.answer}#${Status.ANSW}`,
    status: Status.ANSW,
    final: true,
    answer,
    ...(decision.reasonCode ? { reasonCode: decision.reasonCode } : {}),
    originalTransactionId: request.transactionId,
    parties: { senderEntity: value.senderEntity, ...(request.senderEntity ? { receiverEntity: request.senderEntity } : {}) },
  });
  await ports.bus.publish([forwardedAnswer(value, request, answer, decision.reasonCode)]);
  return { status: Status.ANSW, answer, ...(decision.reasonCode ? { reasonCode: decision.reasonCode } : {}), requestTransactionId: request.transactionId };
}

/** Gives up on a record that kept failing: the message is rejected AB04 (a pain.013 with a pain.014 RJCT to its sender). */
export async function refuseAfterFailures(value: IncomingRecordValue, detail: string, ports: Pick<RequestPorts, 'log' | 'bus' | 'now'>): Promise<string> {
  const summary = await ports.log.summary(value.transactionId);
  if (summary?.final) return summary.status;
  const at = ports.now().toISOString();
  const isRequest = value.messageType === 'pain.013';
  const stands = await recordOnce(ports.log, {
    transactionId: value.transactionId,
    step: `${isRequest ? STEP.request : STEP.answer}#${Status.RJCT}`,
    status: Status.RJCT,
    reasonCode: Reason.AB04,
    detail: fitText(detail),
    timestamp: at,
    requestId: value.requestId,
    messageType: value.messageType,
    final: true,
    parties: { senderEntity: value.senderEntity },
  });
  if (stands && isRequest) await ports.bus.publish(refusalOf(value, { reasonCode: Reason.AB04, detail, at }));
  return Status.RJCT;
}
