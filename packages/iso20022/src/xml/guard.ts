import { ErrorCode, HostileInputError, InputTooLargeError, MalformedXmlError } from '../errors';

/** Limits applied to every input before any XML parser sees it. */
export interface GuardLimits {
  /** Largest accepted input in bytes (UTF-8). Default 1 MiB. */
  readonly maxBytes: number;
  /** Deepest accepted element nesting (the root is depth 1). Default 64. */
  readonly maxDepth: number;
}

/** 1 MiB and 64 levels: a large pacs.008 batch is far below both. */
export const defaultLimits: GuardLimits = { maxBytes: 1024 * 1024, maxDepth: 64 };

/** An element found by the guard's scan: enough to detect the message and to locate errors. */
export interface ScannedElement {
  readonly qname: string;
  readonly prefix: string;
  readonly localName: string;
  /** 1-based line and column of the `<` of the start tag. */
  readonly line: number;
  readonly column: number;
  /** Offset of the `<` of the start tag in the decoded text. */
  readonly start: number;
  /** Namespace declarations on this element: prefix (`''` for the default) → URI. */
  readonly namespaces: ReadonlyMap<string, string>;
  readonly parent?: ScannedElement;
  /**
   * Child elements in document order. In the outline `guardXml` returns, the
   * message root (the child of the Document) has none listed; {@link outlineOf}
   * has them all.
   */
  readonly children: readonly ScannedElement[];
}

/** The decoded text of an accepted input, and the first levels of its element outline. */
export interface GuardedXml {
  readonly text: string;
  /**
   * The UTF-8 bytes of `text`, when they were at hand without encoding again
   * (the input was bytes, or a large string measured by encoding it).
   */
  readonly bytes?: Uint8Array;
  /** The root element, with its descendants down to the message root: see {@link outlineDepth}. */
  readonly root: ScannedElement;
  /** Whether a comment, processing instruction or CDATA section occurs inside the root element. */
  readonly markupInContent: boolean;
}

/**
 * Levels of elements `guardXml` keeps in its outline, given the root's local
 * name: what detection needs, down to the message root (a bare `Document` and
 * its root; or a wrapper, its AppHdr and Document, and the Document's root).
 * Deeper elements are only checked; an outline of all of them (a large batch
 * has tens of thousands) is built by {@link outlineOf} when something needs
 * it, such as locating validation errors.
 */
export const outlineDepth = (rootLocalName: string): number => (rootLocalName === 'Document' ? 2 : 3);

const XINCLUDE_NAMESPACE = 'http://www.w3.org/2001/XInclude';
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Character tests by code, since the scan looks at every character of up to a megabyte.
const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
const isNameChar = (code: number): boolean => !isSpace(code) && code !== 0x2f && code !== 0x3e && code !== 0x3d && !Number.isNaN(code);

const noNamespaces: ReadonlyMap<string, string> = new Map();
const noChildren: readonly ScannedElement[] = Object.freeze([]);

/** An element while the guard builds the outline: only it sets `children`. */
type Building = { -readonly [K in keyof ScannedElement]: ScannedElement[K] };

const predefined: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Resolves character and predefined entity references, so that an escaped namespace URI is seen as the parser will see it. */
function decodeReferences(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (reference, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16) % 0x110000);
    if (body.startsWith('#')) return String.fromCodePoint(Number(body.slice(1)) % 0x110000);
    return predefined[body] ?? reference;
  });
}

function decode(input: Uint8Array | string, limits: GuardLimits): { text: string; bytes?: Uint8Array } {
  if (typeof input === 'string') {
    // A string is UTF-16: measure its UTF-8 size without encoding large inputs twice.
    if (input.length > limits.maxBytes) throw new InputTooLargeError(`input exceeds ${limits.maxBytes} bytes`, limits.maxBytes);
    let bytes: Uint8Array | undefined;
    if (input.length * 3 > limits.maxBytes) {
      bytes = encoder.encode(input);
      if (bytes.length > limits.maxBytes) throw new InputTooLargeError(`input exceeds ${limits.maxBytes} bytes`, limits.maxBytes);
    }
    if (loneSurrogate.test(input)) throw new MalformedXmlError(ErrorCode.INVALID_UTF8, 'input contains an unpaired surrogate and cannot be UTF-8');
    return { text: input, bytes };
  }
  if (input.byteLength > limits.maxBytes) throw new InputTooLargeError(`input of ${input.byteLength} bytes exceeds ${limits.maxBytes} bytes`, limits.maxBytes);
  try {
    const text = fatalUtf8.decode(input);
    // The decoder drops a leading byte order mark; the bytes must still match the text.
    const bom = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf;
    return { text, bytes: bom ? input.subarray(3) : input };
  } catch (cause) {
    throw new MalformedXmlError(ErrorCode.INVALID_UTF8, 'input is not valid UTF-8', { cause });
  }
}

