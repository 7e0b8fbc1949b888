import { randomUUID } from 'node:crypto';

/** One credit transfer between two participants, as the tests and the benchmark send it. */
export interface PaymentSpec {
  readonly fromBic: string;
  readonly toBic: string;
  /** Decimal text with the currency's decimals: `125.50`. */
  readonly amount: string;
  readonly currency?: string;
  readonly msgId?: string;
  readonly endToEndId?: string;
  readonly uetr?: string;
  /** PmtId/TxId: unique per instructing agent. */
  readonly txId?: string;
  /** Instructing agent, when it differs from the debtor agent (to test who may send what). */
  readonly instructingBic?: string;
  /** GrpHdr/CreDtTm, when not now: the SLA clock starts there. */
  readonly createdAt?: string;
}

/** A one-transaction pacs.008.001.08 with fresh ids unless given; returns its XML and ids. */
export function paymentXml(spec: PaymentSpec): { xml: string; msgId: string; endToEndId: string; txId: string; uetr: string } {
  const currency = spec.currency ?? 'EUR';
  const msgId = spec.msgId ?? `M${randomUUID().replaceAll('-', '').slice(0, 30)}`;
  const endToEndId = spec.endToEndId ?? `E2E-${randomUUID().slice(0, 24)}`;
  const uetr = spec.uetr ?? randomUUID();
  const txId = spec.txId ?? `TX-${randomUUID().slice(0, 24)}`;
  const now = spec.createdAt ?? new Date().toISOString();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
  <FIToFICstmrCdtTrf>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${now}</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      <TtlIntrBkSttlmAmt Ccy="${currency}">${spec.amount}</TtlIntrBkSttlmAmt>
      <IntrBkSttlmDt>${now.slice(0, 10)}</IntrBkSttlmDt>
      <SttlmInf>
        <SttlmMtd>CLRG</SttlmMtd>
      </SttlmInf>
      <InstgAgt>
        <FinInstnId>
          <BICFI>${spec.instructingBic ?? spec.fromBic}</BICFI>
        </FinInstnId>
      </InstgAgt>
      <InstdAgt>
        <FinInstnId>
          <BICFI>${spec.toBic}</BICFI>
        </FinInstnId>
      </InstdAgt>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId>
        <InstrId>${msgId.slice(0, 35)}</InstrId>
        <EndToEndId>${endToEndId}</EndToEndId>
        <TxId>${txId}</TxId>
        <UETR>${uetr}</UETR>
      </PmtId>
      <IntrBkSttlmAmt Ccy="${currency}">${spec.amount}</IntrBkSttlmAmt>
      <ChrgBr>SLEV</ChrgBr>
      <Dbtr>
        <Nm>Debtor</Nm>
      </Dbtr>
      <DbtrAgt>
        <FinInstnId>
          <BICFI>${spec.fromBic}</BICFI>
        </FinInstnId>
      </DbtrAgt>
      <CdtrAgt>
        <FinInstnId>
          <BICFI>${spec.toBic}</BICFI>
        </FinInstnId>
      </CdtrAgt>
      <Cdtr>
        <Nm>Creditor</Nm>
      </Cdtr>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
</Document>
`;
  return { xml, msgId, endToEndId, txId, uetr };
}
