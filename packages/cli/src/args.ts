import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Node's own message for a parse error, in one line: node's text for an
 * unknown option suggests `-- "--x"` with a quote it leaves open.
 */
function mistake(error: Error & { code?: string }, command: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  if (unknown) return `${command} has no option ${unknown[1]}`;
  return `${command}: ${error.message.split('. ')[0]?.replace(/\.$/, '')}`;
}

/**
 * The options and positionals of one command's arguments.
 *
 * @throws UsageError naming the mistake in one line
 */
export function parseCommand<const O extends Options>(args: string[], options: O, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(mistake(error as Error, command), { cause: error });
  }
}
