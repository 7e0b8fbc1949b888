import { Iso20022Error, parseMessage, SchemaValidationError, toXml, validateXml } from '@mxflow/iso20022';
import { InputError } from './errors';
import { readInput, type Io } from './io';

/** The JSON form as `convert --to json` writes it and `convert --to xml` reads it. */
export interface MessageJson {
  readonly messageId: string;
  readonly appHdr?: object;
  readonly document: object;
}

function schemaProblems(error: SchemaValidationError): string {
  return error.issues.map((issue) => `  ${issue.line}:${issue.column} ${issue.path}: ${issue.message}`).join('\n');
}

/** Turns engine errors about the input into an InputError naming the file. */
export function asInputError(file: string, error: unknown): never {
  if (error instanceof SchemaValidationError) throw new InputError(`${file}: not schema-valid\n${schemaProblems(error)}`, { cause: error });
  if (error instanceof Iso20022Error) throw new InputError(`${file}: ${error.message}`, { cause: error });
  throw error;
}

/** XML to the JSON form, after validation against the XSD. */
export function xmlToJson(file: string, io: Io): MessageJson {
  try {
    const { messageId, appHdr, document } = parseMessage(readInput(file, io));
    return { messageId, ...(appHdr ? { appHdr } : {}), document };
  } catch (error) {
    return asInputError(file, error);
  }
}

/** The JSON form back to XML, refused when the XML would not pass the XSD. */
export function jsonToXml(file: string, io: Io): string {
  let message: MessageJson;
  try {
    message = JSON.parse(new TextDecoder().decode(readInput(file, io))) as MessageJson;
  } catch (error) {
    if (error instanceof SyntaxError) throw new InputError(`${file}: not JSON: ${error.message}`, { cause: error });
    throw error;
  }
  if (typeof message !== 'object' || message === null || typeof message.messageId !== 'string' || typeof message.document !== 'object' || message.document === null) {
    throw new InputError(`${file}: expected {"messageId": "...", "document": {...}} as written by 'mxflow convert --to json'`);
  }
  try {
    const xml = toXml(message.messageId, message.document, message.appHdr ? { appHdr: message.appHdr } : {});
    const result = validateXml(xml);
    if (!result.valid) throw new SchemaValidationError(result.issues, { messageId: message.messageId });
    return xml;
  } catch (error) {
    return asInputError(file, error);
  }
}

/** `mxflow convert --to json|xml FILE` */
export function convertCommand(file: string, to: 'json' | 'xml', io: Io): number {
  if (to === 'json') io.stdout(`${JSON.stringify(xmlToJson(file, io), null, 2)}\n`);
  else io.stdout(jsonToXml(file, io));
  return 0;
}
