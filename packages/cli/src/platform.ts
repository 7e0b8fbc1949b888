/**
 * The commands that talk to a running platform: `token`, `submit`, `status`
 * and `seed`. By default they talk to `pnpm dev` on this machine, whose
 * endpoints and demo participants are in `.mxflow/ready.json`; flags or
 * environment variables point them at any deployment.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from './errors';
import { readInput, type Io } from './io';
import { transactionText } from './output';
import { originalOf, requestOf, returnableOf, type OriginalPayment, type RequestToPay } from './sample';

/** What `pnpm dev` writes once it is ready. */
interface ReadyFile {
  readonly api?: string;
  readonly tokenUrl?: string;
  readonly audience?: string;
  readonly dynamodb?: string;
  readonly tables?: Readonly<Record<string, string>>;
  readonly participants?: readonly { readonly clientId: string; readonly clientSecret: string; readonly entityId: string }[];
  /** Operator clients mapped to an entity: the admin API's callers. */
  readonly operators?: readonly { readonly clientId: string; readonly clientSecret: string; readonly entityId: string }[];
}

/** Where `pnpm dev` writes its ready file, unless MXFLOW_READY_FILE says otherwise. */
export const defaultReadyFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.mxflow/ready.json');

/** Flags every platform command takes; each falls back to an environment variable, then to the local platform. */
export const connectionOptions = {
  api: { type: 'string' },
  'token-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  audience: { type: 'string' },
  scope: { type: 'string' },
} as const;

/** Where and as whom to connect. */
export interface Connection {
  readonly api: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The RFC 8707 `resource` of the local OAuth server; Cognito needs none. */
  readonly audience?: string;
  readonly scope: string;
  readonly ready?: ReadyFile;
}

type Flags = Partial<Record<keyof typeof connectionOptions, string | boolean | undefined>>;

function readReady(env: NodeJS.ProcessEnv): ReadyFile | undefined {
  const file = env.MXFLOW_READY_FILE || defaultReadyFile;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReadyFile;
  } catch (error) {
    throw new InputError(`${file}: not the ready file of pnpm dev: ${(error as Error).message}`, { cause: error });
  }
}

/** Who a command acts as by default: a participant (payments) or the platform operator (admin). */
export const Role = { participant: 'participant', operator: 'operator' } as const;
/** One of {@link Role}. */
export type Role = (typeof Role)[keyof typeof Role];

/**
 * The connection from flags, then `MXFLOW_API`, `MXFLOW_TOKEN_URL`,
 * `MXFLOW_CLIENT_ID`, `MXFLOW_CLIENT_SECRET`, `MXFLOW_AUDIENCE`, then the
 * running local platform (its first demo participant, or for `role`
 * operator its first operator, with scope `payments/admin`).
 *
 * An API given by flag or variable is a deployment (an AWS stage): then
 * nothing comes from the local platform's ready file, so that a token URL,
 * client or audience of `pnpm dev` never mixes with a stage's API.
 *
 * @throws UsageError naming what is missing
 */
export function connectionOf(flags: Flags, env: NodeJS.ProcessEnv = process.env, role: Role = Role.participant): Connection {
  const given = (flag: keyof typeof connectionOptions, variable: string): string | undefined => {
    const value = flags[flag];
    return typeof value === 'string' ? value : env[variable] || undefined;
  };
  const deployed = given('api', 'MXFLOW_API') !== undefined;
  const ready = deployed ? undefined : readReady(env);
  const locals = role === Role.operator ? ready?.operators : ready?.participants;
  const pick = (flag: keyof typeof connectionOptions, variable: string, local: string | undefined): string | undefined => given(flag, variable) ?? local;
  const clientId = pick('client-id', 'MXFLOW_CLIENT_ID', locals?.[0]?.clientId);
  const localSecret = [...(ready?.participants ?? []), ...(ready?.operators ?? [])].find((client) => client.clientId === clientId)?.clientSecret;
  const connection = {
    api: pick('api', 'MXFLOW_API', ready?.api),
    tokenUrl: pick('token-url', 'MXFLOW_TOKEN_URL', ready?.tokenUrl),
    clientId,
    clientSecret: pick('client-secret', 'MXFLOW_CLIENT_SECRET', localSecret),
    audience: pick('audience', 'MXFLOW_AUDIENCE', ready?.audience),
  };
  for (const [name, value] of Object.entries(connection)) {
    if (name !== 'audience' && !value) {
      const flag = `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      const variable = `MXFLOW_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
      throw new UsageError(`no ${name} given: pass ${flag}${deployed ? ' or set ' : ', set '}${variable}${deployed ? ' (the API is a deployment: nothing is read from pnpm dev)' : ', or start the platform with pnpm dev'}`);
    }
  }
  const { api, tokenUrl, clientId: id, clientSecret, audience } = connection as typeof connection & { api: string; tokenUrl: string; clientId: string; clientSecret: string };
  return {
    api: api.replace(/\/$/, ''),
    tokenUrl,
    clientId: id,
    clientSecret,
    ...(audience ? { audience } : {}),
    scope: typeof flags.scope === 'string' ? flags.scope : role === Role.operator ? 'payments/admin' : 'payments/write payments/read',
    ...(ready ? { ready } : {}),
  };
}

