import { buildResponse, parseMessage, ResponseInputError, responseTypes, toXml, validateXml, SchemaValidationError, type EngineOptions, type ResponseStatus } from '@mxflow/iso20022';
import { InputError, UsageError } from './errors';
import { asInputError } from './convert';
import { readInput, type Io } from './io';

/** Options of `mxflow respond`. */
export interface RespondOptions {
  readonly status: ResponseStatus;
  readonly reason?: string;
  readonly additionalInfo?: string;
  /** MsgId of the response; a new one when absent. */
  readonly msgId?: string;
  /** Creation date-time of the response; now when absent. */
  readonly now?: Date;
}

type JsonObject = Record<string, unknown>;

/** The AppHdr of a response to a message that came with one: the parties swap, the original is named as related. */
function responseHeader(original: JsonObject, messageId: string, msgId: string, creationDateTime: string): JsonObject {
  const related = Object.fromEntries(['Fr', 'To', 'BizMsgIdr', 'MsgDefIdr', 'BizSvc', 'CreDt'].filter((key) => key in original).map((key) => [key, original[key]]));
  return {
    Fr: original.To,
    To: original.Fr,
    BizMsgIdr: msgId,
    MsgDefIdr: messageId,
    ...(original.BizSvc ? { BizSvc: original.BizSvc } : {}),
    CreDt: creationDateTime,
    Rltd: [related],
  };
}

/** `mxflow respond FILE --status S [--reason R]`: prints the response XML. */
export function respondCommand(file: string, options: RespondOptions, io: Io, engine: EngineOptions = {}): number {
  let original;
  try {
    original = parseMessage(readInput(file, io), engine);
  } catch (error) {
    return asInputError(file, error);
  }
  if (!Object.hasOwn(responseTypes, original.messageType)) {
    throw new InputError(`${file}: a ${original.messageType} gets no response; mxflow answers ${Object.keys(responseTypes).join(', ')}`);
  }
  const msgId = options.msgId ?? io.newId();
  const creationDateTime = (options.now ?? io.now()).toISOString();
  let built;
  try {
    built = buildResponse(original.messageId, original.document, { status: options.status, reason: options.reason, additionalInfo: options.additionalInfo }, { msgId, creationDateTime });
  } catch (error) {
    if (error instanceof ResponseInputError && ['status', 'reason', 'additionalInfo', 'msgId', 'creationDateTime'].includes(error.path)) {
      throw new UsageError(error.message, { cause: error });
    }
    if (error instanceof ResponseInputError) throw new InputError(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
  const appHdr = original.appHdr ? responseHeader(original.appHdr, built.messageId, msgId, creationDateTime) : undefined;
  const xml = toXml(built.messageId, built.document, { ...engine, ...(appHdr ? { appHdr } : {}) });
  const check = validateXml(xml, engine);
  // The builders are tested against the official XSDs; this guards against an original that carries values the response cannot.
  if (!check.valid) return asInputError(file, new SchemaValidationError(check.issues, { messageId: built.messageId }));
  io.stdout(xml);
  return 0;
}