/**
 * Refuses hostile or unusable input before parsing, and returns its decoded
 * text with the first levels of its element outline ({@link OUTLINE_DEPTH}).
 *
 * One linear pass, so it cannot hang: no DTD (`<!DOCTYPE`, `<!ENTITY` and any
 * other markup declaration are refused outright, which also rules out external
 * entities, billion laughs and quadratic blowup), no XInclude namespace, at most
 * `maxBytes` of UTF-8 and `maxDepth` levels of elements, exactly one root element.
 * Full well-formedness is left to the parser that runs next.
 *
 * @throws InputTooLargeError, HostileInputError, MalformedXmlError (each with a stable `code`).
 */
export function guardXml(input: Uint8Array | string, limits: Partial<GuardLimits> = {}): GuardedXml {
  const effective: GuardLimits = { ...defaultLimits, ...limits };
  // A missing body (an HTTP request without one arrives as null) is an empty input, not a crash.
  if (input === null || input === undefined || input.length === 0) throw new MalformedXmlError(ErrorCode.EMPTY_INPUT, 'input is empty');
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new MalformedXmlError(ErrorCode.MALFORMED_XML, 'input must be a string or bytes');
  let { text, bytes } = decode(input, effective);
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bytes = bytes?.subarray(3);
  }
  if (text.trim().length === 0) throw new MalformedXmlError(ErrorCode.EMPTY_INPUT, 'input is empty');
  const { root, markupInContent, deepest } = scan(text, effective.maxDepth, outlineDepth);
  const guarded: GuardedXml = bytes ? { text, bytes, root, markupInContent } : { text, root, markupInContent };
  // A message no deeper than the kept levels already has its whole outline.
  if (deepest <= outlineDepth(root.localName)) outlines.set(guarded, root);
  return guarded;
}

const outlines = new WeakMap<GuardedXml, ScannedElement>();

/**
 * The root of the outline of every element of a guarded input, built on first
 * use by scanning its text again (the input passed the guard, so this cannot
 * throw) and kept for the life of `guarded`.
 */
export function outlineOf(guarded: GuardedXml): ScannedElement {
  let root = outlines.get(guarded);
  if (!root) {
    root = scan(guarded.text, Number.POSITIVE_INFINITY, () => Number.POSITIVE_INFINITY).root;
    outlines.set(guarded, root);
  }
  return root;
}

/**
 * The element of the outline under `root` whose start tag begins at `start`
 * (an element of another outline of the same text is found by its `start`).
 */
export function elementAt(root: ScannedElement, start: number): ScannedElement | undefined {
  let current = root;
  while (current.start !== start) {
    // Children are in document order: the one holding `start` is the last one starting at or before it.
    const { children } = current;
    let low = 0;
    let high = children.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (children[middle].start <= start) low = middle;
      else high = middle - 1;
    }
    const next = children[low];
    if (next === undefined || next.start > start) return undefined;
    current = next;
  }
  return current;
}

/**
 * The guard's scan. Elements down to `levels(root's local name)` levels get
 * an outline entry; deeper ones are checked (nesting, end tags, namespace
 * declarations) without allocating anything, since a large batch has tens of thousands.
 */
