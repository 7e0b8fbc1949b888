import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SNSClient,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  paginateListTopics,
} from '@aws-sdk/client-sns';
import { createSelfSignedCertificate, startLocalSns, type DeliveryEvent, type LocalSns } from '../src/index';
import { startSubscriber, verifySnsSignature, waitFor, type Received, type Subscriber } from './helpers';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function clientFor(sns: LocalSns): SNSClient {
  return new SNSClient({
    endpoint: sns.endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

const ofType = (subscriber: Subscriber, type: string) =>
  subscriber.received.filter((request) => request.headers['x-amz-sns-message-type'] === type);

/** Subscribes, waits for the SubscriptionConfirmation, and confirms it via SubscribeURL. */
async function subscribeAndConfirm(
  client: SNSClient,
  topicArn: string,
  subscriber: Subscriber,
  attributes?: Record<string, string>,
): Promise<string> {
  const protocol = subscriber.url.startsWith('https') ? 'https' : 'http';
  await client.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: protocol, Endpoint: subscriber.url, Attributes: attributes }));
  const confirmation = await waitFor(() => ofType(subscriber, 'SubscriptionConfirmation')[0], 'a SubscriptionConfirmation');
  const xml = await (await fetch(String(confirmation.json.SubscribeURL))).text();
  return /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1] ?? '';
}

