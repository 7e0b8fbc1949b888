import { readFileSync } from 'node:fs';
import { InputError } from './errors';

/** Where the command reads and writes; injectable so the commands stay testable. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input. */
  readonly stdin: () => Uint8Array;
  /** The current time, for the creation date-time of responses. */
  readonly now: () => Date;
  /** A new message identifier, for responses. */
  readonly newId: () => string;
  /** The environment (`MXFLOW_SCHEMAS_DIR`); none when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads a file, or standard input for `-`. */
export function readInput(file: string, io: Io): Uint8Array {
  if (file === '-') return io.stdin();
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`${file}: cannot read: ${reason}`, { cause: error });
  }
}
