import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { deliverHttp, DEFAULT_RETRY_POLICY, type DeliveryTlsOptions, type RetryPolicy } from './delivery';
import { writeToOutbox } from './email';
import {
  FilterPolicyError,
  InvalidActionError,
  InvalidParameterError,
  NotFoundError,
  SnsApiError,
  StateFileError,
} from './errors';
import { FilterPolicyScope, matchesFilterPolicy, parseFilterPolicy, type FilterPolicy } from './filter-policy';
import { readEntryMap, readMessageAttributes, readTags, required, type PublishedAttribute, type QueryParams } from './query';
import {
  certificateFileName,
  createSelfSignedCertificate,
  signMessage,
  SnsMessageType,
  type KeyAndCertificate,
} from './signing';
import { SnsStore, SubscriptionProtocol, type SubscriptionRecord, type TopicRecord } from './store';
import { actionResponse, attributeMap, element, errorResponse } from './xml';

/** Options for {@link startLocalSns}. */
export interface LocalSnsOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1); also the host in every URL the server hands out. */
  host?: string;
  /** Topics, subscriptions and the signing key persist here. Omitted: memory only, a new key each start. */
  dataDir?: string;
  /** Where email and email-json deliveries are written as `.eml` files. */
  outboxDir: string;
  /** Region in ARNs (default us-east-1). */
  region?: string;
  /** Account id in ARNs and `Owner` (default 000000000000). */
  accountId?: string;
  /** HTTP/S retry policy; unspecified fields take SNS's defaults. */
  retry?: Partial<RetryPolicy>;
  /** TLS settings for https subscribers. */
  tls?: DeliveryTlsOptions;
  /** Called on every delivery attempt and email written; for logs and tests. */
  onDelivery?: (event: DeliveryEvent) => void;
}

/** One delivery attempt (http/https) or one email written. */
export interface DeliveryEvent {
  subscriptionArn: string;
  protocol: SubscriptionProtocol;
  messageType: SnsMessageType;
  messageId: string;
  attempt: number;
  status?: number;
  outcome: 'delivered' | 'rejected' | 'retrying' | 'failed';
  error?: Error;
  /** For email protocols: the `.eml` file written. */
  file?: string;
}

/** A running local SNS endpoint. */
export interface LocalSns {
  /** `http://<host>:<port>`, for `new SNSClient({ endpoint })`. */
  endpoint: string;
  port: number;
  region: string;
  accountId: string;
  /** Where the signing certificate is served (the `SigningCertURL` of every message). */
  signingCertUrl: string;
  /** The signing certificate, PEM. */
  certificatePem: string;
  /** Resolves once every delivery started so far (including retries) has finished. */
  settled(): Promise<void>;
  /** Cancels pending retries, closes the server and its connections. Idempotent. */
  stop(): Promise<void>;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** SNS's page size for ListTopics and the ListSubscriptions actions. */
const PAGE_SIZE = 100;

/** One page of `items` from the offset in `NextToken`, plus the token for the next page. */
function page<T>(items: T[], params: QueryParams): { items: T[]; next: string } {
  const token = params.get('NextToken');
  const start = token ? Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new InvalidParameterError('Invalid parameter: NextToken');
  }
  const end = start + PAGE_SIZE;
  return {
    items: items.slice(start, end),
    next: end < items.length ? element('NextToken', Buffer.from(String(end)).toString('base64url')) : '',
  };
}
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const SETTABLE_SUBSCRIPTION_ATTRIBUTES = [
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
] as const;
const SETTABLE_TOPIC_ATTRIBUTES = ['DisplayName', 'Policy', 'DeliveryPolicy', 'TracingConfig', 'KmsMasterKeyId'] as const;

