import { fileNameOf } from '../src/lib/download';

describe('fileNameOf', () => {
  it.each([
    ['attachment; filename="camt.053-2026-12-06-EUR.xml"', 'camt.053-2026-12-06-EUR.xml'],
    ['attachment; filename=camt.053-2026-12-06-EUR.xml', 'camt.053-2026-12-06-EUR.xml'],
    ['attachment;filename = "report.xml" ; size=10', 'report.xml'],
    ['ATTACHMENT; FILENAME="Upper.xml"', 'Upper.xml'],
    ['attachment; filename="a \\"quoted\\" name.xml"', 'a _quoted_ name.xml'],
    ["attachment; filename=\"plain.xml\"; filename*=UTF-8''%C3%BCbersicht.xml", 'übersicht.xml'],
    ["attachment; filename*=utf-8'de'Kontoauszug%20Dez.xml", 'Kontoauszug Dez.xml'],
  ])('reads %s', (header, name) => {
    expect(fileNameOf(header, 'fallback.xml')).toBe(name);
  });

  it('keeps a name from climbing out of the download folder', () => {
    expect(fileNameOf('attachment; filename="../../etc/passwd"', 'fallback.xml')).toBe('.._.._etc_passwd');
    expect(fileNameOf('attachment; filename="C:\\\\Windows\\\\x.xml"', 'fallback.xml')).toBe('C__Windows_x.xml');
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['attachment'],
    ['inline; size=10'],
    ['attachment; filename=""'],
    ['attachment; filename=".."'],
    ["attachment; filename*=ISO-8859-1''%FC.xml"],
    ["attachment; filename*=UTF-8''%E0%A4%A.xml"],
  ])('falls back when %p names no usable file', (header) => {
    expect(fileNameOf(header, 'fallback.xml')).toBe('fallback.xml');
  });

  it('takes the plain name when the extended one cannot be read', () => {
    expect(fileNameOf("attachment; filename=\"plain.xml\"; filename*=UTF-8''%E0%A4%A.xml", 'fallback.xml')).toBe('plain.xml');
  });
});
