/**
 * `mxflow sample`: messages to submit to the platform. A payment (pacs.008,
 * pain.001) comes from a template between the demo participants, with fresh
 * ids and today's dates on every call. A message that acts on an earlier
 * payment (camt.056, pacs.004, pacs.028) is built from that payment's own
 * references: its MsgId, InstrId, EndToEndId, TxId, UETR, amount and agents.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { creditTransfers, formatMoney, money, paymentRequests, subtractMoney, toJson, type CreditTransfer, type Money } from '@mxflow/iso20022';
import { InputError, UsageError } from './errors';

/** Message types `mxflow sample` prints. */
export const SampleType = {
  pacs008: 'pacs.008',
  pain001: 'pain.001',
  camt056: 'camt.056',
  pacs004: 'pacs.004',
  pacs028: 'pacs.028',
  camt060: 'camt.060',
  pain013: 'pain.013',
  pain014: 'pain.014',
} as const;
/** One of {@link SampleType}. */
export type SampleType = (typeof SampleType)[keyof typeof SampleType];

/** The types that name an original payment (`--for ID`). */
export const followUps: readonly SampleType[] = [SampleType.camt056, SampleType.pacs004, SampleType.pacs028];
/** The types that name a request to pay (`--for ID`): its answer, and (pacs.008) its payment. */
export const requestFollowUps: readonly SampleType[] = [SampleType.pain014, SampleType.pacs008];
/** Every type of {@link SampleType}, in usage order. */
export const sampleTypes: readonly SampleType[] = Object.values(SampleType);

export const isSampleType = (type: string): type is SampleType => (sampleTypes as readonly string[]).includes(type);

/**
 * A sample as of `now`: its creation time and its dates are today's, so that
 * the platform's SLA clock, which starts at CreDtTm, has not run out when it
 * is submitted.
 */
export function stampedSample(xml: string, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  return xml
    .replace(/<(CreDtTm|DtTm)>[^<]*<\/\1>/g, `<$1>${now.toISOString()}</$1>`)
    .replace(/<(IntrBkSttlmDt|Dt)>\d{4}-\d{2}-\d{2}<\/\1>/g, `<$1>${today}</$1>`);
}

/** What makes one call's ids differ from every other's: the time to the second and random hex. */
export interface IdSeed {
  /** `yyyymmddHHMMSS` */
  readonly stamp: string;
  /** Upper-case hex, 6 characters. */
  readonly nonce: string;
  /** A new UETR (a UUID v4). */
  readonly uetr: () => string;
}

/** A seed from the clock and the random generator. */
export function idSeed(now: Date): IdSeed {
  return {
    stamp: now.toISOString().replace(/[^0-9]/g, '').slice(0, 14),
    nonce: randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase(),
    uetr: () => randomUUID(),
  };
}

/**
 * The template with new ids: the MsgId, and per transfer (numbered from 1 in
 * message order) the PmtInfId, InstrId, EndToEndId, TxId and UETR. Each stays
 * within Max35Text; the MsgId keeps the template's four-letter prefix (the
 * sender's bank code).
 */
export function freshIds(xml: string, seed: IdSeed): string {
  const counts = new Map<string, number>();
  const next = (name: string): number => {
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    return count;
  };
  const prefix = /<MsgId>([A-Z]{4})/.exec(xml)?.[1] ?? 'MXFL';
  const ids: Record<string, (n: number) => string> = {
    MsgId: () => `${prefix}${seed.stamp}${seed.nonce}`,
    PmtInfId: (n) => `${prefix}-PMT-${seed.stamp}-${seed.nonce}-${n}`,
    InstrId: (n) => `${prefix}-INSTR-${seed.nonce}-${n}`,
    EndToEndId: (n) => `E2E-${seed.stamp}-${seed.nonce}-${n}`,
    TxId: (n) => `${prefix}-TX-${seed.stamp}-${seed.nonce}-${n}`,
    UETR: () => seed.uetr(),
  };
  return xml.replace(/<(MsgId|PmtInfId|InstrId|EndToEndId|TxId|UETR)>[^<]*<\/\1>/g, (_match, name: string) => `<${name}>${ids[name](next(name))}</${name}>`);
}

