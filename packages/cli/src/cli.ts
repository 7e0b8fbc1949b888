import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { builtinCatalogue, CancellationStatus, Iso20022Error, loadCatalogue, TransactionStatus, type Catalogue, type EngineOptions, type ResponseStatus } from '@mxflow/iso20022';
import { adminCommand, adminUsage, dlqCommand } from './admin';
import { parseCommand } from './args';
import { convertCommand } from './convert';
import { CliError, ExitCode, SchemasError, UsageError } from './errors';
import type { Io } from './io';
import { connectionOf, connectionOptions, originalFromPlatform, requestFromPlatform, seedCommand, statusCommand, submitCommand, tokenCommand } from './platform';
import { respondCommand } from './respond';
import { followUpSample, followUps, isSampleType, paymentForRequestSample, paymentSample, reportRequestSample, requestAnswerSample, requestFollowUps, SampleType, sampleTypes } from './sample';
import { validateCommand } from './validate';

/** Usage text of the command. */
export const usage = `Usage: mxflow <command> [options]

Commands:
  validate [--json] FILE...                 XSD and business-rule validation of each file
  convert --to json|xml FILE                XML to the JSON form, or that JSON back to XML ('-' reads stdin)
  respond FILE --status STATUS [--reason CODE] [--info TEXT] [--msg-id ID] [--now ISO-TIME]
                                            the response: pacs.002 (ACSC, ACSP, RJCT) for a pacs.008,
                                            pacs.004 or pacs.028; camt.029 (CNCL, RJCR, PDCR) for a camt.056
  schemas [--json]                          lists the catalogue: namespace, origin (built-in or file), root element
  sample [pacs.008|pain.001]                prints a sample message (pacs.008 by default), Alpha to Beta
                                            and Gamma, fresh ids and today's dates on every call
  sample camt.056|pacs.028 --for ID         a cancellation request (camt.056) or a status request
                                            (pacs.028) of the payment ID, from its sender
  sample pacs.004 --for ID [--amount A]     a return of the payment ID from its receiver: A, or all
                                            that is left of it; --for reads the payment through the
                                            Status API (the connection flags below apply)
  sample pain.013                           a request to pay: Alpha, for its customer, asks Beta's to pay 49.90 EUR
  sample pain.014 --for ID [--reject CODE]  the debtor agent's answer to the request to pay ID: accepted, or
                                            refused with CODE (AC04, AM04 …); submit it as Beta
  sample pacs.008 --for ID                  the payment of the accepted request to pay ID, from its debtor
                                            agent (Beta) to its creditor agent, with its UETR and amount
  sample camt.060 [--report camt.052|camt.053] [--currency CCY]
                                            an account reporting request from Alpha for today's report
                                            (camt.052) or statement (camt.053) of its settlement account
                                            in CCY, or of every account it holds

validate, convert, respond and schemas take --schemas DIR (or MXFLOW_SCHEMAS_DIR): the XSDs
in DIR add message versions or replace built-in ones; a file that cannot be read stops the
command with its name and the reason (exit code 2).

Commands that talk to a running platform (pnpm dev by default; --api, --token-url,
--client-id, --client-secret, --audience, --scope or MXFLOW_API, MXFLOW_TOKEN_URL,
MXFLOW_CLIENT_ID, MXFLOW_CLIENT_SECRET, MXFLOW_AUDIENCE for any other):
  token                                     prints an access token
  submit FILE [--wait] [--idempotency-key K]
                                            submits a message; prints the answer JSON (transactionId);
                                            --wait waits (30 s at most) until it is final, whatever
                                            its status, and prints the response XML sent to you
                                            (pacs.002, camt.029, pain.002); progress on stderr;
                                            exit 1 when the message itself ends RJCT
  status ID [--json]                        the transaction: status, parties, amount, steps
  seed FILE                                 writes a seed file's participants into pnpm dev's tables

${adminUsage}
Exit codes: 0 ok, 1 invalid input or refused by the platform, 2 usage error.
`;

