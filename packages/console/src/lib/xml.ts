/** XML for reading: pretty-printed and highlighted. The exact bytes are kept elsewhere; this is only for the eye. */
import hljs from 'highlight.js/lib/core';
import xmlLanguage from 'highlight.js/lib/languages/xml';
import formatXml from 'xml-formatter';

hljs.registerLanguage('xml', xmlLanguage);

/** The XML indented two spaces per level; the text as it is when it does not parse. */
export function prettyXml(text: string): string {
  try {
    return formatXml(text, { indentation: '  ', collapseContent: true, lineSeparator: '\n' });
  } catch {
    return text;
  }
}

/** HTML of the highlighted XML: highlight.js escapes the text, so it is safe to put into the page. */
export function highlightXml(text: string): string {
  return hljs.highlight(text, { language: 'xml', ignoreIllegals: true }).value;
}
