import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CancellationStatus, TransactionStatus, type ResponseStatus } from '@mxflow/iso20022';
import { convertCommand } from './convert';
import { CliError, ExitCode, UsageError } from './errors';
import type { Io } from './io';
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

Exit codes: 0 ok, 1 invalid input, 2 usage error.
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

function dispatch(command: string | undefined, args: string[], io: Io): number {
  switch (command) {
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

/**
 * Runs the mxflow command with `args` (without the node and script paths)
 * and returns the exit code: 0 ok, 1 invalid input, 2 usage error.
 */
export function run(args: readonly string[], io: Io): number {
  const [command, ...rest] = args;
  try {
    return dispatch(command, rest, io);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(`mxflow: ${error.message}\n`);
    if (error instanceof UsageError) io.stderr(`\n${usage}`);
    return error.exitCode;
  }
}

export { ExitCode };
