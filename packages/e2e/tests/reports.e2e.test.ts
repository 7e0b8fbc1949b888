import { existsSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { defaultComposeFile, localClientConfig, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { formatMoney, toJson } from '@mxflow/iso20022';
import { DynamoDbLedger } from '@mxflow/store';
import { officialXsdProblems } from '../../iso20022/tests/responses/official-xsd';
import { officialXsdDir } from '../../iso20022/tests/support/paths';
import { call, mxflow, paymentXml, submit, waitForFinal } from '../src';

const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const BETA = { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' };
const GAMMA = { entityId: 'ent-gamma', bic: 'GAMMGB2LXXX', clientId: 'gamma-bank' };
type Party = typeof ALPHA;
const SCOPES = 'payments/write payments/read';

type Json = Record<string, unknown>;
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : value === undefined ? [] : [value as Json]);
const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key], value);

/** A report's account statement or report, from its JSON form. */
function reportBody(document: Json): Json {
  const root = (document.BkToCstmrStmt ?? document.BkToCstmrAcctRpt) as Json;
  const [body] = asArray(root.Stmt ?? root.Rpt);
  return body;
}

/** Minor units of an `Amt` element (`{ value, Ccy }`), signed by its CdtDbtInd. */
function signedMinor(amount: unknown, indicator: unknown): bigint {
  const text = String(at(amount, 'value') ?? amount);
  const [units, decimals = ''] = text.split('.');
  const minor = BigInt(units) * 100n + BigInt(decimals.padEnd(2, '0').slice(0, 2));
  return indicator === 'DBIT' ? -minor : minor;
}