const statuses: Record<string, ResponseStatus> = { ...TransactionStatus, ...CancellationStatus };

const schemasOption = { schemas: { type: 'string' } } as const;

/** The catalogue with the XSDs of `dir`; a folder or file the engine cannot read stops the command. */
async function catalogueFrom(dir: string): Promise<Catalogue> {
  try {
    return await loadCatalogue({ overridesDir: dir });
  } catch (error) {
    if (error instanceof Iso20022Error) throw new SchemasError(`schemas folder ${dir}: ${error.message}`, { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    throw new SchemasError(`schemas folder ${dir}: cannot read: ${code === 'ENOENT' ? 'no such folder' : (error as Error).message}`, { cause: error });
  }
}

/**
 * Runs `command` with the built-in messages plus the XSDs of `--schemas DIR`,
 * or of MXFLOW_SCHEMAS_DIR when the flag is absent. Without either it stays
 * synchronous and uses the built-in catalogue.
 */
function withSchemas(flag: string | boolean | undefined, io: Io, command: (options: EngineOptions, dir?: string) => number): number | Promise<number> {
  const dir = typeof flag === 'string' ? flag : io.env?.MXFLOW_SCHEMAS_DIR;
  if (dir === undefined || dir === '') return command({});
  return catalogueFrom(dir).then((catalogue) => command({ catalogue }, dir));
}

/** `mxflow schemas [--json]`: one line (or JSON object) per catalogue entry, by namespace. */
function schemasCommand(options: EngineOptions, dir: string | undefined, json: boolean, io: Io): number {
  const entries = (options.catalogue ?? builtinCatalogue()).entries().sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  const rows = entries.map((entry) => ({
    namespace: entry.namespace,
    origin: entry.source === 'builtin' ? 'built-in' : join(dir ?? '', entry.origin ?? ''),
    rootElement: entry.rootElement,
  }));
  if (json) {
    for (const row of rows) io.stdout(`${JSON.stringify(row)}\n`);
    return 0;
  }
  const width = (key: 'namespace' | 'origin'): number => Math.max(key.length, ...rows.map((row) => row[key].length));
  const line = (namespace: string, origin: string, root: string): string => `${namespace.padEnd(width('namespace'))}  ${origin.padEnd(width('origin'))}  ${root}\n`;
  io.stdout(line('namespace', 'origin', 'root'));
  for (const row of rows) io.stdout(line(row.namespace, row.origin, row.rootElement));
  return 0;
}

/** The commands, each with the first words of its lines in {@link usage}. */
const commands = ['validate', 'convert', 'respond', 'schemas', 'sample', 'token', 'submit', 'status', 'seed', 'admin', 'dlq'] as const;

/**
 * The usage of one command: its lines of {@link usage}, each with the lines
 * that continue it, and the notes that apply to it.
 */
export function commandUsage(command: string): string {
  const lines = usage.split('\n');
  const own: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (!line.startsWith(`  ${command} `) && line !== `  ${command}`) continue;
    own.push(line);
    while ((lines[index + 1] ?? '').startsWith(' '.repeat(20))) own.push(lines[++index] ?? '');
  }
  const notes: string[] = [];
  if (['validate', 'convert', 'respond', 'schemas'].includes(command)) notes.push('--schemas DIR (or MXFLOW_SCHEMAS_DIR) adds or replaces message versions with the XSDs in DIR.');
  if (['token', 'submit', 'status', 'sample', 'admin', 'dlq'].includes(command)) {
    notes.push('Connection: --api, --token-url, --client-id, --client-secret, --audience, --scope, or MXFLOW_API,');
    notes.push('MXFLOW_TOKEN_URL, MXFLOW_CLIENT_ID, MXFLOW_CLIENT_SECRET, MXFLOW_AUDIENCE; pnpm dev by default.');
  }
  if (command === 'admin' || command === 'dlq') notes.push('Text by default; --json prints the JSON answer on one line.');
  return `Usage: mxflow ${command} …\n\n${own.join('\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, command: string) {
  return parseCommand(args, options, command);
}

function one(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one FILE ('-' for stdin), got ${positionals.length}`);
  return positionals[0];
}