describe('startLocalSns', () => {
  let dir: string;
  let sns: LocalSns;
  let client: SNSClient;
  const events: DeliveryEvent[] = [];
  const subscribers: Subscriber[] = [];

  const subscriber = async (tls?: { key: string; cert: string }) => {
    const started = await startSubscriber(tls);
    subscribers.push(started);
    return started;
  };
  const topic = async (name: string) => (await client.send(new CreateTopicCommand({ Name: name }))).TopicArn as string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mxflow-sns-'));
    sns = await startLocalSns({
      port: 0,
      outboxDir: join(dir, 'outbox'),
      region: 'eu-west-1',
      accountId: '123456789012',
      retry: { numRetries: 3, minDelayMs: 20, maxDelayMs: 100, timeoutMs: 300 },
      onDelivery: (event) => events.push(event),
    });
    client = clientFor(sns);
  });

  afterAll(async () => {
    client?.destroy();
    await sns?.stop();
    await Promise.all(subscribers.map((started) => started.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a topic idempotently and lists it', async () => {
    const first = await topic('payments-status');
    const second = await topic('payments-status');
    const listed = await client.send(new ListTopicsCommand({}));

    expect(first).toBe('arn:aws:sns:eu-west-1:123456789012:payments-status');
    expect(second).toBe(first);
    expect(listed.Topics?.filter((entry) => entry.TopicArn === first)).toHaveLength(1);
  });

  it('pages ListTopics by 100 with NextToken', async () => {
    const names = Array.from({ length: 130 }, (_, index) => `paged-${String(index).padStart(3, '0')}`);
    for (const name of names) await client.send(new CreateTopicCommand({ Name: name }));
    const pageSizes: number[] = [];
    const arns: string[] = [];
    for await (const result of paginateListTopics({ client }, {})) {
      pageSizes.push(result.Topics?.length ?? 0);
      arns.push(...(result.Topics ?? []).map((entry) => entry.TopicArn as string));
    }
    expect(pageSizes[0]).toBe(100);
    expect(arns.filter((arn) => arn.includes(':paged-'))).toHaveLength(130);
    expect(new Set(arns).size).toBe(arns.length);
  });

  it('answers NotFound for a publish to an unknown topic', async () => {
    const error = await client
      .send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:missing', Message: 'x' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as NotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('refuses an invalid filter policy with InvalidParameter', async () => {
    const arn = await topic('bad-filter');
    const error = await client
      .send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'http',
          Endpoint: 'http://127.0.0.1:9/never',
          Attributes: { FilterPolicy: '{"status":"ACSC"}' },
        }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('confirms an http subscription and delivers a signed notification', async () => {
    const arn = await topic('notify-http');
    const http = await subscriber();
    const pending = await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: http.url }));
    expect(pending.SubscriptionArn).toBe('pending confirmation');

    const confirmation = await waitFor(() => ofType(http, 'SubscriptionConfirmation')[0], 'a SubscriptionConfirmation');
    expect(confirmation.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'SubscriptionConfirmation',
      'x-amz-sns-message-id': confirmation.json.MessageId,
      'x-amz-sns-topic-arn': arn,
    });
    expect(confirmation.json).toEqual({
      Type: 'SubscriptionConfirmation',
      MessageId: expect.any(String),
      Token: expect.stringMatching(/^[0-9a-f]{128}$/),
      TopicArn: arn,
      Message: expect.stringContaining(arn),
      SubscribeURL: expect.stringMatching(new RegExp(`^${sns.endpoint}/\\?Action=ConfirmSubscription&`)),
      Timestamp: expect.stringMatching(ISO_MS),
      SignatureVersion: '2',
      Signature: expect.any(String),
      SigningCertURL: sns.signingCertUrl,
    });
    expect(confirmation.headers).not.toHaveProperty('x-amz-sns-subscription-arn');
    expect(await verifySnsSignature(confirmation.json)).toBe(true);

    const confirmXml = await (await fetch(String(confirmation.json.SubscribeURL))).text();
    const subscriptionArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(confirmXml)?.[1];
    expect(subscriptionArn).toMatch(new RegExp(`^${arn}:`));
    const listed = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(listed.Subscriptions).toEqual([
      { TopicArn: arn, Protocol: 'http', SubscriptionArn: subscriptionArn, Owner: '123456789012', Endpoint: http.url },
    ]);

    const published = await client.send(
      new PublishCommand({
        TopicArn: arn,
        Subject: 'pacs.002 ACSC',
        Message: JSON.stringify({ transactionId: 't-1', status: 'ACSC' }),
        MessageAttributes: {
          status: { DataType: 'String', StringValue: 'ACSC' },
          amount: { DataType: 'Number', StringValue: '125.50' },
        },
      }),
    );
    const notification = await waitFor(() => ofType(http, 'Notification')[0], 'a Notification');

    expect(notification.headers).toMatchObject({
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': published.MessageId,
      'x-amz-sns-topic-arn': arn,
      'x-amz-sns-subscription-arn': subscriptionArn,
    });
    expect(notification.json).toEqual({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn: arn,
      Subject: 'pacs.002 ACSC',
      Message: '{"transactionId":"t-1","status":"ACSC"}',
      Timestamp: expect.stringMatching(ISO_MS),
      SignatureVersion: '2',
      Signature: expect.any(String),
      SigningCertURL: sns.signingCertUrl,
      UnsubscribeURL: `${sns.endpoint}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn ?? '')}`,
      MessageAttributes: { status: { Type: 'String', Value: 'ACSC' }, amount: { Type: 'Number', Value: '125.50' } },
    });
    expect(await verifySnsSignature(notification.json)).toBe(true);
  });

  it('delivers nothing but the confirmation until the subscription is confirmed', async () => {
    const arn = await topic('unconfirmed');
    const http = await subscriber();
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'http', Endpoint: http.url }));
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'too early' }));
    await sns.settled();

    expect(http.received.map((request) => request.headers['x-amz-sns-message-type'])).toEqual(['SubscriptionConfirmation']);
    const listed = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(listed.Subscriptions?.map((sub) => sub.SubscriptionArn)).toEqual(['PendingConfirmation']);
  });

  it.each([
    ['Message', 'tampered body'],
    ['Subject', 'other subject'],
    ['Timestamp', '2020-01-01T00:00:00.000Z'],
    ['TopicArn', 'arn:aws:sns:eu-west-1:123456789012:other'],
  ])('fails verification when %s is tampered with', async (field, value) => {
    const arn = await topic(`tamper-${field.toLowerCase()}`);
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http);
    await client.send(new PublishCommand({ TopicArn: arn, Subject: 'status', Message: 'genuine' }));
    const notification = await waitFor(() => ofType(http, 'Notification')[0], 'a Notification');

    expect(await verifySnsSignature(notification.json)).toBe(true);
    expect(await verifySnsSignature({ ...notification.json, [field]: value })).toBe(false);
  });

  it('delivers the bare message with RawMessageDelivery', async () => {
    const arn = await topic('raw');
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http, { RawMessageDelivery: 'true' });
    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: '{"status":"ACSC"}' }));
    const notification = await waitFor(() => ofType(http, 'Notification')[0], 'a raw Notification');

    expect(notification.body).toBe('{"status":"ACSC"}');
    expect(notification.headers).toMatchObject({ 'x-amz-sns-rawdelivery': 'true', 'x-amz-sns-message-id': MessageId });
  });

  it('picks the per-protocol message with MessageStructure json', async () => {
    const arn = await topic('structured');
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http);
    await client.send(
      new PublishCommand({
        TopicArn: arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', http: 'for http' }),
      }),
    );
    const notification = await waitFor(() => ofType(http, 'Notification')[0], 'a Notification');
    expect(notification.json.Message).toBe('for http');
    expect(await verifySnsSignature(notification.json)).toBe(true);

    const error = await client
      .send(new PublishCommand({ TopicArn: arn, MessageStructure: 'json', Message: '{"http":"no default"}' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('drops a publish that does not match the filter policy', async () => {
    const arn = await topic('filtered');
    const http = await subscriber();
    const subscriptionArn = await subscribeAndConfirm(client, arn, http, {
      FilterPolicy: JSON.stringify({ status: ['ACSC'], amount: [{ numeric: ['>=', 100] }] }),
    });
    const publish = (status: string, amount: string) =>
      client.send(
        new PublishCommand({
          TopicArn: arn,
          Message: `${status} ${amount}`,
          MessageAttributes: {
            status: { DataType: 'String', StringValue: status },
            amount: { DataType: 'Number', StringValue: amount },
          },
        }),
      );

    await publish('RJCT', '500');
    await publish('ACSC', '99');
    await publish('ACSC', '100');
    await sns.settled();
    expect(ofType(http, 'Notification').map((request) => request.json.Message)).toEqual(['ACSC 100']);

    await client.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: JSON.stringify({ status: [{ 'anything-but': 'ACSC' }] }),
      }),
    );
    await publish('RJCT', '1');
    await publish('ACSC', '1000');
    await sns.settled();
    expect(ofType(http, 'Notification').map((request) => request.json.Message)).toEqual(['ACSC 100', 'RJCT 1']);
    const attributes = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
    expect(attributes.Attributes?.FilterPolicy).toBe('{"status":[{"anything-but":"ACSC"}]}');
  });

  it('retries a subscriber answering 5xx until it succeeds', async () => {
    const arn = await topic('flaky');
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http);
    http.statuses.push(500, 503, 502);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: 'eventually' }));
    await sns.settled();

    const attempts = http.received.filter((request) => request.headers['x-amz-sns-message-id'] === MessageId);
    expect(attempts).toHaveLength(4);
    expect(events.filter((event) => event.messageId === MessageId).map((event) => [event.outcome, event.status])).toEqual([
      ['retrying', 500],
      ['retrying', 503],
      ['retrying', 502],
      ['delivered', 200],
    ]);
  });

  it('retries a subscriber that does not answer within the timeout', async () => {
    const arn = await topic('slow');
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http);
    http.delays.push(1_000);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: 'late' }));
    await sns.settled();

    const outcomes = events.filter((event) => event.messageId === MessageId).map((event) => event.outcome);
    expect(outcomes).toEqual(['retrying', 'delivered']);
    expect(events.find((event) => event.messageId === MessageId)?.error?.message).toMatch('no response within 300 ms');
  });

  it('gives up after the configured retries and does not retry a 4xx', async () => {
    const arn = await topic('broken');
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http);
    http.statuses.push(500, 500, 500, 500, 500, 404);

    const failing = await client.send(new PublishCommand({ TopicArn: arn, Message: 'lost' }));
    await sns.settled();
    const rejected = await client.send(new PublishCommand({ TopicArn: arn, Message: 'refused' }));
    await sns.settled();

    const outcomes = (id?: string) => events.filter((event) => event.messageId === id).map((event) => event.outcome);
    expect(outcomes(failing.MessageId)).toEqual(['retrying', 'retrying', 'retrying', 'failed']);
    // The fifth 500 goes to the second message's first attempt; then the 404 ends it.
    expect(outcomes(rejected.MessageId)).toEqual(['retrying', 'rejected']);
  });

  it('follows the healthyRetryPolicy of a subscription DeliveryPolicy', async () => {
    const arn = await topic('no-retries');
    const http = await subscriber();
    await subscribeAndConfirm(client, arn, http, {
      DeliveryPolicy: JSON.stringify({ healthyRetryPolicy: { numRetries: 0, minDelayTarget: 1, maxDelayTarget: 1 } }),
    });
    http.statuses.push(500);

    const { MessageId } = await client.send(new PublishCommand({ TopicArn: arn, Message: 'once only' }));
    await sns.settled();

    expect(events.filter((event) => event.messageId === MessageId).map((event) => event.outcome)).toEqual(['failed']);
  });

  it('delivers over https to a subscriber whose certificate is trusted, and refuses it otherwise', async () => {
    const { privateKeyPem, certificatePem } = createSelfSignedCertificate({
      commonName: 'subscriber.local',
      altNames: ['127.0.0.1', 'localhost'],
    });
    const https = await subscriber({ key: privateKeyPem, cert: certificatePem });
    const trusting = await startLocalSns({
      port: 0,
      outboxDir: join(dir, 'outbox-https'),
      tls: { trustedCertificates: [certificatePem] },
      retry: { numRetries: 0 },
    });
    const refusingEvents: DeliveryEvent[] = [];
    const refusing = await startLocalSns({
      port: 0,
      outboxDir: join(dir, 'outbox-https'),
      retry: { numRetries: 0 },
      onDelivery: (event) => refusingEvents.push(event),
    });
    const trustingClient = clientFor(trusting);
    const refusingClient = clientFor(refusing);
    try {
      const arn = (await trustingClient.send(new CreateTopicCommand({ Name: 'tls' }))).TopicArn as string;
      await subscribeAndConfirm(trustingClient, arn, https);
      const { MessageId } = await trustingClient.send(new PublishCommand({ TopicArn: arn, Message: 'over tls' }));
      const notification = await waitFor(
        () => https.received.find((request: Received) => request.json.MessageId === MessageId),
        'an https Notification',
      );
      expect(notification.json.Message).toBe('over tls');
      expect(await verifySnsSignature(notification.json)).toBe(true);

      const otherArn = (await refusingClient.send(new CreateTopicCommand({ Name: 'tls' }))).TopicArn as string;
      await refusingClient.send(new SubscribeCommand({ TopicArn: otherArn, Protocol: 'https', Endpoint: https.url }));
      await refusing.settled();
      expect(refusingEvents.map((event) => event.outcome)).toEqual(['failed']);
      expect(refusingEvents[0]?.error?.message).toMatch(/self[- ]signed/);
    } finally {
      trustingClient.destroy();
      refusingClient.destroy();
      await trusting.stop();
      await refusing.stop();
    }
  });

  it('writes email confirmations and notifications as .eml files', async () => {
    const arn = await topic('mail');
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'ops@bank-a.example' }));
    await sns.settled();
    const outbox = join(dir, 'outbox');
    const confirmationFile = (await readdir(outbox)).find((name) => name.endsWith('.eml')) as string;
    const confirmation = await readFile(join(outbox, confirmationFile), 'utf8');

    expect(confirmation).toMatch(/^From: "SNS Notifications" <no-reply@sns\.eu-west-1\.localhost>\r\n/);
    expect(confirmation).toContain('\r\nTo: ops@bank-a.example\r\n');
    expect(confirmation).toContain('\r\nSubject: Subscription Confirmation\r\n');
    expect(confirmation).toMatch(/\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000\r\n/);
    expect(confirmation).toContain('\r\nX-Amz-Sns-Message-Type: SubscriptionConfirmation\r\n');
    const link = /(http:\/\/\S+Action=ConfirmSubscription\S+)/.exec(confirmation)?.[1] as string;
    expect((await fetch(link)).status).toBe(200);

    await client.send(new PublishCommand({ TopicArn: arn, Subject: 'Zahlung bestätigt', Message: 'pacs.002 ACSC for t-9' }));
    await sns.settled();
    const files = (await readdir(outbox)).filter((name) => name.endsWith('.eml')).sort();
    expect(files).toHaveLength(2);
    const notification = await readFile(join(outbox, files.find((name) => name !== confirmationFile) as string), 'utf8');
    const split = notification.indexOf('\r\n\r\n');
    const head = notification.slice(0, split);
    const body = notification.slice(split + 4);
    expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from('Zahlung bestätigt').toString('base64')}?=`);
    expect(head).toContain('X-Amz-Sns-Message-Type: Notification');
    expect(body).toMatch(/^pacs\.002 ACSC for t-9\r\n/);
    expect(body).toContain('Action=Unsubscribe');
  });

  it('writes email-json notifications whose signature verifies', async () => {
    const arn = await topic('mail-json');
    const outbox = join(dir, 'outbox');
    const before = new Set(await readdir(outbox));
    await client.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email-json', Endpoint: 'json@bank-a.example' }));
    await sns.settled();
    const [confirmationFile] = (await readdir(outbox)).filter((name) => !before.has(name));
    const confirmation = JSON.parse((await readFile(join(outbox, confirmationFile as string), 'utf8')).split('\r\n\r\n').slice(1).join('\r\n\r\n'));
    expect(await verifySnsSignature(confirmation)).toBe(true);
    await fetch(confirmation.SubscribeURL);

    await client.send(new PublishCommand({ TopicArn: arn, Message: 'as json' }));
    await sns.settled();
    const [notificationFile] = (await readdir(outbox)).filter((name) => !before.has(name) && name !== confirmationFile);
    const notification = JSON.parse((await readFile(join(outbox, notificationFile as string), 'utf8')).split('\r\n\r\n').slice(1).join('\r\n\r\n'));
    expect(notification).toMatchObject({ Type: 'Notification', Message: 'as json', TopicArn: arn });
    expect(await verifySnsSignature(notification)).toBe(true);
  });

  it.each([
    ['the Unsubscribe action', 'sdk'],
    ['the UnsubscribeURL', 'url'],
  ])('stops delivery after %s', async (_case, how) => {
    const arn = await topic(`leaving-${how}`);
    const http = await subscriber();
    const subscriptionArn = await subscribeAndConfirm(client, arn, http);
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'before' }));
    const first = await waitFor(() => ofType(http, 'Notification')[0], 'the first Notification');

    if (how === 'sdk') await client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    else expect((await fetch(String(first.json.UnsubscribeURL))).status).toBe(200);
    await client.send(new PublishCommand({ TopicArn: arn, Message: 'after' }));
    await sns.settled();

    expect(ofType(http, 'Notification').map((request) => request.json.Message)).toEqual(['before']);
    expect((await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toEqual([]);
  });
});

describe('startLocalSns with a dataDir', () => {
  it('keeps topics, subscriptions and the signing certificate across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mxflow-sns-data-'));
    const http = await startSubscriber();
    try {
      const options = { port: 0, dataDir: join(dir, 'data'), outboxDir: join(dir, 'outbox') };
      const first = await startLocalSns(options);
      const firstClient = clientFor(first);
      const arn = (await firstClient.send(new CreateTopicCommand({ Name: 'kept' }))).TopicArn as string;
      const subscriptionArn = await subscribeAndConfirm(firstClient, arn, http);
      firstClient.destroy();
      await first.stop();

      const second = await startLocalSns(options);
      const secondClient = clientFor(second);
      try {
        const listed = await secondClient.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
        expect(listed.Subscriptions?.map((sub) => sub.SubscriptionArn)).toEqual([subscriptionArn]);
        expect(second.certificatePem).toBe(first.certificatePem);
        await secondClient.send(new PublishCommand({ TopicArn: arn, Message: 'after restart' }));
        const notification = await waitFor(() => ofType(http, 'Notification')[0], 'a Notification after restart');
        expect(await verifySnsSignature(notification.json)).toBe(true);
      } finally {
        secondClient.destroy();
        await second.stop();
      }
    } finally {
      await http.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