describe('account reports (camt.060 → camt.052, camt.053) on the local platform', () => {
  let platform: LocalPlatform;
  let dynamodb: DynamoDBClient;
  let ledger: DynamoDbLedger;
  const tokens: Record<string, string> = {};
  /** The business day closes this soon after the platform starts: its statements come during the test. */
  const cutoffAt = new Date(Date.now() + 100_000);
  /** The date of the business day that closes then. */
  const businessDay = new Date(cutoffAt.getTime() - 1).toISOString().slice(0, 10);
  let payments: (ReturnType<typeof paymentXml> & { from: Party; to: Party; amount: string })[] = [];

  beforeAll(async () => {
    platform = await startPlatform({
      namePrefix: 'mxflow-e2e-reports',
      composeFile: defaultComposeFile,
      apiPort: 0,
      serviceEnv: { MXFLOW_STATEMENT_CUTOFF: cutoffAt.toISOString().slice(11, 19) },
    });
    const { cloud } = platform;
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    ledger = new DynamoDbLedger({ client: dynamodb, tableName: cloud.tables.liquidity_table });
    for (const party of [ALPHA, BETA, GAMMA]) tokens[party.entityId] = await requestAccessToken(cloud, party.clientId, SCOPES);
    // Alpha hears of each of its postings (camt.054); Beta does not.
    const operator = await requestAccessToken(cloud, 'platform-operator', 'payments/admin');
    const entity = await call(`${platform.api}/v1/admin/entities/${ALPHA.entityId}`, { token: operator });
    const switched = await call(`${platform.api}/v1/admin/entities/${ALPHA.entityId}`, { method: 'PATCH', token: operator, headers: { 'content-type': 'application/json', 'if-match': `"${String(entity.body.version)}"` }, body: JSON.stringify({ notifications: ['camt.054'] }) });
    expect({ status: switched.status, notifications: switched.body.notifications }).toEqual({ status: 200, notifications: ['camt.054'] });
  }, 180_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await platform?.stop();
  }, 60_000);

  /** Submits `xml` as `party` and waits until it is final with `outgoing` messages out. */
  async function settle(party: Party, xml: string, outgoing: number): Promise<Json> {
    const answer = await submit(platform.api, tokens[party.entityId], xml);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 202 });
    return waitForFinal(platform.api, tokens[party.entityId], String(answer.body.transactionId), { timeoutMs: 20_000, outgoing });
  }

  /** Polls a transaction until it has `step`. */
  async function waitForStep(transactionId: string, step: string): Promise<{ steps: { step: string }[] }> {
    const until = Date.now() + 20_000;
    for (;;) {
      const view = await call(`${platform.api}/v1/transactions/${transactionId}`, { token: tokens[ALPHA.entityId] });
      const steps = (view.body.steps as { step: string }[] | undefined) ?? [];
      if (steps.some((candidate) => candidate.step === step)) return { steps };
      if (Date.now() > until) throw new Error(`${transactionId} has no step ${step}: ${JSON.stringify(view.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every outgoing message of a transaction addressed to `party`, as XML, by archive key. */
  async function outgoingMessages(transactionId: string, party: Party): Promise<{ messageType: string; xml: string }[]> {
    const list = await call(`${platform.api}/v1/transactions/${transactionId}/messages`, { token: tokens[party.entityId] });
    expect(list.status).toBe(200);
    const found = [];
    for (const message of asArray(list.body.messages)) {
      const link = at(message, 'links', 'content');
      // Only those addressed to the party have a link to their content.
      if (message.direction !== 'outgoing' || typeof link !== 'string') continue;
      const response = await fetch(`${platform.api}${link}`, { headers: { authorization: `Bearer ${tokens[party.entityId]}`, accept: 'application/xml' } });
      expect(response.status).toBe(200);
      found.push({ messageType: String(message.messageType), xml: await response.text() });
    }
    return found;
  }

  /** A camt.060 from Alpha, made by the CLI's sample command. */
  async function reportRequest(args: readonly string[]): Promise<string> {
    const run = await mxflow(['sample', 'camt.060', ...args], {});
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    return run.stdout;
  }

  it('answers with a report and a statement that hold each payment of the day, opening plus entries giving the closing balance', async () => {
    payments = [
      { from: ALPHA, to: BETA, amount: '12.34' },
      { from: BETA, to: ALPHA, amount: '5.00' },
      { from: ALPHA, to: GAMMA, amount: '7.89' },
      { from: ALPHA, to: BETA, amount: '3.21' },
    ].map((spec) => ({ ...spec, ...paymentXml({ fromBic: spec.from.bic, toBic: spec.to.bic, amount: spec.amount }) }));
    const settled = [];
    for (const payment of payments) {
      const final = await settle(payment.from, payment.xml, 2);
      expect(final).toMatchObject({ status: 'ACSC' });
      settled.push({ ...payment, transactionId: String(final.transactionId) });
    }
    // Each of Alpha's postings is notified to Alpha (a camt.054 with its debit or credit); Beta's are not notified.
    for (const payment of settled) {
      const name = `camt.054.${payment.from === ALPHA ? 'DBIT' : 'CRDT'}`;
      const view = await waitForStep(payment.transactionId, `outgoing#${name}`);
      expect(view.steps.filter((step) => step.step.startsWith('outgoing#camt.054')).map((step) => step.step)).toEqual([`outgoing#${name}`]);
      const notices = (await outgoingMessages(payment.transactionId, ALPHA)).filter((message) => message.messageType === 'camt.054');
      expect(notices).toHaveLength(1);
      if (existsSync(officialXsdDir)) expect(officialXsdProblems(notices[0]!.xml)).toEqual([]);
      expect(notices[0]!.xml).toContain(`<UETR>${payment.uetr}</UETR>`);
      expect(notices[0]!.xml).toContain(`<CdtDbtInd>${payment.from === ALPHA ? 'DBIT' : 'CRDT'}</CdtDbtInd>`);
      expect((await outgoingMessages(payment.transactionId, payment.from === ALPHA ? payment.to : payment.from)).filter((message) => message.messageType === 'camt.054')).toEqual([]);
    }

    const expectEntries = (xml: string, messageId: string) => {
      if (existsSync(officialXsdDir)) expect(officialXsdProblems(xml)).toEqual([]);
      const parsed = toJson(xml);
      expect(parsed.messageId).toBe(messageId);
      const body = reportBody(parsed.document as Json);
      expect(at(body, 'Acct', 'Id', 'Othr', 'Id')).toBe('ent-alpha/EUR');
      const entries = asArray(body.Ntry);
      for (const payment of payments) {
        const entry = entries.find((candidate) => asArray(at(candidate, 'NtryDtls'))
          .flatMap((details) => asArray(details.TxDtls))
          .some((transaction) => at(transaction, 'Refs', 'UETR') === payment.uetr));
        expect({ uetr: payment.uetr, found: entry !== undefined }).toEqual({ uetr: payment.uetr, found: true });
        expect(at(entry, 'CdtDbtInd')).toBe(payment.from === ALPHA ? 'DBIT' : 'CRDT');
        expect(at(entry, 'Amt', 'value')).toBe(payment.amount);
        expect(at(entry, 'Sts', 'Cd')).toBe('BOOK');
        expect(asArray(at(entry, 'NtryDtls')).flatMap((details) => asArray(details.TxDtls)).map((transaction) => at(transaction, 'Refs', 'EndToEndId'))).toContain(payment.endToEndId);
      }
      const balances = asArray(body.Bal);
      const balance = (code: string): bigint => {
        const found = balances.find((candidate) => at(candidate, 'Tp', 'CdOrPrtry', 'Cd') === code);
        expect({ code, found: found !== undefined }).toEqual({ code, found: true });
        return signedMinor(at(found, 'Amt'), at(found, 'CdtDbtInd'));
      };
      const closingCode = messageId.startsWith('camt.053') ? 'CLBD' : 'ITBD';
      const movement = entries.reduce((sum, entry) => sum + signedMinor(at(entry, 'Amt'), at(entry, 'CdtDbtInd')), 0n);
      expect(balance('OPBD') + movement).toBe(balance(closingCode));
      return balance(closingCode);
    };

    // A report of Alpha's EUR account.
    const asked = await settle(ALPHA, await reportRequest(['--report', 'camt.052', '--currency', 'EUR']), 1);
    expect(asked).toMatchObject({ status: 'ANSW', messageType: 'camt.060' });
    const [report, ...others] = await outgoingMessages(String(asked.transactionId), ALPHA);
    expect(others).toEqual([]);
    expect(report.messageType).toBe('camt.052');
    const closing = expectEntries(report.xml, 'camt.052.001.08');
    // Nothing moved since: the closing balance is the ledger's.
    const now = await ledger.balance(ALPHA.entityId, 'EUR');
    expect(formatMoney({ minor: closing, currency: 'EUR', exponent: 2 })).toBe(formatMoney(now!));

    // A statement of every account Alpha holds: one per currency.
    const statements = await settle(ALPHA, await reportRequest(['--report', 'camt.053']), 3);
    const sent = await outgoingMessages(String(statements.transactionId), ALPHA);
    expect(sent.map((message) => message.messageType)).toEqual(['camt.053', 'camt.053', 'camt.053']);
    const currencies = sent.map((message) => at(reportBody(toJson(message.xml).document as Json), 'Acct', 'Ccy'));
    expect([...currencies].sort()).toEqual(['EUR', 'GBP', 'USD']);
    const euro = sent.find((message) => message.xml.includes('<Ccy>EUR</Ccy>'))!;
    expect(expectEntries(euro.xml, 'camt.053.001.08')).toBe(closing);
    for (const message of sent) if (existsSync(officialXsdDir)) expect(officialXsdProblems(message.xml)).toEqual([]);
  }, 120_000);

  it('writes each participant’s statement once the business day closes, served by the Status API', async () => {
    expect(payments).toHaveLength(4);
    // The payments were made before the cut-off (the platform started in time), so the closed day holds them.
    expect(Date.now()).toBeLessThan(cutoffAt.getTime());
    let listed: Json[] = [];
    const until = Date.now() + 150_000;
    while (listed.length === 0) {
      if (Date.now() > until) throw new Error(`no statement of ${businessDay} by ${new Date().toISOString()} (cut-off ${cutoffAt.toISOString()})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const answer = await call(`${platform.api}/v1/statements?date=${businessDay}&currency=EUR`, { token: tokens[ALPHA.entityId] });
      expect(answer.status).toBe(200);
      listed = asArray(answer.body.items);
    }
    expect(listed).toEqual([expect.objectContaining({ date: businessDay, currency: 'EUR', messageType: 'camt.053' })]);
    const response = await fetch(`${platform.api}${String(at(listed[0], 'links', 'content'))}`, { headers: { authorization: `Bearer ${tokens[ALPHA.entityId]}` } });
    expect(response.status).toBe(200);
    const xml = await response.text();
    if (existsSync(officialXsdDir)) expect(officialXsdProblems(xml)).toEqual([]);
    const body = reportBody(toJson(xml).document as Json);
    const uetrs = asArray(body.Ntry).flatMap((entry) => asArray(at(entry, 'NtryDtls')).flatMap((details) => asArray(details.TxDtls)).map((transaction) => at(transaction, 'Refs', 'UETR')));
    for (const payment of payments) expect(uetrs).toContain(payment.uetr);
    const closing = asArray(body.Bal).find((balance) => at(balance, 'Tp', 'CdOrPrtry', 'Cd') === 'CLBD');
    const balance = await ledger.balance(ALPHA.entityId, 'EUR');
    expect(String(at(closing, 'Amt', 'value'))).toBe(formatMoney(balance!));
    // Beta's are its own: Alpha may not read them, Beta may.
    const other = await call(`${platform.api}/v1/statements?date=${businessDay}&participant=${BETA.entityId}`, { token: tokens[ALPHA.entityId] });
    expect(other.status).toBe(400);
    const beta = await call(`${platform.api}/v1/statements?date=${businessDay}`, { token: tokens[BETA.entityId] });
    expect(asArray(beta.body.items).map((item) => item.currency)).toEqual(['EUR', 'GBP', 'USD']);
  }, 180_000);

  it('refuses a report on an account that is not the requester’s (AC01), sending nothing', async () => {
    const request = (await reportRequest(['--currency', 'EUR'])).replace('<Id>ent-alpha/EUR</Id>', '<Id>ent-beta/EUR</Id>');
    const refused = await settle(ALPHA, request, 0);
    expect(refused).toMatchObject({ status: 'RJCT', reasonCode: 'AC01' });
    expect(await outgoingMessages(String(refused.transactionId), ALPHA)).toEqual([]);
  }, 60_000);
});
