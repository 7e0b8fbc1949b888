import { defaultCatalogue, type Catalogue } from './catalogue';
import { writeGlobalElement } from './codec/json-to-xml';
import { xmlToJson, type JsonObject } from './codec/xml-to-json';
import { detect, type Detection } from './detect';
import { JsonFormError, JsonShapeError, SchemaValidationError, type ValidationIssue } from './errors';
import { validateJsonForm, type JsonIssue } from './json-validate';
import type { JsonSchema } from './schema/json-schema';
import { validateDetected } from './validate';
import { guardXml, type GuardedXml, type GuardLimits } from './xml/guard';

export * from './errors';
export { Catalogue, CatalogueEntry, builtinCatalogue, defaultCatalogue, loadCatalogue, messageTypeOf, useCatalogue, type CatalogueOptions } from './catalogue';
export { guardXml, outlineOf, elementAt, outlineDepth, defaultLimits, type GuardLimits, type GuardedXml, type ScannedElement } from './xml/guard';
export { compareXsd, type SchemaDifference } from './schema/compare';
export { describeXsd, readXsd, type XsdDescription } from './schema/xsd-reader';
export { messageIdOfNamespace } from './schema/namespaces';
export { generateXsd } from './schema/xsd';
export { generateJsonSchema, type JsonSchema } from './schema/json-schema';
export { generateCodecRules, repeatingElements, type CodecRules, type TypeRule, type ElementRule } from './schema/codec-rules';
export { resolveMessage, type MessageSchema } from './schema/message-schema';
export type { JsonObject, JsonValue } from './codec/xml-to-json';
export type { JsonIssue } from './json-validate';
export { messages, type MessageId } from './model';

/** Options shared by the entry points. */
export interface EngineOptions {
  /** Schemas to use; the built-in catalogue by default (see {@link loadCatalogue} for overrides). */
  readonly catalogue?: Catalogue;
  /** Input limits; 1 MiB and 64 levels by default. */
  readonly limits?: Partial<GuardLimits>;
}

/** What a message is, from its namespace. */
export interface MessageIdentity {
  /** `pacs.008.001.08` */
  readonly messageId: string;
  /** `pacs.008` */
  readonly messageType: string;
  /** `urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08` */
  readonly namespace: string;
}

/** A parsed message in its JSON form. */
export interface ParsedMessage extends MessageIdentity {
  /** Content of the business application header, when the input carried one. */
  readonly appHdr?: JsonObject;
  /** Content of the `Document`, e.g. `{ FIToFICstmrCdtTrf: { GrpHdr: {…}, CdtTrfTxInf: [{…}] } }`. */
  readonly document: JsonObject;
}

/** Result of {@link validateXml}. */
export interface XmlValidationResult {
  readonly valid: boolean;
  readonly messageId?: string;
  readonly messageType?: string;
  readonly issues: readonly ValidationIssue[];
}

const catalogueOf = (options?: EngineOptions): Catalogue => options?.catalogue ?? defaultCatalogue();

function identify(input: Uint8Array | string, options?: EngineOptions): { guarded: GuardedXml; detection: Detection } {
  const guarded = guardXml(input, options?.limits);
  return { guarded, detection: detect(guarded, catalogueOf(options)) };
}

function convert(guarded: GuardedXml, detection: Detection): ParsedMessage {
  const header = detection.appHdr;
  const [document, appHdr] = xmlToJson(guarded, [
    { rules: detection.entry.codec, scanned: detection.document },
    ...(header ? [{ rules: header.entry.codec, scanned: header.element }] : []),
  ]);
  return {
    messageId: detection.messageId,
    messageType: detection.messageType,
    namespace: detection.namespace,
    ...(header ? { appHdr } : {}),
    document,
  };
}

/**
 * Identifies a message without validating it: guard, then detection by namespace.
 *
 * @throws HostileInputError, InputTooLargeError, MalformedXmlError, UnsupportedMessageError.
 */
export function detectMessage(input: Uint8Array | string, options?: EngineOptions): MessageIdentity & { readonly appHdr?: MessageIdentity } {
  const { detection } = identify(input, options);
  const header = detection.appHdr?.entry;
  return {
    messageId: detection.messageId,
    messageType: detection.messageType,
    namespace: detection.namespace,
    ...(header ? { appHdr: { messageId: header.messageId, messageType: header.messageType, namespace: header.namespace } } : {}),
  };
}

/**
 * The one entry point for incoming XML: refuses hostile input, detects the
 * message, validates it (and its AppHdr) against the XSD, and returns the
 * JSON form.
 *
 * @throws SchemaValidationError with every issue when the message is not schema-valid;
 * HostileInputError, InputTooLargeError, MalformedXmlError, UnsupportedMessageError for unusable input.
 */
export function parseMessage(input: Uint8Array | string, options?: EngineOptions): ParsedMessage {
  const { guarded, detection } = identify(input, options);
  const issues = validateDetected(guarded, detection);
  if (issues.length > 0) throw new SchemaValidationError(issues, { messageId: detection.messageId });
  return convert(guarded, detection);
}

/**
 * Validates XML against its schema and reports every issue with line, column
 * and element path. Invalid content is a result, not an exception.
 *
 * @throws only for unusable input: HostileInputError, InputTooLargeError, MalformedXmlError, UnsupportedMessageError.
 */
