import { ParseOption, XmlDocument, XmlElement, XmlLibError, XsdValidator } from 'libxml2-wasm';
import type { CatalogueEntry } from './catalogue';
import type { Detection } from './detect';
import { ErrorCode, MalformedXmlError, type ValidationIssue } from './errors';
import { elementAt, outlineOf, type GuardedXml, type ScannedElement } from './xml/guard';

// No network, no external entities: the guard already refused DTDs, this is the second line.
const parseOptions = { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE };
// For messages, also keep short text inside its node rather than in a separate allocation
// (the tree is read only by the validator, never changed).
const messageParseOptions = { option: parseOptions.option | ParseOption.XML_PARSE_COMPACT };
// And drop blank text between elements: fewer nodes to build and for the validator to walk.
// Without a DTD libxml2 keeps a blank run that is an element's whole content (`<Nm> </Nm>`),
// but next to a comment or PI it may drop one that is content: only for input without those.
const blanklessParseOptions = { option: messageParseOptions.option | ParseOption.XML_PARSE_NOBLANKS };
const encoder = new TextEncoder();

interface Compiled {
  readonly schemaDocument: XmlDocument;
  readonly validator: XsdValidator;
}

// One compiled validator per catalogue entry for the life of the process (a Lambda container).
const compiled = new WeakMap<CatalogueEntry, Compiled>();

/** The compiled XSD validator of a catalogue entry, compiled once. */
export function validatorFor(entry: CatalogueEntry): XsdValidator {
  let found = compiled.get(entry);
  if (!found) {
    const schemaDocument = XmlDocument.fromString(entry.xsd, parseOptions);
    try {
      found = { schemaDocument, validator: XsdValidator.fromDoc(schemaDocument) };
    } catch (cause) {
      schemaDocument.dispose();
      throw cause;
    }
    compiled.set(entry, found);
  }
  return found.validator;
}

/**
 * Groups each element's children by name on first use, so that locating
 * thousands of issues in a large message stays linear.
 */
class Siblings {
  readonly #byQname = new Map<ScannedElement, Map<string, ScannedElement[]>>();
  readonly #position = new Map<ScannedElement, { index: number; of: number }>();

  named(parent: ScannedElement, qname: string): readonly ScannedElement[] {
    let groups = this.#byQname.get(parent);
    if (!groups) {
      groups = new Map();
      for (const child of parent.children) {
        const group = groups.get(child.qname);
        if (group) group.push(child);
        else groups.set(child.qname, [child]);
      }
      this.#byQname.set(parent, groups);
    }
    return groups.get(qname) ?? [];
  }

  /** 1-based position among same-local-name siblings, and how many there are. */
  position(element: ScannedElement): { index: number; of: number } {
    let found = this.#position.get(element);
    if (!found) {
      const siblings = element.parent?.children ?? [element];
      const counts = new Map<string, number>();
      for (const sibling of siblings) counts.set(sibling.localName, (counts.get(sibling.localName) ?? 0) + 1);
      const seen = new Map<string, number>();
      for (const sibling of siblings) {
        const index = (seen.get(sibling.localName) ?? 0) + 1;
        seen.set(sibling.localName, index);
        this.#position.set(sibling, { index, of: counts.get(sibling.localName) ?? 1 });
      }
      found = this.#position.get(element) ?? { index: 1, of: 1 };
    }
    return found;
  }
}

/** Follows a libxml2 node path (`/Env/d:Document/*[3]/d:MsgId`) through the guard's outline. */
function resolvePath(root: ScannedElement, xpath: string, siblings: Siblings): ScannedElement | undefined {
  const steps = xpath.split('/').filter((step) => step.length > 0);
  let current: ScannedElement | undefined;
  for (const step of steps) {
    const match = /^([^[]+)(?:\[(\d+)\])?$/.exec(step);
    if (!match) return undefined;
    const [, name, index] = match;
    const position = (index ? Number(index) : 1) - 1;
    if (!current) current = position === 0 && (name === '*' || name === root.qname) ? root : undefined;
    else current = name === '*' ? current.children[position] : siblings.named(current, name)[position];
    if (!current) return undefined;
  }
  return current;
}

/** `/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[2]/IntrBkSttlmAmt`, from the message's global element down. */
function readablePath(element: ScannedElement, top: ScannedElement, siblings: Siblings): string {
  const parts: string[] = [];
  for (let current: ScannedElement | undefined = element; current; current = current.parent) {
    const { index, of } = current === top ? { index: 1, of: 1 } : siblings.position(current);
    parts.unshift(of > 1 ? `${current.localName}[${index}]` : current.localName);
    if (current === top) break;
  }
  return `/${parts.join('/')}`;
}

const cleanMessage = (message: string): string => message.replace(/\{[^}]*\}/g, '').trim();

