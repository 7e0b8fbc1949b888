/* eslint-disable @typescript-eslint/no-explicit-any -- tests reach into JSON documents to break one field at a time */
export type Doc = Record<string, any>;

/** Well-formed messages in the JSON form, for the business-rule tests to break one field at a time. */

export const uetr = '4c6e2a7d-3b1f-4e8a-9c2d-6f0b1a2e3d4c';

export function pacs008(): Doc {
  return {
    FIToFICstmrCdtTrf: {
      GrpHdr: {
        MsgId: 'MSG-20261127-0001',
        CreDtTm: '2026-11-27T09:30:00.000Z',
        NbOfTxs: '2',
        CtrlSum: '1500.25',
        TtlIntrBkSttlmAmt: { value: '1500.25', Ccy: 'EUR' },
        IntrBkSttlmDt: '2026-11-27',
        SttlmInf: { SttlmMtd: 'CLRG' },
        InstgAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
        InstdAgt: { FinInstnId: { BICFI: 'BNPAFRPP' } },
      },
      CdtTrfTxInf: [
        {
          PmtId: { InstrId: 'INSTR-1', EndToEndId: 'E2E-1', TxId: 'TX-1', UETR: uetr },
          IntrBkSttlmAmt: { value: '1000.00', Ccy: 'EUR' },
          ChrgBr: 'SLEV',
          Dbtr: { Nm: 'Muster GmbH' },
          DbtrAcct: { Id: { IBAN: 'DE89370400440532013000' } },
          DbtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
          CdtrAgt: { FinInstnId: { BICFI: 'BNPAFRPP' } },
          Cdtr: { Nm: 'Exemple SARL' },
          CdtrAcct: { Id: { IBAN: 'FR7630006000011234567890189' } },
        },
        {
          PmtId: { EndToEndId: 'E2E-2', UETR: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
          IntrBkSttlmAmt: { value: '500.25', Ccy: 'EUR' },
          ChrgBr: 'SLEV',
          Dbtr: { Nm: 'Muster GmbH' },
          DbtrAgt: { FinInstnId: { BICFI: 'COBADEFFXXX' } },
          CdtrAgt: { FinInstnId: { BICFI: 'INGBNL2A' } },
          Cdtr: { Nm: 'Voorbeeld BV' },
          CdtrAcct: { Id: { IBAN: 'NL20INGB0001234567' } },
        },
      ],
    },
  };
}

export function pacs004(): Doc {
  return {
    PmtRtr: {
      GrpHdr: {
        MsgId: 'RTR-1',
        CreDtTm: '2026-11-28T10:00:00.000Z',
        NbOfTxs: '1',
        CtrlSum: '250',
        TtlRtrdIntrBkSttlmAmt: { value: '250.00', Ccy: 'GBP' },
        SttlmInf: { SttlmMtd: 'INDA' },
      },
      TxInf: [
        {
          RtrId: 'RTR-1-1',
          OrgnlEndToEndId: 'E2E-1',
          OrgnlUETR: uetr,
          RtrdIntrBkSttlmAmt: { value: '250.00', Ccy: 'GBP' },
          RtrRsnInf: [{ Rsn: { Cd: 'AC04' } }],
        },
      ],
    },
  };
}

export function camt056(): Doc {
  return {
    FIToFIPmtCxlReq: {
      Assgnmt: {
        Id: 'CXL-1',
        Assgnr: { Agt: { FinInstnId: { BICFI: 'COBADEFFXXX' } } },
        Assgne: { Agt: { FinInstnId: { BICFI: 'BNPAFRPP' } } },
        CreDtTm: '2026-11-27T11:00:00.000Z',
      },
      CtrlData: { NbOfTxs: '2', CtrlSum: '1500.25' },
      Undrlyg: [
        {
          TxInf: [
            { OrgnlEndToEndId: 'E2E-1', OrgnlUETR: uetr, OrgnlIntrBkSttlmAmt: { value: '1000.00', Ccy: 'EUR' }, OrgnlIntrBkSttlmDt: '2026-11-27' },
            { OrgnlEndToEndId: 'E2E-2', OrgnlIntrBkSttlmAmt: { value: '500.25', Ccy: 'EUR' } },
          ],
        },
      ],
    },
  };
}
