import { compareXsd, detectMessage, validateXml, xsdFor } from '@mxflow/iso20022';
import { XmlDocument, XsdValidator, type XmlElement, type XmlValidateError } from 'libxml2-wasm';
import { formatDifference } from '../src/schema/compare';
import { engineFixture, messageFixtures, officialXsd, supportedMessages } from './support/paths';

// The model is authored by hand from the standard; this walks each generated
// XSD against the official one from the global element down and names the path
// of every difference.
describe('generated XSDs against the official ISO 20022 XSDs', () => {
  it.each(supportedMessages)('%s has the official structure', (messageId) => {
    expect(compareXsd(officialXsd(messageId), xsdFor(messageId)).map(formatDifference)).toEqual([]);
  });
});

describe('generated XSDs judge messages as the official ones do', () => {
  const officialIssues = (xml: string, messageId: string, element: string): string[] => {
    const schema = XmlDocument.fromString(officialXsd(messageId));
    const validator = XsdValidator.fromDoc(schema);
    const document = XmlDocument.fromString(xml);
    try {
      const target = document.root.name === element ? document.root : document.get(`/*/*[local-name()='${element}']`);
      validator.validate(target as XmlElement);
      return [];
    } catch (error) {
      return (error as XmlValidateError).details.map((detail) => detail.message.replace(/\{[^}]*\}/g, '').trim());
    } finally {
      document.dispose();
      validator.dispose();
      schema.dispose();
    }
  };

  const pacs008 = engineFixture('pacs.008.001.08.xml');
  const cases: [string, string][] = [
    ...messageFixtures().map((fixture): [string, string] => [`${fixture.messageId}/${fixture.name}`, fixture.xml]),
    ['a MsgId of 36 characters', pacs008.replace('MXF-20260301-0001', 'M'.repeat(36))],
    ['an unknown charge bearer', pacs008.replace('<ChrgBr>SHAR</ChrgBr>', '<ChrgBr>XXXX</ChrgBr>')],
    ['an amount with six decimals', pacs008.replace('>1000.00<', '>1000.000001<')],
    ['a missing currency', pacs008.replace('<IntrBkSttlmAmt Ccy="EUR">1000.00', '<IntrBkSttlmAmt>1000.00')],
    ['elements out of order', pacs008.replace(/(<ChrgBr>SHAR<\/ChrgBr>)(\s*)(<Dbtr>[\s\S]*?<\/Dbtr>)/, '$3$2$1')],
    ['an invalid BIC', pacs008.replace('BANKDEFFXXX', 'bankdeff')],
    ['two alternatives of a choice', pacs008.replace('<IBAN>DE89370400440532013000</IBAN>', '<IBAN>DE89370400440532013000</IBAN><Othr><Id>1</Id></Othr>')],
  ];

  it.each(cases)('%s gets the same issues from both', (_name, xml) => {
    const { messageId, appHdr } = detectMessage(xml);
    const ours = validateXml(xml).issues.map((issue) => issue.message);
    const theirs = [...(appHdr ? officialIssues(xml, appHdr.messageId, 'AppHdr') : []), ...officialIssues(xml, messageId, 'Document')];
    expect(ours).toEqual(theirs);
  });

  it('includes invalid cases, so that agreement is not only on valid messages', () => {
    expect(cases.filter(([, xml]) => !validateXml(xml).valid).length).toBeGreaterThanOrEqual(7);
  });
});
