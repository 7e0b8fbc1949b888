import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CancellationReason,
  type TransactWriteItem,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DeadlinePassedError, DynamoDbStoreError, KeyClaimedError, RecordChangedError, StepAlreadyRecordedError, StoreRequestError, TransactionFinalError } from '../errors';
import { versionCondition } from './versioned';
import type {
  KeyClaim,
  RecordOptions,
  LedgerAmount,
  MessageIds,
  TransactionLog,
  TransactionPage,
  TransactionQuery,
  TransactionReference,
  TransactionStep,
  TransactionSummary,
  RecordRead,
  SweepWork,
} from '../ports';
import { checkCurrency, conditionFailed, epochMs, queryAll, toBigInt, transactWrite, type Item } from './transact';

/** Options of {@link DynamoDbTransactionLog}. */
export interface DynamoDbTransactionLogOptions {
  readonly client: DynamoDBClient;
  /** The transaction table (hash key `transactionId`, range key `step`). */
  readonly tableName: string;
  /** Its index of state items on `senderEntity` + `createdKey` (default `bySender`). */
  readonly senderIndex?: string;
  /** Its index of state items on `receiverEntity` + `createdKey` (default `byReceiver`). */
  readonly receiverIndex?: string;
  /** The entity table (hash key `entityId`), for first steps that rely on an entity read (`RecordRead`). */
  readonly entityTableName?: string;
  /** The mapping table (hash key `clientId`), for first steps that rely on a client's mapping. */
  readonly mappingTableName?: string;
}

/** The reference indexes of the transaction table, by the id they hold. */
const REFERENCE_INDEXES = [
  { id: 'uetr', attribute: 'refUetr', index: 'byUetr' },
  { id: 'endToEndId', attribute: 'refEndToEndId', index: 'byEndToEndId' },
  { id: 'msgId', attribute: 'refMsgId', index: 'byMsgId' },
] as const;
/** The sparse index of open transactions by deadline. */
const OPEN_INDEX = 'byOpenAge';

/** Sort key of the one state item of each transaction. */
export const STATE_STEP = 'STATE';
/** Sort key of a claim item; its hash key is `CLAIM#<key>`. */
export const CLAIM_STEP = 'CLAIM';
const CLAIM_PREFIX = 'CLAIM#';
/** Value of `openKey` while a transaction is not final: the hash key of the sparse `byOpenAge` index. */
export const OPEN = 'OPEN';

const DEFAULT_PAGE = 50;
/** The most keys one BatchGetItem reads. */
const BATCH_GET_KEYS = 100;
const MAX_PAGE = 200;
/** Width of the epoch milliseconds in `createdKey`, so that the string order is the time order. */
const EPOCH_WIDTH = 15;

const list = (values: readonly string[]): AttributeValue => ({ L: values.map((value) => ({ S: value })) });
const strings = (value: AttributeValue | undefined): string[] | undefined => value?.L?.flatMap((item) => (item.S === undefined ? [] : [item.S]));
const timeKey = (ms: number): string => String(ms).padStart(EPOCH_WIDTH, '0');

/**
 * `<epoch ms, 15 digits>#<transactionId>`: the range key of the list indexes,
 * ordered by time and unique per transaction.
 */
export function createdKey(timestamp: string, transactionId: string): string {
  return `${timeKey(epochMs(timestamp, 'The step timestamp'))}#${transactionId}`;
}

function messageIdsOf(item: Item): MessageIds | undefined {
  const ids: MessageIds = {
    ...(item.msgId?.S ? { msgId: item.msgId.S } : {}),
    ...(item.endToEndIds ? { endToEndIds: strings(item.endToEndIds) } : {}),
    ...(item.uetrs ? { uetrs: strings(item.uetrs) } : {}),
    ...(item.txIds ? { txIds: strings(item.txIds) } : {}),
    ...(item.instructionIds ? { instructionIds: strings(item.instructionIds) } : {}),
  };
  return Object.keys(ids).length ? ids : undefined;
}

function amountOf(item: Item): LedgerAmount | undefined {
  const minor = toBigInt(item.amountMinor);
  if (minor === undefined || !item.currency?.S) return undefined;
  return { minor, currency: item.currency.S, exponent: Number(item.exponent?.N ?? 0) };
}

function checkStep(step: TransactionStep): void {
  if (step.step === STATE_STEP || step.step === CLAIM_STEP) throw new StoreRequestError(`'${step.step}' is reserved and cannot name a step`);
  if (!step.transactionId || step.transactionId.startsWith(CLAIM_PREFIX)) {
    throw new StoreRequestError(`'${step.transactionId}' cannot be a transaction id`);
  }
  if (step.amount) {
    checkCurrency(step.amount.currency, step.amount.exponent);
    if (typeof step.amount.minor !== 'bigint') throw new StoreRequestError('A step amount must be a bigint of minor units');
  }
}

