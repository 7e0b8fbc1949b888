/**
 * `mxflow admin …` and `mxflow dlq …`: the admin API of a running platform,
 * called as the platform operator (the first operator of `.mxflow/ready.json`
 * unless `--client-id` says otherwise) with scope `payments/admin`.
 */
import { randomUUID } from 'node:crypto';
import type { ParseArgsConfig } from 'node:util';
import { parseCommand } from './args';
import { UsageError } from './errors';
import type { Io } from './io';
import { textOf, withParsedValues } from './output';
import { Role, accessToken, answerOf, connectionOf, connectionOptions, request, type Connection } from './platform';

/** Usage text of the admin and dead-letter commands. */
export const adminUsage = `Admin commands (as the platform operator, scope payments/admin; the connection flags as above):
  admin entities list [--limit N] [--cursor C]
  admin entities show ID
  admin entities create --id ID --name NAME --bic BIC [--bics B1,B2] [--accounts A1,A2] [--notifications camt.054]
  admin entities update ID [--name NAME] [--bic BIC] [--bics B1,B2] [--accounts A1,A2] [--notifications camt.054|none] [--version V]
                                            --notifications: the messages the participant receives for each posting
                                            on its settlement account (camt.054 debit/credit notifications); none: off
  admin entities delete|suspend|reinstate ID
  admin mappings list ENTITY
  admin mappings show CLIENT
  admin mappings create ENTITY --client CLIENT --scopes S1,S2
                                            on one machine, prints the client's new secret (once; only its hash is kept)
  admin mappings update CLIENT [--entity ENTITY] [--scopes S1,S2] [--status ACTIVE|SUSPENDED] [--version V]
  admin mappings rotate CLIENT              a new secret for the client (printed once); the old one stops working at once.
                                            On one machine only: in AWS, Cognito app clients made by Terraform hold the secrets (501)
  admin mappings delete CLIENT              the API refuses the client from then on; on one machine its issued secret goes too
  admin liquidity top-up|withdraw ENTITY AMOUNT CURRENCY [--reference R]
  admin liquidity balances ENTITY
  admin liquidity postings ENTITY [--currency CCY]
  admin threshold set ENTITY CURRENCY AMOUNT
  admin threshold remove ENTITY CURRENCY
  admin audit [--subject entity/ID|mapping/CLIENT|dead-letter/ID] [--limit N] [--cursor C]
  admin reconcile [--date YYYY-MM-DD]       proves that the UTC day's books add up (default today): balances equal
                                            their postings, settled payments and returns have exactly their postings,
                                            each currency's transfers sum to zero, archived messages are intact.
                                            Exit code 1 when anything does not add up
  dlq list [--limit N] [--cursor C]
  dlq show ID
  dlq replay ID                             re-drives a dead letter onto its topic, once
`;

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<const O extends Options>(args: string[], options: O, command: string) {
  return parseCommand(args, { ...connectionOptions, json: { type: 'boolean' }, ...options }, command);
}

/** Where an admin call goes, and how its answer is printed: text, or with `--json` the JSON on one line. */
interface Target {
  readonly connection: () => Connection;
  readonly json: boolean;
}

const targetOf = (values: Record<string, string | boolean | undefined>): Target => ({
  connection: () => connectionOf(values, process.env, Role.operator),
  json: values.json === true,
});

function positionals(given: string[], names: readonly string[], command: string): string[] {
  if (given.length !== names.length) throw new UsageError(`${command} takes ${names.length ? names.join(' ') : 'no arguments'}, got ${given.length} argument${given.length === 1 ? '' : 's'}`);
  return given;
}

const csv = (value: string | boolean | undefined): string[] | undefined =>
  typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : undefined;
const str = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
/** `--notifications camt.054` (a comma-separated list) or `none`, which switches them off. */
const notificationsOf = (value: string | boolean | undefined): string[] | undefined => (value === 'none' ? [] : csv(value));