/**
 * Locates libxml2's issues in the outline of every element, built only now:
 * a valid message never needs it, and a failing one can afford a second scan.
 */
function issuesOf(error: XmlLibError, guarded: GuardedXml, top: ScannedElement): ValidationIssue[] {
  const siblings = new Siblings();
  const root = outlineOf(guarded);
  const globalElement = elementAt(root, top.start) ?? root;
  return error.details.map((detail) => {
    const element = detail.xpath ? resolvePath(root, detail.xpath, siblings) : undefined;
    return {
      line: element?.line ?? detail.line,
      column: element?.column ?? 0,
      path: element ? readablePath(element, globalElement, siblings) : '',
      message: cleanMessage(detail.message),
    };
  });
}

/**
 * Parses XML with libxml2; well-formedness errors become a MalformedXmlError
 * with their location. Bytes must be UTF-8; they are handed over as they are,
 * where a string is first converted to UTF-8 by a slower JavaScript loop.
 * `dropBlanks` leaves out blank text between elements, for input without
 * comments, processing instructions and CDATA inside its root.
 */
export function parseWithLibxml(input: string | Uint8Array, dropBlanks = false): XmlDocument {
  try {
    return XmlDocument.fromBuffer(typeof input === 'string' ? encoder.encode(input) : input, dropBlanks ? blanklessParseOptions : messageParseOptions);
  } catch (cause) {
    const detail = cause instanceof XmlLibError ? cause.details[0] : undefined;
    const message = detail ? cleanMessage(detail.message) : (cause as Error).message;
    throw new MalformedXmlError(ErrorCode.MALFORMED_XML, `not well-formed XML: ${message}${detail ? ` at line ${detail.line}, column ${detail.col}` : ''}`, {
      cause,
      line: detail?.line,
      column: detail?.col,
    });
  }
}

function validateElement(validator: XsdValidator, element: XmlElement | XmlDocument, guarded: GuardedXml, top: ScannedElement): ValidationIssue[] {
  try {
    if (element instanceof XmlDocument) validator.validate(element);
    else validator.validate(element);
    return [];
  } catch (cause) {
    if (cause instanceof XmlLibError) return issuesOf(cause, guarded, top);
    throw cause;
  }
}

/**
 * Validates the detected Document (and the AppHdr, when present) against the
 * catalogue's XSDs, each as a subtree of the one parsed input so that lines
 * stay those of the input. Returns every issue; an empty list means valid.
 *
 * @throws MalformedXmlError when libxml2 finds the input not well-formed.
 */
export function validateDetected(guarded: GuardedXml, detection: Detection): ValidationIssue[] {
  const documentValidator = validatorFor(detection.entry);
  const headerValidator = detection.appHdr ? validatorFor(detection.appHdr.entry) : undefined;
  const document = parseWithLibxml(guarded.bytes ?? guarded.text, !guarded.markupInContent);
  try {
    // A bare Document is the whole document: validated as such, libxml2 is given no element handle to create.
    if (!detection.wrapper) return validateElement(documentValidator, document, guarded, detection.document);
    // The guard made sure the wrapper holds one AppHdr and one Document: found by walking its children, without compiling an XPath.
    let documentElement: XmlElement | undefined;
    let headerElement: XmlElement | undefined;
    // Nested wrappers hold nothing but the next one: its first element child.
    let holder: XmlElement = document.root;
    for (let level = 1; level < (detection.wrappers?.length ?? 1); level++) {
      let next = holder.firstChild;
      while (next && !(next instanceof XmlElement)) next = next.next;
      if (!next) break;
      holder = next as XmlElement;
    }
    for (let node = holder.firstChild; node; node = node.next) {
      if (!(node instanceof XmlElement)) continue;
      if (node.name === 'Document') documentElement = node;
      else if (node.name === 'AppHdr') headerElement = node;
    }
    if (!documentElement || !headerElement) throw new MalformedXmlError(ErrorCode.NO_DOCUMENT, 'the wrapper does not hold one AppHdr and one Document');
    const issues: ValidationIssue[] = [];
    if (headerValidator && detection.appHdr) issues.push(...validateElement(headerValidator, headerElement, guarded, detection.appHdr.element));
    issues.push(...validateElement(documentValidator, documentElement, guarded, detection.document));
    return issues;
  } finally {
    document.dispose();
  }
}
