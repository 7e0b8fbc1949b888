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
  readonly children: readonly ScannedElement[];
}

/** The decoded text of an accepted input, and its element outline. */
export interface GuardedXml {
  readonly text: string;
  /**
   * The UTF-8 bytes of `text`, when they were at hand without encoding again
   * (the input was bytes, or a large string measured by encoding it).
   */
  readonly bytes?: Uint8Array;
  readonly root: ScannedElement;
  /** Whether a comment, processing instruction or CDATA section occurs inside the root element. */
  readonly markupInContent: boolean;
}

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
 * text with an outline of its elements.
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
  const { root, markupInContent } = scan(text, effective.maxDepth);
  return bytes ? { text, bytes, root, markupInContent } : { text, root, markupInContent };
}

function scan(text: string, maxDepth: number): { root: ScannedElement; markupInContent: boolean } {
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

  const stack: Building[] = [];
  let root: ScannedElement | undefined;
  let markupInContent = false;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? text.length : lt;
    if (stack.length === 0 && text.slice(i, textEnd).trim().length > 0) {
      throw malformed(ErrorCode.MALFORMED_XML, 'text outside the root element', i);
    }
    if (lt === -1) break;
    const next = text[lt + 1];
    if ((next === '?' || next === '!') && stack.length > 0) markupInContent = true;
    if (next === '?') {
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
    } else if (next === '!') {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated comment', lt);
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        if (stack.length === 0) throw malformed(ErrorCode.MALFORMED_XML, 'CDATA outside the root element', lt);
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated CDATA section', lt);
        i = end + 3;
      } else {
        const at = locate(lt);
        const what = /^<!([A-Z]+)/.exec(text.slice(lt, lt + 12))?.[1] ?? 'markup declaration';
        throw new HostileInputError(ErrorCode.DTD_FORBIDDEN, `<!${what} at line ${at.line}, column ${at.column}: DTDs and entity declarations are refused`);
      }
    } else if (next === '/') {
      const end = text.indexOf('>', lt + 2);
      if (end === -1) throw malformed(ErrorCode.MALFORMED_XML, 'unterminated end tag', lt);
      const expected = stack[stack.length - 1]?.qname;
      // The usual `</name>` is checked in place; the name is cut out (and trimmed) only otherwise.
      const name = expected !== undefined && end === lt + 2 + expected.length && text.startsWith(expected, lt + 2) ? expected : text.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.qname !== name) throw malformed(ErrorCode.MALFORMED_XML, `end tag </${name}> does not match ${open ? `<${open.qname}>` : 'any open element'}`, lt);
      i = end + 1;
    } else {
      i = startTag(lt);
    }
  }
  if (stack.length > 0) throw malformed(ErrorCode.MALFORMED_XML, `element <${stack[stack.length - 1].qname}> is not closed`, text.length);
  if (!root) throw malformed(ErrorCode.EMPTY_INPUT, 'no root element', 0);
  return { root, markupInContent };

  function startTag(lt: number): number {
    let p = lt + 1;
    while (isNameChar(text.charCodeAt(p))) p++;
    const qname = text.slice(lt + 1, p);
    if (qname.length === 0) throw malformed(ErrorCode.MALFORMED_XML, 'element without a name', lt);
    // Most elements declare no namespace: they share one empty map rather than each allocating one.
    let namespaces: Map<string, string> | undefined;
    let selfClosing = false;
    for (;;) {
      while (isSpace(text.charCodeAt(p))) p++;
      if (p >= text.length) throw malformed(ErrorCode.MALFORMED_XML, `unterminated start tag <${qname}>`, lt);
      if (text[p] === '>') {
        p++;
        break;
      }
      if (text.startsWith('/>', p)) {
        selfClosing = true;
        p += 2;
        break;
      }
      const nameStart = p;
      while (isNameChar(text.charCodeAt(p))) p++;
      const attribute = text.slice(nameStart, p);
      while (isSpace(text.charCodeAt(p))) p++;
      if (attribute.length === 0 || text[p] !== '=') throw malformed(ErrorCode.MALFORMED_XML, `malformed attribute in <${qname}>`, lt);
      p++;
      while (isSpace(text.charCodeAt(p))) p++;
      if (text[p] !== '"' && text[p] !== "'") throw malformed(ErrorCode.MALFORMED_XML, `unquoted attribute ${attribute} in <${qname}>`, lt);
      const close = text.indexOf(text[p], p + 1);
      if (close === -1) throw malformed(ErrorCode.MALFORMED_XML, `unterminated attribute ${attribute} in <${qname}>`, lt);
      const value = text.slice(p + 1, close);
      p = close + 1;
      if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) {
        if (decodeReferences(value).trim() === XINCLUDE_NAMESPACE) {
          const at = locate(lt);
          throw new HostileInputError(ErrorCode.XINCLUDE_FORBIDDEN, `XInclude namespace declared at line ${at.line}, column ${at.column}`);
        }
        (namespaces ??= new Map()).set(attribute === 'xmlns' ? '' : attribute.slice(6), value);
      }
    }
    const colon = qname.indexOf(':');
    const parent = stack[stack.length - 1];
    if (!parent && root) throw malformed(ErrorCode.MULTIPLE_ROOTS, `second root element <${qname}>`, lt);
    if (stack.length + 1 > maxDepth) {
      const at = locate(lt);
      throw new HostileInputError(ErrorCode.TOO_DEEP, `elements nest deeper than ${maxDepth} levels at line ${at.line}, column ${at.column}`);
    }
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
    }
    else root = element;
    if (!selfClosing) stack.push(element);
    return p;
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