export async function answerOf(response: Response): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  // A 204 may still say JSON; it has nothing to parse.
  if (text && /json/.test(response.headers.get('content-type') ?? '')) body = JSON.parse(text) as Record<string, unknown>;
  return { status: response.status, body, text };
}

export async function request(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new InputError(`${what}: ${url} did not answer: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, { cause: error });
  }
}

/** A client_credentials access token. @throws InputError with the server's answer when refused. */
export async function accessToken(connection: Connection): Promise<string> {
  const credentials = Buffer.from(`${encodeURIComponent(connection.clientId)}:${encodeURIComponent(connection.clientSecret)}`).toString('base64');
  const response = await request(
    connection.tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${credentials}` },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: connection.scope, ...(connection.audience ? { resource: connection.audience } : {}) }),
    },
    'token',
  );
  const answer = await answerOf(response);
  const token = answer.body.access_token;
  if (response.status !== 200 || typeof token !== 'string') throw new InputError(`the token endpoint answered ${response.status}: ${answer.text}`);
  return token;
}

/** `mxflow token`: prints an access token. */
export async function tokenCommand(connection: Connection, io: Io): Promise<number> {
  io.stdout(`${await accessToken(connection)}\n`);
  return 0;
}

/** `mxflow status ID [--json]`: prints the transaction as the Status API shows it, as text or (`--json`) its JSON on one line. */
export async function statusCommand(connection: Connection, id: string, json: boolean, io: Io): Promise<number> {
  const token = await accessToken(connection);
  const answer = await answerOf(await request(`${connection.api}/v1/transactions/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } }, 'status'));
  if (answer.status !== 200) {
    io.stderr(`mxflow: ${answer.status}: ${answer.text}\n`);
    return 1;
  }
  io.stdout(json ? `${JSON.stringify(answer.body)}\n` : transactionText(answer.body));
  return 0;
}

/**
 * The payment `id` as the Status API and its archive show it to the caller
 * (either party may read it): the references of its incoming pacs.008, and
 * what is left of it to return.
 *
 * @throws InputError when the platform does not show it, or it is no pacs.008
 */
export async function originalFromPlatform(connection: Connection, id: string): Promise<OriginalPayment> {
  const token = await accessToken(connection);
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const url = `${connection.api}/v1/transactions/${encodeURIComponent(id)}`;
  const transaction = await answerOf(await request(url, auth, 'status'));
  if (transaction.status !== 200) throw new InputError(`--for ${id}: the Status API answered ${transaction.status}: ${transaction.text}`);
  const incoming = await answerOf(await request(`${url}/messages/incoming`, auth, 'message'));
  if (incoming.status !== 200) throw new InputError(`--for ${id}: its message could not be read (${incoming.status}): ${incoming.text}`);
  const original = originalOf(incoming.text);
  const returnable = returnableOf(transaction.body);
  return returnable ? { ...original, returnable } : original;
}

/**
 * The request to pay `id` as the Status API shows it to the caller (its
 * debtor agent, typically): read from its archived pain.013.
 *
 * @throws InputError when the Status API refuses it, or it is no pain.013
 */
export async function requestFromPlatform(connection: Connection, id: string): Promise<RequestToPay> {
  const token = await accessToken(connection);
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const url = `${connection.api}/v1/transactions/${encodeURIComponent(id)}/messages/incoming`;
  const incoming = await answerOf(await request(url, auth, 'message'));
  if (incoming.status !== 200) throw new InputError(`--for ${id}: the Status API answered ${incoming.status}: ${incoming.text}`);
  return requestOf(incoming.text);
}

/** A step as `GET /v1/transactions/{id}` shows it. */
export interface StepView {
  readonly step: string;
  readonly status: string;
  readonly timestamp: string;
}

/** A message as `GET /v1/transactions/{id}/messages` lists it; `links.content` only on those the caller may read. */
export interface MessageView {
  readonly direction: string;
  readonly messageType: string;
  readonly archiveKey: string;
  readonly entityId?: string;
  readonly links?: { readonly content?: string };
}

/** The prefix of the steps the outgoing service records once it has archived and sent a message. */
const OUTGOING_STEP = 'outgoing#';

/** The name a message is archived under: the last segment of its key, `…/{name}.xml` (`pacs.002`, `pain.002.ack`). */
const archivedName = (archiveKey: string): string => archiveKey.slice(archiveKey.lastIndexOf('/') + 1).replace(/\.xml$/, '');

/**
 * One line of progress for a transaction as the Status API shows it: its
 * status, what it was answered with and its reason code when there are, and
 * `(final)` once it is final (`ANSW RJCT RC01 (final)`).
 */
export function progressOf(transaction: Readonly<Record<string, unknown>>): string {
  const status = String(transaction.status);
  const answer = typeof transaction.answer === 'string' && transaction.answer !== status ? transaction.answer : undefined;
  const reason = typeof transaction.reasonCode === 'string' ? transaction.reasonCode : undefined;
  return [status, answer, reason, transaction.final === true ? '(final)' : undefined].filter(Boolean).join(' ');
}

/**
 * The answers of a final transaction that the caller may read: the outgoing
 * messages sent with or after its last status. A step records its final
 * status together with the answers it owes (the outbox), and the outgoing
 * service records a step for each once it is archived and sent, so those
 * steps come at or after the final one; a message sent before it (the
 * pain.002 acknowledgement of a pain.001) answered an earlier status. Empty
 * while the answer is still on its way.
 */
export function answersOf(steps: readonly StepView[], messages: readonly MessageView[]): MessageView[] {
  const decisions = steps.filter((step) => !step.step.startsWith(OUTGOING_STEP));
  const last = decisions.reduce<StepView | undefined>((latest, step) => (!latest || Date.parse(step.timestamp) >= Date.parse(latest.timestamp) ? step : latest), undefined);
  if (!last) return [];
  const sent = new Set(
    steps.filter((step) => step.step.startsWith(OUTGOING_STEP) && Date.parse(step.timestamp) >= Date.parse(last.timestamp)).map((step) => step.step.slice(OUTGOING_STEP.length)),
  );
  return messages.filter((message) => message.direction === 'outgoing' && message.links?.content && sent.has(archivedName(message.archiveKey)));
}

/**
 * `mxflow submit FILE [--wait] [--idempotency-key K]`: prints the platform's
 * answer (the JSON with the transactionId). With `--wait`, polls the Status
 * API until the transaction is final, whatever its status (ACSC, RJCT, ANSW,
 * CANC …), then prints the answer messages addressed to the caller (the
 * pacs.002, camt.029 or pain.002 XML). Progress goes to stderr, one line per
 * change, so that stdout holds only the JSON and the XML.
 * Resolves 0 when accepted (and, with `--wait`, final and answered); 1 when
 * the message is refused, or not final and answered within `timeoutMs`.
 */
export async function submitCommand(
  connection: Connection,
  file: string,
  options: { wait: boolean; idempotencyKey?: string; timeoutMs?: number; pollMs?: number },
  io: Io,
): Promise<number> {
  const body = readInput(file, io);
  const token = await accessToken(connection);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/xml', ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}) };
  const answer = await answerOf(await request(`${connection.api}/v1/messages`, { method: 'POST', headers, body: Buffer.from(body) }, 'submit'));
  if (answer.status !== 202) {
    io.stderr(`mxflow: the message was refused (${answer.status}):\n${JSON.stringify(answer.body, null, 2)}\n`);
    return 1;
  }
  io.stdout(`${JSON.stringify(answer.body)}\n`);
  if (!options.wait) return 0;
  return waitForAnswer(connection, token, String(answer.body.transactionId), progressOf({ status: answer.body.status }), options, io);
}

/** Message types whose rejection sends no message back (no ISO 20022 answer carries it): the Status API's reason is the answer. */
const UNANSWERED_REJECTIONS = new Set(['camt.060', 'pain.014']);

/** Polls the Status API until the transaction is final and its answers are out, then prints them. */
async function waitForAnswer(connection: Connection, token: string, transactionId: string, accepted: string, options: { timeoutMs?: number; pollMs?: number }, io: Io): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const auth = { headers: { authorization: `Bearer ${token}` } };
  const transactionUrl = `${connection.api}/v1/transactions/${encodeURIComponent(transactionId)}`;
  let shown = accepted;
  let answered = -1;
  io.stderr(`… ${shown}\n`);
  for (;;) {
    const state = await answerOf(await request(transactionUrl, auth, 'status'));
    // A caller the Status API refuses will not be let in by waiting.
    if (state.status === 401 || state.status === 403) {
      io.stderr(`mxflow: the Status API answered ${state.status}: ${state.text}\n`);
      return 1;
    }
    const final = state.status === 200 && state.body.final === true;
    if (state.status === 200 && progressOf(state.body) !== shown) {
      shown = progressOf(state.body);
      io.stderr(`… ${shown}\n`);
    }
    if (final) {
      const listed = await answerOf(await request(`${transactionUrl}/messages`, auth, 'messages'));
      const messages = listed.status === 200 ? ((listed.body.messages as MessageView[] | undefined) ?? []) : [];
      const answers = answersOf((state.body.steps as StepView[] | undefined) ?? [], messages);
      // Several answers (a statement per currency) may come one after the other: printed once a poll finds no more.
      const settled = answers.length > 0 && answers.length === answered;
      answered = answers.length;
      if (settled) {
        const printed = await printAnswers(connection, auth, answers, io);
        // Final and answered: a rejected message still exits 1, so that a script sees the rejection.
        return printed !== 0 || state.body.status === 'RJCT' ? 1 : 0;
      }
      if (state.body.status === 'RJCT' && UNANSWERED_REJECTIONS.has(String(state.body.messageType))) {
        io.stderr(`mxflow: rejected ${String(state.body.reasonCode ?? '')}${typeof state.body.detail === 'string' ? `: ${state.body.detail}` : ''}\n`);
        return 1;
      }
    }
    if (Date.now() > deadline) {
      io.stderr(
        final
          ? `mxflow: ${transactionId} is final (${shown}) but its answer is not out after ${timeoutMs / 1000} s\n`
          : `mxflow: ${transactionId} is not final after ${timeoutMs / 1000} s (${state.status === 200 ? `status ${shown}` : `the Status API answered ${state.status}`})\n`,
      );
      return 1;
    }
    await sleep(options.pollMs ?? 200);
  }
}

/** Prints each answer's XML as archived. */
async function printAnswers(connection: Connection, auth: RequestInit, answers: readonly MessageView[], io: Io): Promise<number> {
  for (const message of answers) {
    const content = await answerOf(await request(`${connection.api}${message.links?.content ?? ''}`, auth, 'message'));
    if (content.status !== 200) {
      io.stderr(`mxflow: the ${message.messageType} ${message.archiveKey} could not be read (${content.status}): ${content.text}\n`);
      return 1;
    }
    io.stdout(content.text.endsWith('\n') ? content.text : `${content.text}\n`);
  }
  return 0;
}

/**
 * `mxflow seed FILE`: writes the participants of a seed file (entities,
 * client mappings, opening liquidity as postings) into the running local
 * platform's tables, each write idempotent. Their OAuth clients are read by
 * the local OAuth server when it starts: run `pnpm dev --seed FILE` for those.
 */
export async function seedCommand(file: string, io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ready = readReady(env);
  if (!ready?.dynamodb || !ready.tables) throw new UsageError('seed writes to the local platform: start it with pnpm dev first');
  const [{ DynamoDBClient }, { localClientConfig, readSeed, seedParticipants }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@mxflow/local-stack/seed')]);
  let seed;
  try {
    seed = await readSeed(file);
  } catch (error) {
    throw new InputError((error as Error).message, { cause: error });
  }
  const client = new DynamoDBClient(localClientConfig(ready.dynamodb));
  try {
    await seedParticipants(client, ready.tables, seed);
  } finally {
    client.destroy();
  }
  for (const participant of seed.participants) {
    io.stdout(`seeded ${participant.entityId} (${participant.bic}): ${Object.entries(participant.liquidity).map(([currency, amount]) => `${amount} ${currency}`).join(', ')}\n`);
  }
  const known = new Set((ready.participants ?? []).map((participant) => participant.clientId));
  const newClients = seed.participants.filter((participant) => !known.has(participant.clientId));
  if (newClients.length) io.stderr(`mxflow: clients ${newClients.map((participant) => participant.clientId).join(', ')} get tokens once pnpm dev runs with --seed ${file}\n`);
  return 0;
}
