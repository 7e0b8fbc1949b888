import { UnsupportedMessageError, parseMessage } from '@mxflow/iso20022';
import { submitProblems } from '../src/handlers/problems';

/** The error the submit path meets for `xml`: detection's own. */
function refusalOf(xml: string): unknown {
  try {
    parseMessage(xml);
  } catch (error) {
    return error;
  }
  throw new Error('the message was accepted');
}

describe('submitProblems for a message the catalogue does not have', () => {
  it.each([
    ['pacs.008.001.02', 'FIToFICstmrCdtTrf', 'pacs.008', ['pacs.008.001.08']],
    ['camt.056.001.01', 'FIToFIPmtCxlReq', 'camt.056', ['camt.056.001.08']],
    ['pain.001.001.03', 'CstmrCdtTrfInitn', 'pain.001', ['pain.001.001.09']],
  ])('names the version of %s that the platform takes', (messageId, root, messageType, versions) => {
    const error = refusalOf(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${messageId}"><${root}/></Document>`);
    expect(error).toBeInstanceOf(UnsupportedMessageError);
    const problem = submitProblems(error);
    expect(problem).toMatchObject({
      status: 415,
      detail: `${messageId} is a version of ${messageType} this platform does not take. Send ${messageType} as ${versions.join(' or ')}.`,
      extensions: { supportedVersions: versions },
    });
    expect(problem?.detail).not.toContain('Send an ISO 20022 message');
  });

  it('lists the messages it takes for a message type it has no version of', () => {
    const problem = submitProblems(refusalOf('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.057.001.06"><NtfctnToRcv/></Document>'));
    expect(problem?.detail).toBe(
      "Messages of namespace 'urn:iso:std:iso:20022:tech:xsd:camt.057.001.06' are not accepted. Send an ISO 20022 message (pacs.008, pacs.004, pacs.028, camt.056, pain.001, camt.060, pain.013, pain.014) as application/xml, or in the JSON form as application/json.",
    );
    expect(problem?.extensions).not.toHaveProperty('supportedVersions');
  });
});
