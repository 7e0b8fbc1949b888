import {
  ErrorCode,
  HostileInputError,
  InputTooLargeError,
  Iso20022Error,
  MalformedXmlError,
  UnsupportedMessageError,
  outlineDepth,
  elementAt,
  guardXml,
  outlineOf,
  parseMessage,
  validateXml,
} from '@mxflow/iso20022';
import { parseWithLibxml } from '../src/validate';
import { engineFixture } from './support/paths';

const pacs008 = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08';
const valid = engineFixture('pacs.008.001.08.xml');

/** Runs the public entry point and returns what it threw; fails the test if it did not throw. */
function refusal(input: Uint8Array | string, options?: Parameters<typeof parseMessage>[1]): Iso20022Error {
  const started = performance.now();
  try {
    parseMessage(input, options);
  } catch (error) {
    // Hostile input is refused quickly: a linear scan, never a parse of the payload.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toBeInstanceOf(Iso20022Error);
    return error as Iso20022Error;
  }
  throw new Error('input was accepted');
}

const xxe = (systemId: string): string =>
  `<?xml version="1.0"?>\n<!DOCTYPE Document [<!ENTITY xxe SYSTEM "${systemId}">]>\n<Document xmlns="${pacs008}"><FIToFICstmrCdtTrf><GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></FIToFICstmrCdtTrf></Document>`;

const billionLaughs = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE lolz [',
  '<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
  ']>',
  `<Document xmlns="${pacs008}">&lol9;</Document>`,
].join('\n');

