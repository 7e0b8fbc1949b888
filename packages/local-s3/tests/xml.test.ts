import { decodeAwsChunked } from '../src/index';
import { childText, children, parseXml, renderDocument } from '../src/xml';

describe('request documents', () => {
  it('reads elements, namespaces, entities and CDATA', () => {
    const doc = parseXml(
      '<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a&amp;b</Key></Object>' +
        '<Object><Key><![CDATA[<c>]]></Key><VersionId>v</VersionId></Object><!-- note --></Delete>',
    );
    expect(doc.name).toBe('Delete');
    expect(children(doc, 'Object').map((o) => childText(o, 'Key'))).toEqual(['a&b', '<c>']);
  });

  it.each([
    ['a DTD', '<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'],
    ['a mismatched close tag', '<a><b></a></b>'],
    ['trailing content', '<a/><b/>'],
    ['an unclosed element', '<a><b>'],
  ])('refuses %s as MalformedXML', (_what, text) => {
    expect(() => parseXml(text)).toThrow(expect.objectContaining({ code: 'MalformedXML', status: 400 }));
  });

  it('escapes text in response documents', () => {
    expect(renderDocument('R', { Key: 'a<b>&"c"' }, null)).toContain('<Key>a&lt;b&gt;&amp;&quot;c&quot;</Key>');
  });
});

describe('aws-chunked decoding', () => {
  it('joins chunks, ignores chunk signatures and reads the trailers', () => {
    const raw = Buffer.from('5;chunk-signature=abc\r\nhello\r\n1\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n');
    expect(decodeAwsChunked(raw)).toEqual({ body: Buffer.from('hello!'), trailers: { 'x-amz-checksum-crc32': 'AAAAAA==' } });
  });

  it('reads a signed final chunk and drops the trailer signature from the checksums it reports', () => {
    const raw = Buffer.from(
      '3;chunk-signature=aa\r\nabc\r\n0;chunk-signature=bb\r\nx-amz-checksum-sha256:c2hh\r\nx-amz-trailer-signature:cc\r\n\r\n',
    );
    const decoded = decodeAwsChunked(raw);
    expect(decoded.body.toString()).toBe('abc');
    expect(decoded.trailers['x-amz-checksum-sha256']).toBe('c2hh');
  });

  it('reads a signed upload without trailers', () => {
    const raw = Buffer.from('3;chunk-signature=aa\r\nabc\r\n0;chunk-signature=bb\r\n\r\n');
    expect(decodeAwsChunked(raw)).toEqual({ body: Buffer.from('abc'), trailers: {} });
  });

  it.each([
    ['a truncated chunk', '5\r\nhel'],
    ['a size that is not hex', 'zz\r\nhello\r\n0\r\n\r\n'],
    ['a chunk without its CRLF', '5\r\nhelloXX0\r\n\r\n'],
  ])('refuses %s as IncompleteBody', (_what, text) => {
    expect(() => decodeAwsChunked(Buffer.from(text))).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
  });
});
