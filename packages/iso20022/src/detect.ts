import type { Catalogue, CatalogueEntry } from './catalogue';
import { ErrorCode, MalformedXmlError, UnsupportedMessageError } from './errors';
import { namespaceOf, type GuardedXml, type ScannedElement } from './xml/guard';

/** Where the ISO 20022 parts of an input are, and which messages they are. */
export interface Detection {
  readonly messageId: string;
  readonly messageType: string;
  readonly namespace: string;
  readonly entry: CatalogueEntry;
  readonly document: ScannedElement;
  /** Present when the Document travels in a wrapper with a business application header. */
  readonly appHdr?: { readonly entry: CatalogueEntry; readonly element: ScannedElement };
  /** Name of the wrapper element, when there is one. */
  readonly wrapper?: string;
}

const ISO_PREFIX = 'urn:iso:std:iso:20022:tech:xsd:';

function entryFor(element: ScannedElement, catalogue: Catalogue, expectedRoot: string): CatalogueEntry {
  const namespace = namespaceOf(element);
  const entry = catalogue.byNamespace(namespace);
  if (!entry || entry.rootElement !== expectedRoot) {
    const shown = namespace === '' ? '(no namespace)' : namespace;
    const hint = namespace.startsWith(ISO_PREFIX) ? `message ${namespace.slice(ISO_PREFIX.length)} is not supported` : 'not an ISO 20022 message namespace';
    throw new UnsupportedMessageError(namespace, `${element.localName} in namespace ${shown}: ${hint}`);
  }
  return entry;
}

/**
 * Finds the ISO 20022 `Document` of a guarded input: the root element itself,
 * or the one `Document` inside a wrapper element (any name) that also holds one
 * `AppHdr`. Identifies the message by the Document's namespace.
 *
 * @throws MalformedXmlError (`NO_DOCUMENT`) when the layout is neither of those;
 * UnsupportedMessageError naming the namespace when it is not in the catalogue.
 */
export function detect(guarded: GuardedXml, catalogue: Catalogue): Detection {
  const { root } = guarded;
  if (root.localName === 'Document') {
    const entry = entryFor(root, catalogue, 'Document');
    return { messageId: entry.messageId, messageType: entry.messageType, namespace: entry.namespace, entry, document: root };
  }
  const documents = root.children.filter((child) => child.localName === 'Document');
  const headers = root.children.filter((child) => child.localName === 'AppHdr');
  const others = root.children.filter((child) => child.localName !== 'Document' && child.localName !== 'AppHdr');
  const where = { line: root.line, column: root.column };
  if (documents.length !== 1 || headers.length !== 1 || others.length > 0) {
    const found = root.children.map((child) => child.localName).join(', ') || 'nothing';
    throw new MalformedXmlError(
      ErrorCode.NO_DOCUMENT,
      `expected a Document, or a wrapper holding one AppHdr and one Document; <${root.qname}> holds ${found}`,
      where,
    );
  }
  const entry = entryFor(documents[0], catalogue, 'Document');
  const header = entryFor(headers[0], catalogue, 'AppHdr');
  return {
    messageId: entry.messageId,
    messageType: entry.messageType,
    namespace: entry.namespace,
    entry,
    document: documents[0],
    appHdr: { entry: header, element: headers[0] },
    wrapper: root.localName,
  };
}