async function loadSigningMaterial(dataDir: string | undefined, host: string): Promise<KeyAndCertificate> {
  if (!dataDir) return createSelfSignedCertificate({ commonName: `sns.${host}` });
  const keyFile = join(dataDir, 'signing-key.pem');
  const certFile = join(dataDir, 'signing-cert.pem');
  try {
    return { privateKeyPem: await readFile(keyFile, 'utf8'), certificatePem: await readFile(certFile, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateFileError(`cannot read ${keyFile}`, { cause: error });
  }
  const material = createSelfSignedCertificate({ commonName: `sns.${host}` });
  await mkdir(dataDir, { recursive: true });
  await writeFile(keyFile, material.privateKeyPem, { mode: 0o600 });
  await writeFile(certFile, material.certificatePem);
  return material;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new InvalidParameterError('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

/**
 * Starts a local endpoint for the SNS Query API (what `@aws-sdk/client-sns`
 * speaks) that delivers to http, https, email and email-json subscribers the
 * way SNS does: a signed SubscriptionConfirmation first, then signed
 * Notifications (SignatureVersion 2), filter policies, and retries.
 *
 * @throws StateFileError when `dataDir` holds unreadable state
 */
export async function startLocalSns(options: LocalSnsOptions): Promise<LocalSns> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const outboxDir = resolve(options.outboxDir);
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const tls = options.tls ?? {};
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const store = await SnsStore.open(dataDir);
  const signing = await loadSigningMaterial(dataDir, host);
  const certPath = `/${certificateFileName(signing.certificatePem)}`;
  const emailDomain = `sns.${region}.localhost`;

  const server = createServer();
  const port = await new Promise<number>((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const signingCertUrl = `${endpoint}${certPath}`;

  const stopController = new AbortController();
  const inflight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const tracked = work.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
  };
  const emit = (event: DeliveryEvent) => options.onDelivery?.(event);
  const filterCache = new Map<string, FilterPolicy>();

  const topicArn = (name: string) => `arn:aws:sns:${region}:${accountId}:${name}`;
  const subscribeUrl = (sub: SubscriptionRecord) =>
    `${endpoint}/?${new URLSearchParams({ Action: 'ConfirmSubscription', TopicArn: sub.topicArn, Token: sub.token })}`;
  const unsubscribeUrl = (sub: SubscriptionRecord) =>
    `${endpoint}/?${new URLSearchParams({ Action: 'Unsubscribe', SubscriptionArn: sub.arn })}`;

  const getTopic = (arn: string): TopicRecord => {
    const topic = store.topics.get(arn);
    if (!topic) throw new NotFoundError('Topic does not exist');
    return topic;
  };
  const getSubscription = (arn: string): SubscriptionRecord => {
    const subscription = store.subscriptions.get(arn);
    if (!subscription) throw new NotFoundError('Subscription does not exist');
    return subscription;
  };

  const filterOf = (sub: SubscriptionRecord): FilterPolicy | undefined => {
    const json = sub.attributes.FilterPolicy;
    if (!json) return undefined;
    const scope = (sub.attributes.FilterPolicyScope as FilterPolicyScope) ?? FilterPolicyScope.MessageAttributes;
    const key = `${scope}\n${json}`;
    let policy = filterCache.get(key);
    if (!policy) {
      policy = parseFilterPolicy(json, scope);
      filterCache.set(key, policy);
    }
    return policy;
  };

  const validateSubscriptionAttribute = (name: string, value: string, attributes: Record<string, string>) => {
    if (!(SETTABLE_SUBSCRIPTION_ATTRIBUTES as readonly string[]).includes(name)) {
      throw new InvalidParameterError(`Invalid parameter: AttributeName Reason: Unknown attribute ${name}`);
    }
    if (name === 'FilterPolicyScope' && !Object.values(FilterPolicyScope).includes(value as FilterPolicyScope)) {
      throw new InvalidParameterError(`Invalid parameter: FilterPolicyScope: Invalid value [${value}]`);
    }
    if (name === 'RawMessageDelivery' && !['true', 'false'].includes(value.toLowerCase())) {
      throw new InvalidParameterError('Invalid parameter: RawMessageDelivery: Invalid value');
    }
    const policy = name === 'FilterPolicy' ? value : attributes.FilterPolicy;
    const scope = name === 'FilterPolicyScope' ? value : attributes.FilterPolicyScope;
    if (policy) {
      try {
        parseFilterPolicy(policy, (scope as FilterPolicyScope) ?? FilterPolicyScope.MessageAttributes);
      } catch (error) {
        if (error instanceof FilterPolicyError) {
          throw new InvalidParameterError(`Invalid parameter: FilterPolicy: ${error.message}`, { cause: error });
        }
        throw error;
      }
    }
  };

  /**
   * The retry policy for one subscription: the server's, overridden by the
   * `healthyRetryPolicy` of the topic's and then the subscription's DeliveryPolicy
   * (SNS's JSON shape, delays in seconds).
   */
  const retryFor = (sub: SubscriptionRecord): RetryPolicy => {
    const policy = { ...retry };
    const apply = (json: string | undefined, path: 'topic' | 'subscription') => {
      if (!json) return;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(json) as Record<string, unknown>;
      } catch {
        return;
      }
      const healthy = (path === 'topic'
        ? (parsed.http as Record<string, unknown> | undefined)?.defaultHealthyRetryPolicy
        : parsed.healthyRetryPolicy) as Record<string, unknown> | undefined;
      if (!healthy) return;
      if (typeof healthy.numRetries === 'number') policy.numRetries = healthy.numRetries;
      if (typeof healthy.minDelayTarget === 'number') policy.minDelayMs = healthy.minDelayTarget * 1000;
      if (typeof healthy.maxDelayTarget === 'number') policy.maxDelayMs = healthy.maxDelayTarget * 1000;
      if (healthy.backoffFunction === 'linear' || healthy.backoffFunction === 'exponential') {
        policy.backoff = healthy.backoffFunction;
      }
    };
    apply(store.topics.get(sub.topicArn)?.attributes.DeliveryPolicy, 'topic');
    apply(sub.attributes.DeliveryPolicy, 'subscription');
    return policy;
  };

  /** Sends a signed JSON document to an http/https subscriber, with retries. */
  const postSigned = (sub: SubscriptionRecord, message: Record<string, unknown>, raw: string | undefined) => {
    const type = message.Type as SnsMessageType;
    const messageId = message.MessageId as string;
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': type,
      'x-amz-sns-message-id': messageId,
      'x-amz-sns-topic-arn': sub.topicArn,
    };
    // As in SNS, only notifications name the subscription: a pending one has no ARN to the subscriber yet.
    if (type === SnsMessageType.Notification) headers['x-amz-sns-subscription-arn'] = sub.arn;
    if (raw !== undefined) headers['x-amz-sns-rawdelivery'] = 'true';
    const body = raw ?? JSON.stringify(message, null, 2);
    track(
      deliverHttp({ url: sub.endpoint, headers, body }, retryFor(sub), tls, stopController.signal, (report) =>
        emit({ subscriptionArn: sub.arn, protocol: sub.protocol, messageType: type, messageId, ...report }),
      ).then(
        () => undefined,
        // Failures are reported through onDelivery; SNS likewise drops the message when retries run out.
        () => undefined,
      ),
    );
  };

  const mail = (sub: SubscriptionRecord, messageType: SnsMessageType, messageId: string, subject: string, body: string) => {
    const topic = store.topics.get(sub.topicArn);
    const displayName = topic?.attributes.DisplayName || 'SNS Notifications';
    track(
      writeToOutbox(
        outboxDir,
        {
          from: `"${displayName.replace(/"/g, "'")}" <no-reply@${emailDomain}>`,
          to: sub.endpoint,
          subject,
          body,
          date: new Date(),
          headers: {
            'X-Amz-Sns-Message-Type': messageType,
            'X-Amz-Sns-Message-Id': messageId,
            'X-Amz-Sns-Topic-Arn': sub.topicArn,
            ...(messageType === SnsMessageType.Notification ? { 'X-Amz-Sns-Subscription-Arn': sub.arn } : {}),
          },
        },
        messageId,
        emailDomain,
      ).then(
        (file) =>
          emit({ subscriptionArn: sub.arn, protocol: sub.protocol, messageType, messageId, attempt: 1, outcome: 'delivered', file }),
        (error: Error) =>
          emit({ subscriptionArn: sub.arn, protocol: sub.protocol, messageType, messageId, attempt: 1, outcome: 'failed', error }),
      ),
    );
  };

  const sendConfirmation = (sub: SubscriptionRecord) => {
    const message: Record<string, unknown> = {
      Type: SnsMessageType.SubscriptionConfirmation,
      MessageId: randomUUID(),
      Token: sub.token,
      TopicArn: sub.topicArn,
      Message: `You have chosen to subscribe to the topic ${sub.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: subscribeUrl(sub),
      Timestamp: new Date().toISOString(),
      SignatureVersion: '2',
    };
    message.Signature = signMessage(message, signing.privateKeyPem);
    message.SigningCertURL = signingCertUrl;
    const messageId = message.MessageId as string;
    switch (sub.protocol) {
      case SubscriptionProtocol.Http:
      case SubscriptionProtocol.Https:
        return postSigned(sub, message, undefined);
      case SubscriptionProtocol.EmailJson:
        return mail(sub, SnsMessageType.SubscriptionConfirmation, messageId, 'Subscription Confirmation', JSON.stringify(message, null, 2));
      case SubscriptionProtocol.Email:
        return mail(
          sub,
          SnsMessageType.SubscriptionConfirmation,
          messageId,
          'Subscription Confirmation',
          `You have chosen to subscribe to the topic:\n${sub.topicArn}\n\n` +
            `To confirm this subscription, visit the link below (if this was in error, no action is necessary):\n` +
            `${subscribeUrl(sub)}\n`,
        );
    }
  };

  const deliverNotification = (
    sub: SubscriptionRecord,
    base: { messageId: string; timestamp: string; subject?: string; message: string },
    attributes: Record<string, PublishedAttribute>,
  ) => {
    const notification: Record<string, unknown> = {
      Type: SnsMessageType.Notification,
      MessageId: base.messageId,
      TopicArn: sub.topicArn,
      ...(base.subject !== undefined ? { Subject: base.subject } : {}),
      Message: base.message,
      Timestamp: base.timestamp,
      SignatureVersion: '2',
    };
    notification.Signature = signMessage(notification, signing.privateKeyPem);
    notification.SigningCertURL = signingCertUrl;
    notification.UnsubscribeURL = unsubscribeUrl(sub);
    if (Object.keys(attributes).length > 0) notification.MessageAttributes = attributes;
    const raw = isTrue(sub.attributes.RawMessageDelivery) ? base.message : undefined;
    switch (sub.protocol) {
      case SubscriptionProtocol.Http:
      case SubscriptionProtocol.Https:
        return postSigned(sub, notification, raw);
      case SubscriptionProtocol.EmailJson:
        return mail(sub, SnsMessageType.Notification, base.messageId, base.subject ?? 'Notification Message', JSON.stringify(notification, null, 2));
      case SubscriptionProtocol.Email:
        return mail(
          sub,
          SnsMessageType.Notification,
          base.messageId,
          base.subject ?? 'Notification Message',
          `${base.message}\n\n--\nTo stop receiving notifications from this topic, visit the link below to unsubscribe:\n${unsubscribeUrl(sub)}\n`,
        );
    }
  };

  const subscriptionMember = (sub: SubscriptionRecord) =>
    `<member>${element('TopicArn', sub.topicArn)}${element('Protocol', sub.protocol)}` +
    `${element('SubscriptionArn', sub.confirmed ? sub.arn : 'PendingConfirmation')}${element('Owner', sub.owner)}` +
    `${element('Endpoint', sub.endpoint)}</member>`;

  const actions: Record<string, (params: QueryParams) => Promise<string | undefined>> = {
    async CreateTopic(params) {
      const name = required(params, 'Name');
      if (!TOPIC_NAME.test(name)) throw new InvalidParameterError('Invalid parameter: Topic Name');
      const arn = topicArn(name);
      if (!store.topics.has(arn)) {
        const attributes = readEntryMap(params, 'Attributes');
        for (const key of Object.keys(attributes)) {
          if (!(SETTABLE_TOPIC_ATTRIBUTES as readonly string[]).includes(key)) {
            throw new InvalidParameterError(`Invalid parameter: Attributes Reason: Unknown attribute ${key}`);
          }
        }
        store.topics.set(arn, { arn, name, attributes, tags: readTags(params) });
        await store.save();
      }
      return element('TopicArn', arn);
    },

    async DeleteTopic(params) {
      const arn = required(params, 'TopicArn');
      if (store.topics.delete(arn)) {
        for (const sub of store.subscriptionsOf(arn)) store.subscriptions.delete(sub.arn);
        await store.save();
      }
      return undefined;
    },

    async ListTopics(params) {
      const { items, next } = page([...store.topics.values()], params);
      const members = items.map((topic) => `<member>${element('TopicArn', topic.arn)}</member>`);
      return `<Topics>${members.join('')}</Topics>${next}`;
    },

    async GetTopicAttributes(params) {
      const topic = getTopic(required(params, 'TopicArn'));
      const subs = store.subscriptionsOf(topic.arn);
      return attributeMap('Attributes', {
        ...topic.attributes,
        TopicArn: topic.arn,
        Owner: accountId,
        DisplayName: topic.attributes.DisplayName ?? '',
        SubscriptionsConfirmed: String(subs.filter((sub) => sub.confirmed).length),
        SubscriptionsPending: String(subs.filter((sub) => !sub.confirmed).length),
        SubscriptionsDeleted: '0',
      });
    },

    async SetTopicAttributes(params) {
      const topic = getTopic(required(params, 'TopicArn'));
      const name = required(params, 'AttributeName');
      if (!(SETTABLE_TOPIC_ATTRIBUTES as readonly string[]).includes(name)) {
        throw new InvalidParameterError(`Invalid parameter: AttributeName Reason: Unknown attribute ${name}`);
      }
      topic.attributes[name] = params.get('AttributeValue') ?? '';
      await store.save();
      return undefined;
    },

    async Subscribe(params) {
      const topic = getTopic(required(params, 'TopicArn'));
      const protocol = required(params, 'Protocol') as SubscriptionProtocol;
      if (!Object.values(SubscriptionProtocol).includes(protocol)) {
        throw new InvalidParameterError(`Invalid parameter: Protocol Reason: ${protocol} is not supported by this endpoint`);
      }
      const target = required(params, 'Endpoint');
      if ((protocol === 'http' || protocol === 'https') && !target.startsWith(`${protocol}://`)) {
        throw new InvalidParameterError(`Invalid parameter: Endpoint must match the specified protocol`);
      }
      if ((protocol === 'email' || protocol === 'email-json') && !/^[^@\s]+@[^@\s]+$/.test(target)) {
        throw new InvalidParameterError('Invalid parameter: Email address');
      }
      const attributes = readEntryMap(params, 'Attributes');
      for (const [name, value] of Object.entries(attributes)) validateSubscriptionAttribute(name, value, attributes);
      const returnArn = isTrue(params.get('ReturnSubscriptionArn'));

      const existing = store
        .subscriptionsOf(topic.arn)
        .find((sub) => sub.protocol === protocol && sub.endpoint === target);
      if (existing) {
        if (JSON.stringify(existing.attributes) !== JSON.stringify(attributes) && Object.keys(attributes).length > 0) {
          throw new InvalidParameterError('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
        }
        if (!existing.confirmed) sendConfirmation(existing);
        return element('SubscriptionArn', existing.confirmed || returnArn ? existing.arn : 'pending confirmation');
      }
      const sub: SubscriptionRecord = {
        arn: `${topic.arn}:${randomUUID()}`,
        topicArn: topic.arn,
        protocol,
        endpoint: target,
        owner: accountId,
        token: randomBytes(64).toString('hex'),
        confirmed: false,
        attributes,
      };
      store.subscriptions.set(sub.arn, sub);
      await store.save();
      sendConfirmation(sub);
      return element('SubscriptionArn', returnArn ? sub.arn : 'pending confirmation');
    },

    async ConfirmSubscription(params) {
      const arn = required(params, 'TopicArn');
      const token = required(params, 'Token');
      getTopic(arn);
      const sub = store.subscriptionsOf(arn).find((candidate) => candidate.token === token);
      if (!sub) throw new InvalidParameterError('Invalid token');
      if (!sub.confirmed) {
        sub.confirmed = true;
        await store.save();
      }
      return element('SubscriptionArn', sub.arn);
    },

    async Unsubscribe(params) {
      const sub = getSubscription(required(params, 'SubscriptionArn'));
      store.subscriptions.delete(sub.arn);
      await store.save();
      return undefined;
    },

    async ListSubscriptions(params) {
      const { items, next } = page([...store.subscriptions.values()], params);
      return `<Subscriptions>${items.map(subscriptionMember).join('')}</Subscriptions>${next}`;
    },

    async ListSubscriptionsByTopic(params) {
      const topic = getTopic(required(params, 'TopicArn'));
      const { items, next } = page(store.subscriptionsOf(topic.arn), params);
      return `<Subscriptions>${items.map(subscriptionMember).join('')}</Subscriptions>${next}`;
    },

    async GetSubscriptionAttributes(params) {
      const sub = getSubscription(required(params, 'SubscriptionArn'));
      return attributeMap('Attributes', {
        ...sub.attributes,
        SubscriptionArn: sub.arn,
        TopicArn: sub.topicArn,
        Owner: sub.owner,
        Protocol: sub.protocol,
        Endpoint: sub.endpoint,
        PendingConfirmation: String(!sub.confirmed),
        ConfirmationWasAuthenticated: 'false',
        RawMessageDelivery: sub.attributes.RawMessageDelivery ?? 'false',
      });
    },

    async SetSubscriptionAttributes(params) {
      const sub = getSubscription(required(params, 'SubscriptionArn'));
      const name = required(params, 'AttributeName');
      const value = params.get('AttributeValue') ?? '';
      validateSubscriptionAttribute(name, value, sub.attributes);
      if (value === '') delete sub.attributes[name];
      else sub.attributes[name] = value;
      await store.save();
      return undefined;
    },

    async Publish(params) {
      const arn = params.get('TopicArn') ?? params.get('TargetArn');
      if (!arn) throw new InvalidParameterError('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      const topic = getTopic(arn);
      const message = params.get('Message');
      if (message === undefined || message === '') throw new InvalidParameterError('Invalid parameter: Empty message');
      if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) {
        throw new InvalidParameterError('Invalid parameter: Message too long');
      }
      const subject = params.get('Subject');
      if (subject !== undefined && (subject.length > 100 || /[\r\n]/.test(subject))) {
        throw new InvalidParameterError('Invalid parameter: Subject');
      }
      let perProtocol: Record<string, unknown> | undefined;
      if (params.get('MessageStructure') === 'json') {
        try {
          perProtocol = JSON.parse(message) as Record<string, unknown>;
        } catch {
          perProtocol = undefined;
        }
        if (typeof perProtocol?.default !== 'string') {
          throw new InvalidParameterError('Invalid parameter: Message Structure - No default entry in JSON message body');
        }
      }
      const attributes = readMessageAttributes(params);
      const messageId = randomUUID();
      const timestamp = new Date().toISOString();
      for (const sub of store.subscriptionsOf(topic.arn)) {
        if (!sub.confirmed) continue;
        const body = perProtocol ? String(perProtocol[sub.protocol] ?? perProtocol.default) : message;
        const policy = filterOf(sub);
        const scope = (sub.attributes.FilterPolicyScope as FilterPolicyScope) ?? FilterPolicyScope.MessageAttributes;
        if (policy && !matchesFilterPolicy(policy, scope, { attributes, body })) continue;
        deliverNotification(sub, { messageId, timestamp, subject, message: body }, attributes);
      }
      return element('MessageId', messageId);
    },
  };

  const send = (res: ServerResponse, status: number, xml: string, requestId: string) => {
    res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(xml);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', endpoint);
    if (req.method === 'GET' && url.pathname === certPath) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' });
      res.end(signing.certificatePem);
      return;
    }
    if (url.pathname !== '/' || (req.method !== 'GET' && req.method !== 'POST')) {
      send(res, 404, errorResponse(new SnsApiError('NotFound', 404, 'No such resource'), requestId), requestId);
      return;
    }
    void (async () => {
      try {
        const params: QueryParams = new Map(url.searchParams);
        if (req.method === 'POST') {
          for (const [key, value] of new URLSearchParams(await readBody(req))) params.set(key, value);
        }
        const action = params.get('Action');
        if (!action) throw new SnsApiError('MissingAction', 400, 'Missing Action parameter');
        const handler = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
        if (!handler) throw new InvalidActionError(action);
        send(res, 200, actionResponse(action, requestId, await handler(params)), requestId);
      } catch (error) {
        const apiError =
          error instanceof SnsApiError ? error : new SnsApiError('InternalError', 500, 'Internal error', { cause: error });
        send(res, apiError.status, errorResponse(apiError, requestId), requestId);
      }
    })();
  });

  const settled = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    region,
    accountId,
    signingCertUrl,
    certificatePem: signing.certificatePem,
    settled,
    stop() {
      stopping ??= (async () => {
        stopController.abort();
        await new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeAllConnections();
        });
        await settled();
        await store.save();
      })();
      return stopping;
    },
  };
}
