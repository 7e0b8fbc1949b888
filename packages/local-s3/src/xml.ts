import { s3Errors } from './errors';

/** The namespace S3 puts on every response document. */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Escapes text for use in XML element content or attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' })[c]};`);
}

/** Child name whose string value is inserted as already-rendered XML. */
export const RAW = '#raw';

/** A value tree rendered to XML: nested objects are elements, arrays repeat the element, undefined is skipped. */
export type XmlValue = string | number | boolean | undefined | XmlNode | XmlValue[];
/** An element's children, in order. */
export interface XmlNode {
  [name: string]: XmlValue;
}

function renderChildren(node: XmlNode): string {
  let out = '';
  for (const [name, value] of Object.entries(node)) {
    // Pre-rendered children keep an interleaved order (versions and delete markers) that an object cannot.
    out += name === RAW ? String(value ?? '') : renderElement(name, value);
  }
  return out;
}

/** Renders one element (or, for an array, one per item). */
export function renderElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => renderElement(name, v)).join('');
  if (typeof value === 'object') return `<${name}>${renderChildren(value)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Renders a complete response document with the S3 namespace on its root element. */
export function renderDocument(root: string, body: XmlNode, namespace: string | null = S3_NAMESPACE): string {
  const ns = namespace ? ` xmlns="${namespace}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${renderChildren(body)}</${root}>`;
}

/** A parsed element: local name (namespace prefix dropped), children and text content. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

/** The first child named `name`, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Every child named `name`. */
export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The trimmed text of the first child named `name`, if any. */
export function childText(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text.trim();
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
}

/**
 * Parses the small request documents S3 accepts (versioning, object lock, retention, multi-delete).
 * DTDs are refused outright: no request document needs one, and refusing them rules out entity expansion.
 * Anything not well-formed answers MalformedXML, as S3 does.
 */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const fail = (): never => {
    throw s3Errors.malformedXml();
  };
  const skipMisc = () => {
    for (;;) {
      while (pos < source.length && /\s/.test(source[pos])) pos++;
      if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos);
        if (end < 0) fail();
        pos = end + 2;
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) fail();
        pos = end + 3;
      } else if (source.startsWith('<!', pos) && !source.startsWith('<![CDATA[', pos)) {
        fail();
      } else return;
    }
  };
  const parseElement = (): XmlElement => {
    if (source[pos] !== '<') fail();
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(pos));
    if (!open) return fail();
    pos += open[0].length;
    const qname = open[1];
    const el: XmlElement = { name: qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname, children: [], text: '' };
    if (open[3] === '/') return el;
    for (;;) {
      if (pos >= source.length) fail();
      if (source.startsWith('</', pos)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(pos));
        if (!close || close[1] !== qname) fail();
        pos += close![0].length;
        return el;
      }
      if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos);
        if (end < 0) fail();
        el.text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) fail();
        pos = end + 3;
      } else if (source.startsWith('<!', pos) || source.startsWith('<?', pos)) {
        fail();
      } else if (source[pos] === '<') {
        el.children.push(parseElement());
      } else {
        const next = source.indexOf('<', pos);
        if (next < 0) fail();
        el.text += decodeEntities(source.slice(pos, next));
        pos = next;
      }
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (pos !== source.length) fail();
  return root;
}
