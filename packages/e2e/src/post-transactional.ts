import { randomUUID } from 'node:crypto';

/** The ids of the payment a message refers to. */
export interface OriginalIds {
  readonly msgId: string;
  readonly endToEndId: string;
  readonly uetr: string;
}

/** Which of the original's ids a message carries (all by default). */
export type Carried = readonly ('msgId' | 'endToEndId' | 'uetr')[];

const agent = (bic: string): string => `<FinInstnId><BICFI>${bic}</BICFI></FinInstnId>`;
const freshId = (prefix: string): string => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 30)}`;
const carries = (carried: Carried, id: 'msgId' | 'endToEndId' | 'uetr'): boolean => carried.includes(id);

/** A camt.056.001.08 from `fromBic` asking to cancel `original` (sent to `toBic`). */
export function cancellationXml(spec: { fromBic: string; toBic: string; original: OriginalIds; amount?: string; carried?: Carried }): { xml: string; id: string } {
  const carried = spec.carried ?? ['msgId', 'endToEndId', 'uetr'];
  const id = freshId('CXL');
  const now = new Date().toISOString();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.08">
  <FIToFIPmtCxlReq>
    <Assgnmt>
      <Id>${id}</Id>
      <Assgnr><Agt>${agent(spec.fromBic)}</Agt></Assgnr>
      <Assgne><Agt>${agent(spec.toBic)}</Agt></Assgne>
      <CreDtTm>${now}</CreDtTm>
    </Assgnmt>
    <Undrlyg>
      <OrgnlGrpInfAndCxl>
        <OrgnlMsgId>${carries(carried, 'msgId') ? spec.original.msgId : 'UNKNOWN'}</OrgnlMsgId>
        <OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>
      </OrgnlGrpInfAndCxl>
      <TxInf>
        <CxlId>${id.slice(0, 35)}</CxlId>
        ${carries(carried, 'endToEndId') ? `<OrgnlEndToEndId>${spec.original.endToEndId}</OrgnlEndToEndId>` : ''}
        ${carries(carried, 'uetr') ? `<OrgnlUETR>${spec.original.uetr}</OrgnlUETR>` : ''}
        ${spec.amount ? `<OrgnlIntrBkSttlmAmt Ccy="EUR">${spec.amount}</OrgnlIntrBkSttlmAmt>` : ''}
        <CxlRsnInf><Rsn><Cd>DUPL</Cd></Rsn></CxlRsnInf>
      </TxInf>
    </Undrlyg>
  </FIToFIPmtCxlReq>
</Document>
`;
  return { xml, id };
}

