/**
 * XML references in parsed text. fast-xml-parser's own entity processing is
 * off: its 4.x line replaces each kind of reference in a separate pass, which
 * decodes `&#38;#x3C;` twice.
 */

// A Map, so that a name such as `constructor` finds nothing.
const predefined: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);
// How far after `&` the `;` is looked for, so that text full of `&` stays linear.
const longestReference = 32;

/** Whether a character reference names a character XML 1.0 allows in content (libxml2 refuses the others as not well-formed). */
const allowedCodePoint = (code: number): boolean =>
  code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0x10ffff);

/**
 * Resolves the five predefined entities and character references in one pass,
 * so that `&amp;#60;` stays `&#60;`. A reference to a character XML forbids
 * is dropped and anything else is left as written: both only occur in text
 * that is not well-formed XML, which libxml2 refuses before conversion (only
 * `toJson` and the XSD reader can see it).
 */
export function resolveReferences(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let result = '';
  let copied = 0;
  while (amp !== -1) {
    let semicolon = amp + 1;
    const limit = Math.min(text.length, amp + 1 + longestReference);
    while (semicolon < limit && text.charCodeAt(semicolon) !== 0x3b) semicolon++;
    let replacement: string | undefined;
    if (semicolon < limit) {
      const name = text.slice(amp + 1, semicolon);
      if (name.charCodeAt(0) === 0x23) {
        const hex = name.charCodeAt(1) === 0x78 || name.charCodeAt(1) === 0x58;
        const digits = name.slice(hex ? 2 : 1);
        if (hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits)) {
          const code = Number.parseInt(digits, hex ? 16 : 10);
          if (code <= 0x10ffff) replacement = allowedCodePoint(code) ? String.fromCodePoint(code) : '';
        }
      } else {
        replacement = predefined.get(name);
      }
    }
    if (replacement === undefined) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    result += text.slice(copied, amp) + replacement;
    copied = semicolon + 1;
    amp = text.indexOf('&', copied);
  }
  return copied === 0 ? text : result + text.slice(copied);
}
