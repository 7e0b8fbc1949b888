import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlElement, XmlValidateError, XsdValidator } from 'libxml2-wasm';

/** The repository root, found from this file's place in it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const officialXsdDir = path.resolve(repoRoot, '../shared/iso20022/xsd');

const validators = new Map<string, XsdValidator>();

function validatorFor(messageId: string): XsdValidator {
  let validator = validators.get(messageId);
  if (!validator) {
    const schema = XmlDocument.fromBuffer(readFileSync(path.join(officialXsdDir, `${messageId}.xsd`)));
    validator = XsdValidator.fromDoc(schema);
    validators.set(messageId, validator);
  }
  return validator;
}

function problems(validate: () => void): string[] {
  try {
    validate();
    return [];
  } catch (error) {
    if (error instanceof XmlValidateError) return error.details.map((detail) => `${detail.line}: ${detail.message.trim()}`);
    throw error;
  }
}

const namespaceOf = (element: XmlElement): string => element.namespaceUri.replace('urn:iso:std:iso:20022:tech:xsd:', '');

/**
 * Validates XML against the official ISO 20022 XSD of its namespace and
 * returns the problems (empty when valid). A wrapper holding an `AppHdr` and
 * a `Document` has each part validated against its own schema.
 */
export function officialXsdProblems(xml: string): string[] {
  const doc = XmlDocument.fromString(xml);
  try {
    const root = doc.root;
    const parts = root.name === 'Document' || root.name === 'AppHdr' ? [root] : childElements(root);
    if (parts.length === 0) return ['no message element'];
    return parts.flatMap((part) => problems(() => validatorFor(namespaceOf(part)).validate(part)).map((text) => `${part.name}: ${text}`));
  } finally {
    doc.dispose();
  }
}

/** The message identifiers found in XML: one for a bare document, two (head.001 and the document) in a wrapper. */
export function messageIdsOf(xml: string): string[] {
  const doc = XmlDocument.fromString(xml);
  try {
    const root = doc.root;
    return (root.name === 'Document' || root.name === 'AppHdr' ? [root] : childElements(root)).map(namespaceOf);
  } finally {
    doc.dispose();
  }
}

function childElements(element: XmlElement): XmlElement[] {
  const children: XmlElement[] = [];
  for (let node = element.firstChild; node; node = node.next) if (node instanceof XmlElement) children.push(node);
  return children;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (typeof value === 'string') return `<${name}>${escape(value)}</${name}>`;
  const node = value as Record<string, unknown>;
  if (typeof node.value === 'string') {
    const attributes = Object.entries(node).filter(([key]) => key !== 'value').map(([key, text]) => ` ${key}="${escape(String(text))}"`).join('');
    return `<${name}${attributes}>${escape(node.value)}</${name}>`;
  }
  return `<${name}>${Object.entries(node).map(([key, child]) => element(key, child)).join('')}</${name}>`;
}

/**
 * Writes a JSON-form document as XML in the key order it has: an independent
 * writer so that the response builders are checked against the official XSD
 * without going through the engine's serialiser.
 */
export function plainXml(messageId: string, document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:${messageId}">${Object.entries(document)
    .map(([key, value]) => element(key, value))
    .join('')}</Document>`;
}