/** A pacs.004.001.09 from `fromBic` (the original's receiver) returning `amount` of `original` to `toBic`. */
export function returnXml(spec: { fromBic: string; toBic: string; original: OriginalIds; amount: string; currency?: string }): { xml: string; msgId: string } {
  const currency = spec.currency ?? 'EUR';
  const msgId = freshId('RTR');
  const now = new Date().toISOString();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09">
  <PmtRtr>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${now}</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      <TtlRtrdIntrBkSttlmAmt Ccy="${currency}">${spec.amount}</TtlRtrdIntrBkSttlmAmt>
      <IntrBkSttlmDt>${now.slice(0, 10)}</IntrBkSttlmDt>
      <SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf>
      <InstgAgt>${agent(spec.fromBic)}</InstgAgt>
      <InstdAgt>${agent(spec.toBic)}</InstdAgt>
    </GrpHdr>
    <TxInf>
      <RtrId>${msgId.slice(0, 35)}</RtrId>
      <OrgnlGrpInf>
        <OrgnlMsgId>${spec.original.msgId}</OrgnlMsgId>
        <OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>
      </OrgnlGrpInf>
      <OrgnlEndToEndId>${spec.original.endToEndId}</OrgnlEndToEndId>
      <OrgnlUETR>${spec.original.uetr}</OrgnlUETR>
      <RtrdIntrBkSttlmAmt Ccy="${currency}">${spec.amount}</RtrdIntrBkSttlmAmt>
      <ChrgBr>SLEV</ChrgBr>
      <RtrRsnInf><Rsn><Cd>AC04</Cd></Rsn></RtrRsnInf>
    </TxInf>
  </PmtRtr>
</Document>
`;
  return { xml, msgId };
}

/** A pacs.028.001.03 from `fromBic` asking for the status of `original`. */
export function statusRequestXml(spec: { fromBic: string; toBic: string; original: OriginalIds; carried?: Carried }): { xml: string; msgId: string } {
  const carried = spec.carried ?? ['msgId', 'endToEndId', 'uetr'];
  const msgId = freshId('STS');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.028.001.03">
  <FIToFIPmtStsReq>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${new Date().toISOString()}</CreDtTm>
      <InstgAgt>${agent(spec.fromBic)}</InstgAgt>
      <InstdAgt>${agent(spec.toBic)}</InstdAgt>
    </GrpHdr>
    <OrgnlGrpInf>
      <OrgnlMsgId>${carries(carried, 'msgId') ? spec.original.msgId : 'UNKNOWN'}</OrgnlMsgId>
      <OrgnlMsgNmId>pacs.008.001.08</OrgnlMsgNmId>
    </OrgnlGrpInf>
    <TxInf>
      <StsReqId>${msgId.slice(0, 35)}</StsReqId>
      ${carries(carried, 'endToEndId') ? `<OrgnlEndToEndId>${spec.original.endToEndId}</OrgnlEndToEndId>` : ''}
      ${carries(carried, 'uetr') ? `<OrgnlUETR>${spec.original.uetr}</OrgnlUETR>` : ''}
    </TxInf>
  </FIToFIPmtStsReq>
</Document>
`;
  return { xml, msgId };
}

/** A pain.001.001.09 from a customer of `fromBic`, one payment block with the given transfers. */
export function initiationXml(spec: {
  fromBic: string;
  transfers: readonly { toBic: string; amount: string; endToEndId?: string }[];
  controlSum?: string;
}): { xml: string; msgId: string; endToEndIds: string[]; uetrs: string[] } {
  const msgId = freshId('INI');
  const now = new Date().toISOString();
  const endToEndIds = spec.transfers.map((transfer) => transfer.endToEndId ?? `E2E-${randomUUID().slice(0, 24)}`);
  const uetrs = spec.transfers.map(() => randomUUID());
  const sum = spec.transfers.reduce((total, transfer) => total + Math.round(Number(transfer.amount) * 100), 0);
  const controlSum = spec.controlSum ?? `${Math.trunc(sum / 100)}.${String(sum % 100).padStart(2, '0')}`;
  const transfers = spec.transfers
    .map(
      (transfer, index) => `
      <CdtTrfTxInf>
        <PmtId><EndToEndId>${endToEndIds[index]}</EndToEndId><UETR>${uetrs[index]}</UETR></PmtId>
        <Amt><InstdAmt Ccy="EUR">${transfer.amount}</InstdAmt></Amt>
        <CdtrAgt>${agent(transfer.toBic)}</CdtrAgt>
        <Cdtr><Nm>Creditor ${index + 1}</Nm></Cdtr>
        <CdtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></CdtrAcct>
      </CdtTrfTxInf>`,
    )
    .join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
  <CstmrCdtTrfInitn>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${now}</CreDtTm>
      <NbOfTxs>${spec.transfers.length}</NbOfTxs>
      <CtrlSum>${controlSum}</CtrlSum>
      <InitgPty><Nm>Initiating Customer</Nm></InitgPty>
    </GrpHdr>
    <PmtInf>
      <PmtInfId>${msgId.slice(0, 30)}-1</PmtInfId>
      <PmtMtd>TRF</PmtMtd>
      <ReqdExctnDt><Dt>${now.slice(0, 10)}</Dt></ReqdExctnDt>
      <Dbtr><Nm>Debtor Customer</Nm></Dbtr>
      <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
      <DbtrAgt>${agent(spec.fromBic)}</DbtrAgt>
      <ChrgBr>SLEV</ChrgBr>${transfers}
    </PmtInf>
  </CstmrCdtTrfInitn>
</Document>
`;
  return { xml, msgId, endToEndIds, uetrs };
}