function query(values: Record<string, string | undefined>): string {
  const defined = Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return defined.length ? `?${new URLSearchParams(defined)}` : '';
}

function versionOf(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const version = Number(value);
  if (!Number.isSafeInteger(version) || version < 0) throw new UsageError(`--version must be a whole number, not '${String(value)}'`);
  return version;
}

/**
 * One call of the admin API: prints the answer, or the problem on stderr with exit code 1.
 * `exitCode` turns an answer into an exit code other than 0 (a reconciliation that does not add up).
 */
async function call(target: Target, method: string, path: string, io: Io, body?: unknown, exitCode: (answer: unknown) => number = () => 0): Promise<number> {
  // Resolved only now, so that a usage mistake is reported before a missing connection.
  const connection = target.connection();
  const token = await accessToken(connection);
  const answer = await answerOf(
    await request(
      `${connection.api}${path}`,
      {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      `${method} ${path}`,
    ),
  );
  if (answer.status >= 400) {
    io.stderr(`mxflow: ${method} ${path} was refused (${answer.status}):\n${answer.text ? `${JSON.stringify(answer.body, null, 2)}\n` : ''}`);
    return 1;
  }
  if (!answer.text) {
    io.stdout(target.json ? `${JSON.stringify({ status: answer.status })}\n` : `done (${answer.status})\n`);
    return 0;
  }
  const shown = withParsedValues(answer.body);
  io.stdout(target.json ? `${JSON.stringify(shown)}\n` : textOf(shown));
  return exitCode(answer.body);
}

const entity = (id: string) => `/v1/admin/entities/${encodeURIComponent(id)}`;

function entities(sub: string | undefined, args: string[], io: Io): Promise<number> {
  const { values, positionals: given } = parse(args, {
    id: { type: 'string' },
    name: { type: 'string' },
    bic: { type: 'string' },
    bics: { type: 'string' },
    accounts: { type: 'string' },
    notifications: { type: 'string' },
    version: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
  }, `admin entities ${sub ?? ''}`.trimEnd());
  const target = targetOf(values);
  switch (sub) {
    case 'list':
      positionals(given, [], 'admin entities list');
      return call(target, 'GET', `/v1/admin/entities${query({ limit: str(values.limit), cursor: str(values.cursor) })}`, io);
    case 'show':
      return call(target, 'GET', entity(positionals(given, ['ID'], 'admin entities show')[0]), io);
    case 'create': {
      positionals(given, [], 'admin entities create');
      for (const flag of ['id', 'name', 'bic'] as const) if (typeof values[flag] !== 'string') throw new UsageError(`admin entities create needs --${flag}`);
      return call(target, 'POST', '/v1/admin/entities', io, {
        entityId: values.id,
        name: values.name,
        bic: values.bic,
        ...(values.bics === undefined ? {} : { bics: csv(values.bics) }),
        ...(values.accounts === undefined ? {} : { accounts: csv(values.accounts) }),
        ...(values.notifications === undefined ? {} : { notifications: notificationsOf(values.notifications) }),
      });
    }
    case 'update': {
      const [id] = positionals(given, ['ID'], 'admin entities update');
      const version = versionOf(values.version);
      const changes = {
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(values.bic === undefined ? {} : { bic: values.bic }),
        ...(values.bics === undefined ? {} : { bics: csv(values.bics) }),
        ...(values.accounts === undefined ? {} : { accounts: csv(values.accounts) }),
        ...(values.notifications === undefined ? {} : { notifications: notificationsOf(values.notifications) }),
      };
      if (Object.keys(changes).length === 0) throw new UsageError('admin entities update needs at least one of --name, --bic, --bics, --accounts, --notifications');
      return call(target, 'PATCH', entity(id), io, { ...changes, ...(version === undefined ? {} : { version }) });
    }
    case 'delete':
      return call(target, 'DELETE', entity(positionals(given, ['ID'], 'admin entities delete')[0]), io);
    case 'suspend':
    case 'reinstate':
      return call(target, 'POST', `${entity(positionals(given, ['ID'], `admin entities ${sub}`)[0])}/${sub}`, io);
    default:
      throw new UsageError(`admin entities needs list, show, create, update, delete, suspend or reinstate${sub ? `, not '${sub}'` : ''}`);
  }
}

function mappings(sub: string | undefined, args: string[], io: Io): Promise<number> {
  const { values, positionals: given } = parse(args, {
    client: { type: 'string' },
    entity: { type: 'string' },
    scopes: { type: 'string' },
    status: { type: 'string' },
    version: { type: 'string' },
  }, `admin mappings ${sub ?? ''}`.trimEnd());
  const target = targetOf(values);
  const mapping = (client: string) => `/v1/admin/mappings/${encodeURIComponent(client)}`;
  switch (sub) {
    case 'list':
      return call(target, 'GET', `${entity(positionals(given, ['ENTITY'], 'admin mappings list')[0])}/mappings`, io);
    case 'show':
      return call(target, 'GET', mapping(positionals(given, ['CLIENT'], 'admin mappings show')[0]), io);
    case 'create': {
      const [entityId] = positionals(given, ['ENTITY'], 'admin mappings create');
      if (typeof values.client !== 'string') throw new UsageError('admin mappings create needs --client');
      if (typeof values.scopes !== 'string') throw new UsageError('admin mappings create needs --scopes (such as payments/write,payments/read)');
      return call(target, 'POST', `${entity(entityId)}/mappings`, io, { clientId: values.client, scopes: csv(values.scopes) });
    }
    case 'update': {
      const [client] = positionals(given, ['CLIENT'], 'admin mappings update');
      const version = versionOf(values.version);
      const changes = {
        ...(values.entity === undefined ? {} : { entityId: values.entity }),
        ...(values.scopes === undefined ? {} : { scopes: csv(values.scopes) }),
        ...(values.status === undefined ? {} : { status: values.status }),
      };
      if (Object.keys(changes).length === 0) throw new UsageError('admin mappings update needs at least one of --entity, --scopes, --status');
      return call(target, 'PATCH', mapping(client), io, { ...changes, ...(version === undefined ? {} : { version }) });
    }
    case 'rotate':
      return call(target, 'POST', `${mapping(positionals(given, ['CLIENT'], 'admin mappings rotate')[0])}/secret`, io);
    case 'delete':
      return call(target, 'DELETE', mapping(positionals(given, ['CLIENT'], 'admin mappings delete')[0]), io);
    default:
      throw new UsageError(`admin mappings needs list, show, create, update, rotate or delete${sub ? `, not '${sub}'` : ''}`);
  }
}

function liquidity(sub: string | undefined, args: string[], io: Io): Promise<number> {
  const { values, positionals: given } = parse(args, { reference: { type: 'string' }, currency: { type: 'string' } }, `admin liquidity ${sub ?? ''}`.trimEnd());
  const target = targetOf(values);
  switch (sub) {
    case 'top-up':
    case 'withdraw': {
      const [entityId, amount, currency] = positionals(given, ['ENTITY', 'AMOUNT', 'CURRENCY'], `admin liquidity ${sub}`);
      // Without a reference each run is a new operation; print it, so that a retry can name it.
      const reference = str(values.reference) ?? `${sub}-${randomUUID()}`;
      if (values.reference === undefined) io.stderr(`reference ${reference}\n`);
      return call(target, 'POST', `${entity(entityId)}/liquidity`, io, { type: sub === 'withdraw' ? 'withdrawal' : 'top-up', amount, currency, reference });
    }
    case 'balances':
      return call(target, 'GET', `${entity(positionals(given, ['ENTITY'], 'admin liquidity balances')[0])}/liquidity`, io);
    case 'postings':
      return call(target, 'GET', `${entity(positionals(given, ['ENTITY'], 'admin liquidity postings')[0])}/liquidity/postings${query({ currency: str(values.currency) })}`, io);
    default:
      throw new UsageError(`admin liquidity needs top-up, withdraw, balances or postings${sub ? `, not '${sub}'` : ''}`);
  }
}

function threshold(sub: string | undefined, args: string[], io: Io): Promise<number> {
  const { values, positionals: given } = parse(args, {}, `admin threshold ${sub ?? ''}`.trimEnd());
  const target = targetOf(values);
  switch (sub) {
    case 'set': {
      const [entityId, currency, amount] = positionals(given, ['ENTITY', 'CURRENCY', 'AMOUNT'], 'admin threshold set');
      return call(target, 'PUT', `${entity(entityId)}/thresholds/${encodeURIComponent(currency)}`, io, { amount });
    }
    case 'remove': {
      const [entityId, currency] = positionals(given, ['ENTITY', 'CURRENCY'], 'admin threshold remove');
      return call(target, 'DELETE', `${entity(entityId)}/thresholds/${encodeURIComponent(currency)}`, io);
    }
    default:
      throw new UsageError(`admin threshold needs set or remove${sub ? `, not '${sub}'` : ''}`);
  }
}

/** `mxflow admin <group> <command> …`. */
export function adminCommand(args: string[], io: Io): Promise<number> {
  const [group, sub, ...rest] = args;
  switch (group) {
    case 'entities':
      return entities(sub, rest, io);
    case 'mappings':
      return mappings(sub, rest, io);
    case 'liquidity':
      return liquidity(sub, rest, io);
    case 'threshold':
      return threshold(sub, rest, io);
    case 'audit': {
      const { values, positionals: given } = parse(sub === undefined ? [] : [sub, ...rest], { subject: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } }, 'admin audit');
      positionals(given, [], 'admin audit');
      const target = targetOf(values);
      return call(target, 'GET', `/v1/admin/audit${query({ subject: str(values.subject), limit: str(values.limit), cursor: str(values.cursor) })}`, io);
    }
    case 'reconcile': {
      const { values, positionals: given } = parse(sub === undefined ? [] : [sub, ...rest], { date: { type: 'string' } }, 'admin reconcile');
      positionals(given, [], 'admin reconcile');
      const target = targetOf(values);
      const balanced = (answer: unknown): number => (typeof answer === 'object' && answer !== null && (answer as { balanced?: unknown }).balanced === true ? 0 : 1);
      return call(target, 'GET', `/v1/admin/reconciliation${query({ date: str(values.date) })}`, io, undefined, balanced);
    }
    default:
      throw new UsageError(`admin needs entities, mappings, liquidity, threshold, audit or reconcile${group ? `, not '${group}'` : ''}`);
  }
}

/** `mxflow dlq list|show|replay`. */
export function dlqCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals: given } = parse(rest, { limit: { type: 'string' }, cursor: { type: 'string' } }, `dlq ${sub ?? ''}`.trimEnd());
  const target = targetOf(values);
  // Dead-letter ids hold ':' and '.', so they travel URL-encoded.
  const letter = (id: string) => `/v1/admin/dead-letters/${encodeURIComponent(id)}`;
  switch (sub) {
    case 'list':
      positionals(given, [], 'dlq list');
      return call(target, 'GET', `/v1/admin/dead-letters${query({ limit: str(values.limit), cursor: str(values.cursor) })}`, io);
    case 'show':
      return call(target, 'GET', letter(positionals(given, ['ID'], 'dlq show')[0]), io);
    case 'replay':
      return call(target, 'POST', `${letter(positionals(given, ['ID'], 'dlq replay')[0])}/replay`, io);
    default:
      throw new UsageError(`dlq needs list, show or replay${sub ? `, not '${sub}'` : ''}`);
  }
}