function toItem(step: TransactionStep): Item {
  const item: Item = {
    transactionId: { S: step.transactionId },
    step: { S: step.step },
    status: { S: step.status },
    timestamp: { S: step.timestamp },
    // The same instant as a number, for range queries and TTL-style arithmetic.
    epochMs: { N: String(epochMs(step.timestamp, 'The step timestamp')) },
    requestId: { S: step.requestId },
  };
  if (step.messageType) item.messageType = { S: step.messageType };
  if (step.entityId) item.entityId = { S: step.entityId };
  if (step.archiveKey) item.archiveKey = { S: step.archiveKey };
  if (step.archiveSha256) item.archiveSha256 = { S: step.archiveSha256 };
  if (step.reasonCode) item.reasonCode = { S: step.reasonCode };
  if (step.duplicateKey) item.duplicateKey = { S: step.duplicateKey };
  const ids = step.messageIds;
  if (ids?.msgId) item.msgId = { S: ids.msgId };
  if (ids?.endToEndIds?.length) item.endToEndIds = list(ids.endToEndIds);
  if (ids?.uetrs?.length) item.uetrs = list(ids.uetrs);
  if (ids?.txIds?.length) item.txIds = list(ids.txIds);
  if (ids?.instructionIds?.length) item.instructionIds = list(ids.instructionIds);
  // Step items carry no createdKey, so the party attributes leave them out of bySender and byReceiver.
  if (step.parties?.senderEntity) item.senderEntity = { S: step.parties.senderEntity };
  if (step.parties?.receiverEntity) item.receiverEntity = { S: step.parties.receiverEntity };
  if (step.amount) {
    item.amountMinor = { N: step.amount.minor.toString() };
    item.currency = { S: step.amount.currency };
    item.exponent = { N: String(step.amount.exponent) };
  }
  if (step.final !== undefined) item.final = { BOOL: step.final };
  if (step.informational !== undefined) item.informational = { BOOL: step.informational };
  if (step.deadline) item.deadline = { S: step.deadline };
  if (step.parentTransactionId) item.parentTransactionId = { S: step.parentTransactionId };
  if (step.originalTransactionId) item.originalTransactionId = { S: step.originalTransactionId };
  if (step.answer) item.answer = { S: step.answer };
  if (step.detail) item.detail = { S: step.detail };
  return item;
}

function fromItem(item: Item): TransactionStep {
  const messageIds = messageIdsOf(item);
  const amount = amountOf(item);
  const parties = {
    ...(item.senderEntity?.S ? { senderEntity: item.senderEntity.S } : {}),
    ...(item.receiverEntity?.S ? { receiverEntity: item.receiverEntity.S } : {}),
  };
  return {
    transactionId: item.transactionId?.S ?? '',
    step: item.step?.S ?? '',
    status: item.status?.S ?? '',
    timestamp: item.timestamp?.S ?? '',
    requestId: item.requestId?.S ?? '',
    ...(item.messageType?.S ? { messageType: item.messageType.S } : {}),
    ...(messageIds ? { messageIds } : {}),
    ...(item.entityId?.S ? { entityId: item.entityId.S } : {}),
    ...(item.archiveKey?.S ? { archiveKey: item.archiveKey.S } : {}),
    ...(item.archiveSha256?.S ? { archiveSha256: item.archiveSha256.S } : {}),
    ...(item.reasonCode?.S ? { reasonCode: item.reasonCode.S } : {}),
    ...(item.duplicateKey?.S ? { duplicateKey: item.duplicateKey.S } : {}),
    ...(Object.keys(parties).length ? { parties } : {}),
    ...(amount ? { amount } : {}),
    ...(item.final?.BOOL !== undefined ? { final: item.final.BOOL } : {}),
    ...(item.informational?.BOOL !== undefined ? { informational: item.informational.BOOL } : {}),
    ...(item.deadline?.S ? { deadline: item.deadline.S } : {}),
    ...(item.parentTransactionId?.S ? { parentTransactionId: item.parentTransactionId.S } : {}),
    ...(item.originalTransactionId?.S ? { originalTransactionId: item.originalTransactionId.S } : {}),
    ...(item.answer?.S ? { answer: item.answer.S } : {}),
    ...(item.detail?.S ? { detail: item.detail.S } : {}),
  };
}

