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
 * @throws UsageError naming what is missing
 */
export function connectionOf(flags: Flags, env: NodeJS.ProcessEnv = process.env, role: Role = Role.participant): Connection {
  const ready = readReady(env);
  const locals = role === Role.operator ? ready?.operators : ready?.participants;
  const pick = (flag: keyof typeof connectionOptions, variable: string, local: string | undefined): string | undefined => {
    const value = flags[flag];
    return typeof value === 'string' ? value : env[variable] || local;
  };
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
      throw new UsageError(`no ${name} given: pass --${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}, set MXFLOW_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}, or start the platform with pnpm dev`);
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

const FINAL = new Set(['ACSC', 'RJCT', 'CANC', 'RTND']);

/** `mxflow token`: prints an access token. */
export async function tokenCommand(connection: Connection, io: Io): Promise<number> {
  io.stdout(`${await accessToken(connection)}\n`);
  return 0;
}

/** `mxflow status ID`: prints the transaction as the Status API shows it. */
export async function statusCommand(connection: Connection, id: string, io: Io): Promise<number> {
  const token = await accessToken(connection);
  const answer = await answerOf(await request(`${connection.api}/v1/transactions/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token}` } }, 'status'));
  if (answer.status !== 200) {
    io.stderr(`mxflow: ${answer.status}: ${answer.text}\n`);
    return 1;
  }
  io.stdout(`${JSON.stringify(answer.body, null, 2)}\n`);
  return 0;
}

/**
 * `mxflow submit FILE [--wait] [--idempotency-key K]`: prints the answer
 * (transactionId first); with `--wait`, then the final status and the
 * response message addressed to the sender. Exit 1 when the message is
 * refused or ends RJCT.
 */
export async function submitCommand(
  connection: Connection,
  file: string,
  options: { wait: boolean; idempotencyKey?: string; timeoutMs?: number },
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
  const transactionId = String(answer.body.transactionId);
  io.stdout(`transactionId ${transactionId}\n${JSON.stringify(answer.body)}\n`);
  if (!options.wait) return 0;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const auth = { headers: { authorization: `Bearer ${token}` } };
  for (;;) {
    const state = await answerOf(await request(`${connection.api}/v1/transactions/${transactionId}`, auth, 'status'));
    const steps = (state.body.steps as { step: string }[] | undefined) ?? [];
    // Final, and the response to the sender is archived.
    if (state.status === 200 && FINAL.has(String(state.body.status)) && steps.some((step) => step.step.startsWith('outgoing#pacs.002'))) {
      io.stdout(`status ${String(state.body.status)}${state.body.reasonCode ? ` ${String(state.body.reasonCode)}` : ''}\n`);
      const message = await answerOf(await request(`${connection.api}/v1/transactions/${transactionId}/messages/outgoing`, auth, 'message'));
      io.stdout(message.text);
      return state.body.status === 'RJCT' ? 1 : 0;
    }
    if (Date.now() > deadline) {
      io.stderr(`mxflow: ${transactionId} is not final after ${(options.timeoutMs ?? 30_000) / 1000} s (status ${String(state.body.status)})\n`);
      return 1;
    }
    await sleep(100);
  }
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
  const [{ DynamoDBClient }, { localClientConfig, readSeed, seedParticipants }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('@mxflow/local-stack')]);
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