const quadraticBlowup = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "${'x'.repeat(50_000)}">]><Document xmlns="${pacs008}">${'&a;'.repeat(10_000)}</Document>`;

describe('the input guard', () => {
  it.each([
    ['XXE through a file', xxe('file:///etc/passwd'), ErrorCode.DTD_FORBIDDEN],
    ['XXE through http', xxe('http://169.254.169.254/latest/meta-data/'), ErrorCode.DTD_FORBIDDEN],
    ['a parameter entity', `<!DOCTYPE d [<!ENTITY % p SYSTEM "http://example.com/evil.dtd"> %p;]><Document xmlns="${pacs008}"/>`, ErrorCode.DTD_FORBIDDEN],
    ['billion laughs', billionLaughs, ErrorCode.DTD_FORBIDDEN],
    ['quadratic blowup', quadraticBlowup, ErrorCode.DTD_FORBIDDEN],
    ['an external DTD', `<!DOCTYPE Document SYSTEM "file:///etc/passwd"><Document xmlns="${pacs008}"/>`, ErrorCode.DTD_FORBIDDEN],
    ['XInclude', `<Document xmlns="${pacs008}" xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></Document>`, ErrorCode.XINCLUDE_FORBIDDEN],
    ['XInclude behind character references', `<Document xmlns="${pacs008}" xmlns:xi="http://www.w3.org/2001/X&#73;nclude"><xi:include href="file:///etc/passwd"/></Document>`, ErrorCode.XINCLUDE_FORBIDDEN],
    ['10,000 levels of nesting', `<Document xmlns="${pacs008}">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</Document>`, ErrorCode.TOO_DEEP],
  ])('refuses %s as hostile', (_what, input, code) => {
    const error = refusal(input);
    expect(error).toBeInstanceOf(HostileInputError);
    expect(error.code).toBe(code);
  });

  it('refuses a DOCTYPE without reading what it points at', () => {
    expect(refusal(xxe('file:///etc/passwd')).message).not.toContain('root:');
  });

  it.each([
    ['10 MB of bytes', new Uint8Array(10 * 1024 * 1024).fill(0x20)],
    ['a 10 MB string', `<Document xmlns="${pacs008}">${' '.repeat(10 * 1024 * 1024)}</Document>`],
    ['a string under 1 MiB of characters but over 1 MiB of UTF-8', `<Document xmlns="${pacs008}">${'€'.repeat(400_000)}</Document>`],
  ])('refuses %s as too large', (_what, input) => {
    const error = refusal(input);
    expect(error).toBeInstanceOf(InputTooLargeError);
    expect(error.code).toBe(ErrorCode.INPUT_TOO_LARGE);
  });

  it('applies a configured size limit', () => {
    expect(refusal(valid, { limits: { maxBytes: 1024 } })).toBeInstanceOf(InputTooLargeError);
    expect(parseMessage(valid, { limits: { maxBytes: 64 * 1024 } }).messageId).toBe('pacs.008.001.08');
  });

  it('applies a configured depth limit', () => {
    expect(refusal(valid, { limits: { maxDepth: 4 } }).code).toBe(ErrorCode.TOO_DEEP);
  });

  it('turns nesting beyond the parser limit into a malformed-input error when the guard limit is raised', () => {
    const deep = `<Document xmlns="${pacs008}">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</Document>`;
    const error = refusal(deep, { limits: { maxDepth: 20_000 } });
    expect(error).toBeInstanceOf(MalformedXmlError);
  });

  it.each([
    ['an empty string', ''],
    ['empty bytes', new Uint8Array(0)],
    ['only whitespace', ' \n\t '],
    ['only a byte order mark', new Uint8Array([0xef, 0xbb, 0xbf])],
    ['only an XML declaration', '<?xml version="1.0" encoding="UTF-8"?>'],
  ])('refuses %s as an empty body', (_what, input) => {
    const error = refusal(input);
    expect(error).toBeInstanceOf(MalformedXmlError);
    expect(error.code).toBe(ErrorCode.EMPTY_INPUT);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
  ])('refuses a missing body (%s) as empty', (_what, input) => {
    expect(refusal(input as unknown as string).code).toBe(ErrorCode.EMPTY_INPUT);
  });

  it('refuses input that is neither text nor bytes', () => {
    expect(refusal({ length: 3 } as unknown as string)).toBeInstanceOf(MalformedXmlError);
  });

  it.each([
    ['a lone continuation byte', [0x3c, 0x61, 0x3e, 0x80, 0x3c, 0x2f, 0x61, 0x3e]],
    ['an overlong encoding of "/"', [0x3c, 0x61, 0x3e, 0xc0, 0xaf, 0x3c, 0x2f, 0x61, 0x3e]],
    ['a truncated sequence', [0x3c, 0x61, 0x3e, 0xe2, 0x82, 0x3c, 0x2f, 0x61, 0x3e]],
    ['an encoded surrogate', [0x3c, 0x61, 0x3e, 0xed, 0xa0, 0x80, 0x3c, 0x2f, 0x61, 0x3e]],
  ])('refuses invalid UTF-8: %s', (_what, bytes) => {
    const error = refusal(new Uint8Array(bytes));
    expect(error).toBeInstanceOf(MalformedXmlError);
    expect(error.code).toBe(ErrorCode.INVALID_UTF8);
  });

  it('refuses a string with an unpaired surrogate', () => {
    expect(refusal(`<Document xmlns="${pacs008}">\uD800</Document>`).code).toBe(ErrorCode.INVALID_UTF8);
  });

  it('refuses a declared encoding other than UTF-8', () => {
    expect(refusal(valid.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')).code).toBe(ErrorCode.UNSUPPORTED_ENCODING);
  });

  it('refuses a wrong namespace and names it', () => {
    const error = refusal(valid.replace(pacs008, 'urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08'));
    expect(error).toBeInstanceOf(UnsupportedMessageError);
    expect((error as UnsupportedMessageError).namespace).toBe('urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08');
    expect(error.message).toContain('urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08');
  });

  it('refuses a Document without a namespace', () => {
    expect(refusal('<Document><FIToFICstmrCdtTrf/></Document>')).toBeInstanceOf(UnsupportedMessageError);
  });

  it('refuses two Documents in one input', () => {
    const body = valid.replace('<?xml version="1.0" encoding="UTF-8"?>', '');
    expect(refusal(`${body}${body}`).code).toBe(ErrorCode.MULTIPLE_ROOTS);
  });

  it('refuses two Documents inside one wrapper', () => {
    const body = valid.replace('<?xml version="1.0" encoding="UTF-8"?>', '');
    expect(refusal(`<Envelope>${body}${body}</Envelope>`).code).toBe(ErrorCode.NO_DOCUMENT);
  });

  it.each([
    ['an unclosed element', `<Document xmlns="${pacs008}"><FIToFICstmrCdtTrf>`],
    ['mismatched tags', `<Document xmlns="${pacs008}"><A></B></Document>`],
    ['text after the root', `<Document xmlns="${pacs008}"/>trailing`],
    ['CDATA after the root', `<Document xmlns="${pacs008}"/><![CDATA[x]]>`],
    ['an undefined entity', `<Document xmlns="${pacs008}"><FIToFICstmrCdtTrf>&undefined;</FIToFICstmrCdtTrf></Document>`],
    ['a raw control character', `<Document xmlns="${pacs008}"><FIToFICstmrCdtTrf>\u0001</FIToFICstmrCdtTrf></Document>`],
  ])('refuses %s as malformed', (_what, input) => {
    expect(refusal(input)).toBeInstanceOf(MalformedXmlError);
  });

  it('reports where a malformed input breaks', () => {
    const error = refusal(`<Document xmlns="${pacs008}">\n  <A>\n  </B>\n</Document>`) as MalformedXmlError;
    expect(error.line).toBe(3);
    expect(error.column).toBe(3);
  });

  it('keeps the guard behind validateXml too', () => {
    expect(() => validateXml(billionLaughs)).toThrow(HostileInputError);
  });

  it('accepts comments, CDATA, processing instructions and attributes holding ">"', () => {
    const guarded = guardXml(`<?xml version="1.0"?><!-- a > b --><?pi x?><a b="x>y"><![CDATA[<c>]]><d/></a>`);
    expect(guarded.root.localName).toBe('a');
    expect(guarded.root.children.map((child) => child.localName)).toEqual(['d']);
  });
});

describe('the outline of the elements', () => {
  it('keeps the levels detection needs and builds the whole outline on demand', () => {
    const guarded = guardXml(valid);
    const [messageRoot] = guarded.root.children;
    expect(outlineDepth('Document')).toBe(2);
    expect(messageRoot.localName).toBe('FIToFICstmrCdtTrf');
    expect(messageRoot.children).toEqual([]);

    const whole = outlineOf(guarded);
    expect(outlineOf(guarded)).toBe(whole);
    const sameRoot = elementAt(whole, messageRoot.start);
    expect(sameRoot).toMatchObject({ localName: 'FIToFICstmrCdtTrf', line: messageRoot.line, column: messageRoot.column });
    const groupHeader = sameRoot?.children[0];
    expect(groupHeader?.localName).toBe('GrpHdr');
    expect(elementAt(whole, groupHeader?.children[0].start ?? -1)?.localName).toBe('MsgId');
    expect(elementAt(whole, messageRoot.start + 1)).toBeUndefined();
  });

  it('keeps the AppHdr and the Document of a wrapper with their roots', () => {
    const guarded = guardXml(`<Envelope><AppHdr><Fr/></AppHdr><Document xmlns="${pacs008}"><FIToFICstmrCdtTrf><GrpHdr/></FIToFICstmrCdtTrf></Document></Envelope>`);
    expect(guarded.root.children.map((child) => child.localName)).toEqual(['AppHdr', 'Document']);
    expect(guarded.root.children[1].children.map((child) => child.localName)).toEqual(['FIToFICstmrCdtTrf']);
    expect(outlineOf(guarded).children[1].children[0].children.map((child) => child.localName)).toEqual(['GrpHdr']);
  });

  it('needs no second scan for a message no deeper than the kept levels', () => {
    const wrapped = guardXml('<a><b><c/></b></a>');
    expect(outlineOf(wrapped)).toBe(wrapped.root);
    const bare = guardXml(`<Document xmlns="${pacs008}"><A/></Document>`);
    expect(outlineOf(bare)).toBe(bare.root);
    expect(outlineOf(guardXml(`<Document xmlns="${pacs008}"><A><B/></A></Document>`)).children[0].children).toHaveLength(1);
  });

  it('still checks the elements below the kept levels', () => {
    expect(refusal(`<Document xmlns="${pacs008}"><A><B><C><D></C></B></A></Document>`).code).toBe(ErrorCode.MALFORMED_XML);
    expect(refusal(`<Document xmlns="${pacs008}"><A><B><C xmlns:xi="http://www.w3.org/2001/XInclude"/></B></A></Document>`).code).toBe(ErrorCode.XINCLUDE_FORBIDDEN);
  });
});

describe('the parser behind the guard', () => {
  it('does not load an external entity even if a DTD were to reach it', () => {
    let content = '';
    try {
      const document = parseWithLibxml(xxe('file:///etc/passwd'));
      content = document.root.content;
      document.dispose();
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedXmlError);
    }
    expect(content).not.toContain('root:');
  });
});
