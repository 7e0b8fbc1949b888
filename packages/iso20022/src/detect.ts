import { messageTypeOf, type Catalogue, type CatalogueEntry } from './catalogue';
import { ErrorCode, MalformedXmlError, UnsupportedMessageError } from './errors';
import { messageIdOfNamespace } from './schema/namespaces';
import { namespaceOf, outlineDepth, outlineOf, type GuardedXml, type ScannedElement } from './xml/guard';

/** Where the ISO 20022 parts of an input are, and which messages they are. */
export interface Detection {
  readonly messageId: string;
  readonly messageType: string;
  readonly namespace: string;
  readonly entry: CatalogueEntry;
  readonly document: ScannedElement;
  /** Present when the Document travels in a wrapper with a business application header. */
  readonly appHdr?: { readonly entry: CatalogueEntry; readonly element: ScannedElement };
  /** Name of the outermost wrapper element, when there is one. */
  readonly wrapper?: string;
  /**
   * Local names of the wrapper elements from the root down to the one that
   * holds the AppHdr and the Document: `['FedNowIncoming', 'FedNowIncomingMessage']`.
   */
  readonly wrappers?: readonly string[];
}

/**
 * Why a message namespace is not in the catalogue, naming the versions of the
 * same message that are (`message pacs.008.001.02 is not supported;
 * pacs.008.001.08 is`), or the namespace the catalogue knows the same version
 * in (a legacy `urn:swift:xsd:` namespace for an ISO one, or the reverse).
 */
function unsupportedHint(messageId: string, catalogue: Catalogue): string {
  const entries = catalogue.entries();
  const same = entries.find((entry) => entry.messageId === messageId);
  if (same) return `message ${messageId} is supported in namespace ${same.namespace}`;
  const type = messageTypeOf(messageId);
  const versions = entries
    .filter((entry) => entry.messageType === type)
    .map((entry) => entry.messageId)
    .sort();
  const supported = versions.length === 0 ? '' : `; ${versions.join(', ')} ${versions.length === 1 ? 'is' : 'are'}`;
  return `message ${messageId} is not supported${supported}`;
}

function entryFor(element: ScannedElement, catalogue: Catalogue, expectedRoot: string): CatalogueEntry {
  const namespace = namespaceOf(element);
  const entry = catalogue.byNamespace(namespace);
  if (!entry || entry.rootElement !== expectedRoot) {
    const shown = namespace === '' ? '(no namespace)' : namespace;
    const messageId = messageIdOfNamespace(namespace);
    const hint = entry
      ? `the global element of ${entry.messageId} is ${entry.rootElement}`
      : messageId === undefined
        ? 'not an ISO 20022 message namespace'
        : unsupportedHint(messageId, catalogue);
    throw new UnsupportedMessageError(namespace, `${element.localName} in namespace ${shown}: ${hint}`);
  }
  return entry;
}

const isMessagePart = (element: ScannedElement): boolean => element.localName === 'Document' || element.localName === 'AppHdr';

/**
 * Walks down wrapper elements that hold nothing but one other wrapper. Stops at
 * the first element holding anything else; `undefined` when the outline does
 * not reach deep enough to tell.
 */
function container(root: ScannedElement, keptDepth: number): ScannedElement[] | undefined {
  const chain = [root];
  let current = root;
  while (current.children.length === 1 && !isMessagePart(current.children[0])) {
    current = current.children[0];
    chain.push(current);
  }
  // An element at the outline's last kept level shows no children, whether it has some or not.
  return chain.length >= keptDepth ? undefined : chain;
}

/**
 * Finds the ISO 20022 `Document` of a guarded input: the root element itself,
 * or the one `Document` beside one `AppHdr` inside wrapper elements (any
 * names, any depth) that hold nothing else, such as FedNow's
 * `<FedNowIncoming><FedNowIncomingMessage>`. Identifies the message by the
 * Document's namespace.
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
  // The guard keeps a wrapper's children and theirs; deeper wrappers need the whole outline.
  const chain = container(root, outlineDepth(root.localName)) ?? (container(outlineOf(guarded), Number.POSITIVE_INFINITY) as ScannedElement[]);
  const holder = chain[chain.length - 1];
  const documents = holder.children.filter((child) => child.localName === 'Document');
  const headers = holder.children.filter((child) => child.localName === 'AppHdr');
  const others = holder.children.filter((child) => !isMessagePart(child));
  const where = { line: holder.line, column: holder.column };
  if (documents.length !== 1 || headers.length !== 1 || others.length > 0) {
    const found = holder.children.map((child) => child.localName).join(', ') || 'nothing';
    throw new MalformedXmlError(
      ErrorCode.NO_DOCUMENT,
      `expected a Document, or wrappers holding one AppHdr and one Document; <${holder.qname}> holds ${found}`,
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
    wrappers: chain.map((element) => element.localName),
  };
}
