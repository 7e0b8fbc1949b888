import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { defaultComposeFile, localClientConfig, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { call, mxflow, paymentXml, returnXml, submit, waitForFinal } from '../src';

const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const BETA = { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' };
const OPERATOR = { clientId: 'platform-operator' };
const SCOPES = 'payments/write payments/read';

interface Mismatch {
  readonly check: string;
  readonly subject: string;
  readonly expected: string;
  readonly actual: string;
  readonly detail: string;
}

interface Reconciliation {
  readonly balanced: boolean;
  readonly date: string;
  readonly checked: Record<string, number>;
  readonly mismatches: readonly Mismatch[];
}

describe('mxflow admin reconcile on the local platform', () => {
  let platform: LocalPlatform;
  let dynamodb: DynamoDBClient;
  let env: Record<string, string>;
  const tokens: Record<string, string> = {};
  const today = new Date().toISOString().slice(0, 10);
  /** What the platform reports of itself: a scheduled run that fails says so here. */
  const reported: string[] = [];

  /** Runs `mxflow admin reconcile --json` as the operator: its exit code and the one JSON object it printed. */
  async function reconcile(...args: string[]): Promise<{ status: number | null; result: Reconciliation; stdout: string; stderr: string }> {
    const run = await mxflow(['admin', 'reconcile', '--date', today, '--json', ...args], env);
    return { ...run, result: (run.stdout ? JSON.parse(run.stdout) : {}) as Reconciliation };
  }

  /** Submits `xml` as the party and waits until it is final with its `outgoing` messages out. */
  async function settle(party: typeof ALPHA, xml: string, outgoing: number): Promise<Record<string, unknown>> {
    const answer = await submit(platform.api, tokens[party.entityId], xml);
    expect(answer.status).toBe(202);
    return waitForFinal(platform.api, tokens[party.entityId], String(answer.body.transactionId), { timeoutMs: 20_000, outgoing });
  }

  beforeAll(async () => {
    platform = await startPlatform({ namePrefix: 'mxflow-e2e-reconcile', composeFile: defaultComposeFile, apiPort: 0, output: (line) => reported.push(line) });
    const { cloud } = platform;
    dynamodb = new DynamoDBClient(localClientConfig(cloud.endpoints.dynamodb));
    for (const party of [ALPHA, BETA]) tokens[party.entityId] = await requestAccessToken(cloud, party.clientId, SCOPES);
    const operator = cloud.seed.operators.find((client) => client.clientId === OPERATOR.clientId);
    env = {
      MXFLOW_READY_FILE: '/nonexistent/ready.json',
      MXFLOW_API: platform.api,
      MXFLOW_TOKEN_URL: cloud.endpoints.tokenUrl,
      MXFLOW_AUDIENCE: cloud.endpoints.audience,
      MXFLOW_CLIENT_ID: OPERATOR.clientId,
      MXFLOW_CLIENT_SECRET: operator?.clientSecret ?? '',
    };
  }, 240_000);

  afterAll(async () => {
    dynamodb?.destroy();
    await platform?.stop();
  }, 60_000);

  it('proves a day of payments and a return balanced, then names a stray posting and an edited balance', async () => {
    // Two payments each way and a partial return, every one settled with its answers out.
    const first = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '125.00' });
    const paid = await settle(ALPHA, first.xml, 2);
    expect(paid).toMatchObject({ status: 'ACSC' });
    expect(await settle(BETA, paymentXml({ fromBic: BETA.bic, toBic: ALPHA.bic, amount: '7.50' }).xml, 2)).toMatchObject({ status: 'ACSC' });
    expect(await settle(BETA, returnXml({ fromBic: BETA.bic, toBic: ALPHA.bic, original: first, amount: '25.00' }).xml, 2)).toMatchObject({ status: 'ACSC' });

    const balanced = await reconcile();
    expect({ status: balanced.status, stderr: balanced.stderr, mismatches: balanced.result.mismatches }).toEqual({ status: 0, stderr: '', mismatches: [] });
    expect(balanced.result).toMatchObject({ balanced: true, date: today });
    // The seeded openings' balances, the two payments and the return, and each one's messages in and out, with digests.
    expect(balanced.result.checked).toMatchObject({ transfers: 2, returns: 1, archiveExistenceOnly: 0 });
    expect(balanced.result.checked.balances).toBeGreaterThanOrEqual(2);
    expect(balanced.result.checked.archivedMessages).toBeGreaterThanOrEqual(9);
    expect(balanced.result.checked.archiveDigests).toBe(balanced.result.checked.archivedMessages);

    // The same check as a table: one line per field, and the exit code the same.
    const table = await mxflow(['admin', 'reconcile', '--date', today], env);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^balanced\s+true$/m);

    // A credit posting nobody settled, written behind the ledger's back (the balance item untouched).
    const liquidity = platform.cloud.tables.liquidity_table;
    const stray = `stray-${randomUUID()}`;
    await dynamodb.send(
      new PutItemCommand({
        TableName: liquidity,
        Item: {
          entityId: { S: BETA.entityId },
          entry: { S: `POSTING#EUR#${stray}#credit` },
          currency: { S: 'EUR' },
          exponent: { N: '2' },
          minor: { N: '1000' },
          transactionId: { S: stray },
          leg: { S: 'credit' },
          timestamp: { S: new Date().toISOString() },
        },
      }),
    );
    const strayed = await reconcile();
    expect(strayed.status).toBe(1);
    expect(strayed.result.balanced).toBe(false);
    expect(strayed.result.mismatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ check: 'stray-posting', subject: `posting/${BETA.entityId}/EUR/${stray}/credit`, actual: `credit 10.00 EUR on ${BETA.entityId}` }),
        expect.objectContaining({ check: 'zero-sum', subject: 'currency/EUR', expected: '0.00 EUR', actual: '10.00 EUR' }),
        expect.objectContaining({ check: 'balance', subject: `balance/${BETA.entityId}/EUR` }),
      ]),
    );
    expect(strayed.result.mismatches.filter((mismatch) => mismatch.subject === `balance/${ALPHA.entityId}/EUR`)).toEqual([]);

    // Alpha's balance item edited by hand: 1.00 more than its postings say.
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: liquidity,
        Key: { entityId: { S: ALPHA.entityId }, entry: { S: 'BALANCE#EUR' } },
        UpdateExpression: 'SET balanceMinor = balanceMinor + :one',
        ExpressionAttributeValues: { ':one': { N: '100' } },
      }),
    );
    const edited = await reconcile();
    expect(edited.status).toBe(1);
    const alpha = edited.result.mismatches.find((mismatch) => mismatch.subject === `balance/${ALPHA.entityId}/EUR`);
    expect(alpha).toMatchObject({ check: 'balance' });
    const [expected, actual] = [alpha?.expected, alpha?.actual].map((text) => Math.round(Number.parseFloat(text ?? '') * 100));
    expect(actual - expected).toBe(100);

    // A date that is not one is refused, naming the field.
    const refused = await mxflow(['admin', 'reconcile', '--date', '2026-02-30'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('"path": "date"');
    expect(refused.stderr).toContain('DT01');
    // Participants may not reconcile.
    const forbidden = await call(`${platform.api}/v1/admin/reconciliation`, { token: tokens[ALPHA.entityId] });
    expect(forbidden.status).toBe(403);
    // The daily run is among the schedules the platform runs locally, every second here: it reconciles the day before
    // once and then answers when it is next due, without a failure to report.
    expect(reported.filter((line) => line.startsWith('[schedule]') && line.includes('reconcileDaily'))).toEqual([]);
  }, 100_000);
});