/** A payment sample (pacs.008 or pain.001), or a request to pay (pain.013), with fresh ids, dated `now`. */
export function paymentSample(type: typeof SampleType.pacs008 | typeof SampleType.pain001 | typeof SampleType.pain013, now: Date, seed: IdSeed = idSeed(now)): string {
  return freshIds(stampedSample(readFileSync(new URL(`../samples/${type}.xml`, import.meta.url), 'utf8'), now), seed);
}

/** The references of the payment a follow-up message names: its first transfer, and the transaction's amount. */
export interface OriginalPayment extends Pick<CreditTransfer, 'instructionId' | 'endToEndId' | 'txId' | 'uetr' | 'amount' | 'settlementDate'> {
  /** `pacs.008.001.08` */
  readonly messageNameId: string;
  readonly msgId: string;
  readonly createdAt: string;
  /** The original's sender (instructing agent, else debtor agent). */
  readonly senderBic: string;
  /** The original's receiver (instructed agent, else creditor agent). */
  readonly receiverBic: string;
  /** What is left to return of the whole transaction: its amount less what was returned. */
  readonly returnable?: Money;
}

/**
 * The references of a pacs.008 as archived by the platform, named by its first
 * transfer (a camt.056, pacs.004 or pacs.028 names exactly one transaction,
 * and any of its UETRs finds it).
 *
 * @throws InputError when the XML is no pacs.008 or names no agents
 */
