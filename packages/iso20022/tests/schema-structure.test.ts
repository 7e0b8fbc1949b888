import { compareXsd, xsdFor } from '@mxflow/iso20022';
import { formatDifference } from '../src/schema/compare';
import { officialXsd, supportedMessages } from './support/paths';

// The model is authored by hand from the standard; this walks each generated
// XSD against the official one from the global element down and names the path
// of every difference.
describe('generated XSDs against the official ISO 20022 XSDs', () => {
  it.each(supportedMessages)('%s has the official structure', (messageId) => {
    expect(compareXsd(officialXsd(messageId), xsdFor(messageId)).map(formatDifference)).toEqual([]);
  });
});
