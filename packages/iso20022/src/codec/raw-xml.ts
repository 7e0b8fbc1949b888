import { guardXml } from '../xml/guard';

const elementPrefix = /<\/?([A-Za-z_][\w.-]*):/g;
const attributePrefix = /\s([A-Za-z_][\w.-]*):[\w.-]+\s*=/g;
const unprefixedElement = /<[A-Za-z_][\w.-]*[\s/>]/;

const escapeAttribute = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * Makes the raw XML of wildcard content self-contained: every namespace it
 * relies on from the surrounding message (a prefix declared on the Document,
 * or the default namespace) is declared on its top-level elements, so that the
 * fragment means the same wherever it is written back.
 */
export function selfContained(raw: string, scope: ReadonlyMap<string, string>): string {
  if (raw.length === 0) return raw;
  // The fragment passed the guard as part of the message; wrapping it only locates its top-level elements.
  const wrapped = `<w>${raw}</w>`;
  const { root } = guardXml(wrapped, { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: Number.MAX_SAFE_INTEGER });
  let result = '';
  let copied = 0;
  root.children.forEach((element, index) => {
    const end = index + 1 < root.children.length ? root.children[index + 1].start : wrapped.length - 4;
    const body = wrapped.slice(element.start, end);
    const needed = new Set<string>();
    for (const match of body.matchAll(elementPrefix)) needed.add(match[1]);
    for (const match of body.matchAll(attributePrefix)) needed.add(match[1]);
    needed.delete('xml');
    needed.delete('xmlns');
    if (unprefixedElement.test(body)) needed.add('');
    const declarations = [...needed]
      .filter((prefix) => !element.namespaces.has(prefix) && (prefix === '' || scope.has(prefix)))
      .map((prefix) => (prefix === '' ? ` xmlns="${escapeAttribute(scope.get('') ?? '')}"` : ` xmlns:${prefix}="${escapeAttribute(scope.get(prefix) ?? '')}"`))
      .join('');
    const insertAt = element.start + 1 + element.qname.length;
    result += wrapped.slice(copied === 0 ? 3 : copied, insertAt) + declarations;
    copied = insertAt;
  });
  return copied === 0 ? raw : result + wrapped.slice(copied, wrapped.length - 4);
}
