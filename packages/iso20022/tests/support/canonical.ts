import { XmlDocument, XmlElement, XmlText, XmlCData } from 'libxml2-wasm';

/**
 * A canonical form of an XML document for comparisons that ignore namespace
 * prefixes and whitespace-only text between elements: every element becomes
 * `{namespace}localName`, attributes sorted (namespace declarations dropped),
 * text kept exactly.
 */
export function canonicalXml(xml: string): string {
  const document = XmlDocument.fromString(xml);
  try {
    return canonicalElement(document.root);
  } finally {
    document.dispose();
  }
}

function canonicalElement(element: XmlElement): string {
  const attributes = element.attrs
    .map((attribute) => `${attribute.namespaceUri ? `{${attribute.namespaceUri}}` : ''}${attribute.name}=${JSON.stringify(attribute.value)}`)
    .sort()
    .join(' ');
  const parts: string[] = [];
  for (let child = element.firstChild; child; child = child.next) {
    if (child instanceof XmlElement) parts.push(canonicalElement(child));
    else if (child instanceof XmlText || child instanceof XmlCData) {
      if (child.content.trim().length > 0) parts.push(JSON.stringify(child.content));
    }
  }
  return `<{${element.namespaceUri}}${element.name}${attributes ? ` ${attributes}` : ''}>${parts.join('')}</>`;
}
