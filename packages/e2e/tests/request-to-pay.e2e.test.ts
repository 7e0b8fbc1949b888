import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultComposeFile, requestAccessToken, startPlatform, type LocalPlatform } from '@mxflow/local-stack';
import { toJson } from '@mxflow/iso20022';
import { officialXsdProblems } from '../../iso20022/tests/responses/official-xsd';
import { officialXsdDir } from '../../iso20022/tests/support/paths';
import { call, mxflow, submit, waitForFinal } from '../src';

const ALPHA = { entityId: 'ent-alpha', bic: 'ALPHDEFFXXX', clientId: 'alpha-bank' };
const BETA = { entityId: 'ent-beta', bic: 'BETAFRPPXXX', clientId: 'beta-bank' };
type Party = typeof ALPHA;
const SCOPES = 'payments/write payments/read';
type Json = Record<string, unknown>;

describe('request to pay (pain.013 → pain.014 → pacs.008) on the local platform', () => {
  let platform: LocalPlatform;
  const tokens: Record<string, string> = {};
  const env: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    platform = await startPlatform({ namePrefix: 'mxflow-e2e-rtp', composeFile: defaultComposeFile, apiPort: 0 });
    const { cloud } = platform;
    for (const party of [ALPHA, BETA]) {
      tokens[party.entityId] = await requestAccessToken(cloud, party.clientId, SCOPES);
      const seeded = cloud.seed.participants.find((participant) => participant.clientId === party.clientId);
      env[party.entityId] = {
        MXFLOW_READY_FILE: '/nonexistent/ready.json',
        MXFLOW_API: platform.api,
        MXFLOW_TOKEN_URL: cloud.endpoints.tokenUrl,
        MXFLOW_AUDIENCE: cloud.endpoints.audience,
        MXFLOW_CLIENT_ID: party.clientId,
        MXFLOW_CLIENT_SECRET: seeded?.clientSecret ?? '',
      };
    }
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  /** A sample made by the mxflow command as `party` (it reads the request through the Status API for --for). */
  async function sample(party: Party, args: readonly string[]): Promise<string> {
    const run = await mxflow(['sample', ...args], env[party.entityId]!);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    return run.stdout;
  }

  async function accepted(party: Party, xml: string): Promise<string> {
    const answer = await submit(platform.api, tokens[party.entityId], xml);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 202 });
    return String(answer.body.transactionId);
  }

  /** Polls a transaction as `party` until `done` holds of it. */
  async function until(party: Party, id: string, done: (view: Json) => boolean, what: string): Promise<Json> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const view = await call(`${platform.api}/v1/transactions/${id}`, { token: tokens[party.entityId] });
      if (view.status === 200 && done(view.body)) return view.body;
      if (Date.now() > deadline) throw new Error(`${id} is not ${what}: ${view.status} ${JSON.stringify(view.body)}`);
      await sleep(100);
    }
  }

  const sent = (view: Json, name: string) => ((view.steps as { step: string }[]) ?? []).some((step) => step.step === `outgoing#${name}`);

  /** The outgoing messages of a transaction addressed to `party`. */
  async function received(party: Party, id: string): Promise<{ messageType: string; xml: string }[]> {
    const list = await call(`${platform.api}/v1/transactions/${id}/messages`, { token: tokens[party.entityId] });
    expect(list.status).toBe(200);
    const found = [];
    for (const message of list.body.messages as Json[]) {
      const content = (message.links as Json | undefined)?.content;
      if (message.direction !== 'outgoing' || typeof content !== 'string') continue;
      const response = await fetch(`${platform.api}${content}`, { headers: { authorization: `Bearer ${tokens[party.entityId]}` } });
      found.push({ messageType: String(message.messageType), xml: await response.text() });
    }
    return found;
  }

  const valid = (xml: string) => {
    if (existsSync(officialXsdDir)) expect(officialXsdProblems(xml)).toEqual([]);
  };

  it('forwards a request to its debtor agent, records and forwards the acceptance, and links the payment that settles it', async () => {
    const request = await sample(ALPHA, ['pain.013']);
    const requestId = await accepted(ALPHA, request);
    const pending = await until(ALPHA, requestId, (view) => view.status === 'PDNG' && sent(view, 'pain.013'), 'forwarded');
    expect(pending).toMatchObject({ messageType: 'pain.013', final: false, parties: { sender: ALPHA.entityId, receiver: BETA.entityId } });
    // Beta, the debtor agent, got the request as Alpha sent it.
    const [forwarded] = await received(BETA, requestId);
    expect(forwarded?.messageType).toBe('pain.013');
    valid(forwarded!.xml);
    expect(toJson(forwarded!.xml).document).toEqual(toJson(request).document);

    // Alpha may not answer its own request: only its debtor agent may.
    const stranger = await waitForFinal(platform.api, tokens[ALPHA.entityId]!, await accepted(ALPHA, await sample(BETA, ['pain.014', '--for', requestId]).then((xml) => xml.replaceAll('BETAFRPPXXX', 'ALPHDEFFXXX'))));
    expect(stranger).toMatchObject({ status: 'RJCT', reasonCode: 'AG09' });

    const answer = await sample(BETA, ['pain.014', '--for', requestId]);
    const answerId = await accepted(BETA, answer);
    expect(await waitForFinal(platform.api, tokens[BETA.entityId]!, answerId, { outgoing: 1 })).toMatchObject({ status: 'ANSW', answer: 'ACCP', messageType: 'pain.014' });
    const answered = await until(ALPHA, requestId, (view) => view.final === true, 'answered');
    expect(answered).toMatchObject({ status: 'ANSW', answer: 'ACCP' });
    expect((answered.steps as Json[]).find((step) => step.step === 'pain013#ANSW')).toMatchObject({ relatedTransactionId: answerId });
    // Alpha, the creditor agent, got Beta's pain.014.
    const [toCreditor] = await received(ALPHA, answerId);
    expect(toCreditor?.messageType).toBe('pain.014');
    valid(toCreditor!.xml);

    // A second answer finds the request decided.
    const again = await waitForFinal(platform.api, tokens[BETA.entityId]!, await accepted(BETA, await sample(BETA, ['pain.014', '--for', requestId, '--reject', 'AC04'])));
    expect(again).toMatchObject({ status: 'RJCT', reasonCode: 'AM05' });

    // Beta pays it: the payment and the request name each other.
    const payment = await sample(BETA, ['pacs.008', '--for', requestId]);
    const paymentId = await accepted(BETA, payment);
    const paid = await waitForFinal(platform.api, tokens[BETA.entityId]!, paymentId, { outgoing: 2 });
    expect(paid).toMatchObject({ status: 'ACSC', paymentRequest: { transactionId: requestId, status: 'ANSW', answer: 'ACCP' } });
    const linked = await until(ALPHA, requestId, (view) => Array.isArray(view.payments) && view.payments.length > 0, 'paid');
    expect(linked.payments).toEqual([expect.objectContaining({ transactionId: paymentId, status: 'ACSC' })]);
  }, 120_000);

  it('records a refusal with its reason and forwards it to the creditor agent', async () => {
    const requestId = await accepted(ALPHA, await sample(ALPHA, ['pain.013']));
    await until(ALPHA, requestId, (view) => view.status === 'PDNG' && sent(view, 'pain.013'), 'forwarded');
    const answerId = await accepted(BETA, await sample(BETA, ['pain.014', '--for', requestId, '--reject', 'AC04']));
    expect(await waitForFinal(platform.api, tokens[BETA.entityId]!, answerId, { outgoing: 1 })).toMatchObject({ status: 'ANSW', answer: 'RJCT', reasonCode: 'AC04' });
    expect(await until(ALPHA, requestId, (view) => view.final === true, 'answered')).toMatchObject({ status: 'ANSW', answer: 'RJCT', reasonCode: 'AC04' });
    const [toCreditor] = await received(ALPHA, answerId);
    expect(toCreditor?.xml).toContain('<TxSts>RJCT</TxSts>');
  }, 60_000);

  it('refuses a request whose debtor agent is no participant with a pain.014 RJCT RC01 to its sender', async () => {
    const request = (await sample(ALPHA, ['pain.013'])).replace('<BICFI>BETAFRPPXXX</BICFI>', '<BICFI>NOPEDEFFXXX</BICFI>');
    const requestId = await accepted(ALPHA, request);
    expect(await waitForFinal(platform.api, tokens[ALPHA.entityId]!, requestId, { outgoing: 1 })).toMatchObject({ status: 'RJCT', reasonCode: 'RC01' });
    const [refusal] = await received(ALPHA, requestId);
    expect(refusal?.messageType).toBe('pain.014');
    valid(refusal!.xml);
    expect(refusal!.xml).toContain('<Cd>RC01</Cd>');
  }, 60_000);
});
