import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { originalReferences, parseMessage, ReaderInputError } from '../src/index';

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/messages');
const documentOf = (name: string) => parseMessage(readFileSync(path.join(fixtureDir, name), 'utf8')).document;

describe('originalReferences', () => {
  it('reads the original a camt.056 cancels, with the cancellation id and reason', () => {
    expect(originalReferences(documentOf('camt.056.001.08/valid.xml'))).toEqual({
      msgId: 'COBA-CXL-20261127-0001',
      creationDateTime: '2026-11-27T10:05:00.000Z',
      originals: [
        {
          messageType: 'pacs.008',
          msgId: 'COBA20261127093000001',
          endToEndId: 'SUB-2026-Q4-19',
          uetr: 'c0e4a8d2-5b9f-4e17-a3c6-2d8f1b7e9a54',
          txId: 'COBA-TX-20261127-0003',
          instructionId: 'COBA-INSTR-0003',
          id: 'COBA-CXL-0001-1',
          reasonCode: 'DUPL',
        },
      ],
    });
  });

  it('reads the original a pacs.004 returns, with the returned amount as Money', () => {
    const { msgId, originals } = originalReferences(documentOf('pacs.004.001.09/valid.xml'));
    expect(msgId).toBe('INGB20261128101500001');
    expect(originals).toEqual([
      {
        messageType: 'pacs.008',
        msgId: 'COBA20261127093000001',
        endToEndId: 'PO-88213',
        uetr: '3f1d9b42-7c0e-4a6d-9e25-b1c8d4f70a12',
        txId: 'COBA-TX-20261127-0002',
        instructionId: 'COBA-INSTR-0002',
        amount: { minor: 342075n, currency: 'EUR', exponent: 2 },
        id: 'INGB-RTR-20261128-0001',
        reasonCode: 'AC04',
      },
    ]);
  });

  it('reads the originals a pacs.028 asks about', () => {
    const { originals } = originalReferences(documentOf('pacs.028.001.03/valid.xml'));
    expect(originals.length).toBeGreaterThan(0);
    expect(originals.every((original) => original.uetr ?? original.endToEndId ?? original.msgId)).toBe(true);
  });

  it('names the path of a message it cannot read', () => {
    expect(() => originalReferences({ FIToFICstmrCdtTrf: {} })).toThrow(ReaderInputError);
    expect(() => originalReferences({ PmtRtr: { GrpHdr: {} } })).toThrow(/MsgId is missing/);
  });
});