export function validateXml(input: Uint8Array | string, options?: EngineOptions): XmlValidationResult {
  const { guarded, detection } = identify(input, options);
  const issues = validateDetected(guarded, detection);
  return { valid: issues.length === 0, messageId: detection.messageId, messageType: detection.messageType, issues };
}

/**
 * The JSON form of a message without XSD validation, for XML that was
 * validated before (an archived message). Untrusted input goes through {@link parseMessage}.
 */
export function toJson(input: Uint8Array | string, options?: EngineOptions): ParsedMessage {
  const { guarded, detection } = identify(input, options);
  return convert(guarded, detection);
}

/** Options of {@link toXml}. */
export interface ToXmlOptions extends EngineOptions {
  /** Content of a business application header; when given, AppHdr and Document are written inside a wrapper. */
  readonly appHdr?: object;
  /** Name of that wrapper element. Default `Envelope`. */
  readonly wrapper?: string;
}

/**
 * Writes a message's JSON form as XML, elements in schema order, the message
 * namespace as default namespace. Does not validate: pass the result to
 * {@link validateXml} (the outgoing path does).
 *
 * @throws UnsupportedMessageError for an unknown message; JsonShapeError naming the path of a key the schema does not have.
 */
export function toXml(messageId: string, document: object, options?: ToXmlOptions): string {
  const catalogue = catalogueOf(options);
  const body = catalogue.get(messageId).codec;
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>';
  if (!options?.appHdr) return `${declaration}\n${writeGlobalElement(body, document)}\n`;
  const header = catalogue.get('head.001.001.02').codec;
  const wrapper = options.wrapper ?? 'Envelope';
  if (!/^[A-Za-z_][\w.-]*$/.test(wrapper)) throw new JsonShapeError('/', `wrapper '${wrapper}' is not an XML element name`);
  return [declaration, `<${wrapper}>`, writeGlobalElement(header, options.appHdr, '  '), writeGlobalElement(body, document, '  '), `</${wrapper}>`, ''].join('\n');
}

/** Validates a JSON form against the message's JSON Schema (ajv); every issue is a JSON Pointer and a message. */
export function validateJson(messageId: string, document: unknown, options?: EngineOptions): { readonly valid: boolean; readonly issues: readonly JsonIssue[] } {
  const issues = validateJsonForm(catalogueOf(options).get(messageId), document);
  return { valid: issues.length === 0, issues };
}

/** A message in the JSON form, as `mxflow convert --to json` writes it and `POST /v1/messages` accepts it. */
export interface MessageJson {
  /** `pacs.008.001.08` */
  readonly messageId: string;
  readonly appHdr?: object;
  readonly document: object;
}

const APP_HDR = 'head.001.001.02';

/**
 * The XML of a message given in the JSON form (`{ messageId, document, appHdr? }`),
 * after checking the document (and header) against its JSON Schema, so that
 * every problem is named by its JSON Pointer. The XML is written in schema
 * order and is not validated again here.
 *
 * @throws JsonFormError with every issue; UnsupportedMessageError for a messageId the catalogue does not have.
 */
export function jsonFormToXml(input: Uint8Array | string, options?: EngineOptions): { readonly messageId: string; readonly messageType: string; readonly xml: string } {
  let message: unknown;
  try {
    message = JSON.parse(typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input));
  } catch (error) {
    throw new JsonFormError([{ path: '/', message: `not JSON: ${(error as Error).message}` }], { cause: error });
  }
  const form = message as Partial<MessageJson> | null;
  if (typeof form !== 'object' || form === null || typeof form.messageId !== 'string' || typeof form.document !== 'object' || form.document === null) {
    throw new JsonFormError([{ path: '/', message: 'expected {"messageId": "pacs.008.001.08", "document": {...}, "appHdr"?: {...}}' }]);
  }
  const catalogue = catalogueOf(options);
  const entry = catalogue.get(form.messageId);
  const issues = [
    ...validateJsonForm(entry, form.document).map((issue) => ({ ...issue, path: `/document${issue.path === '/' ? '' : issue.path}` })),
    ...(form.appHdr === undefined ? [] : validateJsonForm(catalogue.get(APP_HDR), form.appHdr).map((issue) => ({ ...issue, path: `/appHdr${issue.path === '/' ? '' : issue.path}` }))),
  ];
  if (issues.length > 0) throw new JsonFormError(issues);
  const xml = toXml(form.messageId, form.document, { ...options, ...(form.appHdr ? { appHdr: form.appHdr } : {}) });
  return { messageId: entry.messageId, messageType: entry.messageType, xml };
}

/** The JSON Schema (draft 2020-12) of a message's JSON form. */
export function jsonSchemaFor(messageId: string, options?: EngineOptions): JsonSchema {
  return catalogueOf(options).get(messageId).jsonSchema;
}

/** The XSD generated for a message (only the types reachable from its global element). */
export function xsdFor(messageId: string, options?: EngineOptions): string {
  return catalogueOf(options).get(messageId).xsd;
}

// Business rules, response builders, reference data, money and readers.
export * from './rules';
export * from './responses';
export * from './reference';
export * from './money';
export * from './readers';
export * from './builders';