function toSummary(item: Item): TransactionSummary {
  const messageIds = messageIdsOf(item);
  const amount = amountOf(item);
  return {
    transactionId: item.transactionId?.S ?? '',
    status: item.status?.S ?? '',
    ...(item.reasonCode?.S ? { reasonCode: item.reasonCode.S } : {}),
    ...(item.messageType?.S ? { messageType: item.messageType.S } : {}),
    ...(messageIds ? { messageIds } : {}),
    ...(item.senderEntity?.S ? { senderEntity: item.senderEntity.S } : {}),
    ...(item.receiverEntity?.S ? { receiverEntity: item.receiverEntity.S } : {}),
    ...(amount ? { amount } : {}),
    createdAt: item.createdAt?.S ?? '',
    updatedAt: item.updatedAt?.S ?? '',
    final: item.final?.BOOL === true,
    ...(item.finalStep?.S ? { finalStep: item.finalStep.S } : {}),
    ...(item.deadline?.S ? { deadline: item.deadline.S } : {}),
    ...(amount && item.returnedMinor?.N ? { returned: { ...amount, minor: toBigInt(item.returnedMinor) ?? 0n } } : {}),
    ...(item.parentTransactionId?.S ? { parentTransactionId: item.parentTransactionId.S } : {}),
    ...(item.originalTransactionId?.S ? { originalTransactionId: item.originalTransactionId.S } : {}),
    ...(item.answer?.S ? { answer: item.answer.S } : {}),
    ...(item.detail?.S ? { detail: item.detail.S } : {}),
  };
}

/** Value of a reference attribute (`refUetr` …): the message type and the id, so a camt.056 never answers for a pacs.008. */
export function referenceKey(messageType: string, id: string): string {
  return `${messageType}#${id}`;
}

/**
 * The update of the state item that goes with a step: the latest status, the
 * first step's time and type, whatever the step adds (ids, parties, amount),
 * and the open/final flag. Its condition refuses any step after a final one.
 */