export function originalOf(xml: string | Uint8Array): OriginalPayment {
  let parsed;
  try {
    parsed = toJson(xml);
  } catch (error) {
    throw new InputError(`the original is not a readable message: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.messageType !== 'pacs.008') throw new InputError(`the original is a ${parsed.messageType}: name a pacs.008 (for a pain.001, one of the payments it became)`);
  const { groupHeader, transfers } = creditTransfers(parsed.document);
  const [first] = transfers;
  if (!first) throw new InputError('the original pacs.008 has no transfer');
  const senderBic = first.instructingAgentBic ?? first.debtorAgentBic;
  const receiverBic = first.instructedAgentBic ?? first.creditorAgentBic;
  if (!senderBic || !receiverBic) throw new InputError('the original pacs.008 names no instructing and instructed agents');
  return {
    messageNameId: parsed.messageId,
    msgId: groupHeader.msgId,
    createdAt: groupHeader.createdAt,
    ...(first.instructionId ? { instructionId: first.instructionId } : {}),
    endToEndId: first.endToEndId,
    ...(first.txId ? { txId: first.txId } : {}),
    ...(first.uetr ? { uetr: first.uetr } : {}),
    amount: first.amount,
    ...(first.settlementDate ? { settlementDate: first.settlementDate } : {}),
    senderBic,
    receiverBic,
  };
}

/**
 * What is left to return of a transaction as the Status API shows it
 * (`amount` less `returned`); undefined when it shows no amount.
 */
export function returnableOf(transaction: Readonly<Record<string, unknown>>): Money | undefined {
  const amountOf = (value: unknown): Money | undefined => {
    const amount = value as { value?: unknown; currency?: unknown } | undefined;
    return typeof amount?.value === 'string' && typeof amount.currency === 'string' ? money(amount.value, amount.currency) : undefined;
  };
  const total = amountOf(transaction.amount);
  if (!total) return undefined;
  const returned = amountOf(transaction.returned);
  return returned && returned.currency === total.currency ? subtractMoney(total, returned) : total;
}

const agent = (bic: string, indent: string): string => `${indent}<FinInstnId>\n${indent}  <BICFI>${bic}</BICFI>\n${indent}</FinInstnId>`;
const amountXml = (name: string, amount: Money): string => `<${name} Ccy="${amount.currency}">${formatMoney(amount)}</${name}>`;
const bankCode = (bic: string): string => bic.slice(0, 4);

/** The original's references, as a camt.056, pacs.004 and pacs.028 write them (in that schema order). */
function originalTransaction(original: OriginalPayment, indent: string): string {
  return [
    original.instructionId ? `<OrgnlInstrId>${original.instructionId}</OrgnlInstrId>` : '',
    `<OrgnlEndToEndId>${original.endToEndId}</OrgnlEndToEndId>`,
    original.txId ? `<OrgnlTxId>${original.txId}</OrgnlTxId>` : '',
    original.uetr ? `<OrgnlUETR>${original.uetr}</OrgnlUETR>` : '',
  ]
    .filter(Boolean)
    .map((line) => `${indent}${line}\n`)
    .join('');
}

const originalGroup = (original: OriginalPayment, indent: string): string =>
  `${indent}<OrgnlMsgId>${original.msgId}</OrgnlMsgId>\n${indent}<OrgnlMsgNmId>${original.messageNameId}</OrgnlMsgNmId>\n${indent}<OrgnlCreDtTm>${original.createdAt}</OrgnlCreDtTm>\n`;

/** A camt.056.001.08 from the original's sender asking its receiver to cancel it (reason DUPL). */
export function cancellationSample(original: OriginalPayment, now: Date, seed: IdSeed = idSeed(now)): string {
  const id = `${bankCode(original.senderBic)}-CXL-${seed.stamp}-${seed.nonce}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.056.001.08">
  <FIToFIPmtCxlReq>
    <Assgnmt>
      <Id>${id}</Id>
      <Assgnr>
        <Agt>
${agent(original.senderBic, '          ')}
        </Agt>
      </Assgnr>
      <Assgne>
        <Agt>
${agent(original.receiverBic, '          ')}
        </Agt>
      </Assgne>
      <CreDtTm>${now.toISOString()}</CreDtTm>
    </Assgnmt>
    <Undrlyg>
      <OrgnlGrpInfAndCxl>
${originalGroup(original, '        ')}      </OrgnlGrpInfAndCxl>
      <TxInf>
        <CxlId>${id}-1</CxlId>
${originalTransaction(original, '        ')}        ${amountXml('OrgnlIntrBkSttlmAmt', original.amount)}
${original.settlementDate ? `        <OrgnlIntrBkSttlmDt>${original.settlementDate}</OrgnlIntrBkSttlmDt>\n` : ''}        <CxlRsnInf>
          <Rsn>
            <Cd>DUPL</Cd>
          </Rsn>
          <AddtlInf>Sent twice by mistake</AddtlInf>
        </CxlRsnInf>
      </TxInf>
    </Undrlyg>
  </FIToFIPmtCxlReq>
</Document>
`;
}

/**
 * A pacs.004.001.09 from the original's receiver sending `amount` back to its
 * sender (reason AC04, account closed); by default all that is left of it.
 *
 * @throws UsageError for an amount that is not a decimal in the original's currency
 */
export function returnSample(original: OriginalPayment, now: Date, amount?: string, seed: IdSeed = idSeed(now)): string {
  let returned: Money;
  try {
    returned = amount === undefined ? (original.returnable ?? original.amount) : money(amount, original.amount.currency);
  } catch (error) {
    throw new UsageError(`--amount '${amount}' is not an amount in ${original.amount.currency}: ${(error as Error).message}`, { cause: error });
  }
  const code = bankCode(original.receiverBic);
  const msgId = `${code}${seed.stamp}${seed.nonce}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.004.001.09">
  <PmtRtr>
    <GrpHdr>
      <MsgId>${msgId}</MsgId>
      <CreDtTm>${now.toISOString()}</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      ${amountXml('TtlRtrdIntrBkSttlmAmt', returned)}
      <IntrBkSttlmDt>${now.toISOString().slice(0, 10)}</IntrBkSttlmDt>
      <SttlmInf>
        <SttlmMtd>CLRG</SttlmMtd>
      </SttlmInf>
      <InstgAgt>
${agent(original.receiverBic, '        ')}
      </InstgAgt>
      <InstdAgt>
${agent(original.senderBic, '        ')}
      </InstdAgt>
    </GrpHdr>
    <TxInf>
      <RtrId>${code}-RTR-${seed.stamp}-${seed.nonce}</RtrId>
      <OrgnlGrpInf>
${originalGroup(original, '        ')}      </OrgnlGrpInf>
${originalTransaction(original, '      ')}      ${amountXml('OrgnlIntrBkSttlmAmt', original.amount)}
${original.settlementDate ? `      <OrgnlIntrBkSttlmDt>${original.settlementDate}</OrgnlIntrBkSttlmDt>\n` : ''}      ${amountXml('RtrdIntrBkSttlmAmt', returned)}
      <ChrgBr>SLEV</ChrgBr>
      <RtrRsnInf>
        <Rsn>
          <Cd>AC04</Cd>
        </Rsn>
        <AddtlInf>Account closed</AddtlInf>
      </RtrRsnInf>
    </TxInf>
  </PmtRtr>
</Document>
`;
}

/** A pacs.028.001.03 from the original's sender asking its receiver for the payment's status. */
export function statusRequestSample(original: OriginalPayment, now: Date, seed: IdSeed = idSeed(now)): string {
  const code = bankCode(original.senderBic);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.028.001.03">
  <FIToFIPmtStsReq>
    <GrpHdr>
      <MsgId>${code}${seed.stamp}${seed.nonce}</MsgId>
      <CreDtTm>${now.toISOString()}</CreDtTm>
      <InstgAgt>
${agent(original.senderBic, '        ')}
      </InstgAgt>
      <InstdAgt>
${agent(original.receiverBic, '        ')}
      </InstdAgt>
    </GrpHdr>
    <OrgnlGrpInf>
${originalGroup(original, '      ')}    </OrgnlGrpInf>
    <TxInf>
      <StsReqId>${code}-STS-${seed.stamp}-${seed.nonce}</StsReqId>
${originalTransaction(original, '      ')}      <OrgnlTxRef>
        ${amountXml('IntrBkSttlmAmt', original.amount)}
${original.settlementDate ? `        <IntrBkSttlmDt>${original.settlementDate}</IntrBkSttlmDt>\n` : ''}      </OrgnlTxRef>
    </TxInf>
  </FIToFIPmtStsReq>
</Document>
`;
}

/** The report messages a camt.060 may ask for. */
export const reportMessages = { 'camt.052': 'camt.052.001.08', 'camt.053': 'camt.053.001.08' } as const;

/** What a camt.060 sample asks for. */
export interface ReportRequestSpec {
  /** camt.052 (account report, the default) or camt.053 (statement). */
  readonly report?: string;
  /** The settlement account's currency: the request names that account (`<entity id>/<currency>`); every account without it. */
  readonly currency?: string;
  /** The requester's entity id and BIC: the demo participant Alpha by default. */
  readonly entityId?: string;
  readonly bic?: string;
}

/**
 * A camt.060.001.05 from Alpha asking for a camt.052 or camt.053 of today, so
 * far: of its settlement account in `currency`, or of every one it holds.
 */
export function reportRequestSample(spec: ReportRequestSpec, now: Date, seed: IdSeed = idSeed(now)): string {
  const report = spec.report ?? 'camt.052';
  const requested = reportMessages[report as keyof typeof reportMessages];
  if (!requested) throw new UsageError(`--report takes ${Object.keys(reportMessages).join(' or ')}, not '${report}'`);
  if (spec.currency !== undefined && !/^[A-Z]{3}$/.test(spec.currency)) throw new UsageError(`--currency takes an ISO 4217 code such as EUR, not '${spec.currency}'`);
  const bic = spec.bic ?? 'ALPHDEFFXXX';
  const code = bankCode(bic);
  const account = spec.currency
    ? `      <Acct>
        <Id>
          <Othr>
            <Id>${spec.entityId ?? 'ent-alpha'}/${spec.currency}</Id>
            <SchmeNm>
              <Prtry>SETTLEMENT</Prtry>
            </SchmeNm>
          </Othr>
        </Id>
        <Ccy>${spec.currency}</Ccy>
      </Acct>
`
    : '';
  const today = now.toISOString().slice(0, 10);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.060.001.05">
  <AcctRptgReq>
    <GrpHdr>
      <MsgId>${code}${seed.stamp}${seed.nonce}</MsgId>
      <CreDtTm>${now.toISOString()}</CreDtTm>
    </GrpHdr>
    <RptgReq>
      <Id>${code}-RPT-${seed.stamp}-${seed.nonce}</Id>
      <ReqdMsgNmId>${requested}</ReqdMsgNmId>
${account}      <AcctOwnr>
        <Agt>
${agent(bic, '          ')}
        </Agt>
      </AcctOwnr>
      <RptgPrd>
        <FrToDt>
          <FrDt>${today}</FrDt>
          <ToDt>${today}</ToDt>
        </FrToDt>
        <Tp>ALLL</Tp>
      </RptgPrd>
    </RptgReq>
  </AcctRptgReq>
</Document>
`;
}

/** The follow-up of `type` naming `original`. */
export function followUpSample(type: SampleType, original: OriginalPayment, now: Date, amount?: string): string {
  if (amount !== undefined && type !== SampleType.pacs004) throw new UsageError('--amount is for a pacs.004 sample only');
  switch (type) {
    case SampleType.camt056:
      return cancellationSample(original, now);
    case SampleType.pacs004:
      return returnSample(original, now, amount);
    case SampleType.pacs028:
      return statusRequestSample(original, now);
    default:
      throw new UsageError(`a ${type} sample names no original: drop --for`);
  }
}

/** What a pain.014 or a pacs.008 takes from the request to pay it answers or pays: its ids, amount, agents and parties. */
export interface RequestToPay {
  readonly msgId: string;
  readonly createdAt: string;
  readonly paymentInformationId: string;
  readonly instructionId?: string;
  readonly endToEndId: string;
  readonly uetr?: string;
  readonly amount: Money;
  readonly debtorAgentBic: string;
  readonly creditorAgentBic: string;
  readonly debtorName?: string;
  readonly creditorName?: string;
}

/**
 * The request to pay of an archived pain.013 (its first transfer).
 *
 * @throws InputError when the XML is no pain.013 or names no agents
 */
export function requestOf(xml: string | Uint8Array): RequestToPay {
  let parsed;
  try {
    parsed = toJson(xml);
  } catch (error) {
    throw new InputError(`the request is not a readable message: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.messageType !== 'pain.013') throw new InputError(`--for names a ${parsed.messageType}: name a request to pay (pain.013)`);
  const read = paymentRequests(parsed.document);
  const [first] = read.requests;
  if (!first?.debtorAgentBic || !first.creditorAgentBic) throw new InputError('the request to pay names no debtor and creditor agents');
  return {
    msgId: read.msgId,
    createdAt: read.creationDateTime,
    paymentInformationId: first.paymentInformationId,
    ...(first.instructionId ? { instructionId: first.instructionId } : {}),
    endToEndId: first.endToEndId,
    ...(first.uetr ? { uetr: first.uetr } : {}),
    amount: first.amount,
    debtorAgentBic: first.debtorAgentBic,
    creditorAgentBic: first.creditorAgentBic,
    ...(first.debtorName ? { debtorName: first.debtorName } : {}),
    ...(first.creditorName ? { creditorName: first.creditorName } : {}),
  };
}

const xmlText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A pain.014.001.07 from the request's debtor agent: ACCP, or RJCT with the
 * reason `reject` (an ExternalStatusReason1Code such as AC04 or AM04).
 */
export function requestAnswerSample(request: RequestToPay, now: Date, reject?: string, seed: IdSeed = idSeed(now)): string {
  if (reject !== undefined && !/^[A-Z0-9]{4}$/.test(reject)) throw new UsageError(`--reject takes a four-character reason code such as AC04, not '${reject}'`);
  const code = bankCode(request.debtorAgentBic);
  const status = reject
    ? `          <TxSts>RJCT</TxSts>
          <StsRsnInf>
            <Rsn>
              <Cd>${reject}</Cd>
            </Rsn>
          </StsRsnInf>
`
    : `          <TxSts>ACCP</TxSts>
`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.014.001.07">
  <CdtrPmtActvtnReqStsRpt>
    <GrpHdr>
      <MsgId>${code}${seed.stamp}${seed.nonce}</MsgId>
      <CreDtTm>${now.toISOString()}</CreDtTm>
      <InitgPty>
        <Id>
          <OrgId>
            <AnyBIC>${request.debtorAgentBic}</AnyBIC>
          </OrgId>
        </Id>
      </InitgPty>
      <DbtrAgt>
${agent(request.debtorAgentBic, '        ')}
      </DbtrAgt>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>${request.msgId}</OrgnlMsgId>
      <OrgnlMsgNmId>pain.013.001.07</OrgnlMsgNmId>
      <OrgnlCreDtTm>${request.createdAt}</OrgnlCreDtTm>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>${request.paymentInformationId}</OrgnlPmtInfId>
      <TxInfAndSts>
${request.instructionId ? `        <OrgnlInstrId>${request.instructionId}</OrgnlInstrId>
` : ''}        <OrgnlEndToEndId>${request.endToEndId}</OrgnlEndToEndId>
${request.uetr ? `        <OrgnlUETR>${request.uetr}</OrgnlUETR>
` : ''}${status.replace(/^ {10}/gm, '        ')}      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CdtrPmtActvtnReqStsRpt>
</Document>
`;
}

/**
 * The pacs.008.001.08 that pays an accepted request to pay: from its debtor
 * agent to its creditor agent, with its UETR, EndToEndId and amount, so that
 * the platform links the two.
 */
export function paymentForRequestSample(request: RequestToPay, now: Date, seed: IdSeed = idSeed(now)): string {
  const code = bankCode(request.debtorAgentBic);
  const today = now.toISOString().slice(0, 10);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">
  <FIToFICstmrCdtTrf>
    <GrpHdr>
      <MsgId>${code}${seed.stamp}${seed.nonce}</MsgId>
      <CreDtTm>${now.toISOString()}</CreDtTm>
      <NbOfTxs>1</NbOfTxs>
      ${amountXml('TtlIntrBkSttlmAmt', request.amount)}
      <IntrBkSttlmDt>${today}</IntrBkSttlmDt>
      <SttlmInf>
        <SttlmMtd>CLRG</SttlmMtd>
      </SttlmInf>
      <InstgAgt>
${agent(request.debtorAgentBic, '        ')}
      </InstgAgt>
      <InstdAgt>
${agent(request.creditorAgentBic, '        ')}
      </InstdAgt>
    </GrpHdr>
    <CdtTrfTxInf>
      <PmtId>
        <InstrId>${code}-INSTR-${seed.nonce}-1</InstrId>
        <EndToEndId>${request.endToEndId}</EndToEndId>
        <TxId>${code}-TX-${seed.stamp}-${seed.nonce}-1</TxId>
${request.uetr ? `        <UETR>${request.uetr}</UETR>
` : ''}      </PmtId>
      ${amountXml('IntrBkSttlmAmt', request.amount)}
      <ChrgBr>SLEV</ChrgBr>
      <Dbtr>
        <Nm>${xmlText(request.debtorName ?? 'Debtor')}</Nm>
      </Dbtr>
      <DbtrAgt>
${agent(request.debtorAgentBic, '        ')}
      </DbtrAgt>
      <CdtrAgt>
${agent(request.creditorAgentBic, '        ')}
      </CdtrAgt>
      <Cdtr>
        <Nm>${xmlText(request.creditorName ?? 'Creditor')}</Nm>
      </Cdtr>
    </CdtTrfTxInf>
  </FIToFICstmrCdtTrf>
</Document>
`;
}
