import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CancellationStatus, TransactionStatus, type ResponseStatus } from '@mxflow/iso20022';
import { adminCommand, adminUsage, dlqCommand } from './admin';
import { convertCommand } from './convert';
import { CliError, ExitCode, UsageError } from './errors';
import type { Io } from './io';
import { connectionOf, connectionOptions, seedCommand, statusCommand, submitCommand, tokenCommand } from './platform';
import { respondCommand } from './respond';
import { validateCommand } from './validate';

/** Usage text of the command. */
export const usage = `Usage: mxflow <command> [options]

Commands:
  validate [--json] FILE...                 XSD and business-rule validation of each file
  convert --to json|xml FILE                XML to the JSON form, or that JSON back to XML ('-' reads stdin)
  respond FILE --status STATUS [--reason CODE] [--info TEXT] [--msg-id ID] [--now ISO-TIME]
                                            the response: pacs.002 (ACSC, ACSP, RJCT) for a pacs.008,
                                            pacs.004 or pacs.028; camt.029 (CNCL, RJCR, PDCR) for a camt.056
  sample                                    prints a sample pacs.008

Commands that talk to a running platform (pnpm dev by default; --api, --token-url,
--client-id, --client-secret, --audience, --scope or MXFLOW_API, MXFLOW_TOKEN_URL,
MXFLOW_CLIENT_ID, MXFLOW_CLIENT_SECRET, MXFLOW_AUDIENCE for any other):
  token                                     prints an access token
  submit FILE [--wait] [--idempotency-key K]
                                            submits a message; prints its transactionId, and with
                                            --wait its final status and the response message
  status ID                                 the transaction: status, parties, amount, steps
  seed FILE                                 writes a seed file's participants into pnpm dev's tables

${adminUsage}
Exit codes: 0 ok, 1 invalid input or refused by the platform, 2 usage error.
`;

const statuses: Record<string, ResponseStatus> = { ...TransactionStatus, ...CancellationStatus };

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

function one(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one FILE ('-' for stdin), got ${positionals.length}`);
  return positionals[0];
}

function dispatch(command: string | undefined, args: string[], io: Io): number | Promise<number> {
  switch (command) {
    case 'token': {
      const { values, positionals } = parse(args, connectionOptions);
      if (positionals.length > 0) throw new UsageError('token takes no arguments');
      return tokenCommand(connectionOf(values), io);
    }
    case 'submit': {
      const { values, positionals } = parse(args, { ...connectionOptions, wait: { type: 'boolean' }, 'idempotency-key': { type: 'string' } });
      const key = values['idempotency-key'];
      return submitCommand(connectionOf(values), one(positionals, 'submit'), { wait: values.wait === true, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) }, io);
    }
    case 'status': {
      const { values, positionals } = parse(args, connectionOptions);
      if (positionals.length !== 1) throw new UsageError('status takes exactly one transaction id');
      return statusCommand(connectionOf(values), positionals[0], io);
    }
    case 'admin':
      return adminCommand(args, io);
    case 'dlq':
      return dlqCommand(args, io);
    case 'seed': {
      const { positionals } = parse(args, {});
      return seedCommand(one(positionals, 'seed'), io);
    }
    case 'validate': {
      const { values, positionals } = parse(args, { json: { type: 'boolean' } });
      if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
      return validateCommand(positionals, values.json === true, io);
    }
    case 'convert': {
      const { values, positionals } = parse(args, { to: { type: 'string' } });
      if (values.to !== 'json' && values.to !== 'xml') throw new UsageError(`convert needs --to json or --to xml${values.to ? `, not '${values.to}'` : ''}`);
      return convertCommand(one(positionals, 'convert'), values.to, io);
    }
    case 'respond': {
      const { values, positionals } = parse(args, {
        status: { type: 'string' },
        reason: { type: 'string' },
        info: { type: 'string' },
        'msg-id': { type: 'string' },
        now: { type: 'string' },
      });
      const file = one(positionals, 'respond');
      const status = typeof values.status === 'string' ? statuses[values.status] : undefined;
      if (!status) throw new UsageError(`respond needs --status, one of ${Object.keys(statuses).join(', ')}`);
      let now: Date | undefined;
      if (typeof values.now === 'string') {
        now = new Date(values.now);
        if (Number.isNaN(now.getTime())) throw new UsageError(`--now '${values.now}' is not an ISO 8601 time`);
      }
      return respondCommand(
        file,
        { status, reason: values.reason, additionalInfo: values.info, msgId: values['msg-id'], now },
        io,
      );
    }
    case 'sample': {
      const { positionals } = parse(args, {});
      if (positionals.length > 0) throw new UsageError('sample takes no arguments');
      io.stdout(readFileSync(new URL('../samples/pacs.008.xml', import.meta.url), 'utf8'));
      return 0;
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

function reported(error: unknown, io: Io): number {
  if (!(error instanceof CliError)) throw error;
  io.stderr(`mxflow: ${error.message}\n`);
  if (error instanceof UsageError) io.stderr(`\n${usage}`);
  return error.exitCode;
}

/**
 * Runs the mxflow command with `args` (without the node and script paths)
 * and returns the exit code: 0 ok, 1 invalid input, 2 usage error. The
 * commands that talk to a platform return it as a promise.
 */
export function run(args: readonly string[], io: Io): number | Promise<number> {
  const [command, ...rest] = args;
  try {
    const status = dispatch(command, rest, io);
    return typeof status === 'number' ? status : status.catch((error: unknown) => reported(error, io));
  } catch (error) {
    return reported(error, io);
  }
}

export { ExitCode };