function scan(text: string, maxDepth: number, levels: (rootLocalName: string) => number): { root: ScannedElement; markupInContent: boolean; deepest: number } {
  let line = 1;
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  // Advances the line count up to `position`, jumping from newline to newline; positions only grow, so the text is searched once.
  const advance = (position: number): void => {
    while (nextNewline !== -1 && nextNewline < position) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
  };
  const locate = (position: number): { line: number; column: number } => {
    advance(position);
    return { line, column: position - lineStart + 1 };
  };
  const malformed = (code: ErrorCode, message: string, position: number): MalformedXmlError => {
    const at = locate(position);
    return new MalformedXmlError(code, `${message} at line ${at.line}, column ${at.column}`, at);
  };

  // The open elements' names, as offsets into the text: end tags are compared in place.
  const nameStarts: number[] = [];
  const nameEnds: number[] = [];
  // The open elements that are in the outline (the first `kept` levels of the stack).
  const open: Building[] = [];
  const openName = (): string => text.slice(nameStarts[nameStarts.length - 1], nameEnds[nameEnds.length - 1]);
  let root: ScannedElement | undefined;
  let markupInContent = false;
  let deepest = 0;
  // Set by the root element: until then, only the root can be added.
  let kept = 1;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? text.length : lt;
    if (nameStarts.length === 0 && text.slice(i, textEnd).trim().length > 0) {
      throw malformed(ErrorCode.MALFORMED_XML, 'text outside the root element', i);
    }
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) {
      if (nameStarts.length > 0) markupInContent = true;
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated processing instruction', lt);
      const body = text.slice(lt + 2, end);
      if (/^xml\s/.test(body)) {
        const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
        if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
          throw malformed(ErrorCode.UNSUPPORTED_ENCODING, `declared encoding '${encoding}' is not UTF-8`, lt);
        }
      }
      i = end + 2;
    } else if (next === 0x21 /* ! */) {
      if (nameStarts.length > 0) markupInContent = true;
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated comment', lt);
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        if (nameStarts.length === 0) throw malformed(ErrorCode.MALFORMED_XML, 'CDATA outside the root element', lt);
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated CDATA section', lt);
        i = end + 3;
      } else {
        const at = locate(lt);
        const what = /^<!([A-Z]+)/.exec(text.slice(lt, lt + 12))?.[1] ?? 'markup declaration';
        throw new HostileInputError(ErrorCode.DTD_FORBIDDEN, `<!${what} at line ${at.line}, column ${at.column}: DTDs and entity declarations are refused`);
      }
    } else if (next === 0x2f /* / */) {
      i = endTag(lt);
    } else {
      i = startTag(lt);
    }
  }
  if (nameStarts.length > 0) throw malformed(ErrorCode.MALFORMED_XML, `element <${openName()}> is not closed`, text.length);
  if (!root) throw malformed(ErrorCode.EMPTY_INPUT, 'no root element', 0);
  return { root, markupInContent, deepest };

  /** Checks the end tag at `lt` against the innermost open element; returns the offset after it. */
  function endTag(lt: number): number {
    const depth = nameStarts.length;
    if (depth > 0) {
      // The usual `</name>`, compared character by character in place.
      const nameStart = nameStarts[depth - 1];
      const length = nameEnds[depth - 1] - nameStart;
      const from = lt + 2;
      let same = text.charCodeAt(from + length) === 0x3e;
      for (let k = 0; same && k < length; k++) same = text.charCodeAt(from + k) === text.charCodeAt(nameStart + k);
      if (same) {
        closeElement(depth);
        return from + length + 1;
      }
    }
    const end = text.indexOf('>', lt + 2);
    if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated end tag', lt);
    const name = text.slice(lt + 2, end).trim();
    const expected = depth > 0 ? openName() : undefined;
    if (expected !== name) throw malformed(ErrorCode.MALFORMED_XML, `end tag </${name}> does not match ${expected !== undefined ? `<${expected}>` : 'any open element'}`, lt);
    closeElement(depth);
    return end + 1;
  }

  function closeElement(depth: number): void {
    nameStarts.pop();
    nameEnds.pop();
    if (depth <= kept) open.pop();
  }

  /** Checks the start tag at `lt`, adds it to the outline when shallow enough; returns the offset after it. */
  function startTag(lt: number): number {
    let p = lt + 1;
    while (isNameChar(text.charCodeAt(p))) p++;
    const nameEnd = p;
    if (nameEnd === lt + 1) throw malformed(ErrorCode.MALFORMED_XML, 'element without a name', lt);
    // Most elements declare no namespace: they share one empty map rather than each allocating one.
    let namespaces: Map<string, string> | undefined;
    let selfClosing = false;
    for (;;) {
      while (isSpace(text.charCodeAt(p))) p++;
      if (p >= text.length) throw malformed(ErrorCode.MALFORMED_XML, `unterminated start tag <${text.slice(lt + 1, nameEnd)}>`, lt);
      const code = text.charCodeAt(p);
      if (code === 0x3e /* > */) {
        p++;
        break;
      }
      if (code === 0x2f /* / */ && text.charCodeAt(p + 1) === 0x3e) {
        selfClosing = true;
        p += 2;
        break;
      }
      const attributeStart = p;
      while (isNameChar(text.charCodeAt(p))) p++;
      const attributeEnd = p;
      while (isSpace(text.charCodeAt(p))) p++;
      if (attributeEnd === attributeStart || text.charCodeAt(p) !== 0x3d /* = */) throw malformed(ErrorCode.MALFORMED_XML, `malformed attribute in <${text.slice(lt + 1, nameEnd)}>`, lt);
      p++;
      while (isSpace(text.charCodeAt(p))) p++;
      const quote = text.charCodeAt(p);
      if (quote !== 0x22 && quote !== 0x27) throw malformed(ErrorCode.MALFORMED_XML, `unquoted attribute ${text.slice(attributeStart, attributeEnd)} in <${text.slice(lt + 1, nameEnd)}>`, lt);
      const close = text.indexOf(quote === 0x22 ? '"' : "'", p + 1);
      if (close === -1) throw malformed(ErrorCode.MALFORMED_XML, `unterminated attribute ${text.slice(attributeStart, attributeEnd)} in <${text.slice(lt + 1, nameEnd)}>`, lt);
      const valueStart = p + 1;
      p = close + 1;
      const length = attributeEnd - attributeStart;
      if (text.startsWith('xmlns', attributeStart) && (length === 5 || text.charCodeAt(attributeStart + 5) === 0x3a /* : */)) {
        const value = text.slice(valueStart, close);
        if (decodeReferences(value).trim() === XINCLUDE_NAMESPACE) {
          const at = locate(lt);
          throw new HostileInputError(ErrorCode.XINCLUDE_FORBIDDEN, `XInclude namespace declared at line ${at.line}, column ${at.column}`);
        }
        (namespaces ??= new Map()).set(length === 5 ? '' : text.slice(attributeStart + 6, attributeEnd), value);
      }
    }
    const depth = nameStarts.length + 1;
    if (depth === 1 && root) throw malformed(ErrorCode.MULTIPLE_ROOTS, `second root element <${text.slice(lt + 1, nameEnd)}>`, lt);
    if (depth > maxDepth) {
      const at = locate(lt);
      throw new HostileInputError(ErrorCode.TOO_DEEP, `elements nest deeper than ${maxDepth} levels at line ${at.line}, column ${at.column}`);
    }
    if (depth > deepest) deepest = depth;
    if (depth <= kept) addToOutline(lt, text.slice(lt + 1, nameEnd), namespaces, selfClosing);
    if (!selfClosing) {
      nameStarts.push(lt + 1);
      nameEnds.push(nameEnd);
    }
    return p;
  }

  function addToOutline(lt: number, qname: string, namespaces: Map<string, string> | undefined, selfClosing: boolean): void {
    const colon = qname.indexOf(':');
    const parent = open[open.length - 1];
    advance(lt);
    const element: Building = {
      qname,
      prefix: colon === -1 ? '' : qname.slice(0, colon),
      localName: colon === -1 ? qname : qname.slice(colon + 1),
      line,
      column: lt - lineStart + 1,
      start: lt,
      namespaces: namespaces ?? noNamespaces,
      parent,
      children: noChildren,
    };
    // Most elements are leaves: they keep the shared empty list, and a parent gets its own on its first child.
    if (parent) {
      if (parent.children === noChildren) parent.children = [element];
      else (parent.children as ScannedElement[]).push(element);
    } else {
      root = element;
      kept = levels(element.localName);
    }
    if (!selfClosing) open.push(element);
  }
}

/** Every namespace declaration in scope at an element, nearest first: prefix (`''` for the default) → URI. */
export function namespacesInScope(element: ScannedElement): Map<string, string> {
  const scope = new Map<string, string>();
  for (let current: ScannedElement | undefined = element; current; current = current.parent) {
    for (const [prefix, uri] of current.namespaces) if (!scope.has(prefix)) scope.set(prefix, uri);
  }
  return scope;
}

/** The namespace URI of an element, resolving its prefix through its ancestors (`''` when none). */
export function namespaceOf(element: ScannedElement): string {
  for (let current: ScannedElement | undefined = element; current; current = current.parent) {
    const uri = current.namespaces.get(element.prefix);
    if (uri !== undefined) return uri;
  }
  return '';
}