function stateUpdate(
  step: TransactionStep,
  createdAt: string = step.timestamp,
  answerPending = false,
): { UpdateExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Item } {
  const names: Record<string, string> = { '#final': 'final' };
  const values: Item = { ':false': { BOOL: false } };
  const sets: string[] = [];
  const set = (attribute: string, value: AttributeValue, onlyIfAbsent = false): void => {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    sets.push(onlyIfAbsent ? `#${attribute} = if_not_exists(#${attribute}, :${attribute})` : `#${attribute} = :${attribute}`);
  };
  set('status', { S: step.status });
  set('updatedAt', { S: step.timestamp });
  set('createdAt', { S: createdAt }, true);
  set('createdKey', { S: createdKey(createdAt, step.transactionId) }, true);
  if (step.messageType) set('messageType', { S: step.messageType }, true);
  if (step.reasonCode) set('reasonCode', { S: step.reasonCode });
  const ids = step.messageIds;
  if (ids?.msgId) set('msgId', { S: ids.msgId });
  if (ids?.endToEndIds?.length) set('endToEndIds', list(ids.endToEndIds));
  if (ids?.uetrs?.length) set('uetrs', list(ids.uetrs));
  if (ids?.txIds?.length) set('txIds', list(ids.txIds));
  if (ids?.instructionIds?.length) set('instructionIds', list(ids.instructionIds));
  if (step.parties?.senderEntity) set('senderEntity', { S: step.parties.senderEntity });
  if (step.parties?.receiverEntity) set('receiverEntity', { S: step.parties.receiverEntity });
  if (step.amount) {
    set('amountMinor', { N: step.amount.minor.toString() });
    set('currency', { S: step.amount.currency });
    set('exponent', { N: String(step.amount.exponent) });
  }
  // What later messages find this one by (byUetr, byEndToEndId, byMsgId): its first UETR and EndToEndId, and its MsgId.
  if (step.messageType) {
    if (ids?.uetrs?.[0]) set('refUetr', { S: referenceKey(step.messageType, ids.uetrs[0]) });
    if (ids?.endToEndIds?.[0]) set('refEndToEndId', { S: referenceKey(step.messageType, ids.endToEndIds[0]) });
    if (ids?.msgId) set('refMsgId', { S: referenceKey(step.messageType, ids.msgId) });
  }
  if (step.deadline) set('deadline', { S: step.deadline });
  if (step.final && answerPending) {
    // Still in byOpenAge, first in line (epoch 0): the sweep finds it at once and answers it, until the answer is out.
    set('deadlineKey', { S: createdKey(new Date(0).toISOString(), step.transactionId) });
  } else if (step.deadline) {
    set('deadlineKey', { S: createdKey(step.deadline, step.transactionId) });
  }
  if (step.parentTransactionId) set('parentTransactionId', { S: step.parentTransactionId });
  if (step.originalTransactionId) set('originalTransactionId', { S: step.originalTransactionId });
  if (step.answer) set('answer', { S: step.answer });
  if (step.detail) set('detail', { S: step.detail });
  names['#openKey'] = 'openKey';
  let remove = '';
  if (step.final) {
    values[':true'] = { BOOL: true };
    sets.push('#final = :true');
    // Which step ended it: a redelivered record answers only what its own step decided.
    set('finalStep', { S: step.step });
    if (answerPending) {
      values[':open'] = { S: OPEN };
      sets.push('#openKey = :open');
    } else {
      // Leaving byOpenAge is what takes a transaction out of the timeout sweep.
      remove = ' REMOVE #openKey';
    }
  } else {
    values[':open'] = { S: OPEN };
    sets.push('#final = :false', '#openKey = :open');
  }
  return { UpdateExpression: `SET ${sets.join(', ')}${remove}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

/** Options of {@link stepWrites}. */
export interface StepWriteOptions extends RecordOptions {
  /**
   * Refuse the step once the transaction's deadline is not after the step's
   * timestamp: what moves money (a settlement, a return) happens before the
   * deadline or not at all, whoever answers the timeout.
   */
  readonly beforeDeadline?: boolean;
}

/**
 * The two writes that record a step (not an informational one): its own item,
 * written once, and the update of the state item, refused after a final status
 * (and, with `beforeDeadline`, at or after the transaction's deadline).
 */
export function stepWrites(tableName: string, step: TransactionStep, options: StepWriteOptions = {}): TransactWriteItem[] {
  checkStep(step);
  const update = stateUpdate(step, step.timestamp, options.answerPending === true);
  let condition = '(attribute_not_exists(#final) OR #final = :false)';
  if (options.beforeDeadline) {
    // ISO 8601 UTC texts of one width compare as the instants they name.
    update.ExpressionAttributeNames['#deadline'] = 'deadline';
    update.ExpressionAttributeValues[':stepAt'] = { S: step.timestamp };
    condition += ' AND (attribute_not_exists(#deadline) OR #deadline > :stepAt)';
  }
  return [
    { Put: { TableName: tableName, Item: toItem(step), ConditionExpression: 'attribute_not_exists(transactionId)' } },
    {
      Update: {
        TableName: tableName,
        Key: { transactionId: { S: step.transactionId }, step: { S: STATE_STEP } },
        ...update,
        ConditionExpression: condition,
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
}

/**
 * What it means when the writes of {@link stepWrites}, at `offset` in a
 * cancelled transaction, failed their conditions: the step exists already,
 * the transaction has a final status, or its deadline passed. Resolves when
 * none of them failed.
 *
 * @throws StepAlreadyRecordedError, TransactionFinalError, DeadlinePassedError
 */
export async function checkStepWrites(
  reasons: readonly CancellationReason[],
  offset: number,
  step: TransactionStep,
  error: unknown,
  finalStatus: () => Promise<string | undefined>,
): Promise<void> {
  if (conditionFailed(reasons, offset)) throw new StepAlreadyRecordedError(step.transactionId, step.step, { cause: error });
  if (conditionFailed(reasons, offset + 1)) {
    const state = reasons[offset + 1]?.Item;
    const deadline = state?.deadline?.S;
    if (state && state.final?.BOOL !== true && deadline !== undefined && deadline <= step.timestamp) {
      throw new DeadlinePassedError(step.transactionId, deadline, { cause: error });
    }
    const status = state?.status?.S ?? (await finalStatus()) ?? 'UNKNOWN';
    throw new TransactionFinalError(step.transactionId, status, { cause: error });
  }
}

/**
 * The Put of a claim item: `key` for `transactionId`, refused when any
 * transaction holds it already (the holder comes back in the cancellation
 * reason). `extra` attributes describe what claimed it (a body's digest).
 */
export function claimPut(tableName: string, key: string, transactionId: string, at: string, extra: Item = {}): TransactWriteItem {
  if (!key) throw new StoreRequestError('A claim needs a key');
  return {
    Put: {
      TableName: tableName,
      Item: { transactionId: { S: `${CLAIM_PREFIX}${key}` }, step: { S: CLAIM_STEP }, ...extra, owner: { S: transactionId }, claimedAt: { S: at } },
      ConditionExpression: 'attribute_not_exists(transactionId)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Throws {@link KeyClaimedError} for the first claim, among `keys` written at
 * `offset` of a cancelled transaction, that another transaction holds, with
 * the string attributes that claim was written with.
 */
export function checkClaimWrites(reasons: readonly CancellationReason[], offset: number, keys: readonly string[], transactionId: string, error: unknown): void {
  keys.forEach((key, index) => {
    if (!conditionFailed(reasons, offset + index)) return;
    const held = reasons[offset + index]?.Item ?? {};
    const owner = held.owner?.S;
    if (owner === transactionId) return;
    const attributes = Object.fromEntries(Object.entries(held).flatMap(([name, value]) => (value.S !== undefined && !CLAIM_OWN_ATTRIBUTES.has(name) ? [[name, value.S]] : [])));
    throw new KeyClaimedError(key, owner ?? 'unknown', { cause: error, attributes });
  });
}

/** Attributes of a claim item that are its key and bookkeeping, not what the claimer wrote with it. */
const CLAIM_OWN_ATTRIBUTES = new Set(['transactionId', 'step', 'owner', 'claimedAt']);

/**
 * The writes that record the first steps of a transaction at once (received
 * and accepted, or received and rejected): one item per step and one update
 * of the state item, which takes its creation time from the first step.
 */
function firstStepsWrites(tableName: string, steps: readonly TransactionStep[], answerPending = false): TransactWriteItem[] {
  const [first] = steps;
  const last = steps.at(-1);
  if (!first || !last) throw new StoreRequestError('At least one step must be recorded');
  if (steps.some((step) => step.transactionId !== first.transactionId || step.informational)) {
    throw new StoreRequestError('Steps recorded together belong to one transaction and change its state');
  }
  steps.forEach(checkStep);
  // One item may appear once in a transaction: the state gets what every step adds, the last step's status winning.
  const merged: TransactionStep = {
    ...Object.assign({}, ...steps),
    parties: Object.assign({}, ...steps.map((step) => step.parties ?? {})),
    messageIds: steps.map((step) => step.messageIds).filter(Boolean).at(-1),
  };
  const update = stateUpdate(merged, first.timestamp, answerPending);
  // DynamoDB refuses a value no expression uses: `:false` is the condition's in stepWrites, and a final state sets no open flag.
  if (!update.UpdateExpression.includes(':false')) delete update.ExpressionAttributeValues[':false'];
  return [
    ...steps.map((step) => ({ Put: { TableName: tableName, Item: toItem(step), ConditionExpression: 'attribute_not_exists(transactionId)' } })),
    {
      Update: {
        TableName: tableName,
        Key: { transactionId: { S: first.transactionId }, step: { S: STATE_STEP } },
        ...update,
        // A transaction is born here: there is no state yet.
        ConditionExpression: 'attribute_not_exists(#final)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
}

/**
 * The transaction table. Each transaction has one item per step (`step` =
 * `<service>#<status>`, written once), one state item (`step` = `STATE`) that
 * every step except an informational one updates in the same transaction, and
 * claim items (`CLAIM#<key>` / `CLAIM`, with their `owner`) for unique keys.
 * The state item is indexed by `bySender` and `byReceiver` (for lists) and,
 * while open, by `byOpenAge` (for the timeout sweep).
 *
 * @example
 * const log = new DynamoDbTransactionLog({ client: new DynamoDBClient({}), tableName });
 * await log.record({ transactionId, step: 'incoming#RCVD', status: 'RCVD', timestamp, requestId, parties: { senderEntity: 'ent-alpha' } });
 * const page = await log.list('ent-alpha', { status: 'RCVD', limit: 20 });
 */
export class DynamoDbTransactionLog implements TransactionLog {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #senderIndex: string;
  readonly #receiverIndex: string;
  readonly #readTables: Record<RecordRead['kind'], { tableName?: string; hashKey: string }>;

  constructor(options: DynamoDbTransactionLogOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#readTables = {
      entity: { ...(options.entityTableName ? { tableName: options.entityTableName } : {}), hashKey: 'entityId' },
      mapping: { ...(options.mappingTableName ? { tableName: options.mappingTableName } : {}), hashKey: 'clientId' },
    };
    this.#senderIndex = options.senderIndex ?? 'bySender';
    this.#receiverIndex = options.receiverIndex ?? 'byReceiver';
  }

  async record(step: TransactionStep, options: RecordOptions = {}): Promise<void> {
    if (step.informational) {
      checkStep(step);
      // It leaves the state alone, so it may follow a final status.
      try {
        await this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: toItem(step), ConditionExpression: 'attribute_not_exists(transactionId)' }));
        return;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new StepAlreadyRecordedError(step.transactionId, step.step, { cause: error });
        throw new DynamoDbStoreError(`Could not record step ${step.step} of transaction ${step.transactionId}`, { cause: error });
      }
    }
    const writes = stepWrites(this.#tableName, step, options);
    await transactWrite(
      this.#client,
      () => ({ TransactItems: writes }),
      `step ${step.step} of transaction ${step.transactionId}`,
      true,
      async (reasons, error) => {
        await checkStepWrites(reasons, 0, step, error, async () => (await this.summary(step.transactionId))?.status);
        // Another step of the same transaction was updating the state item at the same moment: try again.
        return undefined;
      },
    );
  }

  async recordFirstSteps(steps: readonly TransactionStep[], claims: readonly KeyClaim[] = [], reads: readonly RecordRead[] = [], options: RecordOptions = {}): Promise<void> {
    const writes = firstStepsWrites(this.#tableName, steps, options.answerPending === true);
    const [first] = steps as [TransactionStep];
    const at = new Date().toISOString();
    const claiming = claims.map((claim) => claimPut(this.#tableName, claim.key, first.transactionId, at, Object.fromEntries(Object.entries(claim.attributes ?? {}).map(([name, value]) => [name, { S: value }]))));
    const checking = reads.map((read) => this.#readCheck(read));
    const checksAt = writes.length + claiming.length;
    await transactWrite(
      this.#client,
      () => ({ TransactItems: [...writes, ...claiming, ...checking] }),
      `the first steps of transaction ${first.transactionId}`,
      true,
      (reasons, error) => {
        // What the decision relied on comes first: a changed record may make the decision another.
        const changed = reads.find((_, index) => conditionFailed(reasons, checksAt + index));
        if (changed) throw new RecordChangedError(changed.kind, changed.id, { cause: error });
        checkClaimWrites(reasons, writes.length, claims.map(({ key }) => key), first.transactionId, error);
        const stepAt = steps.findIndex((_, index) => conditionFailed(reasons, index));
        if (stepAt >= 0) throw new StepAlreadyRecordedError(first.transactionId, steps[stepAt]?.step ?? '', { cause: error });
        if (conditionFailed(reasons, steps.length)) throw new StepAlreadyRecordedError(first.transactionId, STATE_STEP, { cause: error });
        return undefined;
      },
    );
  }

  /** A ConditionCheck that `read`'s record is still at its version. */
  #readCheck(read: RecordRead): TransactWriteItem {
    const table = this.#readTables[read.kind];
    if (!table.tableName) throw new StoreRequestError(`First steps that rely on a ${read.kind} need its table (${read.kind}TableName)`);
    const { condition, values } = versionCondition(table.hashKey, read.version);
    return {
      ConditionCheck: {
        TableName: table.tableName,
        Key: { [table.hashKey]: { S: read.id } },
        ConditionExpression: condition,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      },
    };
  }

  async recordOnce(step: TransactionStep): Promise<TransactionSummary | undefined> {
    try {
      await this.record(step);
    } catch (error) {
      if (!(error instanceof StepAlreadyRecordedError) && !(error instanceof TransactionFinalError)) throw error;
    }
    return this.summary(step.transactionId);
  }

  async hasStep(transactionId: string, step: string): Promise<boolean> {
    try {
      const { Item: item } = await this.#client.send(
        new GetItemCommand({
          TableName: this.#tableName,
          Key: { transactionId: { S: transactionId }, step: { S: step } },
          ConsistentRead: true,
          ProjectionExpression: '#step',
          ExpressionAttributeNames: { '#step': 'step' },
        }),
      );
      return item !== undefined;
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read step ${step} of transaction ${transactionId}`, { cause: error });
    }
  }

  async steps(transactionId: string): Promise<TransactionStep[]> {
    return (await this.history(transactionId)).steps;
  }

  async history(transactionId: string): Promise<{ summary?: TransactionSummary; steps: TransactionStep[] }> {
    const items = await queryAll(
      this.#client,
      {
        TableName: this.#tableName,
        KeyConditionExpression: 'transactionId = :id',
        ExpressionAttributeValues: { ':id': { S: transactionId } },
        ConsistentRead: true,
      },
      `the steps of transaction ${transactionId}`,
    );
    const state = items.find((item) => item.step?.S === STATE_STEP);
    // The sort key orders by name; callers want the order in which steps happened.
    const steps = items
      .filter((item) => item.step?.S !== STATE_STEP && item.step?.S !== CLAIM_STEP)
      .sort((a, b) => Number(a.epochMs?.N ?? 0) - Number(b.epochMs?.N ?? 0))
      .map(fromItem);
    return { ...(state ? { summary: toSummary(state) } : {}), steps };
  }

  async summary(transactionId: string): Promise<TransactionSummary | undefined> {
    let item: Item | undefined;
    try {
      ({ Item: item } = await this.#client.send(
        new GetItemCommand({
          TableName: this.#tableName,
          Key: { transactionId: { S: transactionId }, step: { S: STATE_STEP } },
          ConsistentRead: true,
        }),
      ));
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the state of transaction ${transactionId}`, { cause: error });
    }
    return item ? toSummary(item) : undefined;
  }

  async summaries(transactionIds: readonly string[]): Promise<TransactionSummary[]> {
    const ids = [...new Set(transactionIds)];
    const found = new Map<string, TransactionSummary>();
    const batches: string[][] = [];
    for (let start = 0; start < ids.length; start += BATCH_GET_KEYS) batches.push(ids.slice(start, start + BATCH_GET_KEYS));
    await Promise.all(
      batches.map(async (batch) => {
        let keys: Item[] = batch.map((transactionId) => ({ transactionId: { S: transactionId }, step: { S: STATE_STEP } }));
        try {
          // Unprocessed keys (throttling, a response over 16 MB) are asked for again, after a growing pause.
          for (let attempt = 0; keys.length > 0; attempt += 1) {
            if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
            const answer = await this.#client.send(new BatchGetItemCommand({ RequestItems: { [this.#tableName]: { Keys: keys, ConsistentRead: true } } }));
            for (const item of answer.Responses?.[this.#tableName] ?? []) found.set(item.transactionId?.S ?? '', toSummary(item));
            keys = answer.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
            if (attempt >= 8 && keys.length > 0) throw new Error(`${keys.length} keys stayed unprocessed`);
          }
        } catch (error) {
          throw new DynamoDbStoreError(`Could not read the state of ${batch.length} transactions`, { cause: error });
        }
      }),
    );
    return transactionIds.flatMap((transactionId) => {
      const summary = found.get(transactionId);
      return summary ? [summary] : [];
    });
  }

  async list(entityIds: string | readonly string[], query: TransactionQuery = {}): Promise<TransactionPage> {
    const limit = pageSize(query.limit);
    const lower = query.from === undefined ? undefined : timeKey(epochMs(query.from, 'from'));
    // Both bounds are exclusive: `to` is, and the cursor is the last key already returned.
    const uppers = [
      ...(query.to === undefined ? [] : [timeKey(epochMs(query.to, 'to'))]),
      ...(query.cursor === undefined ? [] : [decodeCursor(query.cursor)]),
    ].sort();
    const upper = uppers[0];
    if (lower !== undefined && upper !== undefined && lower >= upper) return { items: [] };

    // One more than the page, so that a full page knows whether another follows.
    const wanted = limit + 1;
    const filters = { status: query.status, messageType: query.messageType, counterparty: query.counterparty };
    const found = await Promise.all(
      [...new Set(typeof entityIds === 'string' ? [entityIds] : entityIds)].flatMap((entityId) => [
        this.#queryIndex(this.#senderIndex, 'senderEntity', entityId, { lower, upper, wanted, filters }),
        this.#queryIndex(this.#receiverIndex, 'receiverEntity', entityId, { lower, upper, wanted, filters }),
      ]),
    );
    const byKey = new Map<string, Item>();
    // A transaction an entity sent to itself, or between two of the entities listed, is in two indexes.
    for (const item of found.flat()) byKey.set(item.createdKey?.S ?? '', item);
    const merged = [...byKey.entries()].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
    const page = merged.slice(0, limit);
    const last = page.at(-1)?.[0];
    return {
      items: page.map(([, item]) => toSummary(item)),
      ...(merged.length > limit && last ? { cursor: Buffer.from(last, 'utf8').toString('base64url') } : {}),
    };
  }

  /** Up to `wanted` state items of one list index, newest first, within the bounds. */
  async #queryIndex(
    indexName: string,
    hashKey: string,
    entityId: string,
    options: { lower?: string; upper?: string; wanted: number; filters: Pick<TransactionQuery, 'status' | 'messageType' | 'counterparty'> },
  ): Promise<Item[]> {
    const { lower, upper, wanted, filters } = options;
    const names: Record<string, string> = { '#entity': hashKey };
    const values: Item = { ':entity': { S: entityId } };
    let range = '';
    if (lower !== undefined && upper !== undefined) {
      // A key condition allows one comparison: BETWEEN is inclusive, so the upper bound itself is dropped below.
      range = ' AND #created BETWEEN :lower AND :upper';
      values[':lower'] = { S: lower };
      values[':upper'] = { S: upper };
    } else if (lower !== undefined) {
      range = ' AND #created >= :lower';
      values[':lower'] = { S: lower };
    } else if (upper !== undefined) {
      range = ' AND #created < :upper';
      values[':upper'] = { S: upper };
    }
    if (range) names['#created'] = 'createdKey';
    const conditions: string[] = [];
    if (filters.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = { S: filters.status };
      conditions.push('#status = :status');
    }
    if (filters.messageType !== undefined) {
      names['#type'] = 'messageType';
      values[':type'] = { S: filters.messageType };
      conditions.push('#type = :type');
    }
    if (filters.counterparty !== undefined) {
      // The other party: the receiver of what the entity sent, the sender of what it received.
      names['#other'] = hashKey === 'senderEntity' ? 'receiverEntity' : 'senderEntity';
      values[':other'] = { S: filters.counterparty };
      conditions.push('#other = :other');
    }
    const inBounds = (item: Item): boolean => {
      const key = item.createdKey?.S;
      return key !== undefined && (upper === undefined || key < upper);
    };
    const items = await queryAll(
      this.#client,
      {
        TableName: this.#tableName,
        IndexName: indexName,
        KeyConditionExpression: `#entity = :entity${range}`,
        ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: wanted,
      },
      `the transactions of ${entityId} from ${indexName}`,
      (found) => found.filter(inBounds).length >= wanted,
    );
    return items.filter(inBounds).slice(0, wanted);
  }

  async claim(key: string, transactionId: string): Promise<string> {
    if (!key) throw new StoreRequestError('A claim needs a key');
    const claimKey = { transactionId: { S: `${CLAIM_PREFIX}${key}` }, step: { S: CLAIM_STEP } };
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { ...claimKey, owner: { S: transactionId }, claimedAt: { S: new Date().toISOString() } },
          ConditionExpression: 'attribute_not_exists(transactionId)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return transactionId;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new DynamoDbStoreError(`Could not claim ${key} for transaction ${transactionId}`, { cause: error });
      }
      const owner = error.Item?.owner?.S ?? (await this.#claimOwner(claimKey, key));
      if (owner === undefined) throw new DynamoDbStoreError(`Claim ${key} exists without an owner`, { cause: error });
      return owner;
    }
  }

  async heldBy(key: string): Promise<{ owner: string; attributes: Record<string, string> } | undefined> {
    try {
      const { Item: item } = await this.#client.send(
        new GetItemCommand({ TableName: this.#tableName, Key: { transactionId: { S: `${CLAIM_PREFIX}${key}` }, step: { S: CLAIM_STEP } }, ConsistentRead: true }),
      );
      const owner = item?.owner?.S;
      if (!item || owner === undefined) return undefined;
      const attributes = Object.fromEntries(Object.entries(item).flatMap(([name, value]) => (value.S !== undefined && !CLAIM_OWN_ATTRIBUTES.has(name) ? [[name, value.S]] : [])));
      return { owner, attributes };
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read who holds ${key}`, { cause: error });
    }
  }

  async release(key: string, transactionId: string): Promise<void> {
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#tableName,
          Key: { transactionId: { S: `${CLAIM_PREFIX}${key}` }, step: { S: CLAIM_STEP } },
          // Only the owner gives a key up; a key another transaction holds, or none holds, stays as it is.
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: transactionId } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return;
      throw new DynamoDbStoreError(`Could not release ${key} of transaction ${transactionId}`, { cause: error });
    }
  }

  async findByReference(reference: TransactionReference, limit = 10): Promise<TransactionSummary[]> {
    const wanted = REFERENCE_INDEXES.find(({ id }) => reference[id]);
    if (!wanted) return [];
    const items = await queryAll(
      this.#client,
      {
        TableName: this.#tableName,
        IndexName: wanted.index,
        KeyConditionExpression: '#ref = :ref',
        ExpressionAttributeNames: { '#ref': wanted.attribute },
        ExpressionAttributeValues: { ':ref': { S: referenceKey(reference.messageType, reference[wanted.id] ?? '') } },
        ScanIndexForward: false,
        Limit: limit,
      },
      `the transactions of ${reference.messageType} ${wanted.id} ${reference[wanted.id] ?? ''}`,
      (found) => found.length >= limit,
    );
    // The index is eventually consistent and keys only: the state itself is read consistently.
    const summaries = await Promise.all(items.slice(0, limit).map((item) => this.summary(item.transactionId?.S ?? '')));
    return summaries.filter((summary): summary is TransactionSummary => summary !== undefined);
  }

  async overdue(now: Date, limit = 100): Promise<string[]> {
    return [...(await this.sweepWork(now, limit)).overdue];
  }

  async sweepWork(now: Date, limit = 100): Promise<SweepWork> {
    // One query of the open index in deadline order: what is due, then the first that is not yet.
    const nowKey = `${timeKey(now.getTime())}#~`;
    const items = await queryAll(
      this.#client,
      {
        TableName: this.#tableName,
        IndexName: OPEN_INDEX,
        KeyConditionExpression: '#open = :open',
        ExpressionAttributeNames: { '#open': 'openKey' },
        ExpressionAttributeValues: { ':open': { S: OPEN } },
        Limit: limit + 1,
      },
      'the overdue transactions',
      (found) => found.length > limit || found.some((item) => (item.deadlineKey?.S ?? '') > nowKey),
    );
    const due = items.filter((item) => (item.deadlineKey?.S ?? '') <= nowKey);
    const next = items.find((item) => (item.deadlineKey?.S ?? '') > nowKey)?.deadlineKey?.S;
    return {
      overdue: due.slice(0, limit).flatMap((item) => (item.transactionId?.S ? [item.transactionId.S] : [])),
      ...(due.length > limit ? { more: true } : {}),
      ...(next ? { nextDeadline: new Date(Number(next.split('#')[0])) } : {}),
    };
  }

  async answered(transactionId: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { transactionId: { S: transactionId }, step: { S: STATE_STEP } },
          UpdateExpression: 'REMOVE #openKey',
          // Only a final transaction leaves the sweep this way; an open one leaves it with its final step.
          ConditionExpression: '#final = :true',
          ExpressionAttributeNames: { '#openKey': 'openKey', '#final': 'final' },
          ExpressionAttributeValues: { ':true': { BOOL: true } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StoreRequestError(`transaction ${transactionId} is not final: it cannot be answered yet`, { cause: error });
      throw new DynamoDbStoreError(`Could not mark transaction ${transactionId} answered`, { cause: error });
    }
  }

  async #claimOwner(claimKey: Item, key: string): Promise<string | undefined> {
    try {
      const { Item: item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: claimKey, ConsistentRead: true }));
      return item?.owner?.S;
    } catch (error) {
      throw new DynamoDbStoreError(`Could not read the owner of claim ${key}`, { cause: error });
    }
  }
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return DEFAULT_PAGE;
  return Math.min(MAX_PAGE, Math.max(1, Math.trunc(limit)));
}

function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!new RegExp(`^\\d{${EPOCH_WIDTH}}#.+`).test(key)) throw new StoreRequestError('The cursor is not one this list returned');
  return key;
}
