import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildConsole, consoleSourcesNewerThan } from '@mxflow/console/build';
import { defaultComposeFile, localClientConfig, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { DynamoDbDeadLetterStore } from '@mxflow/store';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { call, cancellationXml, initiationXml, paymentXml, probeDeadLetter, statusRequestXml, submit, waitForFinal } from '../src';

const CHROMIUM = '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts/console');
const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const BETA = { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' };
const GAMMA = { clientId: 'gamma-bank' };
const OPERATOR = { clientId: 'platform-operator' };

/** Debian's Chromium drives the pages; nothing downloads a browser of its own. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  execFileSync('bash', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], { stdio: 'inherit' });
}

describe('the operations console in a browser', () => {
  let platform: LocalPlatform;
  let browser: Browser;
  let consoleUrl: string;
  const contexts: BrowserContext[] = [];
  let paymentId: string;
  let signInChecked = false;

  const secretOf = (clientId: string): string => {
    const client = [...platform.cloud.seed.participants, ...platform.cloud.seed.operators].find((candidate) => candidate.clientId === clientId);
    if (!client) throw new Error(`no seeded client ${clientId}`);
    return client.clientSecret;
  };

  /** A fresh browser (tokens live in the page's memory only), signed in as `clientId`. */
  const signIn = async (clientId: string, route = '#/transactions'): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${consoleUrl}${route}`);
    await page.getByLabel('Client id').waitFor();
    if (!signInChecked) {
      signInChecked = true;
      await screenshot(page, 'sign-in');
    }
    await page.getByLabel('Client id').fill(clientId);
    await page.getByLabel('Client secret').fill(secretOf(clientId));
    await page.getByRole('button', { name: 'Sign in' }).click();
    try {
      await page.getByTestId('signed-in-as').waitFor();
    } catch (error) {
      throw new Error(`${clientId} is not signed in; the page says: ${(await page.getByRole('alert').allTextContents()).join(' / ')}`, { cause: error });
    }
    return page;
  };

  /** Keeps a picture of the page, after axe-core finds no serious or critical accessibility violation on it (WCAG 2.1 AA). */
  const screenshot = async (page: Page, name: string) => {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(options: object): Promise<{ violations: { id: string; impact?: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
    });
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  const submitThroughPage = async (page: Page, xml: string): Promise<string> => {
    await page.getByRole('link', { name: 'Submit' }).click();
    await page.getByLabel('ISO 20022 message (XML)').fill(xml);
    await page.getByRole('button', { name: 'Send' }).click();
    const link = page.getByTestId('submitted-link');
    await link.waitFor();
    const id = /([0-9a-f-]{36})$/.exec((await link.textContent()) ?? '')?.[1];
    if (!id) throw new Error(`no transaction id in '${await link.textContent()}'`);
    return id;
  };

  beforeAll(async () => {
    ensureChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
    if (await consoleSourcesNewerThan()) await buildConsole();
    platform = await startPlatform({ namePrefix: 'mxflow-e2e-console', composeFile: defaultComposeFile, apiPort: 0 });
    consoleUrl = `${platform.api}/console/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 600_000);

  afterAll(async () => {
    if (platform) {
      // Whatever happened, Beta leaves active.
      const admin = await requestAccessToken(platform.cloud, OPERATOR.clientId, 'payments/admin').catch(() => undefined);
      if (admin) await call(`${platform.api}/v1/admin/entities/${BETA.entityId}/reinstate`, { method: 'POST', token: admin }).catch(() => undefined);
    }
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it("shows the token endpoint's refusal of a wrong secret at once, then signs in with one token request", async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const tokenAnswers: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('/oauth2/token')) tokenAnswers.push(response.status());
    });
    await page.goto(`${consoleUrl}#/transactions`);
    await page.getByLabel('Client id').fill(ALPHA.clientId);
    await page.getByLabel('Client secret').fill('not-the-secret');
    const started = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The client id or secret is wrong.' }).waitFor({ timeout: 3_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(page.getByRole('button', { name: 'Sign in' }).isEnabled()).resolves.toBe(true);
    expect(tokenAnswers).toEqual([401]);

    await page.getByLabel('Client secret').fill(secretOf(ALPHA.clientId));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    // The right secret: one request, granted; no scope set tried and refused first.
    expect(tokenAnswers).toEqual([401, 200]);
  });

  it('signs Alpha in, submits a pacs.008 to Beta on the Submit page, and follows it to ACSC on the timeline', async () => {
    const page = await signIn(ALPHA.clientId);
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '1234.50' });
    paymentId = await submitThroughPage(page, payment.xml);
    await screenshot(page, 'submit');

    await page.getByTestId('submitted-link').click();
    await page.locator('[data-testid="timeline-step"][data-status="ACSC"]').first().waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('transaction-status').textContent()).resolves.toContain('ACSC');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(paymentId);
    // Every step has a millisecond timestamp.
    for (const time of await page.locator('[data-testid="timeline-step"] time').allTextContents()) expect(time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$/);
    await expect(page.locator('dd .amount').first().textContent()).resolves.toBe('1,234.50 EUR');

    await page.getByRole('link', { name: 'Transactions' }).click();
    await page.locator(`[data-testid="transactions-row"][data-row-id="${paymentId}"]`).waitFor();
    await screenshot(page, 'transactions');
  });

  it("downloads the exact archived bytes of the payment's pacs.002 and shows their SHA-256", async () => {
    const page = await signIn(ALPHA.clientId, `#/transactions/${paymentId}`);
    const report = page.getByTestId('message-outgoing-pacs.002');
    await report.getByTestId('download').waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), report.getByTestId('download').click()]);
    const downloaded = await readFile(await download.path());

    // The archive's bytes, fetched apart from the page through the Status API.
    const token = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/read');
    const archived = await call(`${platform.api}/v1/transactions/${paymentId}/messages/outgoing`, { token });
    expect(archived.status).toBe(200);
    expect(archived.bytes.length).toBeGreaterThan(0);
    expect(downloaded.equals(archived.bytes)).toBe(true);
    await expect(report.getByTestId('sha256').textContent()).resolves.toBe(createHash('sha256').update(archived.bytes).digest('hex'));
    await expect(report.getByTestId('digest-check').textContent()).resolves.toContain('matches');
    await page.getByTestId('message-incoming-pacs.008').getByTestId('download').waitFor();
    await screenshot(page, 'transaction');
  });

  it('shows a new payment to its receiver as it arrives, without a reload', async () => {
    const page = await signIn(BETA.clientId);
    await page.getByText(/\d+ shown/).waitFor();
    const token = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/write payments/read');
    const sent = await submit(platform.api, token, paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '3.00' }).xml);
    expect(sent.status).toBe(202);
    const row = page.locator(`[data-testid="transactions-row"][data-row-id="${String(sent.body.transactionId)}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain('3.00 EUR');
  });

  it("does not show Alpha's payment to Gamma, in the list or at its URL", async () => {
    const page = await signIn(GAMMA.clientId);
    await page.getByText(/\d+ shown/).waitFor();
    await expect(page.locator(`[data-row-id="${paymentId}"]`).count()).resolves.toBe(0);
    await page.goto(`${consoleUrl}#/transactions/${paymentId}`);
    await expect(page.getByTestId('not-found').textContent()).resolves.toMatch(/not found/i);
  });

  it('lets the platform operator suspend Beta, so that Alpha’s next payment is rejected AG11, and reinstate it', async () => {
    const operator = await signIn(OPERATOR.clientId, '#/participants');
    await operator.getByTestId(`suspend-${BETA.entityId}`).click();
    await operator.getByTestId(`reinstate-${BETA.entityId}`).waitFor();
    await expect(operator.locator(`[data-row-id="${BETA.entityId}"] [data-testid="entity-status"]`).textContent()).resolves.toBe('SUSPENDED');
    await screenshot(operator, 'participants');

    const alpha = await signIn(ALPHA.clientId);
    const rejected = await submitThroughPage(alpha, paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '10.00' }).xml);
    await alpha.getByTestId('submitted-link').click();
    await alpha.locator('[data-testid="timeline-step"][data-status="RJCT"]').first().waitFor({ timeout: 20_000 });
    await expect(alpha.getByTestId('transaction-status').textContent()).resolves.toContain('RJCT');
    await expect(alpha.getByTestId('reason').first().textContent()).resolves.toContain('AG11 CreditorAgentSuspended');
    expect(rejected).not.toBe(paymentId);

    await operator.getByTestId(`reinstate-${BETA.entityId}`).click();
    await operator.getByTestId(`suspend-${BETA.entityId}`).waitFor();
    await expect(operator.locator(`[data-row-id="${BETA.entityId}"] [data-testid="entity-status"]`).textContent()).resolves.toBe('ACTIVE');
  });

  it("shows the operator a participant's balances, postings and balance chart", async () => {
    const page = await signIn(OPERATOR.clientId, '#/liquidity');
    await page.getByLabel('Participant').selectOption(ALPHA.entityId);
    await page.getByLabel('Currency').selectOption('EUR');
    await page.locator('[data-testid="balances-row"][data-row-id="EUR"]').waitFor();
    await page.locator(`[data-testid="postings-row"] a[href="#/transactions/${paymentId}"]`).first().waitFor();
    await page.getByTestId('balance-chart').locator('canvas').waitFor();
    await screenshot(page, 'liquidity');
  });

  it("shows the operator that today's books add up, and refuses the page to a participant", async () => {
    const page = await signIn(OPERATOR.clientId, '#/reconciliation');
    await expect(page.getByTestId('reconciliation-verdict').textContent()).resolves.toContain('the books add up');
    await page.getByText('Settled payments').waitFor();
    await screenshot(page, 'reconciliation');
    const alpha = await signIn(ALPHA.clientId, '#/reconciliation');
    await alpha.getByText('Not available').waitFor();
    await expect(alpha.getByRole('link', { name: 'Reconciliation' }).count()).resolves.toBe(0);
  });

  it("shows yesterday's EUR statement of a participant on the Liquidity page, and downloads its camt.053 as the API names it", async () => {
    // The platform closes the last business day shortly after it starts: wait for Alpha's statement through the API.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const alphaToken = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/read');
    const until = Date.now() + 90_000;
    for (;;) {
      const listed = await call(`${platform.api}/v1/statements?date=${yesterday}&currency=EUR`, { token: alphaToken });
      expect(listed.status).toBe(200);
      if ((listed.body.items as unknown[]).length > 0) break;
      if (Date.now() > until) throw new Error(`no EUR statement of ${yesterday} for ${ALPHA.entityId} by ${new Date().toISOString()}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const archived = await call(`${platform.api}/v1/statements/${yesterday}/EUR`, { token: alphaToken });
    expect(archived.status).toBe(200);

    // The operator picks Alpha; the business day is yesterday's (UTC) unless changed.
    const page = await signIn(OPERATOR.clientId, '#/liquidity');
    await page.getByLabel('Participant').selectOption(ALPHA.entityId);
    await expect(page.getByLabel('Business day (UTC)').inputValue()).resolves.toBe(yesterday);
    const row = page.locator('[data-testid="statements-row"][data-row-id="EUR"]');
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).slice(0, 3)).toEqual(['EUR', yesterday, 'camt.053']);
    await expect(page.getByRole('heading', { name: /^Statements/ }).textContent()).resolves.toBe(`Statements of ${ALPHA.entityId}`);
    await screenshot(page, 'liquidity-statements');

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('statement-download').click()]);
    expect(download.suggestedFilename()).toBe(`camt.053-${yesterday}-EUR.xml`);
    const downloaded = await readFile(await download.path());
    expect(downloaded.toString('utf8')).toContain('<BkToCstmrStmt>');
    expect(downloaded.toString('utf8')).toContain(`<Id>${ALPHA.entityId}/EUR</Id>`);
    expect(downloaded.equals(archived.bytes)).toBe(true);

    // A day long before the platform ran has none yet; a date is needed at all.
    await page.getByLabel('Business day (UTC)').fill('2020-01-06');
    await page.locator('[data-testid="statements"] td.empty').filter({ hasText: 'No statement for this day yet: the business day closes at its cut-off.' }).waitFor();
    await expect(page.locator('[data-testid="statements-row"]').count()).resolves.toBe(0);
    await screenshot(page, 'liquidity-statements-empty');

    // Alpha sees its own statement of the same day, without naming itself.
    const alpha = await signIn(ALPHA.clientId, '#/liquidity');
    await alpha.locator('[data-testid="statements-row"][data-row-id="EUR"]').waitFor();
    await expect(alpha.getByRole('heading', { name: /^Statements/ }).textContent()).resolves.toBe(`Statements of ${ALPHA.entityId}`);
  }, 150_000);

  it('lists a dead letter with its error for the operator, and replays it once after a confirmation', async () => {
    const dynamodb = new DynamoDBClient(localClientConfig(platform.cloud.endpoints.dynamodb));
    const letter = probeDeadLetter(ALPHA.entityId);
    try {
      expect(await new DynamoDbDeadLetterStore({ client: dynamodb, tableName: platform.cloud.tables.deadletter_table }).put(letter)).toBe(true);
    } finally {
      dynamodb.destroy();
    }

    const page = await signIn(OPERATOR.clientId, '#/dead-letters');
    const row = page.locator(`[data-testid="dead-letters-row"][data-row-id="${letter.id}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('DynamoDbStoreError: the table did not answer');
    await screenshot(page, 'dead-letters');

    await row.getByTestId('replay').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog.textContent()).resolves.toContain(letter.id);
    await dialog.getByRole('button', { name: 'Replay' }).click();
    await row.getByText('Replayed').waitFor();
    await expect(row.getByTestId('replay').count()).resolves.toBe(0);
  });

  it('shows why a sent message is refused, with line, column and reason code, and marks its line', async () => {
    const page = await signIn(ALPHA.clientId, '#/submit');
    const valid = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '7.00' }).xml;
    const broken = valid.replace('<IntrBkSttlmAmt Ccy="EUR">7.00</IntrBkSttlmAmt>', '<IntrBkSttlmAmt Ccy="EUR">seven</IntrBkSttlmAmt>');
    const line = broken.split('\n').findIndex((text) => text.includes('>seven<')) + 1;
    await page.getByLabel('ISO 20022 message (XML)').fill(broken);
    await page.getByRole('button', { name: 'Send' }).click();
    const issue = page.getByTestId('issue').first();
    await issue.waitFor();
    const cells = await issue.locator('td').allTextContents();
    expect(cells[0]).toBe(String(line));
    expect(cells[1]).toMatch(/^\d+$/);
    expect(cells[2]).toBe('FF01');
    await expect(page.locator(`[data-testid="marked-message"] [data-line="${line}"]`).getAttribute('data-marked')).resolves.toBe('true');
    await screenshot(page, 'submit-refused');
  });

  it('validates a message without sending it, and marks the line of each error', async () => {
    const page = await signIn(ALPHA.clientId, '#/submit');
    const valid = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '5.00' }).xml;
    await page.getByLabel('ISO 20022 message (XML)').fill(valid);
    await page.getByRole('button', { name: 'Validate' }).click();
    await expect(page.getByTestId('valid').textContent()).resolves.toContain('pacs.008');

    const broken = valid.replace('<IntrBkSttlmAmt Ccy="EUR">5.00</IntrBkSttlmAmt>', '<IntrBkSttlmAmt Ccy="EUR">five</IntrBkSttlmAmt>');
    const line = broken.split('\n').findIndex((text) => text.includes('>five<')) + 1;
    await page.getByLabel('ISO 20022 message (XML)').fill(broken);
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByTestId('issue').first().waitFor();
    await expect(page.locator(`[data-testid="marked-message"] [data-line="${line}"]`).getAttribute('data-marked')).resolves.toBe('true');
    await expect(page.getByTestId('issue').first().textContent()).resolves.toContain(String(line));
    await screenshot(page, 'submit-validation');
  });

  it('links a pain.001 and the payments made of its transfers both ways, for its sender and the operator, and not for a receiver', async () => {
    const alphaToken = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/write payments/read');
    // Two transfers: one to Beta settles, the other's agent is no participant; the pain.001 is answered PART.
    const initiation = initiationXml({ fromBic: ALPHA.bic, transfers: [{ toBic: BETA.bic, amount: '10.00' }, { toBic: 'ZZZZDEFFXXX', amount: '2.50' }] });
    const sent = await submit(platform.api, alphaToken, initiation.xml);
    expect(sent.status).toBe(202);
    const initiationId = String(sent.body.transactionId);
    expect(await waitForFinal(platform.api, alphaToken, initiationId, { timeoutMs: 30_000, outgoing: 2 })).toMatchObject({ status: 'ANSW', answer: 'PART' });

    const alpha = await signIn(ALPHA.clientId, `#/transactions/${initiationId}`);
    const rows = alpha.getByTestId('child-row');
    await rows.nth(1).waitFor();
    await expect(alpha.getByTestId('transaction-status').textContent()).resolves.toContain('ANSW · PART');
    await expect(alpha.getByTestId('answer-meaning').textContent()).resolves.toBe('Answered PART (pain.002): some transfers settled, the others were rejected');
    // The batch's total and its number of transfers stand where a payment's amount and receiver do.
    await expect(alpha.getByTestId('amount').textContent()).resolves.toBe('12.50 EUR');
    await expect(alpha.getByTestId('receiver').textContent()).resolves.toBe('2 transfers to 1 participant');
    await expect(rows.count()).resolves.toBe(2);
    const cells = async (index: number) => (await rows.nth(index).locator('td').allTextContents()).map((text) => text.trim());
    expect((await cells(0)).slice(2)).toEqual([initiation.endToEndIds[0], BETA.entityId, '10.00 EUR', 'ACSC']);
    expect((await cells(1)).slice(2)).toEqual([initiation.endToEndIds[1], '—', '2.50 EUR', 'RJCT RC01']);
    const childIds = await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-row-id') ?? ''));
    await screenshot(alpha, 'pain001');

    // To the payment, and from it back to its pain.001.
    await rows.nth(0).getByTestId('child-link').click();
    await alpha.getByTestId('parent-link').waitFor();
    await expect(alpha.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(childIds[0]);
    await expect(alpha.getByTestId('transaction-status').textContent()).resolves.toContain('ACSC');
    await expect(alpha.getByTestId('parent-link').textContent()).resolves.toBe(initiationId);
    await expect(alpha.getByTestId('amount').textContent()).resolves.toBe('10.00 EUR');
    await screenshot(alpha, 'pain001-payment');
    await alpha.getByTestId('parent-link').click();
    await alpha.getByTestId('child-row').first().waitFor();
    await expect(alpha.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(initiationId);

    // The operator sees the same, both ways.
    const operator = await signIn(OPERATOR.clientId, `#/transactions/${initiationId}`);
    await operator.getByTestId('child-row').nth(1).waitFor();
    await expect(operator.getByTestId('child-link').allTextContents()).resolves.toEqual(childIds);
    await expect(operator.getByTestId('amount').textContent()).resolves.toBe('12.50 EUR');
    await operator.goto(`${consoleUrl}#/transactions/${childIds[1]}`);
    await expect(operator.getByTestId('parent-link').textContent()).resolves.toBe(initiationId);

    // Beta received the first payment: it sees the payment, not the pain.001 nor its id.
    const beta = await signIn(BETA.clientId, `#/transactions/${childIds[0]}`);
    await beta.getByTestId('timeline').waitFor();
    await expect(beta.getByTestId('transaction-status').textContent()).resolves.toContain('ACSC');
    await expect(beta.getByTestId('parent-link').count()).resolves.toBe(0);
    await expect(beta.locator('body').textContent()).resolves.not.toContain(initiationId);
    await beta.goto(`${consoleUrl}#/transactions/${initiationId}`);
    await expect(beta.getByTestId('not-found').textContent()).resolves.toMatch(/not found/i);
  }, 120_000);

  it('shows what a pacs.028 and a camt.056 were answered with, in the list and on their pages', async () => {
    const alphaToken = await requestAccessToken(platform.cloud, ALPHA.clientId, 'payments/write payments/read');
    const payment = paymentXml({ fromBic: ALPHA.bic, toBic: BETA.bic, amount: '2.00' });
    const paid = await submit(platform.api, alphaToken, payment.xml);
    expect(paid.status).toBe(202);
    await waitForFinal(platform.api, alphaToken, String(paid.body.transactionId), { timeoutMs: 30_000, outgoing: 1 });
    const original = { msgId: payment.msgId, endToEndId: payment.endToEndId, uetr: payment.uetr };
    const answered = async (xml: string): Promise<string> => {
      const request = await submit(platform.api, alphaToken, xml);
      expect(request.status).toBe(202);
      await waitForFinal(platform.api, alphaToken, String(request.body.transactionId), { timeoutMs: 30_000, outgoing: 1 });
      return String(request.body.transactionId);
    };
    // The payment settled: a status request hears ACSC, a cancellation is refused (RJCR).
    const statusRequestId = await answered(statusRequestXml({ fromBic: ALPHA.bic, toBic: BETA.bic, original }).xml);
    const cancellationId = await answered(cancellationXml({ fromBic: ALPHA.bic, toBic: BETA.bic, original }).xml);

    for (const clientId of [ALPHA.clientId, OPERATOR.clientId]) {
      const page = await signIn(clientId);
      const badge = (id: string) => page.locator(`[data-testid="transactions-row"][data-row-id="${id}"] [data-testid="status-badge"]`);
      await badge(cancellationId).waitFor({ timeout: 10_000 });
      await expect(badge(statusRequestId).textContent()).resolves.toBe('ANSW · ACSC');
      await expect(badge(statusRequestId).getAttribute('title')).resolves.toBe('Answered ACSC (pacs.002): the payment asked about settled');
      await expect(badge(cancellationId).textContent()).resolves.toBe('ANSW · RJCR');
      await expect(badge(cancellationId).getAttribute('title')).resolves.toBe('Answered RJCR (camt.029): the cancellation was refused');
      if (clientId === ALPHA.clientId) await screenshot(page, 'transactions-answered');

      await page.goto(`${consoleUrl}#/transactions/${cancellationId}`);
      await page.getByTestId('answer-meaning').waitFor();
      await expect(page.getByTestId('transaction-status').textContent()).resolves.toContain('ANSW · RJCR');
      await expect(page.getByTestId('answer-meaning').textContent()).resolves.toBe('Answered RJCR (camt.029): the cancellation was refused');
      // The step that recorded the answer, and the one that sent the camt.029.
      await expect(page.locator('[data-testid="timeline-step"][data-status="ANSW"] [data-testid="status-badge"]').allTextContents()).resolves.toEqual(['ANSW · RJCR', 'ANSW · RJCR']);
      await expect(page.getByTestId('reason').first().textContent()).resolves.toContain('PTNA');
      if (clientId === ALPHA.clientId) await screenshot(page, 'camt056-answered');
    }
  }, 120_000);

  it("shows a participant its own balances", async () => {
    const page = await signIn(ALPHA.clientId, '#/liquidity');
    await page.locator('[data-testid="balances-row"][data-row-id="EUR"]').waitFor();
    await page.getByTestId('balance-chart').locator('canvas').waitFor();
  });
});
