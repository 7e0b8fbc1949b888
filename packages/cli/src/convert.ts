import { Iso20022Error, JsonFormError, jsonFormToXml, parseMessage, SchemaValidationError, validateXml, type EngineOptions, type MessageJson } from '@mxflow/iso20022';
import { InputError } from './errors';
import { readInput, type Io } from './io';

export type { MessageJson };

function schemaProblems(error: SchemaValidationError): string {
  return error.issues.map((issue) => `  ${issue.line}:${issue.column} ${issue.path}: ${issue.message}`).join('\n');
}

/** Turns engine errors about the input into an InputError naming the file. */
export function asInputError(file: string, error: unknown): never {
  if (error instanceof JsonFormError) throw new InputError(`${file}: ${error.issues.length > 1 ? `not a message in the JSON form\n${error.issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}` : error.message}`, { cause: error });
  if (error instanceof SchemaValidationError) throw new InputError(`${file}: not schema-valid\n${schemaProblems(error)}`, { cause: error });
  if (error instanceof Iso20022Error) throw new InputError(`${file}: ${error.message}`, { cause: error });
  throw error;
}

/** XML to the JSON form, after validation against the XSD. */
export function xmlToJson(file: string, io: Io, options: EngineOptions = {}): MessageJson {
  try {
    const { messageId, appHdr, document } = parseMessage(readInput(file, io), options);
    return { messageId, ...(appHdr ? { appHdr } : {}), document };
  } catch (error) {
    return asInputError(file, error);
  }
}

/** The JSON form back to XML, refused when the XML would not pass the XSD. */
export function jsonToXml(file: string, io: Io, options: EngineOptions = {}): string {
  try {
    const { messageId, xml } = jsonFormToXml(readInput(file, io), options);
    const result = validateXml(xml, options);
    if (!result.valid) throw new SchemaValidationError(result.issues, { messageId });
    return xml;
  } catch (error) {
    return asInputError(file, error);
  }
}

/** `mxflow convert --to json|xml FILE` */
export function convertCommand(file: string, to: 'json' | 'xml', io: Io, options: EngineOptions = {}): number {
  if (to === 'json') io.stdout(`${JSON.stringify(xmlToJson(file, io, options), null, 2)}\n`);
  else io.stdout(jsonToXml(file, io, options));
  return 0;
}