function dispatch(command: string | undefined, args: string[], io: Io): number | Promise<number> {
  switch (command) {
    case 'token': {
      const { values, positionals } = parse(args, connectionOptions, 'token');
      if (positionals.length > 0) throw new UsageError('token takes no arguments');
      return tokenCommand(connectionOf(values), io);
    }
    case 'submit': {
      const { values, positionals } = parse(args, { ...connectionOptions, wait: { type: 'boolean' }, 'idempotency-key': { type: 'string' } }, 'submit');
      const key = values['idempotency-key'];
      return submitCommand(connectionOf(values), one(positionals, 'submit'), { wait: values.wait === true, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) }, io);
    }
    case 'status': {
      const { values, positionals } = parse(args, { ...connectionOptions, json: { type: 'boolean' } }, 'status');
      if (positionals.length !== 1) throw new UsageError('status takes exactly one transaction id');
      return statusCommand(connectionOf(values), positionals[0], values.json === true, io);
    }
    case 'admin':
      return adminCommand(args, io);
    case 'dlq':
      return dlqCommand(args, io);
    case 'seed': {
      const { positionals } = parse(args, {}, 'seed');
      return seedCommand(one(positionals, 'seed'), io);
    }
    case 'validate': {
      const { values, positionals } = parse(args, { json: { type: 'boolean' }, ...schemasOption }, 'validate');
      if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
      return withSchemas(values.schemas, io, (options) => validateCommand(positionals, values.json === true, io, options));
    }
    case 'convert': {
      const { values, positionals } = parse(args, { to: { type: 'string' }, ...schemasOption }, 'convert');
      const to = values.to;
      if (to !== 'json' && to !== 'xml') throw new UsageError(`convert needs --to json or --to xml${to ? `, not '${to}'` : ''}`);
      const file = one(positionals, 'convert');
      return withSchemas(values.schemas, io, (options) => convertCommand(file, to, io, options));
    }
    case 'schemas': {
      const { values, positionals } = parse(args, { json: { type: 'boolean' }, ...schemasOption }, 'schemas');
      if (positionals.length > 0) throw new UsageError('schemas takes no arguments');
      return withSchemas(values.schemas, io, (options, dir) => schemasCommand(options, dir, values.json === true, io));
    }
    case 'respond': {
      const { values, positionals } = parse(args, {
        status: { type: 'string' },
        reason: { type: 'string' },
        info: { type: 'string' },
        'msg-id': { type: 'string' },
        now: { type: 'string' },
        ...schemasOption,
      }, 'respond');
      const file = one(positionals, 'respond');
      const status = typeof values.status === 'string' ? statuses[values.status] : undefined;
      if (!status) throw new UsageError(`respond needs --status, one of ${Object.keys(statuses).join(', ')}`);
      let now: Date | undefined;
      if (typeof values.now === 'string') {
        now = new Date(values.now);
        if (Number.isNaN(now.getTime())) throw new UsageError(`--now '${values.now}' is not an ISO 8601 time`);
      }
      const respondOptions = { status, reason: values.reason, additionalInfo: values.info, msgId: values['msg-id'], now };
      return withSchemas(values.schemas, io, (options) => respondCommand(file, respondOptions, io, options));
    }
    case 'sample': {
      const { values, positionals } = parse(args, { ...connectionOptions, for: { type: 'string' }, amount: { type: 'string' }, report: { type: 'string' }, currency: { type: 'string' }, reject: { type: 'string' } }, 'sample');
      const [type = SampleType.pacs008, ...rest] = positionals;
      if (rest.length > 0 || !isSampleType(type)) throw new UsageError(`sample takes one of ${sampleTypes.join(', ')}, or nothing for pacs.008`);
      const original = values.for;
      if (type === SampleType.camt060) {
        if (original !== undefined || values.amount !== undefined) throw new UsageError('a camt.060 sample takes no --for or --amount');
        io.stdout(reportRequestSample({ report: values.report, currency: values.currency }, io.now()));
        return 0;
      }
      if (values.report !== undefined || values.currency !== undefined) throw new UsageError('--report and --currency are for a camt.060 sample only');
      if (values.reject !== undefined && type !== SampleType.pain014) throw new UsageError('--reject is for a pain.014 sample only');
      if (requestFollowUps.includes(type) && (type === SampleType.pain014 || original !== undefined)) {
        if (typeof original !== 'string') throw new UsageError('a pain.014 sample needs --for ID: the transaction id of the request to pay it answers (submit prints it)');
        if (values.amount !== undefined) throw new UsageError(`a ${type} sample of a request to pay takes no --amount: it pays the amount asked`);
        const reject = typeof values.reject === 'string' ? values.reject : undefined;
        return requestFromPlatform(connectionOf(values), original).then((request) => {
          io.stdout(type === SampleType.pain014 ? requestAnswerSample(request, io.now(), reject) : paymentForRequestSample(request, io.now()));
          return 0;
        });
      }
      if (!followUps.includes(type)) {
        if (original !== undefined || values.amount !== undefined) throw new UsageError(`a ${type} sample takes no --for or --amount`);
        io.stdout(paymentSample(type as typeof SampleType.pacs008 | typeof SampleType.pain001 | typeof SampleType.pain013, io.now()));
        return 0;
      }
      if (typeof original !== 'string') throw new UsageError(`a ${type} sample needs --for ID: the transaction id of the payment it is about (submit prints it)`);
      const amount = typeof values.amount === 'string' ? values.amount : undefined;
      return originalFromPlatform(connectionOf(values), original).then((payment) => {
        io.stdout(followUpSample(type, payment, io.now(), amount));
        return 0;
      });
    }
    case 'help':
    case '--help':
    case '-h':
      io.stdout(usage);
      return 0;
    case undefined:
      throw new UsageError('no command given');
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function reported(error: unknown, command: string | undefined, io: Io): number {
  if (!(error instanceof CliError)) throw error;
  io.stderr(`mxflow: ${error.message}\n`);
  // A usage mistake in one line, and where the usage is: the whole text only when no command was given.
  if (error instanceof UsageError) {
    if (command === undefined) io.stderr(`\n${usage}`);
    else io.stderr(`Run 'mxflow ${isCommand(command) ? `${command} ` : ''}--help' for the usage.\n`);
  }
  return error.exitCode;
}

const isCommand = (command: string): command is (typeof commands)[number] => (commands as readonly string[]).includes(command);

/**
 * Runs the mxflow command with `args` (without the node and script paths)
 * and returns the exit code: 0 ok, 1 invalid input, 2 usage error. The
 * commands that talk to a platform return it as a promise.
 */
export function run(args: readonly string[], io: Io): number | Promise<number> {
  const [command, ...rest] = args;
  // `mxflow CMD --help` is that command's usage, whatever else is on the line (the option values before it included).
  const end = rest.indexOf('--');
  const options = end === -1 ? rest : rest.slice(0, end);
  if (command !== undefined && isCommand(command) && (options.includes('--help') || options.includes('-h'))) {
    io.stdout(commandUsage(command));
    return 0;
  }
  try {
    const status = dispatch(command, rest, io);
    return typeof status === 'number' ? status : status.catch((error: unknown) => reported(error, command, io));
  } catch (error) {
    return reported(error, command, io);
  }
}

export { ExitCode };
